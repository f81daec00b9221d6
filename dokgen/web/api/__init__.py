"""The JSON API under ``/api/v1``: bearer tokens only (so no CSRF), problem+json errors."""

from __future__ import annotations

from dokgen.web.api import admin, dokumenter, fakturaer, helse, openapi, tokener  # noqa: F401 - their views register on bp
from dokgen.web.api.blueprint import bp

__all__ = ["bp"]
