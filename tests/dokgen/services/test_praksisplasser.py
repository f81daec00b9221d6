"""The praksisplass register: arbeidsgivere, places with their free capacity, placements
through the routine's statuses with a history, the audit log and other organisations."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import (
    AccessDeniedError,
    InputInvalidError,
    RecordNotFoundError,
    StateConflictError,
)
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.oppfolging.praksismodeller import PlasseringInn, PraksisplassInn
from dokgen.services import deltakere
from dokgen.services import praksisplasser as pp
from dokgen.storage.db import Organisasjon, Plasseringsstatus, Revisjon
from tests.dokgen.register import aktor_for, kontrakt
from tests.dokgen.services.praksis_hjelp import (
    BEKREFTET,
    MOTE,
    arbeidsgiver,
    hold_mote,
    plass,
    status,
    to_deltakere,
)


def _plasser(deps: Deps, aktor: Aktor, plass_id: int, deltaker_id: int) -> int:
    inn = les(
        PlasseringInn,
        {"praksisplass_id": plass_id, "deltaker_id": deltaker_id, "dato": "2026-08-20"},
    )
    return int(pp.opprett_plassering(deps, aktor, inn)["id"])


def test_a_placement_goes_through_the_routines_statuses_with_a_history(
    deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int
) -> None:
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"], kapasitet=2)
    kari, _jon = to_deltakere(deps, admin, gjennomforing_id)
    svar = pp.opprett_plassering(
        deps,
        veileder,
        les(
            PlasseringInn,
            {
                "praksisplass_id": p["id"],
                "deltaker_id": kari,
                "dato": "2026-08-20",
                "planlagt_sluttdato": "2026-12-31",
            },
        ),
    )
    assert (svar["status"], svar["status_tekst"]) == ("ny", "Ny")
    assert svar["neste_steg"] == "Avtal oppstartsmøtet med arbeidsgiver og deltaker"
    assert svar["deltaker"]["navn"] == "Kari Nordmann"
    pid = svar["id"]
    pp.endre_status(deps, veileder, pid, status(**MOTE))
    pp.endre_status(deps, veileder, pid, status(**BEKREFTET))
    assert pp.hent_plass(deps, veileder, p["id"])["ledige"] == 1
    hold_mote(deps, veileder, pid)
    pp.endre_status(deps, veileder, pid, status(status="startet", dato="2026-09-01"))
    slutt = pp.endre_status(
        deps,
        veileder,
        pid,
        status(
            status="avsluttet",
            dato="2026-11-02",
            sluttdato="2026-10-30",
            sluttarsak="Fikk fast jobb",
        ),
    )
    assert slutt["status_tekst"] == "Avsluttet"
    assert (slutt["startdato"], slutt["sluttdato"]) == ("2026-09-01", "2026-10-30")
    assert slutt["sluttarsak"] == "Fikk fast jobb"
    assert [(h["status"], h["dato"]) for h in slutt["historikk"]] == [
        ("ny", "2026-08-20"),
        ("statusmote_avtalt", "2026-08-25"),
        ("bekreftet", "2026-08-29"),
        ("startet", "2026-09-01"),
        ("avsluttet", "2026-11-02"),
    ]
    assert {h["registrert_av"] for h in slutt["historikk"]} == {veileder.navn}
    assert pp.hent_plass(deps, veileder, p["id"])["ledige"] == 2  # the place is free again
    with deps.sessions() as s:
        linjer = s.scalars(select(Revisjon).where(Revisjon.objekt_type == "plassering")).all()
        assert [(r.handling, r.detalj) for r in linjer] == [
            ("opprett", None),
            ("endre_status", "statusmote_avtalt"),
            ("endre_status", "bekreftet"),
            ("endre_status", "startet"),
            ("endre_status", "avsluttet"),
        ]


def test_a_full_place_refuses_one_more_bekreftet_and_ledig_lists_only_free_places(
    deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int
) -> None:
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"], kapasitet=1)
    annen = plass(deps, veileder, ag["id"], art="aktivitetsplass", avdeling="Bakeri")
    kari, jon = to_deltakere(deps, admin, gjennomforing_id)
    forste, andre = _plasser(deps, veileder, p["id"], kari), _plasser(deps, veileder, p["id"], jon)
    for pid in (forste, andre):
        pp.endre_status(deps, veileder, pid, status(**MOTE))
    pp.endre_status(deps, veileder, forste, status(**BEKREFTET))
    with pytest.raises(StateConflictError, match="praksisplassen er full: 1 av 1 plasser"):
        pp.endre_status(deps, veileder, andre, status(**BEKREFTET))
    hold_mote(deps, veileder, andre)
    with pytest.raises(StateConflictError):  # skipping «Bekreftet» takes a place too
        pp.endre_status(deps, veileder, andre, status(status="startet", dato="2026-09-01"))
    assert pp.hent_plassering(deps, veileder, andre)["status"] == "statusmote_avtalt"
    ledige = pp.plasser(deps, veileder, pp.Plassutvalg(ledig=True))
    assert [r["id"] for r in ledige] == [annen["id"]]
    assert [r["id"] for r in pp.plasser(deps, veileder, pp.Plassutvalg(art="arbeidstrening"))] == [
        p["id"]
    ]
    inn = les(
        PraksisplassInn, {"arbeidsgiver_id": ag["id"], "art": "arbeidstrening", "kapasitet": 0}
    )
    with pytest.raises(InputInvalidError) as e:  # a capacity below the places in use
        pp.endre_plass(deps, veileder, p["id"], inn)
    assert e.value.errors[0].path == "kapasitet"


def test_a_broken_rule_changes_nothing_and_names_the_field(
    deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int
) -> None:
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"])
    kari, _ = to_deltakere(deps, admin, gjennomforing_id)
    pid = _plasser(deps, veileder, p["id"], kari)
    with pytest.raises(InputInvalidError) as e:
        pp.endre_status(deps, veileder, pid, status(status="statusmote_avtalt", dato="2026-08-25"))
    assert [f.path for f in e.value.errors] == ["statusmote_dato"]
    with deps.sessions() as s:
        assert len(s.scalars(select(Plasseringsstatus)).all()) == 1
    with pytest.raises(InputInvalidError) as e:  # the deltaker is already placed here
        _plasser(deps, veileder, p["id"], kari)
    assert e.value.errors[0].path == "deltaker_id"


def test_a_duplicate_orgnr_is_refused_and_leser_reads_but_does_not_write(
    deps: Deps, veileder: Aktor, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    ag = arbeidsgiver(deps, veileder)
    with pytest.raises(InputInvalidError) as e:
        arbeidsgiver(deps, veileder, navn="Et annet navn")
    assert e.value.errors[0].message == (
        "organisasjonsnummeret er allerede registrert på «Gjesdal Bakeri AS»"
    )
    leser = aktor_for(deps, org, bruker("leser"))
    assert [a["navn"] for a in pp.arbeidsgivere(deps, leser)] == ["Gjesdal Bakeri AS"]
    assert pp.hent_arbeidsgiver(deps, leser, ag["id"])["kontaktpersoner"][0]["rolle"] == "leder"
    with pytest.raises(AccessDeniedError):
        arbeidsgiver(deps, leser, orgnr="923609016")


def test_another_organisations_rows_are_not_found(
    deps: Deps,
    veileder: Aktor,
    admin: Aktor,
    gjennomforing_id: int,
    annen_org: Organisasjon,
    bruker: Callable[..., str],
) -> None:
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"])
    kari, _ = to_deltakere(deps, admin, gjennomforing_id)
    pid = _plasser(deps, veileder, p["id"], kari)
    fremmed = aktor_for(deps, annen_org, bruker("admin", annen_org))
    for kall in (
        lambda: pp.hent_arbeidsgiver(deps, fremmed, ag["id"]),
        lambda: pp.hent_plass(deps, fremmed, p["id"]),
        lambda: pp.hent_plassering(deps, fremmed, pid),
        lambda: pp.endre_status(deps, fremmed, pid, status(**MOTE)),
    ):
        with pytest.raises(RecordNotFoundError):
            kall()
    assert pp.arbeidsgivere(deps, fremmed) == []
    assert pp.plasseringer(deps, fremmed) == []
    ny = les(PlasseringInn, {"praksisplass_id": p["id"], "deltaker_id": kari})
    with pytest.raises(InputInvalidError) as e:  # their place and deltaker are unknown too
        pp.opprett_plassering(deps, fremmed, ny)
    assert {f.path for f in e.value.errors} == {"praksisplass_id", "deltaker_id"}


def test_a_protected_deltakers_placement_is_hidden_but_still_holds_its_place(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    """As in the deltaker register: only their veiledere and admins see the placement; the
    place's free capacity counts it all the same, and every read is audited."""
    egen, annen = bruker("veileder"), bruker("veileder")
    data = kontrakt("deltaker.json") | {
        "gjennomforing_id": gjennomforing_id,
        "adresse": None,
        "adressebeskyttet": True,
        "veiledere_arrangor": [{"brukernavn": egen, "type": "veileder"}],
    }
    skjermet = deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))
    egen_aktor, annen_aktor = aktor_for(deps, org, egen), aktor_for(deps, org, annen)
    p = plass(deps, admin, arbeidsgiver(deps, admin)["id"])
    pid = _plasser(deps, egen_aktor, p["id"], skjermet["id"])
    pp.endre_status(deps, egen_aktor, pid, status(**MOTE))
    pp.endre_status(deps, egen_aktor, pid, status(**BEKREFTET))
    with pytest.raises(RecordNotFoundError):
        pp.hent_plassering(deps, annen_aktor, pid)
    sett_av_andre = pp.hent_plass(deps, annen_aktor, p["id"])
    assert (sett_av_andre["plasseringer"], sett_av_andre["ledige"]) == ([], 0)
    assert pp.plasseringer(deps, annen_aktor) == []
    assert [r["id"] for r in pp.plasseringer(deps, egen_aktor, deltaker_id=skjermet["id"])] == [pid]
    assert pp.hent_plassering(deps, egen_aktor, pid)["deltaker"]["id"] == skjermet["id"]
    with deps.sessions() as s:
        lesinger = s.scalars(select(Revisjon).where(Revisjon.handling.in_(("les", "sok")))).all()
        assert ("les", "plassering", str(pid), egen_aktor.navn) in {
            (r.handling, r.objekt_type, r.objekt_id, r.aktor.split(" (")[0]) for r in lesinger
        }
        assert ("sok", "plassering") in {(r.handling, r.objekt_type) for r in lesinger}
