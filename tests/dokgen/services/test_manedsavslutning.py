"""The month's close as the pages, the API and the CLI call it: every check's case, a refusal
that leaves nothing, a second close refused and a correction allowed, the EHF invoice from
registered hours through the official rules, the NAV claim's grunnlag and job, and two closes
at the same moment."""

from __future__ import annotations

import json
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import AccessDeniedError, InputInvalidError
from dokgen.services import kravpakke
from dokgen.services import manedsavslutning as m
from dokgen.storage.db import Faktura, Gjennomforing, Manedskrav, Organisasjon, Revisjon
from tests.dokgen.register import FNR_JON, FNR_KARI
from tests.dokgen.services.maned_hjelp import fnr, lag_deltaker, med_dag, standard, timer

pytestmark = pytest.mark.integration

OKT = "2026-10"


@pytest.fixture
def regnskap(org: Organisasjon) -> Aktor:
    """A regnskap user of the test organisation."""
    return Aktor(org_id=org.id, navn="Regn Skap", rolle="regnskap", fra="127.0.0.1")


@pytest.fixture
def dag(deps: Deps) -> Deps:
    """The collaborators with the clock on 5 November 2026."""
    return med_dag(deps)


@pytest.fixture
def bygget(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the claims the (stubbed) package job ran for; each is marked klar."""
    kjort: list[str] = []

    def bygg(deps: Deps, krav_id: str) -> None:
        kjort.append(krav_id)
        with deps.sessions.begin() as s:
            s.execute(update(Manedskrav).where(Manedskrav.id == krav_id).values(status="klar"))

    monkeypatch.setattr(kravpakke, "bygg", bygg)
    return kjort


def _funn(a: m.Avslutning) -> list[tuple[str, str, list[str]]]:
    return [
        (f.niva, f.melding, [f"{d.nr} {d.navn}" for d in f.deltakere])
        for g in a.gjennomforinger
        for f in g.funn
    ]


def _antall(deps: Deps, model: Any) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _handlinger(deps: Deps) -> list[tuple[str, str]]:
    with deps.sessions() as s:
        rader = s.execute(select(Revisjon.handling, Revisjon.objekt_type).order_by(Revisjon.id))
        return [(h, t) for h, t in rader]


def test_a_clean_month_makes_one_valid_invoice_from_the_registered_hours(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """Two deltakere's October hours → one invoice for the month, tied to the gjennomføring
    and the month, built and validated by the official rules; the claim links it."""
    gid, _, _ = standard(dag, org.id)
    forhand = m.forhandsvis(dag, regnskap, OKT)
    assert not forhand.avvist
    [g] = forhand.gjennomforinger
    # Kari 60 + 50 min → 1 + 1 t; Jon 45 min video → 0,75 t, ikke møtt capped at 0,25 t.
    assert (g.timer, g.timepris, g.belop, g.belop_kroner) == (
        Decimal("3.00"), Decimal("1150.00"), Decimal("3450.00"), 3450,
    )  # fmt: skip
    assert _antall(dag, Manedskrav) == 0  # the preview stores nothing

    a = m.avslutt(dag, regnskap, OKT, bekreftet=True)
    assert a.laget
    assert not a.avvist
    assert dag.jobs.wait_idle(120)
    with dag.sessions() as s:
        krav = s.scalars(select(Manedskrav)).one()
        faktura = s.get(Faktura, krav.faktura_id)
        assert faktura is not None
        assert (krav.gjennomforing_id, krav.maned, krav.lopenr, krav.art) == (gid, OKT, 0, "ehf")
        assert (faktura.gjennomforing_id, faktura.maned) == (gid, OKT)
        assert (faktura.periode_fra, faktura.periode_til) == ("2026-10-01", "2026-10-31")
        assert faktura.grunnlag["kjoper"]["navn"] == "NAV Tiltak Oslo"
        assert faktura.grunnlag["deres_referanse"] == "A123456"
        assert faktura.status == "validert", faktura.rapport
        assert faktura.rapport is not None
        assert faktura.rapport["ok"] is True
        assert {x["deltaker_nr"]: x["timer"] for x in faktura.linjer} == {
            "D-0017": "2.00",
            "D-0018": "1.00",
        }
    [st] = m.status(dag, regnskap, OKT)
    assert (st.status, st.faktura_nummer, st.belop_kroner) == ("klar", "2026-0001", 3450)
    handlinger = _handlinger(dag)
    assert ("avslutt", "manedsavslutning") in handlinger
    assert ("opprett", "faktura") in handlinger
    assert ("opprett", "manedskrav") in handlinger


def test_a_second_close_is_refused_and_a_correction_is_allowed(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """The month claimed once is refused without a correction; marked without a reason it
    is refused too; with a reason it makes lopenr 1 pointing at the first."""
    gid, _, _ = standard(dag, org.id)
    forste = m.avslutt(dag, regnskap, OKT, bekreftet=True)
    assert forste.laget
    andre = m.avslutt(dag, regnskap, OKT, bekreftet=True)
    assert andre.avvist
    assert not andre.laget
    [(niva, melding, _)] = _funn(andre)
    assert niva == "feil"
    assert "Oktober 2026 er allerede krevd" in melding
    assert "faktura 2026-0001" in melding
    uten_grunn = m.avslutt(dag, regnskap, OKT, korreksjoner={gid: "  "}, bekreftet=True)
    assert uten_grunn.avvist
    assert "Skriv hvorfor" in _funn(uten_grunn)[0][1]

    retting = m.avslutt(
        dag, regnskap, OKT, korreksjoner={str(gid): "Timer for D-0017 manglet"}, bekreftet=True
    )
    assert retting.laget, _funn(retting)
    assert _funn(retting)[0][0] == "advarsel"
    assert "Husk å kreditere" in _funn(retting)[0][1]
    with dag.sessions() as s:
        rader = s.scalars(select(Manedskrav).order_by(Manedskrav.lopenr)).all()
        assert [(k.lopenr, k.begrunnelse) for k in rader] == [
            (0, None),
            (1, "Timer for D-0017 manglet"),
        ]
        assert rader[1].korrigerer_id == rader[0].id
        assert s.scalar(select(func.count()).select_from(Faktura)) == 2
    assert dag.jobs.wait_idle(120)


def test_a_refused_close_makes_nothing(dag: Deps, org: Organisasjon, regnskap: Aktor) -> None:
    """One gjennomføring's error refuses the whole close: no claim, no invoice, no number
    taken from the sequence, and the refusal is in the audit log."""
    standard(dag, org.id)
    feil_gid = standard(dag, org.id, serie=1, navn="Uten kjøper", kjoper=None)[0]
    a = m.avslutt(dag, regnskap, OKT, bekreftet=True)
    assert a.avvist
    assert not a.laget
    feil = [g for g in a.gjennomforinger if g.avvist]
    assert [g.gjennomforing_id for g in feil] == [feil_gid]
    assert any("Kjøper" in f.melding for f in feil[0].funn)
    assert (_antall(dag, Manedskrav), _antall(dag, Faktura)) == (0, 0)
    with dag.sessions() as s:
        assert s.scalar(select(Organisasjon.neste_fakturanummer)) == 1
    assert ("avslutt_avvist", "manedsavslutning") in _handlinger(dag)


def test_hours_for_a_deltaker_not_active_or_after_the_sluttdato_refuse(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """Hours before oppstart, for one who never began, or after the sluttdato are errors
    naming the deltaker by number and name, never by fødselsnummer."""
    gid, kari, _ = standard(dag, org.id)
    sen = lag_deltaker(dag, org.id, gid, "D-0020", fnr=fnr(20), fornavn="Sen",
                       etternavn="Start", oppstart=date(2026, 10, 20))  # fmt: skip
    aldri = lag_deltaker(dag, org.id, gid, "D-0021", fnr=fnr(21), fornavn="Aldri",
                         etternavn="Med", status="IKKE_AKTUELL")  # fmt: skip
    sluttet = lag_deltaker(dag, org.id, gid, "D-0022", fnr=fnr(22), fornavn="Slutt",
                           etternavn="Et", slutt=date(2026, 10, 15))  # fmt: skip
    timer(dag, org.id, gid, sen, [(date(2026, 10, 8), "oppfolging", 60)])
    timer(dag, org.id, gid, aldri, [(date(2026, 10, 8), "oppfolging", 60)])
    timer(dag, org.id, gid, sluttet, [(date(2026, 10, 14), "oppfolging", 60),
                                      (date(2026, 10, 22), "oppfolging", 60)])  # fmt: skip
    a = m.forhandsvis(dag, regnskap, OKT)
    funn = _funn(a)
    assert ("feil", funn[0][1], ["D-0020 Sen Start", "D-0021 Aldri Med"]) == funn[0]
    assert "ikke var aktive" in funn[0][1]
    assert funn[1][0] == "feil"
    assert "etter deltakerens sluttdato" in funn[1][1]
    assert funn[1][2] == ["D-0022 Slutt Et"]
    assert a.gjennomforinger[0].funn[1].deltakere[0].detalj == "sluttdato 15.10.2026, timer 22.10."
    tekst = json.dumps(a.som_json(), ensure_ascii=False)
    assert not any(x in tekst for x in (FNR_KARI, FNR_JON, fnr(20), fnr(21), fnr(22)))
    assert kari  # Kari's ordinary hours raise nothing


def test_warnings_do_not_refuse(dag: Deps, org: Organisasjon, regnskap: Aktor) -> None:
    """An active deltaker without hours and one above the agreement's about 15 hours are
    warnings: the month can still be closed."""
    gid, kari, _ = standard(dag, org.id)
    lag_deltaker(dag, org.id, gid, "D-0030", fnr=fnr(30), fornavn="Uten", etternavn="Timer")
    timer(dag, org.id, gid, kari, [(date(2026, 10, d), "oppfolging", 120) for d in range(1, 9)])
    a = m.forhandsvis(dag, regnskap, OKT)
    funn = _funn(a)
    assert funn[0] == ("advarsel", "Aktive deltakere uten registrerte timer i oktober 2026.",
                       ["D-0030 Uten Timer"])  # fmt: skip
    assert funn[1][0] == "advarsel"
    assert "om lag 15 timer" in funn[1][1]
    assert funn[1][2] == ["D-0017 Kari Nordmann"]
    assert a.gjennomforinger[0].funn[1].deltakere[0].detalj == "18 timer"
    assert not a.avvist
    assert m.avslutt(dag, regnskap, OKT, bekreftet=True).laget
    assert dag.jobs.wait_idle(120)


def test_a_month_not_over_and_a_price_changing_inside_it_refuse(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """November is not over on 5 November; a timepris period starting on 15 October splits
    the month's price."""
    gid, kari, _ = standard(dag, org.id)
    timer(dag, org.id, gid, kari, [(date(2026, 11, 2), "oppfolging", 60)])
    nov = m.forhandsvis(dag, regnskap, "2026-11")
    assert nov.avvist
    assert "November 2026 er ikke slutt ennå" in _funn(nov)[0][1]
    assert "05.11" not in _funn(nov)[0][1]
    assert "01.12.2026" in _funn(nov)[0][1]
    with dag.sessions.begin() as s:
        s.execute(
            update(Gjennomforing)
            .where(Gjennomforing.id == gid)
            .values(timepriser=[{"fra": "2026-10-15", "til": None, "timepris": "1200.00"}])
        )
    okt = m.forhandsvis(dag, regnskap, OKT)
    assert okt.avvist
    assert any("Timeprisen endrer seg" in melding for _, melding, _ in _funn(okt))


def test_a_month_without_anything_to_claim_is_refused(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """No gjennomføring with hours or active deltakere: nothing to close (exit 2 in the CLI)."""
    a = m.avslutt(dag, regnskap, "2026-09", bekreftet=True)
    assert a.avvist
    assert a.gjennomforinger == ()
    assert "Ingen gjennomføringer" in a.funn[0].melding


def test_the_nav_claim_stores_the_grunnlag_and_queues_its_package(
    dag: Deps, org: Organisasjon, regnskap: Aktor, bygget: list[str]
) -> None:
    """A nav_refusjonskrav gjennomføring gets a claim with the package's grunnlag (every
    field of kravpakke's shape), the whole-krone amount HALF_UP, and its package job."""
    _gid, kari, _ = standard(dag, org.id, kravform="nav_refusjonskrav", timepris="1150.50",
                            kjoper=None)  # fmt: skip
    a = m.avslutt(dag, regnskap, OKT, bekreftet=True)
    assert a.laget, _funn(a)
    [g] = a.gjennomforinger
    assert dag.jobs.wait_idle(60)
    assert bygget == [g.krav_id]
    with dag.sessions() as s:
        krav = s.scalars(select(Manedskrav)).one()
    # 3 hours at 1150.50 = 3451.50 → 3452 (HALF_UP; banker's rounding would say 3452 too)
    assert (krav.art, krav.faktura_id, krav.belop, krav.belop_kroner) == (
        "nav_refusjonskrav", None, "3451.5000", 3452,
    )  # fmt: skip
    gr = krav.grunnlag
    assert set(gr) == {"maned", "periode", "arrangor", "gjennomforing", "timepris", "kid",
                       "deltakere", "timer", "belop", "belop_kroner"}  # fmt: skip
    assert (gr["maned"], gr["periode"]) == (OKT, {"fra": "2026-10-01", "til": "2026-10-31"})
    assert gr["arrangor"] == {"navn": org.navn, "orgnr": org.orgnr}
    assert set(gr["gjennomforing"]) == {"id", "navn", "tiltakstype", "avtalenummer",
                                        "tiltaksnummer", "regelsett"}  # fmt: skip
    assert (gr["timepris"], gr["timer"], gr["belop"], gr["belop_kroner"]) == (
        "1150.50", "3.00", "3451.5000", 3452,
    )  # fmt: skip
    d = gr["deltakere"][0]
    assert set(d) == {
        "nr", "navn", "fodselsnummer", "oppstartdato", "sluttdato",
        "start_i_perioden", "slutt_i_perioden", "aktiviteter", "timer", "belop",
    }  # fmt: skip
    assert (d["nr"], d["navn"], d["fodselsnummer"]) == ("D-0017", "Kari Nordmann", FNR_KARI)
    assert (d["oppstartdato"], d["start_i_perioden"], d["slutt_i_perioden"]) == (
        "2026-03-02", "2026-10-01", "2026-10-31",
    )  # fmt: skip
    assert d["aktiviteter"][1] == {
        "dato": "2026-10-13",
        "aktivitet": "oppfolging",
        "aktivitet_tekst": "Oppfølging med deltaker til stede",
        "minutter": 50,
        "antall_deltakere": None,
        "regel": "50 min → 1,00 t (rundet opp til nærmeste kvarter)",
        "timer": "1.00",
    }
    assert gr["deltakere"][1]["aktiviteter"][1]["regel"].endswith(
        "(maks 0,25 t når deltakeren ikke møter)"
    )
    assert [r.status for r in m.status(dag, regnskap, OKT)] == ["klar"]
    assert kari


def test_two_closes_at_the_same_moment_make_one_claim(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """Four people press "Avslutt oktober" at once: one close makes the claim and the
    invoice, the others are refused by the checks and make nothing."""
    standard(dag, org.id)
    start = threading.Barrier(4)
    svar: list[m.Avslutning] = []

    def trykk() -> None:
        start.wait()
        svar.append(m.avslutt(dag, regnskap, OKT, bekreftet=True))

    traader = [threading.Thread(target=trykk) for _ in range(4)]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    assert sorted(a.laget for a in svar) == [False, False, False, True]
    assert (_antall(dag, Manedskrav), _antall(dag, Faktura)) == (1, 1)
    assert dag.jobs.wait_idle(120)


def test_who_may_close_and_what_input_is_refused(
    dag: Deps, org: Organisasjon, regnskap: Aktor
) -> None:
    """A veileder may not close; an admin may; a month not written YYYY-MM, a close not
    confirmed and a correction keyed by no id are input errors."""
    veileder = Aktor(org.id, "Vei Leder", "veileder")
    with pytest.raises(AccessDeniedError):
        m.forhandsvis(dag, veileder, OKT)
    m.forhandsvis(dag, Aktor(org.id, "Ad Min", "admin"), "2026-09")
    with pytest.raises(InputInvalidError, match="ÅÅÅÅ-MM"):
        m.forhandsvis(dag, regnskap, "oktober")
    with pytest.raises(InputInvalidError, match="bekreft"):
        m.avslutt(dag, regnskap, OKT, bekreftet=False)
    with pytest.raises(InputInvalidError, match="gjennomføringenes id"):
        m.forhandsvis(dag, regnskap, OKT, korreksjoner={"x": "grunn"})


def test_the_last_whole_month() -> None:
    """The default month is the one before today's (December → November, January → last
    December)."""
    assert m.forrige_maned(date(2026, 12, 7)) == "2026-11"
    assert m.forrige_maned(date(2027, 1, 1)) == "2026-12"
