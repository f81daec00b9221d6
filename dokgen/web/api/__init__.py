"""The JSON API under ``/api/v1``: bearer tokens only (so no CSRF), problem+json errors."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, request

from dokgen.errors import InputUnreadableError
from dokgen.web import deps
from dokgen.web.samtidighet import plassen_ledig

bp = Blueprint("api", __name__)

JSON_TYPER = ("application/json", "")
XML_TYPER = ("application/xml", "text/xml")


def json_body() -> Any:
    """Return the parsed JSON body.

    Raises:
        InputUnreadableError: not JSON (or not UTF-8).
    """
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputUnreadableError(f"ikke gyldig JSON: {exc}") from None


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
        with plassen_ledig():
            time.sleep(0.05)
    return True


from dokgen.web.api import admin, dokumenter, fakturaer, helse, openapi, tokener  # noqa: E402, F401
