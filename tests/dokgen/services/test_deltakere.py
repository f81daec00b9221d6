"""The deltaker register: numbers, duplicates, status history, protected deltakere, audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import AccessDeniedError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, Status, les
from dokgen.services import deltakere, gjennomforinger
from dokgen.services.deltakere import Utvalg
from dokgen.storage.db import Bruker, Deltaker, Deltakerstatus, Organisasjon, Revisjon
from tests.dokgen.register import FNR_JON, FNR_KARI, aktor_for, kontrakt


def deltaker_inn(gjennomforing_id: int, **endringer: Any) -> DeltakerInn:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gjennomforing_id}
    data["veiledere_arrangor"] = []
    data.update(endringer)
    return les(DeltakerInn, data, tillat_syntetiske=True)


def test_the_contract_deltaker_is_stored_with_its_status_as_history(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    svar = deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id))
    assert svar["nr"] == "D-0017"
    assert svar["navn"] == "Kari Nordmann"
    assert svar["fodselsdato"] == "1985-05-15"
    assert svar["status"]["tekst"] == "Deltar"
    assert [h["type"] for h in svar["historikk"]] == ["DELTAR"]
    assert svar["historikk"][0]["registrert_av"] == admin.navn
    with deps.sessions() as s:
        rad = s.get(Deltaker, svar["id"])
        assert rad is not None
        assert rad.oppstartdato.isoformat() == "2026-03-02"
        assert rad.adresse == {
            "gate": "Storgata 1",
            "postnummer": "0155",
            "poststed": "Oslo",
            "land": "NO",
        }
        linjer = s.scalars(select(Revisjon).where(Revisjon.objekt_type == "deltaker")).all()
        assert [(r.handling, r.objekt_id) for r in linjer] == [("opprett", str(svar["id"]))]
        assert all(FNR_KARI not in (r.detalj or "") for r in linjer)


def test_numbers_come_from_the_organisations_sequence_and_skip_taken_ones(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id, nr="D-0001"))
    svar = deltakere.opprett(
        deps, admin, deltaker_inn(gjennomforing_id, nr=None, fodselsnummer=FNR_JON)
    )
    assert svar["nr"] == "D-0002"


def test_a_duplicate_fodselsnummer_or_nr_is_refused_without_echoing_the_number(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id))
    with pytest.raises(InputInvalidError) as feil:
        deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id))
    stier = {f.path: f.message for f in feil.value.errors}
    assert set(stier) == {"fodselsnummer", "nr"}
    assert "D-0017" in stier["fodselsnummer"]
    assert FNR_KARI not in stier["fodselsnummer"]
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Deltaker)) == 1


def test_bad_fields_are_each_named_and_nothing_is_written(gjennomforing_id: int) -> None:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gjennomforing_id}
    data |= {
        "sluttdato": "2026-01-01",
        "status": {"type": "HAR_SLUTTET", "aarsak": "SYK", "beskrivelse": "tekst"},
    }
    with pytest.raises(InputInvalidError) as feil:
        les(DeltakerInn, data, tillat_syntetiske=True)
    assert {f.path for f in feil.value.errors} == {"sluttdato", "status.beskrivelse"}
    data = kontrakt("deltaker.json") | {"status": {"type": "HOLDER_PA"}}
    with pytest.raises(InputInvalidError) as feil:
        les(DeltakerInn, data, tillat_syntetiske=True)
    assert [f.path for f in feil.value.errors] == ["status.type"]


def test_a_status_change_is_a_history_entry_and_the_same_status_is_not(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    svar = deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id))
    ny = Status(type="HAR_SLUTTET", aarsak="FATT_JOBB", gyldig_fra="2026-11-13")
    deltakere.endre_status(deps, admin, svar["id"], ny)
    deltakere.endre_status(deps, admin, svar["id"], ny)
    data = deltakere.hent(deps, admin, svar["id"])
    assert [(h["type"], h["aarsak_tekst"]) for h in data["historikk"]] == [
        ("DELTAR", None),
        ("HAR_SLUTTET", "Fått jobb"),
    ]
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Deltakerstatus)) == 2


def test_a_protected_deltaker_is_seen_only_by_their_veiledere_and_admins(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    egen, annen = bruker("veileder"), bruker("veileder")
    inn = deltaker_inn(
        gjennomforing_id,
        adresse=None,
        adressebeskyttet=True,
        veiledere_arrangor=[{"brukernavn": egen, "type": "veileder"}],
    )
    svar = deltakere.opprett(deps, admin, inn)
    assert svar["adresse"] is None
    egen_aktor, annen_aktor = aktor_for(deps, org, egen), aktor_for(deps, org, annen)
    assert deltakere.hent(deps, egen_aktor, svar["id"])["nr"] == "D-0017"
    with pytest.raises(RecordNotFoundError):
        deltakere.hent(deps, annen_aktor, svar["id"])
    token = Aktor(org.id, "token:system", "leser")
    with pytest.raises(RecordNotFoundError):
        deltakere.hent(deps, token, svar["id"])
    assert deltakere.liste(deps, annen_aktor) == []
    assert [d["nr"] for d in deltakere.liste(deps, egen_aktor)] == ["D-0017"]


def test_a_protected_deltaker_given_an_address_is_refused(gjennomforing_id: int) -> None:
    with pytest.raises(InputInvalidError) as feil:
        deltaker_inn(gjennomforing_id, adressebeskyttet=True)
    assert [f.path for f in feil.value.errors] == ["adresse"]


def test_another_organisations_deltaker_and_gjennomforing_are_not_found(
    deps: Deps,
    admin: Aktor,
    gjennomforing_id: int,
    annen_org: Organisasjon,
    bruker: Callable[..., str],
) -> None:
    svar = deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id))
    fremmed = aktor_for(deps, annen_org, bruker("admin", annen_org))
    with pytest.raises(RecordNotFoundError):
        deltakere.hent(deps, fremmed, svar["id"])
    with pytest.raises(InputInvalidError) as feil:
        deltakere.opprett(deps, fremmed, deltaker_inn(gjennomforing_id))
    assert [f.path for f in feil.value.errors] == ["gjennomforing_id"]


def test_the_list_filters_searches_and_sorts(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    ase = bruker("veileder")
    deltakere.opprett(
        deps,
        admin,
        deltaker_inn(gjennomforing_id, veiledere_arrangor=[{"brukernavn": ase}]),
    )
    deltakere.opprett(
        deps,
        admin,
        deltaker_inn(
            gjennomforing_id,
            nr=None,
            fornavn="Jon",
            mellomnavn="Erik",
            etternavn="Berg",
            fodselsnummer=FNR_JON,
            status={"type": "HAR_SLUTTET", "aarsak": "FATT_JOBB"},
            sluttdato="2026-11-13",
        ),
    )
    alle = deltakere.liste(deps, admin)
    assert [d["navn"] for d in alle] == ["Jon Erik Berg", "Kari Nordmann"]
    assert "fodselsnummer" not in alle[0]
    assert alle[0]["fodselsdato"] == "1990-10-15"
    assert [d["nr"] for d in deltakere.liste(deps, admin, Utvalg(status="DELTAR"))] == ["D-0017"]
    ase_id = aktor_for(deps, org, ase).bruker_id
    assert [d["nr"] for d in deltakere.liste(deps, admin, Utvalg(veileder=ase_id))] == ["D-0017"]
    assert [d["navn"] for d in deltakere.liste(deps, admin, Utvalg(sok="berg"))] == [
        "Jon Erik Berg"
    ]
    assert [d["nr"] for d in deltakere.liste(deps, admin, Utvalg(sok="d-0017"))] == ["D-0017"]
    synkende = deltakere.liste(deps, admin, Utvalg(sorter="oppstartdato", synkende=True))
    assert [d["oppstartdato"] for d in synkende] == ["2026-03-02", "2026-03-02"]


def test_a_leser_reads_but_may_not_register(
    deps: Deps, org: Organisasjon, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    leser = aktor_for(deps, org, bruker("leser"))
    with pytest.raises(AccessDeniedError):
        deltakere.opprett(deps, leser, deltaker_inn(gjennomforing_id))
    assert deltakere.liste(deps, leser) == []


def test_an_unknown_rule_pack_is_refused(deps: Deps, admin: Aktor) -> None:
    data = kontrakt("gjennomforing.json") | {"regelsett": "ukjent-2099"}
    with pytest.raises(InputInvalidError) as feil:
        gjennomforinger.opprett(deps, admin, les(GjennomforingInn, data))
    assert [f.path for f in feil.value.errors] == ["regelsett"]
    assert "jmo-oslo-2020" in feil.value.errors[0].message


def test_the_admins_export_is_the_one_csv_with_the_fodselsnummer_and_is_audited(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id))
    tekst = deltakere.eksport_csv(deps, admin)
    linjer = tekst.splitlines()
    assert linjer[0].split(";")[:5] == ["Nr", "Fornavn", "Mellomnavn", "Etternavn", "Fødselsnummer"]
    assert linjer[1].startswith(
        f"D-0017;Kari;;Nordmann;{FNR_KARI};Jobbmestrende oppfølging Oslo 2026;Deltar"
    )
    with deps.sessions() as s:
        assert s.scalar(select(Revisjon.handling).where(Revisjon.objekt_type == "deltakere")) == (
            "eksporter"
        )
    veileder = aktor_for(deps, org, bruker("veileder"))
    with pytest.raises(AccessDeniedError):
        deltakere.eksport_csv(deps, veileder)


def test_an_admin_sets_a_users_phone_and_email_or_is_told_what_to_write(
    deps: Deps, org: Organisasjon, admin: Aktor, bruker: Callable[..., str]
) -> None:
    from dokgen.services import admin as admin_service

    ase = aktor_for(deps, org, bruker("veileder"))
    assert ase.bruker_id is not None
    admin_service.endre_kontakt(
        deps, admin, ase.bruker_id, epost="ase@eksempel.no", telefon="90000001"
    )
    with deps.sessions() as s:
        rad = s.get(Bruker, ase.bruker_id)
        assert rad is not None
        assert (rad.epost, rad.telefon) == ("ase@eksempel.no", "90000001")
    with pytest.raises(InputInvalidError) as feil:
        admin_service.endre_kontakt(deps, admin, ase.bruker_id, epost="ikke-epost", telefon="12")
    assert {f.path for f in feil.value.errors} == {"epost", "telefon"}
    with deps.sessions() as s:
        rad = s.get(Bruker, ase.bruker_id)
        assert rad is not None
        assert rad.telefon == "90000001"
