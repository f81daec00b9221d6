"""Fixtures of the service tests: a real app on a real SQLite file in a temporary instance,
with a real LibreOffice shared by the whole session (``app``, ``client``, ``org``,
``auth``, ``bruker``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.convert import Converter
from dokgen.services import brukere
from dokgen.settings import Settings
from dokgen.storage.db import Organisasjon
from dokgen.web.app import create_app
from tests.conftest import KONTRAKT, PEPPOL, require_command

PASSORD = "riktig-hest-batteri-99"
ORGNR = "998877660"
ANNET_ORGNR = "974760673"


def org_innstillinger() -> dict[str, Any]:
    """Return the invoice settings of the test organisation, from the contract example."""
    grunnlag = json.loads((KONTRAKT / "fakturagrunnlag.json").read_text(encoding="utf-8"))
    keys = ("selger", "kjoper", "regelsett", "timepris", "valuta", "mva", "deres_referanse")
    return {k: grunnlag[k] for k in keys}


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


@pytest.fixture(scope="session")
def converter() -> Iterator[Converter]:
    """One LibreOffice for the whole service test session."""
    require_command("soffice")
    with Converter(timeout=120) as conv:
        yield conv


@pytest.fixture
def database_url() -> str | None:
    """The apps' database URL: None is SQLite in the instance folder (the PostgreSQL tests
    override this fixture)."""
    return None


@pytest.fixture
def make_app(
    tmp_path: Path, converter: Converter, database_url: str | None
) -> Iterator[Callable[..., Flask]]:
    """Return a factory of apps on a fresh instance folder; settings can be overridden and
    ``with_converter`` replaces the shared LibreOffice."""
    made: list[Deps] = []

    def make(*, with_converter: Converter | None = None, **overrides: Any) -> Flask:
        values: dict[str, Any] = {
            "instans": tmp_path / f"instans{len(made)}",
            "database_url": database_url,
            "referanse_peppol": PEPPOL,
            "arbeidere": 2,
            "api_ventetid": 120.0,
            "hemmelig_nokkel": "test-nokkel",
            "jobbmodus": "traad",  # jobs share the session's LibreOffice
        }
        values.update(overrides)
        app = create_app(Settings(**values), converter=with_converter or converter)
        made.append(app.extensions["dokgen"])
        return app

    yield make
    for deps in made:
        deps.jobs.wait_idle(timeout=120)
        deps.jobs.close()
        deps.sessions.kw["bind"].dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Return the app on a fresh instance."""
    return make_app()


@pytest.fixture
def deps(app: Flask) -> Deps:
    """Return the app's collaborators (database sessions, file store, jobs)."""
    result: Deps = app.extensions["dokgen"]
    return result


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client (it sends the Secure session cookie over its plain-http requests)."""
    return app.test_client()


def _org(deps: Deps, orgnr: str, navn: str) -> Organisasjon:
    innstillinger = org_innstillinger()
    # Each organisation's saved seller is itself (the contract's address, VAT and account).
    innstillinger["selger"] |= {"orgnr": orgnr, "navn": navn}
    with deps.sessions.begin() as s:
        return brukere.opprett_org(s, orgnr, navn, innstillinger)


def som_arrangor(data: dict[str, Any], org: Organisasjon) -> dict[str, Any]:
    """Return contract document data with ``org`` as its arrangør (the register's values)."""
    arrangor = {"navn": org.navn, "orgnr": org.orgnr}
    if data["type"] == "endringsavtale":
        return data | {"leverandor": arrangor}
    return data | {"tiltak": data["tiltak"] | {"arrangor": arrangor}}


@pytest.fixture
def org(deps: Deps) -> Organisasjon:
    """Return the test organisation (the contract's seller)."""
    return _org(deps, ORGNR, "Eksempel Arbeidsinkludering AS")


@pytest.fixture
def annen_org(deps: Deps) -> Organisasjon:
    """Return a second organisation whose records the first must never see."""
    return _org(deps, ANNET_ORGNR, "Annen Arrangør AS")


@pytest.fixture
def auth(deps: Deps, org: Organisasjon) -> Callable[..., dict[str, str]]:
    """Return ``auth(rolle, org=None)`` → headers with a new bearer token."""

    def make(rolle: str, for_org: Organisasjon | None = None) -> dict[str, str]:
        with deps.sessions.begin() as s:
            token = brukere.lag_token(s, for_org or org, rolle, f"test-{rolle}")
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def bruker(deps: Deps, org: Organisasjon) -> Callable[..., str]:
    """Return ``bruker(rolle, org=None)`` → the user name of a new user (password PASSORD)."""
    count = [0]

    def make(rolle: str, for_org: Organisasjon | None = None) -> str:
        count[0] += 1
        name = f"{rolle}{count[0]}"
        with deps.sessions.begin() as s:
            target = s.get(Organisasjon, (for_org or org).id)
            assert target is not None
            brukere.opprett_bruker(s, target, name, f"Test {rolle.title()}", rolle, PASSORD)
        return name

    return make


@pytest.fixture
def seals(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Return the version ids the seal job runs for, one entry per run, as the test goes."""
    from dokgen.services import dokumenter

    runs: list[int] = []
    real = dokumenter.forsegl

    def counted(d: Deps, versjon_id: int) -> None:
        runs.append(versjon_id)
        real(d, versjon_id)

    monkeypatch.setattr(dokumenter, "forsegl", counted)
    return runs
