"""Fixtures of the service tests, without a Flask app: collaborators built by
:func:`dokgen.bootstrap.make_deps` on a real SQLite file in a temporary instance, with the
session's LibreOffice (``make_deps``, ``deps``, ``org``, ``annen_org``, ``bruker``,
``seals``). The web tests build their apps on these ``Deps``; the PostgreSQL tests
override ``database_url``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dokgen import bootstrap
from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.pdf.convert import Converter
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import brukere, gjennomforinger
from dokgen.settings import Settings
from dokgen.storage.db import Organisasjon
from tests.conftest import KONTRAKT, PEPPOL
from tests.dokgen.register import aktor_for, kontrakt

PASSORD = "riktig-hest-batteri-99"
ORGNR = "998877660"
ANNET_ORGNR = "974760673"


def org_innstillinger() -> dict[str, Any]:
    """Return the invoice settings of the test organisation, from the contract example."""
    grunnlag = json.loads((KONTRAKT / "fakturagrunnlag.json").read_text(encoding="utf-8"))
    keys = ("selger", "kjoper", "regelsett", "timepris", "valuta", "mva", "deres_referanse")
    return {k: grunnlag[k] for k in keys}


def som_arrangor(data: dict[str, Any], org: Organisasjon) -> dict[str, Any]:
    """Return contract document data with ``org`` as its arrangør (the register's values)."""
    arrangor = {"navn": org.navn, "orgnr": org.orgnr}
    if data["type"] == "endringsavtale":
        return data | {"leverandor": arrangor}
    return data | {"tiltak": data["tiltak"] | {"arrangor": arrangor}}


@pytest.fixture
def database_url() -> str | None:
    """The database URL of the collaborators: None is SQLite in the instance folder (the
    PostgreSQL tests override this fixture)."""
    return None


@pytest.fixture
def make_deps(
    tmp_path: Path, converter: Converter, database_url: str | None
) -> Iterator[Callable[..., Deps]]:
    """Return a factory of collaborators on a fresh instance folder, with the work a stop
    interrupted queued again (as the process owning the job pool does); settings can be
    overridden and ``with_converter`` replaces the shared LibreOffice."""
    made: list[Deps] = []

    def make(*, with_converter: Converter | None = None, **overrides: Any) -> Deps:
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
        deps = bootstrap.make_deps(Settings(**values), with_converter or converter)
        made.append(deps)
        bootstrap.resume(deps)
        return deps

    yield make
    for deps in made:
        deps.jobs.wait_idle(timeout=120)
        deps.jobs.close()
        deps.sessions.kw["bind"].dispose()


@pytest.fixture
def deps(make_deps: Callable[..., Deps]) -> Deps:
    """Return the collaborators (database sessions, file store, jobs) on a fresh instance."""
    return make_deps()


def _org(deps: Deps, orgnr: str, navn: str) -> Organisasjon:
    innstillinger = org_innstillinger()
    # Each organisation's saved seller is itself (the contract's address, VAT and account).
    innstillinger["selger"] |= {"orgnr": orgnr, "navn": navn}
    with deps.sessions.begin() as s:
        return brukere.opprett_org(s, orgnr, navn, innstillinger)


@pytest.fixture
def org(deps: Deps) -> Organisasjon:
    """Return the test organisation (the contract's seller)."""
    return _org(deps, ORGNR, "Eksempel Arbeidsinkludering AS")


@pytest.fixture
def annen_org(deps: Deps) -> Organisasjon:
    """Return a second organisation whose records the first must never see."""
    return _org(deps, ANNET_ORGNR, "Annen Arrangør AS")


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


@pytest.fixture
def admin(deps: Deps, org: Organisasjon, bruker: Callable[..., str]) -> Aktor:
    """Return the caller of a new admin of the test organisation."""
    return aktor_for(deps, org, bruker("admin"))


@pytest.fixture
def veileder(deps: Deps, org: Organisasjon, bruker: Callable[..., str]) -> Aktor:
    """Return the caller of a new veileder of the test organisation."""
    return aktor_for(deps, org, bruker("veileder"))


@pytest.fixture
def gjennomforing_id(deps: Deps, admin: Aktor) -> int:
    """Return the id of the contract's gjennomføring in the test organisation."""
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json"))
    return int(gjennomforinger.opprett(deps, admin, inn)["id"])
