"""Frister read from the register: computed from the dates, met by finalised documents of
the deltaker or a manual link, filtered, exported and in a private calendar feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import deltakere, frister, gjennomforinger
from dokgen.services.frister import Fristutvalg
from dokgen.storage.db import Deltakerveileder, Dokument, Organisasjon, Revisjon
from tests.dokgen.register import FNR_JON, FNR_KARI, aktor_for, kontrakt

DAG = date(2026, 6, 5)  # plan (due 23 March) overdue; the first statusrapport (8 June) soon


def _deltaker(deps: Deps, admin: Aktor, gid: int, **endringer: Any) -> dict[str, Any]:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gid, "veiledere_arrangor": []}
    data.update(endringer)
    return deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))


def _ferdig(
    deps: Deps,
    org: Organisasjon,
    deltaker_id: int | None,
    type_: str,
    fra: str | None,
    til: str | None,
    ferdig: datetime,
    gjennomforing_id: int | None = None,
) -> str:
    """A finalised document of the deltaker (as sealing leaves it: ``ferdig`` set)."""
    with deps.sessions.begin() as s:
        rad = Dokument(
            org_id=org.id,
            type=type_,
            deltaker="Kari Nordmann",
            periode_fra=fra,
            periode_til=til,
            opprettet_av="test",
            deltaker_id=deltaker_id,
            gjennomforing_id=gjennomforing_id,
            ferdig=ferdig,
        )
        s.add(rad)
        s.flush()
        return rad.id


def _per_nokkel(liste: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["nokkel"]: f for f in liste if f["deltaker_id"] is not None}


def test_a_deltakers_frister_follow_the_rules_and_are_judged_on_the_day(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    d = _deltaker(deps, admin, gjennomforing_id)
    svar = frister.liste(deps, admin, Fristutvalg(dato=DAG, deltaker_id=d["id"]))
    per = _per_nokkel(svar)
    assert per["plan"]["frist"] == "2026-03-23"
    assert per["plan"]["status"] == "forfalt"
    status1 = per["statusrapport:2026-03-02"]
    assert status1["periode"] == {"fra": "2026-03-02", "til": "2026-06-01"}
    assert (status1["frist"], status1["status"], status1["status_tekst"]) == (
        "2026-06-08",
        "snart",
        "Snart",
    )
    assert status1["deltaker_nr"] == "D-0017"
    assert status1["tittel"] == "Statusrapport"
    assert "sluttrapport" not in per  # no sluttdato yet


def test_a_finalised_document_of_the_deltaker_meets_its_frist_late_or_in_time(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int
) -> None:
    d = _deltaker(deps, admin, gjennomforing_id)
    plan = _ferdig(
        deps, org, d["id"], "plan", "2026-03-02", "2026-09-01", datetime(2026, 3, 30, tzinfo=UTC)
    )
    rapport = _ferdig(
        deps,
        org,
        d["id"],
        "statusrapport",
        "2026-03-02",
        "2026-05-31",
        datetime(2026, 6, 3, tzinfo=UTC),
    )
    per = _per_nokkel(frister.liste(deps, admin, Fristutvalg(dato=DAG, deltaker_id=d["id"])))
    assert per["plan"]["status"] == "levert"
    assert per["plan"]["dokument_id"] == plan
    assert per["plan"]["levert"] == {"dato": "2026-03-30", "for_sent": True}
    assert per["statusrapport:2026-03-02"]["levert"] == {"dato": "2026-06-03", "for_sent": False}
    assert per["statusrapport:2026-03-02"]["dokument_id"] == rapport


def test_moving_the_oppstart_moves_the_open_frister(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    d = _deltaker(deps, admin, gjennomforing_id)
    data = kontrakt("deltaker.json") | {
        "gjennomforing_id": gjennomforing_id,
        "veiledere_arrangor": [],
        "oppstartdato": "2026-01-31",
    }
    deltakere.endre(deps, admin, d["id"], les(DeltakerInn, data, tillat_syntetiske=True))
    per = _per_nokkel(frister.liste(deps, admin, Fristutvalg(dato=DAG, deltaker_id=d["id"])))
    assert per["plan"]["frist"] == "2026-02-21"
    assert per["statusrapport:2026-01-31"]["periode"] == {"fra": "2026-01-31", "til": "2026-04-29"}


def test_a_deltaker_no_longer_relevant_has_their_open_frister_fallen_away(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    d = _deltaker(deps, admin, gjennomforing_id, status={"type": "IKKE_AKTUELL"})
    svar = frister.liste(deps, admin, Fristutvalg(dato=DAG, deltaker_id=d["id"]))
    assert {f["status"] for f in svar} == {"bortfalt"}


def test_a_manual_link_delivers_a_frist_and_is_audited(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int
) -> None:
    d = _deltaker(deps, admin, gjennomforing_id)
    # Its period ends far from the frist's: only a person's link makes it count.
    dok = _ferdig(
        deps,
        org,
        d["id"],
        "statusrapport",
        "2026-01-01",
        "2026-02-01",
        datetime(2026, 6, 2, tzinfo=UTC),
    )
    frister.koble(
        deps,
        admin,
        nokkel="statusrapport:2026-03-02",
        dokument_id=dok,
        deltaker_id=d["id"],
        gjennomforing_id=None,
    )
    per = _per_nokkel(frister.liste(deps, admin, Fristutvalg(dato=DAG, deltaker_id=d["id"])))
    assert per["statusrapport:2026-03-02"]["status"] == "levert"
    with pytest.raises(InputInvalidError) as feil:
        frister.koble(
            deps, admin, nokkel="plan", dokument_id=dok, deltaker_id=d["id"], gjennomforing_id=None
        )
    assert [f.path for f in feil.value.errors] == ["dokument_id"]
    with deps.sessions() as s:
        assert s.scalar(select(Revisjon.handling).where(Revisjon.objekt_type == "frist")) == "koble"


def test_the_gjennomforings_evaluering_has_no_deltaker_and_the_filters_narrow(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    _deltaker(deps, admin, gjennomforing_id)
    alle = frister.liste(deps, admin, Fristutvalg(dato=DAG, til=date(2026, 7, 31)))
    evaluering = [f for f in alle if f["type"] == "evalueringsrapport"]
    assert evaluering[0]["deltaker_id"] is None
    assert evaluering[0]["frist"] == "2026-07-14"
    assert evaluering[0]["periode"] == {"fra": "2026-01-01", "til": "2026-06-30"}
    forfalt = frister.liste(deps, admin, Fristutvalg(dato=DAG, status="forfalt"))
    # Each month's resultatrapport (JMO §9.2) is the gjennomføring's: none exported yet.
    assert {f["type"] for f in forfalt} == {"plan", "resultatrapport"}
    assert {f["deltaker_id"] for f in forfalt if f["type"] == "resultatrapport"} == {None}
    juni = frister.liste(
        deps, admin, Fristutvalg(dato=DAG, fra=date(2026, 6, 1), til=date(2026, 6, 30))
    )
    assert [f["nokkel"] for f in juni] == ["statusrapport:2026-03-02", "resultatrapport:2026-05-01"]
    with pytest.raises(InputInvalidError):
        frister.liste(deps, admin, Fristutvalg(status="glemt"))


def test_my_frister_are_those_of_the_deltakere_i_follow_overdue_first(
    deps: Deps,
    org: Organisasjon,
    admin: Aktor,
    veileder: Aktor,
    gjennomforing_id: int,
    bruker: Callable[..., str],
) -> None:
    with deps.sessions() as s:
        from dokgen.storage.db import Bruker

        brukernavn = s.get(Bruker, veileder.bruker_id).brukernavn  # type: ignore[union-attr]
    _deltaker(deps, admin, gjennomforing_id, veiledere_arrangor=[{"brukernavn": brukernavn}])
    _deltaker(deps, admin, gjennomforing_id, nr=None, fodselsnummer=FNR_JON)
    mine = frister.mine(deps, veileder, dato=DAG)
    assert [(f["type"], f["status"]) for f in mine] == [
        ("plan", "forfalt"),
        ("statusrapport", "snart"),
    ]
    assert {f["deltaker_nr"] for f in mine} == {"D-0017"}
    annen = aktor_for(deps, org, bruker("veileder"))
    assert frister.mine(deps, annen, dato=DAG) == []


def test_a_protected_deltakers_frister_are_hidden_from_others(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor, gjennomforing_id: int
) -> None:
    _deltaker(deps, admin, gjennomforing_id, adresse=None, adressebeskyttet=True)
    assert [
        f for f in frister.liste(deps, veileder, Fristutvalg(dato=DAG)) if f["deltaker_id"]
    ] == []
    assert [f for f in frister.liste(deps, admin, Fristutvalg(dato=DAG)) if f["deltaker_id"]] != []


def test_the_csv_names_deltakere_by_nr_and_name_never_the_number(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    _deltaker(deps, admin, gjennomforing_id)
    tekst = frister.som_csv(frister.liste(deps, admin, Fristutvalg(dato=DAG)))
    linjer = tekst.splitlines()
    assert linjer[0].startswith("Frist;Status;Dokument;Deltakernr;Deltaker")
    assert "2026-03-23;Forfalt;Plan for tiltaket;D-0017;Kari Nordmann" in tekst
    assert FNR_KARI not in tekst


def test_the_calendar_feed_is_private_renewable_and_names_the_nr_only(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor, gjennomforing_id: int
) -> None:
    with deps.sessions() as s:
        from dokgen.storage.db import Bruker

        brukernavn = s.get(Bruker, veileder.bruker_id).brukernavn  # type: ignore[union-attr]
    _deltaker(
        deps,
        admin,
        gjennomforing_id,
        veiledere_arrangor=[{"brukernavn": brukernavn}],
        oppstartdato=date.today().isoformat(),
    )
    token = frister.ny_kalenderlenke(deps, veileder)
    ics = frister.kalender(deps, token).decode()
    assert "BEGIN:VCALENDAR" in ics
    assert "SUMMARY:Plan for tiltaket for D-0017" in ics
    assert "Kari" not in ics
    assert "Nordmann" not in ics
    assert FNR_KARI not in ics
    ny = frister.ny_kalenderlenke(deps, veileder)
    with pytest.raises(RecordNotFoundError):
        frister.kalender(deps, token)
    assert "D-0017" in frister.kalender(deps, ny).decode()


def test_the_narrowed_lists_read_their_own_documents_and_still_see_them_delivered(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor, gjennomforing_id: int
) -> None:
    """A veileder's, a deltaker's and a gjennomføring's frister read only the documents of
    the deltakere (and gjennomføring) they judge; what those deliver is still delivered."""
    kari = _deltaker(deps, admin, gjennomforing_id)
    assert veileder.bruker_id is not None
    with deps.sessions.begin() as s:
        s.add(
            Deltakerveileder(deltaker_id=kari["id"], bruker_id=veileder.bruker_id, type="veileder")
        )
    jon = _deltaker(deps, admin, gjennomforing_id, nr="D-0018", fodselsnummer=FNR_JON)
    ferdig = datetime(2026, 3, 20, tzinfo=UTC)
    plan_kari = _ferdig(deps, org, kari["id"], "plan", None, None, ferdig)
    plan_jon = _ferdig(deps, org, jon["id"], "plan", None, None, ferdig)
    evaluering = _ferdig(
        deps,
        org,
        None,
        "evalueringsrapport",
        "2026-01-01",
        "2026-06-30",
        datetime(2026, 7, 10, tzinfo=UTC),
        gjennomforing_id=gjennomforing_id,
    )
    dato = date(2026, 7, 20)

    def planer(u: Fristutvalg, hvem: Aktor = admin) -> dict[int | None, str | None]:
        return {
            f["deltaker_id"]: f["dokument_id"]
            for f in frister.liste(deps, hvem, u)
            if f["type"] == "plan"
        }

    assert planer(Fristutvalg(dato=dato, veileder=veileder.bruker_id), veileder) == {
        kari["id"]: plan_kari
    }
    assert planer(Fristutvalg(dato=dato, deltaker_id=jon["id"])) == {jon["id"]: plan_jon}
    per_gjennomforing = frister.liste(
        deps, admin, Fristutvalg(dato=dato, gjennomforing_id=gjennomforing_id)
    )
    assert {
        (f["deltaker_id"], f["dokument_id"]) for f in per_gjennomforing if f["status"] == "levert"
    } == {(kari["id"], plan_kari), (jon["id"], plan_jon), (None, evaluering)}


def test_an_evalueringsrapport_of_the_gjennomforing_meets_its_half_year(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int
) -> None:
    d = _deltaker(deps, admin, gjennomforing_id)
    # Started from a deltaker's page or from the gjennomføring: either way it is the
    # gjennomføring's.
    _ferdig(
        deps,
        org,
        d["id"],
        "evalueringsrapport",
        "2026-01-01",
        "2026-06-30",
        datetime(2026, 7, 20, tzinfo=UTC),
        gjennomforing_id=gjennomforing_id,
    )
    svar = frister.liste(deps, admin, Fristutvalg(dato=date(2026, 8, 1), type="evalueringsrapport"))
    forste = next(f for f in svar if f["nokkel"] == "evalueringsrapport:2026-01-01")
    assert forste["status"] == "levert"
    assert forste["levert"] == {"dato": "2026-07-20", "for_sent": True}


def test_a_list_from_a_day_is_the_same_as_the_whole_list_cut_at_that_day(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int
) -> None:
    """Leaving out those who ended long before the list's first day changes nothing: the
    same frister, statuses and deliveries as the full list cut at that day."""
    import datetime as dt

    from ehf.identifiers import synthetic_person_ident

    datoer = [  # (oppstart, slutt): ended long ago, ended just before, open, starts later
        ("2024-01-10", "2024-09-30"),
        ("2025-06-02", "2026-05-20"),
        ("2025-11-17", None),
        ("2026-02-28", "2026-05-31"),
        ("2026-06-01", None),
    ]
    for i, (start, slutt) in enumerate(datoer):
        d = _deltaker(
            deps,
            admin,
            gjennomforing_id,
            nr=None,
            fodselsnummer=synthetic_person_ident(dt.date(1980, 1, 2 + i), i),
            oppstartdato=start,
            sluttdato=slutt,
        )
        _ferdig(deps, org, d["id"], "plan", start, start, datetime(2026, 1, 5, tzinfo=UTC))
    for fra in (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 20)):
        til = fra + timedelta(days=30)
        hele = frister.liste(deps, admin, Fristutvalg(dato=DAG, til=til))
        assert frister.liste(deps, admin, Fristutvalg(dato=DAG, fra=fra, til=til)) == [
            f for f in hele if f["frist"] >= fra.isoformat()
        ]


def test_a_manual_link_follows_its_frist_when_the_oppstart_moves(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int
) -> None:
    """Linked to the second statusrapport; the oppstart moves three days: the link is on
    the second statusrapport's new key, still delivered, and the first stays open."""
    d = _deltaker(deps, admin, gjennomforing_id)
    dok = _ferdig(
        deps, org, d["id"], "statusrapport", "2025-01-01", "2025-02-01",
        datetime(2026, 9, 3, tzinfo=UTC),
    )  # fmt: skip
    frister.koble(
        deps, admin, nokkel="statusrapport:2026-06-02", dokument_id=dok, deltaker_id=d["id"],
        gjennomforing_id=None,
    )  # fmt: skip
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gjennomforing_id}
    data |= {"veiledere_arrangor": [], "oppstartdato": "2026-03-05"}
    deltakere.endre(deps, admin, d["id"], les(DeltakerInn, data, tillat_syntetiske=True))
    dag = date(2026, 9, 20)
    per = _per_nokkel(frister.liste(deps, admin, Fristutvalg(dato=dag, deltaker_id=d["id"])))
    assert "statusrapport:2026-06-02" not in per
    assert per["statusrapport:2026-06-05"]["status"] == "levert"
    assert per["statusrapport:2026-06-05"]["dokument_id"] == dok
    assert per["statusrapport:2026-03-05"]["status"] == "forfalt"


