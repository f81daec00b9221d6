"""The JSON API under ``/api/v1``: bearer tokens only (so no CSRF), problem+json errors."""

from __future__ import annotations

from dokgen.web.api import (  # noqa: F401 - their views register on bp
    admin,
    deltakere,
    deltakerimport,
    dokumenter,
    fakturaer,
    frister,
    gjennomforinger,
    helse,
    krav,
    manedsavslutning,
    openapi,
    plasseringer,
    praksisplasser,
    resultatrapport,
    timer,
    tokener,
    utkast,
)
from dokgen.web.api.blueprint import bp

__all__ = ["bp"]
