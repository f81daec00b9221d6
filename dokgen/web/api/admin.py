"""``/api/v1/revisjonslogg``: the audit log for admins, as JSON or CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from dokgen.services import admin, audit
from dokgen.storage.db import utc
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import bp


@bp.get("/revisjonslogg")
def revisjonslogg() -> Any:
    """Return the newest audit lines (``?format=csv`` for a download)."""
    rader = admin.revisjonslogg(deps(), aktor())
    if request.args.get("format") == "csv":
        response = Response(audit.som_csv(rader), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="revisjonslogg.csv"'
        return response
    return {
        "linjer": [
            {
                f: (utc(getattr(r, f)).isoformat() if f == "tidspunkt" else getattr(r, f))
                for f in audit.FELTER
            }
            for r in rader
        ]
    }
