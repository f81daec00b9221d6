"""The NAV claim package (the job :func:`dokgen.services.kravpakke.bygg`) with the real
engines: the Timedokumentasjon's text read back, its seal, PDF/A-2b, no .notdef glyph, the
split into several files, the failure path and a dead job taken up again."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.timedokumentasjon import ERKLAERING
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import brukere, gjennomforinger, kravpakke
from dokgen.storage.db import Manedskrav, Organisasjon
from tests import pdfinfo
from tests.dokgen.conftest import ORGNR, org_innstillinger
from tests.dokgen.kravgrunnlag import FNR_KARI, FNR_OLA, FNR_TREDJE, grunnlag, lag_krav
from tests.dokgen.register import kontrakt

pytestmark = pytest.mark.integration


@pytest.fixture
def org_factory() -> Callable[[Deps], tuple[int, int]]:
    """Return ``make(deps)`` → (organisation id, gjennomføring id) on those collaborators."""

    def make(d: Deps) -> tuple[int, int]:
        with d.sessions.begin() as s:
            org_id = brukere.opprett_org(s, ORGNR, "Eksempel AS", org_innstillinger()).id
        admin = Aktor(org_id=org_id, navn="Admin", rolle="admin")
        inn = les(GjennomforingInn, kontrakt("gjennomforing.json"))
        return org_id, int(gjennomforinger.opprett(d, admin, inn)["id"])

    return make


def _krav(deps: Deps, krav_id: str) -> Manedskrav:
    with deps.sessions() as s:
        rad = s.get(Manedskrav, krav_id)
        assert rad is not None
        s.expunge(rad)
        return rad


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", pdfinfo.text(pdf, layout=False))


@pytest.mark.parametrize(
    ("timepris", "kvarter", "sum_tekst", "kroner_tekst"),
    [
        ("1150.00", (10, 31), "11 787,50", "11 788"),  # ,50 rounds up (HALF_UP)
        ("1099.96", (21, 30), "14 024,49", "14 024"),  # ,49 rounds down
    ],
)
def test_the_timedokumentasjon_holds_every_deltaker_and_the_whole_krone_amount(
    deps: Deps,
    org: Organisasjon,
    gjennomforing_id: int,
    timepris: str,
    kvarter: tuple[int, int],
    sum_tekst: str,
    kroner_tekst: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each deltaker's name, fødselsnummer, dates and hours, the month's totals, the exact sum
    and the amount to type in whole kroner (HALF_UP), NAV's declaration; one sealed PDF/A-2b
    file named without a person, and no fødselsnummer in any log line."""
    caplog.set_level(logging.DEBUG)
    krav_id = lag_krav(deps, org.id, gjennomforing_id, grunnlag(timepris, kvarter))
    kravpakke.bygg(deps, krav_id)
    krav = _krav(deps, krav_id)
    assert (krav.status, krav.feil) == ("klar", None)
    (fil,) = krav.filer
    assert fil["filnavn"] == "timedokumentasjon-2026-123456-2026-10.pdf"
    pdf = deps.store.get(fil["sha256"])
    assert fil["bytes"] == len(pdf) < kravpakke.MAKS_BYTES
    text = _flat(pdf).replace("\u00a0", " ")
    rader = pdfinfo.text(pdf).replace("\u00a0", " ")
    assert "Eksempel Arbeidsinkludering AS" in text
    assert "Org.nr. 998 877 660" in text
    assert "Jobbmestrende oppfølging Oslo" in text
    assert "2026/123456" in text
    assert "2020/0042" in text
    assert "oktober 2026" in text
    assert "Første krav for måneden" in text
    for navn, fnr, q in (
        ("Kari Nordmann", FNR_KARI, kvarter[0]),
        ("Ola Testesen", FNR_OLA, kvarter[1]),
    ):
        timer = f"{q / 4:.2f}".replace(".", ",")
        assert f"{navn}, fødselsnr. {fnr}" in text
        assert f"Sum {navn}:" in text
        assert re.search(rf"Sum {navn}: [\d ]+,\d\d kr +{timer}\n", rader), timer
    assert "Startdato i tiltaket: 02.03.2026" in text
    assert "Startdato i perioden: 01.10.2026" in text
    assert "Sluttdato i perioden: 31.10.2026" in text
    assert "Oppfølging med deltaker til" in text
    assert "rundet opp til nærmeste kvarter" in text
    assert "01.10.2026" in text
    total = f"{sum(kvarter) / 4:.2f}".replace(".", ",")
    assert re.search(rf"Sum måneden: {sum_tekst} kr +{total}\n", rader)
    assert f"Timer i alt: {total}" in text
    assert f"Sum (timer × timepris): {sum_tekst} kr" in text
    assert f"Beløp å føre i NAVs skjema: {kroner_tekst} kr" in text
    assert str(krav.belop_kroner) == kroner_tekst.replace(" ", "")
    assert "Ingen KID" in text
    assert ERKLAERING in text
    (signatur,) = pdfinfo.pdfsig_report(pdf)
    assert signatur["valid"] is True
    assert signatur["total_document_signed"] is True
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    assert pdfinfo.lang(pdf) == "nb-NO"
    tagger = pdfinfo.structure_types(pdf)
    assert tagger["H1"] == 1
    assert tagger["Table"] >= 2
    assert tagger["TH"] >= 5
    assert pdfinfo.notdef_runs(pdf) == []
    assert pdfinfo.unembedded_fonts(pdf) == []
    tittel = pdfinfo.titles(pdf)
    assert all(FNR_KARI not in (t or "") and "Kari" not in (t or "") for t in tittel)
    assert FNR_KARI not in caplog.text
    assert FNR_OLA not in caplog.text


