"""The HTML pages in bokmål (server-rendered, CSRF on every form).

Every page but the login page needs a logged-in user; the roles' rights are checked by the
service functions (403), and another organisation's records answer 404.
"""

from __future__ import annotations

from dokgen.web.sider import (  # noqa: F401 - their views register on bp
    admin,
    deltakere,
    deltakerimport,
    dokumenter,
    fakturaer,
    frister,
    gjennomforinger,
    godkjenning,
    innlogging,
    krav,
    manedsavslutning,
    plasseringer,
    praksis,
    resultatrapport,
    timer,
)
from dokgen.web.sider.blueprint import bp

__all__ = ["bp"]