def test_stored_frister_follow_every_change_that_moves_them(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor, gjennomforing_id: int
) -> None:
    """Read once (stored), then change what they depend on: the status, the gjennomføring's
    rules, a document finalised by the seal job, a new version of it — each next read
    shows the change, and a read with nothing changed computes nothing again."""
    from dokgen.documents.models import eksempel, parse_dokument
    from dokgen.oppfolging.modeller import Status
    from dokgen.services import dokumenter
    from dokgen.storage.db import Deltaker, Frist, Gjennomforing

    d = _deltaker(deps, admin, gjennomforing_id)
    u = Fristutvalg(dato=DAG, deltaker_id=d["id"])
    assert _per_nokkel(frister.liste(deps, admin, u))["plan"]["status"] == "forfalt"
    with deps.sessions() as s:
        lagret = s.scalars(select(Frist.nokkel).where(Frist.deltaker_id == d["id"])).all()
        assert "plan" in lagret
        til = s.get(Deltaker, d["id"]).frister_til  # type: ignore[union-attr]
        assert til is not None
    frister.liste(deps, admin, u)
    with deps.sessions() as s:
        assert s.get(Deltaker, d["id"]).frister_til == til  # type: ignore[union-attr]

    # A plan finalised by the real seal job meets the plan frist.
    plan = eksempel("plan") | {"deltaker": {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI}}
    dok = dokumenter.opprett(
        deps, veileder, parse_dokument(plan, tillat_syntetiske=True), deltaker_id=d["id"]
    )
    deps.jobs.wait_idle(timeout=120)
    dokumenter.godkjenn(deps, veileder, dok.id, dokumenter.Godkjenningsdata(part="arrangor"))
    deps.jobs.wait_idle(timeout=120)
    per = _per_nokkel(frister.liste(deps, admin, u))
    assert per["plan"]["status"] == "levert"
    assert per["plan"]["dokument_id"] == dok.id
    # A new version is not finalised: the plan frist is open again.
    dokumenter.ny_versjon(deps, veileder, dok.id, parse_dokument(plan, tillat_syntetiske=True))
    deps.jobs.wait_idle(timeout=120)
    assert _per_nokkel(frister.liste(deps, admin, u))["plan"]["status"] == "forfalt"

    # The status: not relevant any more.
    deltakere.endre_status(deps, admin, d["id"], Status(type="IKKE_AKTUELL"))
    assert _per_nokkel(frister.liste(deps, admin, u))["plan"]["status"] == "bortfalt"

    # The gjennomføring's rules: the evaluering frist moves with its days.
    alle = Fristutvalg(dato=DAG, type="evalueringsrapport", til=date(2026, 12, 31))
    assert frister.liste(deps, admin, alle)[0]["frist"] == "2026-07-14"
    data = kontrakt("gjennomforing.json") | {"evaluering_dager": 30}
    gjennomforinger.endre(deps, admin, gjennomforing_id, les(GjennomforingInn, data))
    assert frister.liste(deps, admin, alle)[0]["frist"] == "2026-07-30"
    with deps.sessions() as s:
        assert s.get(Gjennomforing, gjennomforing_id).frister_til is not None  # type: ignore[union-attr]
