"""Logging for the service: a request id on every line, an access log, and a last guard that
masks anything shaped like a fødselsnummer (the primary guard is never logging content)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import g, has_request_context

from ehf.identifiers import mask_person_idents

# The process id tells apart the lines of the web processes of one service.
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s [%(request_id)s] %(message)s"

access_log = logging.getLogger("dokgen.tilgang")


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class FnrMaskFilter(logging.Filter):
    """Replace anything shaped like a fødselsnummer in the message by asterisks: 11 digits,
    6 + 5 with a separator, a longer run, in any script (the same mask as the errors')."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_person_idents(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure(level: str = "INFO") -> None:
    """Log to stderr with the request id and both filters on the root handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(FnrMaskFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("fontTools", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# A calendar feed's address is its secret (calendar programs cannot log in): never logged.
_KALENDER = re.compile(r"^/kalender/[^/]+\.ics$")


def _uten_hemmelighet(path: str) -> str:
    """Return the path as the access log writes it (a calendar token left out)."""
    return "/kalender/….ics" if _KALENDER.match(path) else path


class AccessLog:
    """WSGI middleware: one line per request — method, path (no query), status, ms, request id."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        seen: dict[str, Any] = {}

        def recording_start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            seen["rid"] = next((v for k, v in headers if k.lower() == "x-request-id"), "-")
            return start_response(status, headers, *rest)

        body: Iterable[bytes] = self.app(environ, recording_start)
        ms = (time.perf_counter() - started) * 1000
        access_log.info(
            "%s %s %s %.0f ms",
            environ.get("REQUEST_METHOD"),
            _uten_hemmelighet(environ.get("PATH_INFO") or ""),
            seen.get("status", "-"),
            ms,
            extra={"request_id": seen.get("rid", "-")},
        )
        return body
