"""The demo seed (:mod:`dokgen.services.demo`): made through the service functions, audited;
its register has deltakere in every status and the demo veileder's frister in every state,
seeded once however often (and however many at once) it starts."""

from __future__ import annotations

import contextlib
import json
import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import ROLLER, Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import RecordNotFoundError
from dokgen.oppfolging import frister as regler
from dokgen.oppfolging.kodeverk import PLASSERINGSSTATUSER, PRAKSISARTER, STATUSER
from dokgen.services import (
    brukere,
    deltakere,
    demo,
    frister,
    manedsavslutning,
    praksisoppfolging,
    praksisplasser,
    timer,
)
from dokgen.services.frister import Fristutvalg
from dokgen.storage.db import (
    Aktivitet,
    Bruker,
    Deltaker,
    Dokument,
    Gjennomforing,
    Organisasjon,
    Revisjon,
    Versjon,
)
from ehf.identifiers import IdentType, validate_orgnr, validate_person_ident

pytestmark = pytest.mark.integration


def test_the_seed_adds_the_users_as_the_demo_actor_and_once_only(deps: Deps) -> None:
    """The users are made by the system actor ``demo`` (one audit line each) and can log in;
    the organisation has the demo's invoice settings; a second seed adds nothing."""
    printed: list[str] = []
    demo.seed(deps, echo=printed.append)
    deps.jobs.wait_idle(timeout=120)
    with deps.sessions() as s:
        org = s.scalar(select(Organisasjon).where(Organisasjon.orgnr == demo.ORGNR))
        assert org is not None
        assert (org.navn, org.innstillinger) == (demo.ORGNAVN, demo.innstillinger())
        users = {
            b.brukernavn: (b.navn, b.rolle)
            for b in s.scalars(select(Bruker).where(Bruker.org_id == org.id))
        }
        made = s.execute(
            select(Revisjon.aktor, Revisjon.fra)
            .where(Revisjon.handling == "opprett_bruker")
            .order_by(Revisjon.id)
        ).all()
        for rolle in ROLLER:
            bruker = brukere.logg_inn(s, rolle, demo.PASSORD[rolle])
            assert (bruker.org_id, bruker.rolle) == (org.id, rolle)
        lines = s.scalar(select(Revisjon.id).order_by(Revisjon.id.desc()).limit(1))
    assert users == {rolle: (demo.NAVN[rolle], rolle) for rolle in ROLLER}
    assert [tuple(r) for r in made] == [("demo (admin)", "demo")] * 2 * len(ROLLER)
    assert (
        printed[0] == f"Demo: {demo.ORGNAVN} (orgnr {demo.ORGNR}). Brukere (brukernavn / passord):"
    )

    demo.seed(deps, echo=printed.append)
    with deps.sessions() as s:
        assert len(s.scalars(select(Bruker)).all()) == 2 * len(ROLLER)
        assert s.scalar(select(Revisjon.id).order_by(Revisjon.id.desc()).limit(1)) == lines


def _aktor(deps: Deps, brukernavn: str) -> Aktor:
    with deps.sessions() as s:
        b = s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn))
        assert b is not None
        return Aktor(b.org_id, b.navn, b.rolle, bruker_id=b.id)