def test_a_correction_says_so_and_the_kid_is_printed(
    deps: Deps, org: Organisasjon, gjennomforing_id: int
) -> None:
    """A correction shows its number and reason and is named so; the organisation's KID shows."""
    data = grunnlag(kid="1234567890128")
    krav_id = lag_krav(
        deps, org.id, gjennomforing_id, data, lopenr=1, begrunnelse="Glemt time 14.10"
    )
    kravpakke.bygg(deps, krav_id)
    krav = _krav(deps, krav_id)
    assert krav.status == "klar"
    assert krav.filer[0]["filnavn"] == "timedokumentasjon-2026-123456-2026-10-korrigering1.pdf"
    text = _flat(deps.store.get(krav.filer[0]["sha256"]))
    assert "Korrigering nr. 1 av kravet for måneden. Begrunnelse: Glemt time 14.10" in text
    assert "KID: 1234567890128" in text


def test_a_package_over_the_limit_is_split_by_deltakere(
    deps: Deps, org: Organisasjon, gjennomforing_id: int
) -> None:
    """Over the size limit the deltakere are shared out over several sealed files, each under
    the limit and named …-del1.pdf, …-del2.pdf; every deltaker is in exactly one of them."""
    data = grunnlag(kvarter=(90, 95, 100), ekstra_rader=60)
    hel_id = lag_krav(deps, org.id, gjennomforing_id, data)
    kravpakke.bygg(deps, hel_id)
    hel = _krav(deps, hel_id)
    grense = hel.filer[0]["bytes"] * 85 // 100  # the whole month does not fit
    delt_id = lag_krav(
        deps,
        org.id,
        gjennomforing_id,
        grunnlag(kvarter=(90, 95, 100), ekstra_rader=60),
        lopenr=1,
        begrunnelse="deling",
    )
    kravpakke.bygg(deps, delt_id, maks_bytes=grense)
    delt = _krav(deps, delt_id)
    assert delt.status == "klar", delt.feil
    assert 2 <= len(delt.filer) <= kravpakke.MAKS_FILER
    assert [f["filnavn"] for f in delt.filer] == [
        f"timedokumentasjon-2026-123456-2026-10-korrigering1-del{n}.pdf"
        for n in range(1, len(delt.filer) + 1)
    ]
    tekster = []
    for fil in delt.filer:
        pdf = deps.store.get(fil["sha256"])
        assert len(pdf) == fil["bytes"] <= grense
        assert pdfinfo.pdfsig_report(pdf)[0]["valid"] is True
        tekster.append(_flat(pdf))
    for fnr in (FNR_KARI, FNR_OLA, FNR_TREDJE):
        assert sum(fnr in t for t in tekster) == 1
    assert f"del 1 av {len(delt.filer)}" in tekster[0]
    assert "Beløp å føre i NAVs skjema: 81 938 kr" in tekster[0].replace("\u00a0", " ")


def test_a_package_that_cannot_fit_fails_with_the_reason(
    deps: Deps, org: Organisasjon, gjennomforing_id: int
) -> None:
    """Too large even in ten files: feilet, a bokmål reason naming no person, no files."""
    krav_id = lag_krav(deps, org.id, gjennomforing_id)
    kravpakke.bygg(deps, krav_id, maks_bytes=1000)
    krav = _krav(deps, krav_id)
    assert (krav.status, krav.filer) == ("feilet", [])
    assert krav.feil is not None
    assert "større enn 1000 byte" in krav.feil
    assert "Kari" not in krav.feil
    assert FNR_KARI not in krav.feil


def test_a_missing_template_fails_and_a_retry_after_it_is_back_succeeds(
    make_deps: Callable[..., Deps], tmp_path: Path, org_factory: Callable[[Deps], tuple[int, int]]
) -> None:
    """No maler/timedokumentasjon.docx: feilet with the reason; nothing stored."""
    deps = make_deps(maler_dir=tmp_path / "tom")
    org_id, gj_id = org_factory(deps)
    krav_id = lag_krav(deps, org_id, gj_id)
    kravpakke.bygg(deps, krav_id)
    krav = _krav(deps, krav_id)
    assert krav.status == "feilet"
    assert (
        krav.feil
        == "Malen for timedokumentasjonen passer ikke: malen timedokumentasjon.docx mangler"
    )


def test_an_ehf_claim_is_not_this_jobs(
    deps: Deps, org: Organisasjon, gjennomforing_id: int
) -> None:
    """A month closed as an EHF invoice is left as it is: no lease taken, nothing made."""
    krav_id = lag_krav(deps, org.id, gjennomforing_id)
    with deps.sessions.begin() as s:
        s.execute(update(Manedskrav).where(Manedskrav.id == krav_id).values(art="ehf"))
    kravpakke.bygg(deps, krav_id)
    krav = _krav(deps, krav_id)
    assert (krav.status, krav.jobb_forsok, krav.filer) == ("behandles", 0, [])


def test_a_claim_left_behandles_is_taken_up_on_start(
    make_deps: Callable[..., Deps], org_factory: Callable[[Deps], tuple[int, int]]
) -> None:
    """A stop left the claim behandles: the next start queues the job and it is made."""
    first = make_deps()
    org_id, gj_id = org_factory(first)
    krav_id = lag_krav(first, org_id, gj_id)
    assert kravpakke.gjenoppta(first) == 1
    assert first.jobs.wait_idle(120)
    assert _krav(first, krav_id).status == "klar"
