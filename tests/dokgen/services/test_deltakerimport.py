"""Import of NAV's deltaker lists: preview, all-or-nothing commit, idempotence, row errors,
protected deltakere, and no fødselsnummer in any answer."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import AccessDeniedError, InputInvalidError
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import brukere, deltakere, gjennomforinger
from dokgen.services.deltakerimport import importer
from dokgen.storage.db import Deltaker, Deltakerstatus, Organisasjon, Revisjon
from ehf.identifiers import IdentInvalidError, validate_person_ident
from tests.conftest import KONTRAKT
from tests.dokgen.conftest import PASSORD
from tests.dokgen.register import FNR_JON, FNR_KARI, aktor_for, kontrakt
from tests.dokgen.services.test_deltakere import deltaker_inn

JSON = "application/json"
CSV = "text/csv"


@pytest.fixture
def ase(deps: Deps, org: Organisasjon) -> int:
    """The coordinator list's veileder, "Åse Ødegård"."""
    with deps.sessions.begin() as s:
        target = s.get(Organisasjon, org.id)
        assert target is not None
        return brukere.opprett_bruker(s, target, "ase", "Åse Ødegård", "veileder", PASSORD).id


def fil(navn: str) -> bytes:
    return (KONTRAKT / navn).read_bytes()


def nav_json(**endringer: Any) -> dict[str, Any]:
    data: dict[str, Any] = kontrakt("deltakere-nav.json")
    for i, felter in endringer.items():
        data["deltakere"][int(i.removeprefix("d"))].update(felter)
    return data


def kjor(
    deps: Deps, aktor: Aktor, gid: int, innhold: bytes, mediatype: str, *, forhandsvis: bool
) -> dict[str, Any]:
    svar = importer(
        deps,
        aktor,
        gjennomforing_id=gid,
        innhold=innhold,
        mediatype=mediatype,
        forhandsvis=forhandsvis,
    )
    dump = json.dumps(svar, ensure_ascii=False)
    assert FNR_KARI not in dump
    assert FNR_JON not in dump
    return svar


def antall(deps: Deps, modell: Any) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(modell)) or 0)


def test_the_nav_json_is_previewed_then_written_and_a_second_import_changes_nothing(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    forhand = kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=True)
    assert forhand == {
        "nye": [{"radnr": 1, "navn": "Kari Nordmann"}, {"radnr": 2, "navn": "Jon Erik Berg"}],
        "endrede": [],
        "uendrede": [],
        "mangler_i_filen": [],
        "feil": [],
        "skrevet": False,
    }
    assert antall(deps, Deltaker) == 0
    svar = kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False)
    assert svar["skrevet"] is True
    assert [(n["radnr"], n["nr"]) for n in svar["nye"]] == [(1, "D-0001"), (2, "D-0002")]
    kari = deltakere.hent(deps, admin, svar["nye"][0]["deltaker_id"])
    assert kari["adresse"] == {
        "gate": "Storgata 1",
        "postnummer": "0155",
        "poststed": "Oslo",
        "land": "NO",
    }
    assert kari["veileder_nav"]["navn"] == "Ola Hansen"
    assert kari["innsokende_nav_kontor"] == "NAV Grünerløkka"
    assert kari["telefon"] == "40000017"
    assert [(h["type"], h["kilde"], h["gyldig_fra"]) for h in kari["historikk"]] == [
        ("DELTAR", "import", "2026-03-02")
    ]
    jon = deltakere.hent(deps, admin, svar["nye"][1]["deltaker_id"])
    assert jon["adressebeskyttet"] is True
    assert jon["status"]["aarsak_tekst"] == "Fått jobb"
    with deps.sessions() as s:
        rad = s.get(Deltaker, jon["id"])
        assert rad is not None
        assert rad.adresse is None
        linjer = s.scalars(select(Revisjon).where(Revisjon.handling != "les")).all()
        importlinje = [r for r in linjer if r.handling == "importer"]
        assert [(r.objekt_type, r.detalj) for r in importlinje] == [
            ("deltakere", "2 nye, 0 endret, 0 uendret, 0 mangler i filen")
        ]
        assert sorted(r.handling for r in linjer if r.objekt_type == "deltaker") == [
            "opprett",
            "opprett",
        ]
    historikk_for = antall(deps, Deltakerstatus)

    igjen = kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False)
    assert igjen["nye"] == []
    assert igjen["endrede"] == []
    assert [(u["radnr"], u["nr"], u["navn"]) for u in igjen["uendrede"]] == [
        (1, "D-0001", "Kari Nordmann"),
        (2, "D-0002", "Jon Erik Berg"),
    ]
    assert antall(deps, Deltakerstatus) == historikk_for
    with deps.sessions() as s:
        endre = s.scalars(select(Revisjon).where(Revisjon.handling == "endre")).all()
        assert endre == []


