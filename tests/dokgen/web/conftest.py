"""Fixtures of the web tests: a real app over collaborators built by ``make_deps`` of
``tests/dokgen/conftest.py`` (a real SQLite file in a temporary instance, the session's
LibreOffice): ``make_app``, ``app``, ``deps`` (the app's), ``client``, ``auth``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.services import brukere
from dokgen.storage.db import Organisasjon
from dokgen.web.app import create_app


def over_upload_limit(
    make_app: Callable[..., Flask], kontrakt: Callable[[str], Any]
) -> tuple[Flask, str, dict[str, Any]]:
    """Return an app that takes 1 kB uploads, a veileder token of its organisation and a
    statusrapport larger than that."""
    app = make_app(maks_opplasting_mb=0.001)
    deps = app.extensions["dokgen"]
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel")
        token = brukere.lag_token(s, org, "veileder", "t")
    body = kontrakt("statusrapport")
    body["gjennomforte_aktiviteter"] = "Lang tekst. " * 300
    return app, token, body


@pytest.fixture
def make_app(make_deps: Callable[..., Deps]) -> Callable[..., Flask]:
    """Return a factory of apps on a fresh instance folder; settings can be overridden and
    ``with_converter`` replaces the shared LibreOffice (the arguments of ``make_deps``)."""

    def make(**overrides: Any) -> Flask:
        return create_app(deps=make_deps(**overrides), resume=False)

    return make


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Return the app on a fresh instance (a module may build its own with other settings)."""
    return make_app()


@pytest.fixture
def deps(app: Flask) -> Deps:
    """Return the app's collaborators, so that ``org``, ``bruker`` and ``auth`` act on the
    app the test uses (the service tests' ``deps`` needs no app)."""
    result: Deps = app.extensions["dokgen"]
    return result


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client (it sends the Secure session cookie over its plain-http requests)."""
    return app.test_client()


@pytest.fixture
def auth(deps: Deps, org: Organisasjon) -> Callable[..., dict[str, str]]:
    """Return ``auth(rolle, org=None)`` → headers with a new bearer token."""

    def make(rolle: str, for_org: Organisasjon | None = None) -> dict[str, str]:
        with deps.sessions.begin() as s:
            token = brukere.lag_token(s, for_org or org, rolle, f"test-{rolle}")
        return {"Authorization": f"Bearer {token}"}

    return make
