"""``/api/v1/helse``: is the service up — for load balancers, monitoring and systemd."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from dokgen.settings import Settings
from dokgen.web import deps
from dokgen.web.api.blueprint import bp
from dokgen.web.api.openapi import PATHS, _ok, _op

log = logging.getLogger(__name__)

# Free space the instance needs to take the next documents (a sealed PDF with its DOCX and
# preview is a few hundred kB; SQLite needs room for its WAL): below this it is not healthy.
MIN_LEDIG = 64 * 1024 * 1024

PATHS["/helse"] = {
    "get": _op(
        "Tjenestens helse (uten innlogging)",
        {
            "200": _ok(
                "Tjenesten svarer, databasen kan leses og instansen kan skrive filer",
                {
                    "type": "object",
                    "properties": {
                        "status": {"const": "ok"},
                        "jobber": {"type": "integer", "description": "jobber i kø eller i arbeid"},
                        "jobbko": {
                            "enum": ["lokal", "postgres"],
                            "description": "postgres: nodene deler jobbene gjennom databasen",
                        },
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
    """Answer 200 when the database answers, the instance can store files and this node
    takes jobs (503 problem+json with the reason when not: a node draining after SIGTERM
    answers 503 so the load balancer sends it nothing new).

    Says nothing about any organisation or record, so it needs no login.
    """
    try:
        with deps().sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.error("helsesjekk: databasen svarer ikke")
        raise ServiceUnavailable("databasen svarer ikke") from None
    feil = lagringsfeil(deps().settings)
    if feil is not None:
        log.error("helsesjekk: %s", feil)
        raise ServiceUnavailable(feil)
    if not getattr(deps().jobs, "tar_imot", True):
        raise ServiceUnavailable("noden stopper og tar ikke imot nye jobber")
    koe = "postgres" if deps().settings.delt_ko else "lokal"
    return {"status": "ok", "jobber": deps().jobs.in_progress, "jobbko": koe}


def lagringsfeil(settings: Settings) -> str | None:
    """Return why the instance cannot store what it makes, or None when it can.

    Checks the free space of the instance folder and of the file store, and that a small
    file can be written and flushed to disk (a quota or a read-only mount shows only there).
    """
    for mappe in (settings.instans, settings.filer_dir):
        try:
            ledig = shutil.disk_usage(_finnes(mappe)).free
        except OSError:
            return "lagringen kan ikke leses"
        if ledig < MIN_LEDIG:
            return f"lagringen er nesten full ({ledig // (1024 * 1024)} MB ledig)"
    try:
        with tempfile.TemporaryFile(dir=settings.instans, prefix=".helse-") as prove:
            prove.write(b"ok")
            prove.flush()
            os.fsync(prove.fileno())
    except OSError as exc:
        return f"instansmappen kan ikke skrives ({exc.strerror or type(exc).__name__})"
    return None


def _finnes(mappe: Path) -> Path:
    """Return the folder, or its nearest existing parent (the file store is made lazily)."""
    while not mappe.exists() and mappe.parent != mappe:
        mappe = mappe.parent
    return mappe
