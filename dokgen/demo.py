"""Demo data for a new instance: an organisation, one user per role, documents and invoices in
every state — all made through the service functions, so files, jobs and audit are real."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from dokgen.cli.demo import demo_data
from dokgen.db import Organisasjon
from dokgen.errors import SettingsInvalidError
from dokgen.models import parse_dokument
from dokgen.services import ROLLER, Aktor, Deps, brukere
from dokgen.services import dokumenter as dok_service
from dokgen.settings import Miljo

ORGNR = "998877660"
ORGNAVN = "Eksempel Arbeidsinkludering AS"
PASSORD = {rolle: f"demo-{rolle}-passord" for rolle in ROLLER}
NAVN = {
    "veileder": "Åse Ødegård",
    "regnskap": "Rune Regnskap",
    "leser": "Lena Leser",
    "admin": "Arne Admin",
}


def innstillinger() -> dict[str, Any]:
    """Return the demo organisation's invoice settings (from the demo fakturagrunnlag)."""
    grunnlag = json.loads(demo_data("fakturagrunnlag.json"))
    keys = ("selger", "kjoper", "regelsett", "timepris", "valuta", "mva", "deres_referanse")
    return {k: grunnlag[k] for k in keys}


def seed(deps: Deps, *, echo: Callable[[str], Any] = print) -> None:
    """Fill an empty instance with demo data and print the demo users' credentials.

    Raises:
        SettingsInvalidError: the instance runs in production.
    """
    if deps.settings.miljo is Miljo.PRODUKSJON:
        raise SettingsInvalidError("demodata lages ikke i produksjon")
    with deps.sessions.begin() as session:
        exists = session.scalar(select(Organisasjon.id).where(Organisasjon.orgnr == ORGNR))
        if exists is None:
            org = brukere.opprett_org(session, ORGNR, ORGNAVN, innstillinger())
            for rolle in ROLLER:
                brukere.opprett_bruker(session, org, rolle, NAVN[rolle], rolle, PASSORD[rolle])
        org_id = exists or org.id
    if exists is None:
        _documents(deps, Aktor(org_id, NAVN["veileder"], "veileder", "demo", None))
        _invoices(deps, Aktor(org_id, NAVN["regnskap"], "regnskap", "demo", None))
    echo(f"Demo: {ORGNAVN} (orgnr {ORGNR}). Brukere (brukernavn / passord):")
    for rolle in ROLLER:
        echo(f"  {rolle:<9} / {PASSORD[rolle]}")


def _create(deps: Deps, aktor: Aktor, type_navn: str) -> str:
    data = json.loads(demo_data(f"{type_navn}.json"))
    dok = parse_dokument(data, tillat_syntetiske=True)
    return dok_service.opprett(deps, aktor, dok).id


def _documents(deps: Deps, aktor: Aktor) -> None:
    """A sealed statusrapport, a partly approved agreement and drafts of the rest."""
    ids = {
        t: _create(deps, aktor, t)
        for t in (
            "statusrapport",
            "arbeidspraksisavtale",
            "sluttrapport",
            "evalueringsrapport",
            "endringsavtale",
        )
    }
    deps.jobs.wait_idle()
    dok_service.godkjenn(
        deps, aktor, ids["statusrapport"], dok_service.Godkjenningsdata(part="arrangor")
    )
    dok_service.godkjenn(
        deps,
        aktor,
        ids["arbeidspraksisavtale"],
        dok_service.Godkjenningsdata(part="arbeidsgiver", navn="Lise Berg"),
    )
    deps.jobs.wait_idle()


def _invoices(deps: Deps, aktor: Aktor) -> None:
    """Invoices in each state (filled in when the invoice service lands)."""
    del deps, aktor
