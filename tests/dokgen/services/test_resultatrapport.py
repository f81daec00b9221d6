"""The resultatrapport from the register with the real engines: the seeded month's numbers in
the JSON, cell by cell in the spreadsheet and in the sealed PDF's text, no person in any of
them, and the month's frist met by the first export of a month that has ended."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.resultatrapport import FORMAL
from dokgen.errors import AccessDeniedError, InputInvalidError, RecordNotFoundError
from dokgen.services import frister, resultatrapport
from dokgen.services.frister import Fristutvalg
from dokgen.storage.db import Deltaker, Organisasjon, Resultatrapport
from tests import pdfinfo
from tests.dokgen.services.maned_hjelp import IDAG, med_dag
from tests.dokgen.services.resultat_hjelp import (
    AKTIVE,
    AVSLUTTET,
    ETTER_STATUS,
    MANED,
    STARTET,
    seed,
)


def _fnr_og_navn(deps: Deps, gid: int) -> list[str]:
    with deps.sessions() as s:
        rader = s.execute(
            select(Deltaker.fodselsnummer, Deltaker.etternavn).where(
                Deltaker.gjennomforing_id == gid
            )
        ).all()
    return [v for rad in rader for v in rad]


def test_the_seeded_month_in_numbers_with_the_mapping(
    deps: Deps, org: Organisasjon, admin: Aktor
) -> None:
    gid = seed(deps, org.id)
    r = resultatrapport.beregn(med_dag(deps), admin, gid, MANED)
    assert (r["aktive"], r["startet"], r["avsluttet"]) == (AKTIVE, STARTET, AVSLUTTET)
    assert [(s["tekst"], s["antall"]) for s in r["avsluttet_etter_status"]] == ETTER_STATUS
    assert {"status": "Delvis arbeid", "kategori": "Arbeid"} in r["kartlegging"]["rader"]
    assert "Status ved avslutning" in r["kartlegging"]["kilde"]
    assert (r["frist"], r["levert"]) == ("2026-11-10", None)
    assert r["gjennomforing"]["regelsett_tekst"].startswith("Jobbmestrende oppfølging")
    assert not any(v in str(r) for v in _fnr_og_navn(deps, gid))


def test_the_spreadsheet_cell_by_cell(deps: Deps, org: Organisasjon, admin: Aktor) -> None:
    gid = seed(deps, org.id)
    eksport = resultatrapport.eksporter(med_dag(deps), admin, gid, MANED, "xlsx")
    assert eksport.filnavn == f"resultatrapport-{gid}-{MANED}.xlsx"
    assert eksport.mediatype.endswith("spreadsheetml.sheet")
    bok = load_workbook(io.BytesIO(eksport.innhold))
    assert bok.sheetnames == ["Resultatrapport", "Kartlegging"]
    ark = bok["Resultatrapport"]
    assert ark.max_row == 2
    hoder = [c.value for c in ark[1]]
    verdier = [c.value for c in ark[2]]
    status = "Avsluttet – status på arbeidsmarkedet ved avslutning av tiltaket: "
    assert hoder == [
        "Måned",
        "Gjennomføring",
        "Tiltaksnummer",
        "Antall aktive deltakere i tiltaket",
        "Antall deltakere som startet i måneden",
        "Antall avsluttede deltakere i tiltaket",
        *[status + tekst for tekst, _ in ETTER_STATUS],
    ]
    assert verdier == [
        MANED,
        "Jobbmestrende oppfølging Oslo 2026",
        "2026/104512",
        AKTIVE,
        STARTET,
        AVSLUTTET,
        *[antall for _, antall in ETTER_STATUS],
    ]
    assert all(isinstance(v, int) for v in verdier[3:])  # numbers, not text
    assert ark["D2"].data_type == "n"
    kart = [[c.value for c in rad] for rad in bok["Kartlegging"].iter_rows()]
    assert kart[0] == ["Status i sluttrapporten", "Teller som"]
    assert kart[1:7] == [
        ["Arbeid", "Arbeid"],
        ["Delvis arbeid", "Arbeid"],
        ["Utdanning", "Utdanning"],
        ["Annet tiltak", "Annet tiltak"],
        ["Ikke i arbeid", "Ikke i arbeid"],
        ["Avbrutt", "Avbrutt"],
    ]
    innhold = "\n".join(str(c.value) for ws in bok for rad in ws.iter_rows() for c in rad)
    assert not any(v in innhold for v in _fnr_og_navn(deps, gid))


@pytest.mark.integration
def test_the_sealed_pdf_holds_the_numbers_and_the_mapping(
    deps: Deps, org: Organisasjon, admin: Aktor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gid = seed(deps, org.id)
    eksport = resultatrapport.eksporter(med_dag(deps), admin, gid, MANED, "pdf")
    pdf = eksport.innhold
    assert eksport.filnavn == f"resultatrapport-{gid}-{MANED}.pdf"
    flat = re.sub(r"\s+", " ", pdfinfo.text(pdf, layout=False))
    rader = pdfinfo.text(pdf)
    assert "Resultatrapport" in flat
    assert FORMAL in flat
    assert "Eksempel Arbeidsinkludering AS" in flat
    assert "oktober 2026 (01.10.2026–31.10.2026)" in flat
    assert re.search(r"Frist:\n.*31\.10\.2026\) +10\.11\.2026\n", rader)
    for etikett, antall in (
        ("Antall aktive deltakere i tiltaket", AKTIVE),
        ("Antall deltakere som startet i måneden", STARTET),
        ("Antall avsluttede deltakere i tiltaket", AVSLUTTET),
        *ETTER_STATUS,
    ):
        assert re.search(rf"^\s*{re.escape(etikett)} +{antall}\s*$", rader, re.M), etikett
    assert re.search(r"^\s*Delvis arbeid +Arbeid\s*$", rader, re.M)
    assert "i henhold til lokale rutiner" in flat
    (signatur,) = pdfinfo.pdfsig_report(pdf)
    assert signatur["valid"] is True
    assert signatur["total_document_signed"] is True
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    assert pdfinfo.notdef_runs(pdf) == []
    assert not any(v in flat for v in _fnr_og_navn(deps, gid))
    assert all("Nordmann" not in (t or "") for t in pdfinfo.titles(pdf))
    with deps.sessions() as s:
        rad = s.scalar(select(Resultatrapport).where(Resultatrapport.gjennomforing_id == gid))
        assert rad is not None
        assert (rad.maned, rad.format, rad.levert_av) == (MANED, "pdf", admin.navn)
        assert rad.pdf_sha256 is not None
        assert deps.store.get(rad.pdf_sha256) == pdf
    assert not any(v in caplog.text for v in _fnr_og_navn(deps, gid))


def test_the_months_frist_is_met_by_the_first_export(
    deps: Deps, org: Organisasjon, admin: Aktor
) -> None:
    """October's report is due 10 November (the gjennomføring's day); exported on 5 November
    it is delivered that day; September's, never exported, is overdue; a month still running
    is not kept (it is not the report for the month before)."""
    gid = seed(deps, org.id)
    dag = med_dag(deps)

    def resultatfrister(d: Deps) -> dict[str, dict[str, object]]:
        liste = frister.liste(d, admin, Fristutvalg(gjennomforing_id=gid, type="resultatrapport"))
        return {f["nokkel"]: f for f in liste}

    for_eksport = resultatfrister(dag)
    oktober = for_eksport["resultatrapport:2026-10-01"]
    assert (oktober["frist"], oktober["status"], oktober["tittel"]) == (
        "2026-11-10",
        "snart",
        "Resultatrapport",
    )
    assert for_eksport["resultatrapport:2026-09-01"]["status"] == "forfalt"
    resultatrapport.eksporter(dag, admin, gid, "2026-11", "xlsx")  # November is not over
    resultatrapport.eksporter(dag, admin, gid, MANED, "xlsx")
    senere = replace(deps, clock=lambda: datetime(2026, 11, 20, 9, tzinfo=UTC))
    resultatrapport.eksporter(senere, admin, gid, MANED, "xlsx")  # the first one counts
    etter = resultatfrister(dag)
    assert etter["resultatrapport:2026-10-01"]["status"] == "levert"
    assert etter["resultatrapport:2026-10-01"]["levert"] == {
        "dato": "2026-11-05",
        "for_sent": False,
    }
    assert etter["resultatrapport:2026-09-01"]["status"] == "forfalt"
    assert resultatrapport.beregn(dag, admin, gid, MANED)["levert"] == "2026-11-05"
    with deps.sessions() as s:
        assert s.scalars(select(Resultatrapport.maned)).all() == [MANED]
    assert IDAG.date().isoformat() == "2026-11-05"


def test_who_may_and_what_is_refused(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor, annen_org: Organisasjon
) -> None:
    gid = seed(deps, org.id)
    with pytest.raises(AccessDeniedError):
        resultatrapport.beregn(deps, veileder, gid, MANED)
    with pytest.raises(InputInvalidError) as info:
        resultatrapport.beregn(deps, admin, gid, "oktober")
    assert info.value.errors[0].path == "maned"
    with pytest.raises(InputInvalidError):
        resultatrapport.eksporter(deps, admin, gid, MANED, "csv")
    fremmed = Aktor(org_id=annen_org.id, navn="Admin", rolle="admin")
    with pytest.raises(RecordNotFoundError):
        resultatrapport.beregn(deps, fremmed, gid, MANED)
