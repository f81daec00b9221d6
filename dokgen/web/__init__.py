"""The Flask layer: pages (``sider``) and the JSON API (``api``), thin over the services."""

from __future__ import annotations

from flask import current_app, g

from dokgen.access import Aktor
from dokgen.deps import Deps
from dokgen.errors import NotAuthenticatedError


def deps() -> Deps:
    """Return the app's collaborators."""
    result: Deps = current_app.extensions["dokgen"]
    return result


def aktor() -> Aktor:
    """Return who is asking (set by :mod:`dokgen.web.auth`).

    Raises:
        NotAuthenticatedError: nobody is logged in and no valid token was given.
    """
    who: Aktor | None = g.get("aktor")
    if who is None:
        raise NotAuthenticatedError("logg inn eller oppgi et API-token")
    return who
