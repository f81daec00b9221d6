"""The ``api`` blueprint and what its views share; the views register on it when
:mod:`dokgen.web.api` imports them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import UnsupportedMediaType

from dokgen.documents.models import parse_json
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.web import aktor, deps
from dokgen.web.admission import slot_released

bp = Blueprint("api", __name__)

JSON_TYPER = ("application/json", "")
XML_TYPER = ("application/xml", "text/xml")
# Endpoints that say nothing about any organisation and so need no token.
OPEN_ENDPOINTS = frozenset({"api.helse", "api.openapi"})


@bp.before_request
def _require_token() -> None:
    """Answer 401 before a view reads, parses or validates a body (or does anything else)."""
    if request.endpoint not in OPEN_ENDPOINTS:
        aktor()


def json_body() -> Any:
    """Return the parsed JSON body.

    Raises:
        InputUnreadableError: not JSON, not UTF-8, or a number or nesting beyond the limits.
    """
    return parse_json(request.get_data(cache=True))


def json_object() -> dict[str, Any]:
    """Return the JSON object the body holds.

    Raises:
        UnsupportedMediaType: the body is not ``application/json``.
        InputUnreadableError: not JSON (see :func:`json_body`).
        InputInvalidError: JSON, but not an object.
    """
    if request.mimetype not in JSON_TYPER:
        raise UnsupportedMediaType("send application/json")
    body = json_body()
    if not isinstance(body, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    return body


def record_id(value: str, what: str) -> int:
    """Return a record id from the path; text that is no id at all is as unknown as a missing
    record (and never reaches the database).

    Args:
        value: the path's segment.
        what: the record in bokmål with its article, for the message ("deltakeren").

    Raises:
        RecordNotFoundError: not a whole number of at most 15 digits.
    """
    if not (value.isascii() and value.isdigit() and len(value) < 16):
        raise RecordNotFoundError(f"fant ikke {what}")
    return int(value)


class QueryArgs:
    """The query string's parameters read as their types, every error collected so that
    :meth:`check` reports them at once (422, each on its parameter)."""

    TRUE, FALSE = frozenset({"1", "true", "ja"}), frozenset({"", "0", "false", "nei"})

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def text(self, name: str) -> str | None:
        """Return the parameter's text (None when it is missing or empty)."""
        return request.args.get(name) or None

    def integer(self, name: str) -> int | None:
        """Return the parameter as a whole number (None when it is missing)."""
        value = self.text(name)
        if value is None:
            return None
        if not (value.isascii() and value.isdigit() and len(value) < 16):
            self.errors.append(FieldError(name, "må være et helt tall"))
            return None
        return int(value)

    def required_integer(self, name: str) -> int:
        """Return the parameter as a whole number; a missing one is an error (and 0 is
        returned, which :meth:`check` keeps from being used)."""
        if self.text(name) is None:
            self.errors.append(FieldError(name, "må oppgis"))
        return self.integer(name) or 0

    def date(self, name: str) -> date | None:
        """Return the parameter as a date written YYYY-MM-DD (None when it is missing)."""
        value = self.text(name)
        if value is None:
            return None
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.errors.append(FieldError(name, "må være en dato skrevet ÅÅÅÅ-MM-DD"))
            return None

    def flag(self, name: str) -> bool:
        """Return the parameter as yes (1, true, ja) or no (missing, 0, false, nei)."""
        value = (request.args.get(name) or "").lower()
        if value not in self.TRUE | self.FALSE:
            self.errors.append(FieldError(name, "må være 1 (ja) eller 0 (nei)"))
        return value in self.TRUE

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        """Return the parameter when it is one of ``allowed`` (None when it is missing)."""
        value, known = self.text(name), list(allowed)
        if value is not None and value not in known:
            message = f"ukjent verdi «{value[:40]}»: bruk en av {', '.join(known)}"
            self.errors.append(FieldError(name, message))
            return None
        return value

    def check(self) -> None:
        """Raise the errors found so far.

        Raises:
            InputInvalidError: one or more parameters were wrong.
        """
        if self.errors:
            raise InputInvalidError(self.errors)


def vent(ferdig: Callable[[], bool]) -> bool:
    """Wait (``Prefer: wait=N``, RFC 7240, at most the configured limit) until ``ferdig()``.

    Returns:
        Whether the client asked to wait: only then has the record perhaps changed since the
        caller wrote it (without ``Prefer: wait`` nothing is read).
    """
    sekunder = 0.0
    for part in request.headers.get("Prefer", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "wait":
            try:
                sekunder = min(float(value), deps().settings.api_ventetid)
            except ValueError:
                sekunder = 0.0
    if sekunder <= 0:
        return False
    slutt = time.monotonic() + sekunder
    while not ferdig() and time.monotonic() < slutt:
        with slot_released():
            time.sleep(0.05)
    return True