def test_the_demo_register_has_every_status_and_every_frist_state(deps: Deps) -> None:
    demo.seed(deps, echo=lambda _: None)
    idag = deps.clock().date()
    veileder, admin = _aktor(deps, "veileder"), _aktor(deps, "admin")

    liste = deltakere.liste(deps, veileder)
    assert {d["status"]["type"] for d in liste} == set(STATUSER)
    assert all([v["brukernavn"] for v in d["veiledere_arrangor"]] == ["veileder"] for d in liste)
    beskyttet = [d for d in liste if d["adressebeskyttet"]]
    assert len(beskyttet) == 1
    assert deltakere.hent(deps, veileder, beskyttet[0]["id"])["adresse"] is None
    # Not followed by the leser: to them the protected deltaker does not exist.
    leser = deltakere.liste(deps, _aktor(deps, "leser"))
    assert {d["id"] for d in leser} == {d["id"] for d in liste} - {beskyttet[0]["id"]}
    with deps.sessions() as s:
        numre = s.scalars(select(Deltaker.fodselsnummer)).all()
    assert all(validate_person_ident(n, allow_synthetic=True) is IdentType.SYNTETISK for n in numre)

    egne = frister.liste(deps, veileder, Fristutvalg(veileder=veileder.bruker_id))
    assert {f["status"] for f in egne} == set(regler.STATUSER)
    levert = [f for f in egne if f["status"] == regler.LEVERT]
    assert {(f["type"], f["levert"]["for_sent"]) for f in levert} == {
        ("plan", False),
        ("plan", True),
        ("statusrapport", False),
    }
    assert all(f["levert"]["dato"] == idag.isoformat() for f in levert)
    bortfalt = {f["deltaker_id"] for f in egne if f["status"] == regler.BORTFALT}
    assert bortfalt == {d["id"] for d in liste if d["status"]["type"] in regler.UTEN_FRISTER}

    mine = frister.mine(deps, veileder)
    assert {f["status"] for f in mine} == {regler.FORFALT, regler.SNART}
    assert [f["status"] for f in mine] == sorted(
        (f["status"] for f in mine), key=lambda s: s != regler.FORFALT
    )
    assert beskyttet[0]["id"] in {f["deltaker_id"] for f in mine}
    assert all(f["frist"] <= (idag + timedelta(days=14)).isoformat() for f in mine)

    # The organisation's whole list (admin) adds the gjennomføring's evalueringsrapporter.
    alle = frister.liste(deps, admin)
    assert "evalueringsrapport" in {f["type"] for f in alle}
    with deps.sessions() as s:
        ferdige = s.execute(
            select(Dokument.type, Dokument.deltaker_id).where(
                Dokument.deltaker_id.is_not(None), Dokument.org_id == veileder.org_id
            )
        ).all()
        assert sorted(t for t, _ in ferdige) == ["plan", "plan", "plan", "statusrapport"]
        assert all(
            s.scalar(select(Dokument.ferdig).where(Dokument.deltaker_id == d)) is not None
            for _, d in ferdige
        )


def _antall(deps: Deps, orgnr: str) -> tuple[int, int, int, int]:
    """Return the organisation's (users, gjennomføringer, deltakere, documents)."""
    with deps.sessions() as s:
        org_id = s.scalar(select(Organisasjon.id).where(Organisasjon.orgnr == orgnr))
        assert org_id is not None
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(rad).where(rad.org_id == org_id))
            for rad in (Bruker, Gjennomforing, Deltaker, Dokument)
        )


def test_a_second_start_seeds_nothing_twice(deps: Deps) -> None:
    demo.seed(deps, echo=lambda _: None)
    deps.jobs.wait_idle(timeout=120)
    forst = {orgnr: _antall(deps, orgnr) for orgnr in (demo.ORGNR, demo.AMB_ORGNR)}
    demo.seed(deps, echo=lambda _: None)
    deps.jobs.wait_idle(timeout=120)
    assert {orgnr: _antall(deps, orgnr) for orgnr in forst} == forst
    assert forst[demo.ORGNR][1:3] == (1, len(demo.DELTAKERE))
    assert forst[demo.AMB_ORGNR][:4] == (len(ROLLER), 2, len(demo.AMB_DELTAKERE), 3)