def test_the_coordinator_csv_sets_the_veileder_by_name_and_changes_show_field_by_field(
    deps: Deps, admin: Aktor, gjennomforing_id: int, ase: int
) -> None:
    svar = kjor(
        deps, admin, gjennomforing_id, fil("deltakere-koordinator.csv"), CSV, forhandsvis=False
    )
    assert [n["navn"] for n in svar["nye"]] == ["Kari Nordmann", "Jon Erik Berg"]
    assert [n["radnr"] for n in svar["nye"]] == [2, 3]
    kari = deltakere.hent(deps, admin, svar["nye"][0]["deltaker_id"])
    assert [(v["bruker_id"], v["type"]) for v in kari["veiledere_arrangor"]] == [(ase, "veileder")]
    assert kari["soknadsdato"] == "2026-02-10"
    assert kari["oppstartdato"] == "2026-03-02"
    assert kari["historikk"][0]["kilde"] == "import"
    assert kari["historikk"][0]["gyldig_fra"] == deps.clock().date().isoformat()

    # The same list a month later: Kari has ended.
    tekst = fil("deltakere-koordinator.csv").decode("utf-8")
    endret = tekst.replace("02.03.2026;;Deltar", "02.03.2026;30.11.2026;Har sluttet")
    forhand = kjor(deps, admin, gjennomforing_id, endret.encode(), CSV, forhandsvis=True)
    assert forhand["nye"] == []
    assert [u["radnr"] for u in forhand["uendrede"]] == [3]
    assert forhand["endrede"] == [
        {
            "radnr": 2,
            "deltaker_id": kari["id"],
            "nr": "D-0001",
            "navn": "Kari Nordmann",
            "endringer": [
                {"felt": "Sluttdato", "fra": None, "til": "30.11.2026"},
                {"felt": "Status", "fra": "Deltar", "til": "Har sluttet"},
            ],
        }
    ]
    historikk_for = antall(deps, Deltakerstatus)
    skrevet = kjor(deps, admin, gjennomforing_id, endret.encode(), CSV, forhandsvis=False)
    assert skrevet["endrede"][0]["endringer"] == forhand["endrede"][0]["endringer"]
    assert antall(deps, Deltakerstatus) == historikk_for + 1
    etter = deltakere.hent(deps, admin, kari["id"])
    assert etter["sluttdato"] == "2026-11-30"
    assert etter["status"]["type"] == "HAR_SLUTTET"
    assert etter["historikk"][-1]["kilde"] == "import"


def test_a_list_without_a_column_keeps_the_stored_field(
    deps: Deps, admin: Aktor, gjennomforing_id: int, ase: int
) -> None:
    kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False)
    svar = kjor(
        deps, admin, gjennomforing_id, fil("deltakere-koordinator.csv"), CSV, forhandsvis=False
    )
    kari_endringer = svar["endrede"][0]["endringer"]
    assert [e["felt"] for e in kari_endringer] == ["Veileder"]  # the CSV has no phone, etc.
    kari = deltakere.hent(deps, admin, svar["endrede"][0]["deltaker_id"])
    assert kari["telefon"] == "40000017"
    assert kari["adresse"] is not None
    jon = deltakere.hent(deps, admin, svar["endrede"][1]["deltaker_id"])
    assert jon["status"]["aarsak_tekst"] == "Fått jobb"  # no Årsak column: kept


def test_any_row_error_writes_nothing_and_names_row_and_column(
    deps: Deps, admin: Aktor, gjennomforing_id: int, ase: int
) -> None:
    tekst = fil("deltakere-koordinator.csv").decode("utf-8")
    feil = tekst.replace("Har sluttet;Åse Ødegård", "Har sluttet;Ukjent Person")
    forhand = kjor(deps, admin, gjennomforing_id, feil.encode(), CSV, forhandsvis=True)
    assert [n["radnr"] for n in forhand["nye"]] == [2]
    assert [(f["radnr"], f["felt"]) for f in forhand["feil"]] == [(3, "Veileder")]
    assert "Ukjent Person" in forhand["feil"][0]["melding"]
    with pytest.raises(InputInvalidError) as err:
        importer(
            deps,
            admin,
            gjennomforing_id=gjennomforing_id,
            innhold=feil.encode(),
            mediatype=CSV,
            forhandsvis=False,
        )
    assert [f.path for f in err.value.errors] == ["rad 3.Veileder"]
    assert antall(deps, Deltaker) == 0
    assert antall(deps, Deltakerstatus) == 0

    # A row the parser refuses (an unknown status) stops the commit the same way.
    ugyldig = tekst.replace(";Deltar;", ";Holder på;")
    with pytest.raises(InputInvalidError) as err:
        importer(
            deps,
            admin,
            gjennomforing_id=gjennomforing_id,
            innhold=ugyldig.encode(),
            mediatype=CSV,
            forhandsvis=False,
        )
    assert [f.path for f in err.value.errors] == ["rad 2.Status"]
    assert FNR_KARI not in str(err.value)
    assert antall(deps, Deltaker) == 0


