"""Domain errors to HTTP, as :data:`dokgen.errors.ERROR_TABLE` says: ``application/problem+json``
(RFC 9457) on the API, an error page on the HTML side. A 500 logs the traceback and tells the
user nothing more."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from dokgen.errors import DokgenError, classify
from dokgen.storage.store import LAGRING_FULL
from ehf.errors import EhfError
from ehf.identifiers import mask_person_idents

log = logging.getLogger(__name__)

HTTP_TITLER = {
    400: "Ugyldig forespørsel",
    401: "Ikke innlogget",
    403: "Ingen tilgang",
    404: "Finnes ikke",
    405: "Metoden er ikke tillatt",
    406: "Formatet kan ikke leveres",
    409: "Ikke mulig nå",
    413: "For stor fil",
    415: "Ukjent innholdstype",
    422: "Ugyldige data",
    500: "Intern feil",
    503: "Tjenesten er utilgjengelig",
}


def _errors(exc: Exception) -> list[dict[str, str]]:
    items = getattr(exc, "errors", None)
    if items:
        return [{"path": e.path, "message": e.message} for e in items]
    reasons = getattr(exc, "reasons", None)
    if reasons:
        return [{"path": "", "message": r} for r in reasons]
    return []


def problem(
    status: int, title: str, detail: str | None = None, errors: list[dict[str, str]] | None = None
) -> Response:
    """Return an RFC 9457 problem response (the API's only error shape)."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    # The path can carry a fødselsnummer typed where an id belongs (/dokumenter/<fnr>).
    body["instance"] = mask_person_idents(request.path)
    body["request_id"] = g.get("request_id")
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="dokgen"'
    return response


def _respond(status: int, title: str, detail: str | None, errors: list[dict[str, str]]) -> Any:
    # The last guard: no answer repeats a fødselsnummer from the input, whatever raised.
    detail = mask_person_idents(detail) if detail else detail
    errors = [{k: mask_person_idents(v) for k, v in e.items()} for e in errors]
    if request.path.startswith("/api/"):
        return problem(status, title, detail, errors)
    return render_template(
        "feil.html", status=status, tittel=title, detalj=detail, feil=errors
    ), status


def _domain(exc: Exception) -> Any:
    kind = classify(exc)  # the one table, shared with the CLI (dokgen.errors.ERROR_TABLE)
    if kind is None:
        return _internal(exc)
    if kind.status >= 500:
        log.error("%s: %s", kind.title, type(exc).__name__)
    detail = None if kind.status == 500 else str(exc)
    return _respond(kind.status, kind.title, detail, _errors(exc))


def _http(exc: HTTPException) -> Any:
    status = exc.code or 500
    title = HTTP_TITLER.get(status, exc.name)
    detail = exc.description if status != 500 else None
    if status == 400 and getattr(exc, "description", "").startswith("The CSRF"):
        detail = "Skjemaet er utløpt eller mangler sikkerhetsnøkkel. Last siden på nytt."
    elif status in HTTP_TITLER and status not in (400, 503):
        detail = None
    return _respond(status, title, detail, [])


def _internal(exc: Exception) -> Any:
    if _lagring_full(exc):
        return _full(exc)
    # The frames without the message: a message can carry document content or a fødselsnummer.
    log.error(
        "intern feil (%s) i forespørsel %s\n%s",
        type(exc).__name__,
        g.get("request_id"),
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return _respond(500, "Intern feil", "Noe gikk galt hos oss. Ingenting ble lagret.", [])


# SQLite's SQLITE_FULL (a write needed a page the disk did not have); PostgreSQL's disk_full.
_SQLITE_FULL, _PG_DISK_FULL = 13, "53100"
LAGRING_FULL_SEKUNDER = 60  # Retry-After when the storage is full: someone must make room


def _lagring_full(exc: BaseException) -> bool:
    """Whether a write failed because the disk (or the database's) is full."""
    for e in (exc, getattr(exc, "orig", None), exc.__cause__):
        if isinstance(e, OSError) and e.errno in LAGRING_FULL:
            return True
        if getattr(e, "sqlite_errorcode", None) == _SQLITE_FULL:
            return True
        if getattr(e, "sqlstate", None) == _PG_DISK_FULL or getattr(e, "pgcode", None) == (
            _PG_DISK_FULL
        ):
            return True
    return False


def _full(exc: Exception) -> Any:
    """Answer 503 with Retry-After: the write may succeed once there is room again."""
    log.error("lagringen er full (%s) i forespørsel %s", type(exc).__name__, g.get("request_id"))
    detail = "Tjenesten kan ikke lagre noe nå fordi lagringen er full. Ingenting ble lagret."
    svar = _respond(503, "Lagringen er full", detail, [])
    if isinstance(svar, Response):
        svar.headers["Retry-After"] = str(LAGRING_FULL_SEKUNDER)
        return svar
    return (*svar, {"Retry-After": str(LAGRING_FULL_SEKUNDER)})


def register(app: Flask) -> None:
    """Install the handlers on the app."""
    app.register_error_handler(DokgenError, _domain)
    app.register_error_handler(EhfError, _domain)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _internal)
