"""The årsrapport started for a gjennomføring and year: its figures from the register (plasser
with deltakere and årsverk, results by code) with where they came from, the year of the open
frist, the roles that see them; and a finalised samarbeidsavtale setting the gjennomføring's
sluttrapport days."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import eksempel, parse_dokument
from dokgen.errors import RecordNotFoundError
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import dokumenter, frister, gjennomforinger
from dokgen.services.frister import Fristutvalg
from dokgen.services.utkast import mangler, utkast_for_gjennomforing
from dokgen.storage.db import Organisasjon, Revisjon
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.register import kontrakt
from tests.dokgen.services import arstall_hjelp as hjelp
from tests.dokgen.services.maned_hjelp import lag_deltaker


def test_the_arsrapport_is_filled_with_the_years_figures_and_says_where_they_came_from(
    deps: Deps, org: Organisasjon, veileder: Aktor
) -> None:
    gid = hjelp.seed(deps, org.id)
    fylt = utkast_for_gjennomforing(deps, veileder, gid, "arsrapport", ar=hjelp.AR)
    data = fylt.data
    assert data["rapportar"] == 2026
    assert data["mottaker"] == "NAV Alna"
    assert data["tiltak"]["navn"] == "AMB Kvalifisering"
    assert data["tiltak"]["arrangor"] == {"navn": org.navn, "orgnr": org.orgnr}
    assert data["plasser"] == [
        {"program": "kvalifisering", "antall_deltakere": hjelp.ANTALL, "arsverk": hjelp.ARSVERK}
    ]
    assert data["resultater"] == hjelp.RESULTATER
    assert "arsverk_per_avdeling" not in data
    assert fylt.kilder == [
        "Plasser: beregnet fra deltakerregisteret 01.01.–31.12.2026: 5 deltakere i tiltaket "
        "minst én dag i året, 1,86 årsverk (dager i tiltaket i året delt på dagene i året, "
        "ganget med deltakelsesprosenten). 1 av dem uten deltakelsesprosent i registeret er "
        "regnet som 100 %. Godkjente plasser skriver du selv.",
        "Resultater: talt fra 2 ferdige sluttrapporter fra Kvalifisering med sluttdato i "
        "2026, etter resultatet i hver.",
        "Årsverk per avdeling: deltakerregisteret vet ikke hvilken avdeling en deltaker er i, "
        "så dette skriver du selv.",
    ]
    igjen = mangler("arsrapport", data)
    assert "plasser.0.godkjente_plasser" in igjen
    assert "arsverk_per_avdeling.0.avdeling" in igjen
    assert not any(s.startswith(("resultater", "rapportar", "tiltak")) for s in igjen)
    # Another year: the same register, other figures.
    tidligere = utkast_for_gjennomforing(deps, veileder, gid, "arsrapport", ar=2025).data
    assert tidligere["plasser"][0]["antall_deltakere"] == 2  # B and D
    assert tidligere["resultater"] == [{"resultat": "skole_utdanning", "antall": 1}]


def test_the_year_is_that_of_the_open_frist_and_the_figures_are_editable_input(
    deps: Deps, org: Organisasjon, veileder: Aktor
) -> None:
    gid = hjelp.seed(deps, org.id, startdato=date(2026, 1, 1))
    om_varen = replace(deps, clock=lambda: datetime(2027, 3, 1, 9, tzinfo=UTC))
    data = utkast_for_gjennomforing(om_varen, veileder, gid, "arsrapport").data
    assert data["rapportar"] == 2026
    assert data["plasser"][0]["arsverk"] == hjelp.ARSVERK
    # The figures are the form's own fields: the person's numbers replace them.
    komplett = som_arrangor(eksempel("arsrapport"), org) | {"rapportar": 2026}
    dok = parse_dokument(komplett | {"resultater": data["resultater"]}, tillat_syntetiske=True)
    assert [r.antall for r in dok.resultater] == [1, 1]  # type: ignore[attr-defined]


def test_a_tiltakstype_without_a_programme_and_another_organisations_gjennomforing(
    deps: Deps, org: Organisasjon, veileder: Aktor, annen_org: Organisasjon
) -> None:
    gid = hjelp.seed(deps, org.id, tiltakstype="Arbeidsmarkedsbedrift")
    fylt = utkast_for_gjennomforing(deps, veileder, gid, "arsrapport", ar=2026)
    assert "plasser" not in fylt.data
    assert fylt.data["resultater"] == hjelp.RESULTATER
    assert fylt.kilder[0] == (
        "Plasser og årsverk er ikke fylt ut: tiltakstypen «Arbeidsmarkedsbedrift» sier ikke "
        "om det er Kvalifisering eller Tilrettelagt arbeid."
    )
    annen = hjelp.seed(deps, annen_org.id)
    with pytest.raises(RecordNotFoundError):
        utkast_for_gjennomforing(deps, veileder, annen, "arsrapport", ar=2026)
    with deps.sessions() as s:
        linjer = s.scalars(
            select(Revisjon).where(Revisjon.handling == "utkast", Revisjon.objekt_id == str(gid))
        ).all()
    assert {r.objekt_type for r in linjer} == {"gjennomforing"}


def test_other_types_of_the_gjennomforing_get_its_tiltak(
    deps: Deps, org: Organisasjon, veileder: Aktor
) -> None:
    gid = hjelp.seed(deps, org.id)
    for type_navn in ("samarbeidsavtale", "motereferat"):
        data = utkast_for_gjennomforing(deps, veileder, gid, type_navn).data
        assert data["tiltak"]["navn"] == "AMB Kvalifisering", type_navn
        assert data["type"] == type_navn
    # The tilbudsmelding has no tiltak: the bedrift is the caller's organisation.
    data = utkast_for_gjennomforing(deps, veileder, gid, "tilbudsmelding").data
    assert data == {"type": "tilbudsmelding", "bedrift": {"navn": org.navn, "orgnr": org.orgnr}}


def test_a_finalised_samarbeidsavtale_sets_the_sluttrapport_frist(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor
) -> None:
    inn = kontrakt("gjennomforing.json") | {"regelsett": "amb", "navn": "AMB Kvalifisering"}
    gid = int(gjennomforinger.opprett(deps, admin, les(GjennomforingInn, inn))["id"])
    deltaker = lag_deltaker(
        deps, org.id, gid, "A-1", oppstart=date(2026, 2, 2), slutt=date(2026, 9, 30),
        status="HAR_SLUTTET",
    )  # fmt: skip
    utvalg = Fristutvalg(deltaker_id=deltaker, type="sluttrapport_kvalifisering")
    assert [f["frist"] for f in frister.liste(deps, admin, utvalg)] == ["2026-10-14"]

    avtale = som_arrangor(eksempel("samarbeidsavtale"), org) | {"sluttrapport_frist_dager": 30}
    dok = dokumenter.opprett(
        deps, veileder, parse_dokument(avtale, tillat_syntetiske=True), gjennomforing_id=gid
    )
    assert dok.gjennomforing_id == gid
    deps.jobs.wait_idle(timeout=120)
    dokumenter.godkjenn(deps, veileder, dok.id, dokumenter.Godkjenningsdata(part="arrangor"))
    # Not finalised yet: NAV lokal has not approved.
    assert gjennomforinger.hent(deps, admin, gid)["sluttrapport_dager"] is None
    nav = dokumenter.Godkjenningsdata(
        part="nav_lokal", navn="Lise Berg", begrunnelse="godkjent i møte 12.03.2026"
    )
    dokumenter.godkjenn(deps, veileder, dok.id, nav)
    deps.jobs.wait_idle(timeout=120)
    assert dokumenter.hent(deps, admin, dok.id).ferdig is not None
    assert gjennomforinger.hent(deps, admin, gid)["sluttrapport_dager"] == 30
    assert [f["frist"] for f in frister.liste(deps, admin, utvalg)] == ["2026-10-30"]
    with deps.sessions() as s:
        linje = s.scalars(
            select(Revisjon).where(
                Revisjon.objekt_type == "gjennomforing", Revisjon.detalj.like("%samarbeidsavtale%")
            )
        ).one()
    assert linje.handling == "endre"
    assert linje.objekt_id == str(gid)
    assert linje.aktor == "dokgen (system)"
    assert linje.detalj == f"sluttrapportfrist standard -> 30 dager fra samarbeidsavtale {dok.id}"
