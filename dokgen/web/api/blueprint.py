"""The ``api`` blueprint and what its views share; the views register on it when
:mod:`dokgen.web.api` imports them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, request

from dokgen.documents.models import parse_json
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
