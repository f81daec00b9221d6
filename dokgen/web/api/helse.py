"""``/api/v1/helse``: is the service up — for load balancers, monitoring and systemd."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from dokgen.web import deps
from dokgen.web.api import bp
from dokgen.web.api.openapi import PATHS, _ok, _op

log = logging.getLogger(__name__)

PATHS["/helse"] = {
    "get": _op(
        "Tjenestens helse (uten innlogging)",
        {
            "200": _ok(
                "Tjenesten svarer og databasen kan leses",
                {
                    "type": "object",
                    "properties": {
                        "status": {"const": "ok"},
                        "jobber": {"type": "integer", "description": "jobber i kø eller i arbeid"},
                    },
                },
            ),
            "503": {"$ref": "#/components/responses/Problem"},
        },
        security=[],
    )
}


@bp.get("/helse")
def helse() -> Any:
    """Answer 200 when the database answers (503 problem+json when it does not).

    Says nothing about any organisation or record, so it needs no login.
    """
    try:
        with deps().sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.error("helsesjekk: databasen svarer ikke")
        raise ServiceUnavailable("databasen svarer ikke") from None
    return {"status": "ok", "jobber": deps().jobs.i_arbeid}