def test_a_deltaker_missing_from_the_file_is_kept_and_listed(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    egen = deltakere.opprett(
        deps,
        admin,
        deltaker_inn(gjennomforing_id, nr="D-0100", fodselsnummer=_fnr(7), adresse=None),
    )
    data = nav_json()
    data["deltakere"] = data["deltakere"][:1]
    svar = kjor(deps, admin, gjennomforing_id, json.dumps(data).encode(), JSON, forhandsvis=False)
    assert svar["mangler_i_filen"] == [
        {"deltaker_id": egen["id"], "nr": "D-0100", "navn": "Kari Nordmann"}
    ]
    assert deltakere.hent(deps, admin, egen["id"])["status"]["type"] == "DELTAR"


def test_a_match_in_another_gjennomforing_is_a_row_error(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    annen = les(GjennomforingInn, kontrakt("gjennomforing.json") | {"navn": "Annen"})
    annen_id = int(gjennomforinger.opprett(deps, admin, annen)["id"])
    deltakere.opprett(deps, admin, deltaker_inn(annen_id, nr="D-0012"))
    svar = kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=True)
    assert [(f["radnr"], f["felt"]) for f in svar["feil"]] == [(1, "fodselsnummer")]
    assert "annen gjennomføring (D-0012)" in svar["feil"][0]["melding"]
    assert [n["radnr"] for n in svar["nye"]] == [2]


def test_a_veileder_does_not_learn_of_a_protected_deltaker_they_do_not_follow(
    deps: Deps, org: Organisasjon, admin: Aktor, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    deltakere.opprett(
        deps, admin, deltaker_inn(gjennomforing_id, adresse=None, adressebeskyttet=True)
    )
    veileder = aktor_for(deps, org, bruker("veileder"))
    svar = kjor(deps, veileder, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=True)
    assert svar["feil"] == [
        {
            "radnr": 1,
            "felt": "fodselsnummer",
            "melding": "kan ikke importeres: kontakt en administrator",
        }
    ]
    assert svar["mangler_i_filen"] == []
    assert svar["uendrede"] == []
    assert svar["endrede"] == []
    assert "D-0017" not in json.dumps(svar)
    # An admin sees them and the protected address is never taken from the file.
    data = nav_json(d0={"adressebeskyttet": True})
    adminsvar = kjor(
        deps, admin, gjennomforing_id, json.dumps(data).encode(), JSON, forhandsvis=False
    )
    assert adminsvar["feil"] == []
    with deps.sessions() as s:
        assert all(d.adresse is None for d in s.scalars(select(Deltaker)))
    leser = aktor_for(deps, org, bruker("leser"))
    with pytest.raises(AccessDeniedError):
        importer(
            deps,
            leser,
            gjennomforing_id=gjennomforing_id,
            innhold=fil("deltakere-nav.json"),
            mediatype=JSON,
            forhandsvis=True,
        )


def test_becoming_protected_removes_the_address_without_showing_it(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False)
    data = nav_json(d0={"adressebeskyttet": True})
    svar = kjor(deps, admin, gjennomforing_id, json.dumps(data).encode(), JSON, forhandsvis=False)
    endringer = {e["felt"]: e for e in svar["endrede"][0]["endringer"]}
    assert endringer["Adresse"] == {
        "felt": "Adresse",
        "fra": "registrert",
        "til": "ingen (adressebeskyttet)",
    }
    assert "Storgata" not in json.dumps(svar)
    with deps.sessions() as s:
        assert all(d.adresse is None for d in s.scalars(select(Deltaker)))


def _fnr(n: int) -> str:
    """Return a valid synthetic (Tenor) fødselsnummer for 1 ≤ n (distinct per n)."""

    dag = 1 + n % 28
    maned = 81 + (n // 28) % 12
    ar = 50 + (n // (28 * 12)) % 40
    for individ in range(500):
        base = f"{dag:02d}{maned:02d}{ar:02d}{individ:03d}"
        v = [int(c) for c in base]
        k1 = 11 - sum(a * b for a, b in zip(v, [3, 7, 6, 1, 8, 9, 4, 5, 2], strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        v.append(k1)
        k2 = 11 - sum(a * b for a, b in zip(v, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        fnr = base + str(k1) + str(k2)
        try:
            validate_person_ident(fnr, allow_synthetic=True)
        except IdentInvalidError:
            continue
        return fnr
    raise AssertionError(n)


def test_two_thousand_rows_of_nav_json_preview_and_commit(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    mal = kontrakt("deltakere-nav.json")["deltakere"][0]
    rader = [
        mal | {"fodselsnummer": _fnr(n), "etternavn": f"Test{'x' * (n % 5)}"} for n in range(2000)
    ]
    assert len({r["fodselsnummer"] for r in rader}) == 2000
    innhold = json.dumps({"deltakere": rader}).encode()
    start = time.perf_counter()
    forhand = kjor(deps, admin, gjennomforing_id, innhold, JSON, forhandsvis=True)
    svar = kjor(deps, admin, gjennomforing_id, innhold, JSON, forhandsvis=False)
    brukt = time.perf_counter() - start
    print(f"2000 rader: forhåndsvisning + import {brukt:.2f} s")
    assert forhand["feil"] == []
    assert len(svar["nye"]) == 2000
    assert antall(deps, Deltaker) == 2000
    start = time.perf_counter()
    igjen = kjor(deps, admin, gjennomforing_id, innhold, JSON, forhandsvis=False)
    print(f"2000 uendrede rader: {time.perf_counter() - start:.2f} s")
    assert len(igjen["uendrede"]) == 2000
    assert brukt < 30


def test_a_veileder_importing_a_new_protected_deltaker_follows_them_and_can_import_again(
    deps: Deps, org: Organisasjon, gjennomforing_id: int, bruker: Callable[..., str]
) -> None:
    veileder = aktor_for(deps, org, bruker("veileder"))
    svar = kjor(
        deps, veileder, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False
    )
    jon = deltakere.hent(deps, veileder, svar["nye"][1]["deltaker_id"])
    assert jon["adressebeskyttet"] is True
    assert [(v["bruker_id"], v["type"]) for v in jon["veiledere_arrangor"]] == [
        (veileder.bruker_id, "veileder")
    ]
    kari = deltakere.hent(deps, veileder, svar["nye"][0]["deltaker_id"])
    assert kari["veiledere_arrangor"] == []  # not protected: no one is made to follow her
    igjen = kjor(
        deps, veileder, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=True
    )
    assert igjen["feil"] == []
    assert [u["radnr"] for u in igjen["uendrede"]] == [1, 2]


def test_a_row_with_errors_does_not_make_its_deltaker_missing(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False)
    data = nav_json(d1={"status": {"type": "HOLDER_PA"}})
    svar = kjor(deps, admin, gjennomforing_id, json.dumps(data).encode(), JSON, forhandsvis=True)
    assert [(f["radnr"], f["felt"]) for f in svar["feil"]] == [(2, "status.type")]
    assert svar["mangler_i_filen"] == []
    assert [u["radnr"] for u in svar["uendrede"]] == [1]


def test_changes_of_nav_fields_are_shown_in_words(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    kjor(deps, admin, gjennomforing_id, fil("deltakere-nav.json"), JSON, forhandsvis=False)
    data = nav_json(
        d0={
            "telefonnummer": "40000018",
            "dagerPerUke": 4.5,
            "deltakelseProsent": 80,
            "status": {
                "type": "HAR_SLUTTET",
                "endretDato": "2026-11-20T10:00:00",
                "aarsak": {"type": "ANNET", "beskrivelse": "flyttet"},
            },
            "sluttDato": "2026-11-20",
        }
    )
    svar = kjor(deps, admin, gjennomforing_id, json.dumps(data).encode(), JSON, forhandsvis=False)
    assert svar["endrede"][0]["endringer"] == [
        {"felt": "Telefon", "fra": "40000017", "til": "40000018"},
        {"felt": "Sluttdato", "fra": None, "til": "20.11.2026"},
        {"felt": "Deltakelsesprosent", "fra": None, "til": "80 %"},
        {"felt": "Dager per uke", "fra": None, "til": "4,5"},
        {"felt": "Status", "fra": "Deltar", "til": "Har sluttet (Annet: flyttet)"},
    ]
    kari = deltakere.hent(deps, admin, svar["endrede"][0]["deltaker_id"])
    assert kari["historikk"][-1]["gyldig_fra"] == "2026-11-20"
    assert kari["dager_per_uke"] == "4.5"
    igjen = kjor(deps, admin, gjennomforing_id, json.dumps(data).encode(), JSON, forhandsvis=True)
    assert len(igjen["uendrede"]) == 2