def test_register_seeded_once_when_two_start_at_once(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes starting at once on a demo instance made before the register existed:
    one seeds the register, the other finds it."""
    with monkeypatch.context() as m:
        m.setattr(demo, "seed_register", lambda *_: None)
        m.setattr(demo, "seed_amb_register", lambda *_: None)
        demo.seed(deps, echo=lambda _: None)
    feil: list[BaseException] = []

    def start() -> None:
        try:
            demo.seed(deps, echo=lambda _: None)
        except BaseException as exc:
            feil.append(exc)

    traader = [threading.Thread(target=start) for _ in range(2)]
    for t in traader:
        t.start()
    for t in traader:
        t.join(timeout=300)
    assert feil == []
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Gjennomforing)) == 1 + 2
        assert s.scalar(select(func.count()).select_from(Deltaker)) == len(demo.DELTAKERE) + len(
            demo.AMB_DELTAKERE
        )
        # JMO: three plans and a statusrapport; AMB: a samtalereferat and a sluttrapport
        assert s.scalar(select(func.count()).where(Dokument.deltaker_id.is_not(None))) == 4 + 2
        amb = select(func.count()).where(Dokument.gjennomforing_id.is_not(None))
        assert s.scalar(amb.where(Dokument.type == "samarbeidsavtale")) == 1


def test_the_demo_has_last_months_hours_and_that_month_can_be_closed(deps: Deps) -> None:
    demo.seed(deps, echo=lambda _: None)
    idag = deps.clock().date()
    maned = manedsavslutning.forrige_maned(idag)
    regnskap = _aktor(deps, "regnskap")
    rader = timer.liste(deps, regnskap, maned=maned)
    assert rader, "the demo registers last month's hours"
    assert {r["aktivitet"] for r in rader} <= {
        "oppfolging",
        "video_telefon",
        "arbeidsgiveroppfolging",
    }
    avslutning = manedsavslutning.forhandsvis(deps, regnskap, maned)
    assert not avslutning.avvist, [f.melding for _, f in avslutning.alle_funn]
    (g,) = avslutning.gjennomforinger
    assert g.som_json()["art"] == "ehf"
    assert Decimal(g.som_json()["belop"]) > 0
    # This month's no-show raises the frist to tell NAV the same day (from the 2nd on).
    if idag.day > 1:
        with deps.sessions() as s:
            assert (
                s.scalar(
                    select(func.count())
                    .select_from(Aktivitet)
                    .where(Aktivitet.aktivitet == "ikke_mott")
                )
                == 1
            )


def test_the_amb_organisation_has_its_own_users_and_the_amb_frister(deps: Deps) -> None:
    """The arbeidsmarkedsbedrift beside the JMO organisation: its users log in with their
    own names and passwords; its frister name each AMB type in words, in several states; its
    three documents are finalised, the sluttrapport with its result code."""
    printed: list[str] = []
    demo.seed(deps, echo=printed.append)
    deps.jobs.wait_idle(timeout=120)
    with deps.sessions() as s:
        org = s.scalar(select(Organisasjon).where(Organisasjon.orgnr == demo.AMB_ORGNR))
        assert org is not None
        assert org.navn == demo.AMB_ORGNAVN
        for rolle in ROLLER:
            bruker = brukere.logg_inn(s, demo.AMB_BRUKERE[rolle], demo.AMB_PASSORD[rolle])
            assert (bruker.org_id, bruker.rolle, bruker.navn) == (
                org.id,
                rolle,
                demo.AMB_NAVN[rolle],
            )
        pakker = s.execute(
            select(Gjennomforing.navn, Gjennomforing.regelsett, Gjennomforing.sluttrapport_dager)
            .where(Gjennomforing.org_id == org.id)
            .order_by(Gjennomforing.id)
        ).all()
        dokumenter = s.execute(
            select(Dokument.type, Dokument.ferdig).where(Dokument.org_id == org.id)
        ).all()
        resultat = s.scalar(
            select(Versjon.data)
            .join(Dokument, Dokument.id == Versjon.dokument_id)
            .where(Dokument.org_id == org.id, Dokument.type == "sluttrapport_kvalifisering")
        )
        avtale = s.scalar(
            select(Versjon.data)
            .join(Dokument, Dokument.id == Versjon.dokument_id)
            .where(Dokument.org_id == org.id, Dokument.type == "samarbeidsavtale")
        )
    assert [tuple(p) for p in pakker] == [
        (demo.AMB_KVALIFISERING, "amb", demo.AMB_SLUTTRAPPORT_DAGER),
        (demo.AMB_TILRETTELAGT, "amb", demo.AMB_SLUTTRAPPORT_DAGER),
    ]
    assert sorted(t for t, _ in dokumenter) == [
        "samarbeidsavtale",
        "samtalereferat",
        "sluttrapport_kvalifisering",
    ]
    assert all(ferdig is not None for _, ferdig in dokumenter)
    assert resultat is not None
    assert resultat["resultat"] == "arbeid_med_tilskudd"
    assert resultat["tiltak"]["arrangor"] == {"navn": demo.AMB_ORGNAVN, "orgnr": demo.AMB_ORGNR}
    assert avtale is not None
    assert avtale["sluttrapport_frist_dager"] == demo.AMB_SLUTTRAPPORT_DAGER
    assert (
        f"Demo: {demo.AMB_ORGNAVN} (orgnr {demo.AMB_ORGNR}), arbeidsmarkedsbedrift. "
        "Brukere (brukernavn / passord):"
    ) in printed
    assert "  amb-veileder  / demo-amb-veileder-passord" in printed

    admin, veileder = _aktor(deps, "amb-admin"), _aktor(deps, "amb-veileder")
    alle = frister.liste(deps, admin)
    assert {f["tittel"] for f in alle} == {
        "Årsrapport",
        "Tilbudsmelding",
        "Møtereferat",
        "Samtalereferat",
        "Sluttrapport fra Kvalifisering",
    }
    assert {f["status"] for f in alle} >= {
        regler.FORFALT,
        regler.SNART,
        regler.KOMMENDE,
        regler.LEVERT,
        regler.BORTFALT,
    }
    levert = {f["type"] for f in alle if f["status"] == regler.LEVERT}
    assert levert == {"samtalereferat", "sluttrapport_kvalifisering"}
    egne = frister.liste(deps, veileder, Fristutvalg(veileder=veileder.bruker_id))
    for type_ in ("samtalereferat", "sluttrapport_kvalifisering"):
        assert {f["status"] for f in egne if f["type"] == type_} >= {
            regler.FORFALT,
            regler.SNART,
            regler.LEVERT,
        }, type_
    # Tilrettelagt arbeid began last year: its årsrapport for that year is due 30 June.
    aar = deps.clock().date().year - 1
    assert f"{aar + 1}-06-30" in {f["frist"] for f in alle if f["type"] == "arsrapport"}


def test_the_demo_has_arbeidsgivere_with_every_kind_of_place_and_every_status(
    deps: Deps,
) -> None:
    """The JMO organisation's praksisplass register: arbeidsgivere with valid orgnr, places
    of every kind, a placement in every status with its history, and the one ended before
    its planned end says why; the AMB organisation has none of it."""
    demo.seed(deps, echo=lambda _: None)
    idag = deps.clock().date()
    veileder = _aktor(deps, "veileder")
    arbeidsgivere = praksisplasser.arbeidsgivere(deps, veileder)
    fil = json.loads(demo.demo_data("arbeidsgivere.json"))
    assert sorted(a["navn"] for a in arbeidsgivere) == sorted(
        r["arbeidsgiver"]["navn"] for r in fil
    )
    assert len(arbeidsgivere) >= 3
    assert all(validate_orgnr(a["orgnr"]) == a["orgnr"] for a in arbeidsgivere)
    plasser = praksisplasser.plasser(deps, veileder)
    assert {p["art"] for p in plasser} == set(PRAKSISARTER)
    assert any(p["ledig_na"] for p in plasser)
    assert any(p["aktiv"] and p["ledige"] == 0 for p in plasser)  # a full one too

    rader = praksisplasser.plasseringsoversikt(deps, veileder)
    assert [r["status"] for r in rader] == sorted(
        (r["status"] for r in rader), key=list(PLASSERINGSSTATUSER).index
    )
    assert {r["status"] for r in rader} == set(PLASSERINGSSTATUSER)
    for r in rader:
        historikk = [h["status"] for h in r["historikk"]]
        assert (historikk[0], historikk[-1]) == ("ny", r["status"]), r["id"]
        assert all(h["dato"] <= idag.isoformat() for h in r["historikk"])
    tidlig = [r for r in rader if r["status"] == "avsluttet" and r["sluttarsak"]]
    assert len(tidlig) == 1
    assert tidlig[0]["sluttdato"] < tidlig[0]["planlagt_sluttdato"]
    assert tidlig[0]["deltaker"]["navn"] == "Hanne Dahl"
    assert praksisplasser.plasseringsoversikt(deps, _aktor(deps, "amb-admin")) == []
    # Every placement that started had its oppstartsmøte first, an arbeidstrening's with a
    # yrkesmål; the first started one has an absence without a valid reason, a frist.
    startet = [r for r in rader if "startet" in {h["status"] for h in r["historikk"]}]
    assert len(startet) == 4
    for r in startet:
        mote = praksisoppfolging.hent_oppstartsmote(deps, veileder, r["id"])
        assert mote is not None, r["id"]
        start = next(h["dato"] for h in r["historikk"] if h["status"] == "startet")
        assert mote["dato"] <= start
        assert {d["rolle"] for d in mote["deltakere"]} >= {"veileder", "leder", "deltaker"}
        if r["praksisplass"]["art"] == "arbeidstrening":
            assert mote["yrkesmal"]
    fravaer = [
        f
        for r in startet
        for f in praksisoppfolging.fravaer_for_plassering(deps, veileder, r["id"])
    ]
    assert sorted((f["arsak"], f["gyldig"]) for f in fravaer) == [
        ("sykdom", True),
        ("uten_gyldig_grunn", False),
    ]
    uten = next(f for f in fravaer if not f["gyldig"])
    varsler = frister.liste(deps, veileder, Fristutvalg(dato=idag, til=idag, type="varsle_nav"))
    assert f"varsle_nav:{uten['fra_dato']}" in {f["nokkel"] for f in varsler}


def test_a_user_of_one_demo_organisation_never_sees_the_others_deltakere(deps: Deps) -> None:
    demo.seed(deps, echo=lambda _: None)
    jmo = {d["id"] for d in deltakere.liste(deps, _aktor(deps, "admin"))}
    amb = {d["id"] for d in deltakere.liste(deps, _aktor(deps, "amb-admin"))}
    assert len(jmo) == len(demo.DELTAKERE)
    assert len(amb) == len(demo.AMB_DELTAKERE)
    assert not jmo & amb
    for brukernavn, andre in (("veileder", amb), ("amb-veileder", jmo), ("amb-leser", jmo)):
        aktor = _aktor(deps, brukernavn)
        assert not {d["id"] for d in deltakere.liste(deps, aktor)} & andre, brukernavn
        with pytest.raises(RecordNotFoundError):
            deltakere.hent(deps, aktor, next(iter(andre)))
        assert not {f["deltaker_id"] for f in frister.liste(deps, aktor)} & andre, brukernavn


def test_two_starts_on_a_brand_new_instance_make_each_organisation_once(deps: Deps) -> None:
    """Both read "no such organisation" before either inserts it: the one that loses the
    insert finds the other's instead of failing on the unique orgnr."""
    feil: list[BaseException] = []
    sperre = threading.Barrier(2)
    les = demo.select

    def forsinket(*args: Any, **kwargs: Any) -> Any:  # both read before either writes
        sporring = les(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            sperre.wait(timeout=2)
        return sporring

    def start() -> None:
        try:
            ut.append(
                demo._org_med_brukere(
                    deps,
                    demo.AMB_ORGNR,
                    demo.AMB_ORGNAVN,
                    None,
                    demo.AMB_BRUKERE,
                    demo.AMB_NAVN,
                    demo.AMB_PASSORD,
                )
            )
        except BaseException as exc:
            feil.append(exc)

    ut: list[tuple[int, bool]] = []
    with pytest.MonkeyPatch.context() as m:
        m.setattr(demo, "select", forsinket)
        traader = [threading.Thread(target=start) for _ in range(2)]
        for t in traader:
            t.start()
        for t in traader:
            t.join(timeout=120)
    assert feil == []
    assert sorted(laget for _, laget in ut) == [False, True]
    assert len({org_id for org_id, _ in ut}) == 1
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Organisasjon)) == 1
        assert s.scalar(select(func.count()).select_from(Bruker)) == len(ROLLER)
