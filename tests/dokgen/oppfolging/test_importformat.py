"""Reading NAV-shaped deltaker lists: the contract's JSON and coordinator list, the ways people
save and paste them, every kind of row error by its row number, and the limits."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from decimal import Decimal
from typing import Any

import pytest

from dokgen.errors import InputInvalidError, InputUnreadableError, PayloadTooLargeError
from dokgen.oppfolging.importformat import (
    Adresse,
    Importresultat,
    Radfeil,
    VeilederNav,
    les,
    les_tekst,
)
from tests.conftest import KONTRAKT

KARI, JON = "15858545606", "15909099169"  # Tenor test numbers (+80 on the month)
UGYLDIG = "15858545607"  # Kari's with the last check digit wrong
NAV_JSON = (KONTRAKT / "deltakere-nav.json").read_bytes()
KOORDINATOR_CSV = (KONTRAKT / "deltakere-koordinator.csv").read_bytes()
HEADER = "Navn;Fødselsnummer;Søkt inn;Oppstart;Slutt;Status;Veileder"


def _tenor(n: int) -> str:
    """Return the n-th synthetic (Tenor) fødselsnummer with valid check digits."""
    k1w, k2w = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        base = f"{n % 28 + 1:02d}{n // 28 % 12 + 81:02d}{n // 336 % 80 + 10:02d}{n % 500:03d}"
        k1 = (11 - sum(int(d) * w for d, w in zip(base, k1w, strict=True)) % 11) % 11
        if k1 < 10:
            k2 = (11 - sum(int(d) * w for d, w in zip(f"{base}{k1}", k2w, strict=True)) % 11) % 11
            if k2 < 10:
                return f"{base}{k1}{k2}"
        n += 100_000


def nav_data() -> dict[str, Any]:
    return json.loads(NAV_JSON)


def les_nav(data: Any, **kw: Any) -> Importresultat:
    innhold = json.dumps(data).encode()
    return les(innhold, "application/json", tillat_syntetiske=True, **kw)


def les_csv(*rader: str, header: str = HEADER, **kw: Any) -> Importresultat:
    innhold = "\n".join([header, *rader]).encode()
    return les(innhold, "text/csv", tillat_syntetiske=True, **kw)


def feil_i(resultat: Importresultat) -> list[tuple[int, str, str]]:
    return [(f.radnr, f.felt, f.melding) for f in resultat.feil]


# --- the contract's two files ----------------------------------------------------------------


def test_navs_json_gives_the_registers_fields() -> None:
    """The contract's NAV export reads to both deltakere, every field NAV gives mapped."""
    resultat = les(NAV_JSON, "application/json", tillat_syntetiske=True)
    assert resultat.feil == []
    assert resultat.format == "json"
    kari, jon = resultat.rader
    assert (kari.radnr, kari.fodselsnummer, kari.fornavn, kari.etternavn) == (
        1,
        KARI,
        "Kari",
        "Nordmann",
    )
    assert (kari.status, kari.aarsak, kari.gyldig_fra) == ("DELTAR", None, dt.date(2026, 3, 2))
    assert (kari.oppstartdato, kari.sluttdato) == (dt.date(2026, 3, 2), None)
    assert kari.soknadsdato == dt.date(2026, 2, 10)
    assert kari.telefon == "40000017"
    assert kari.adresse == Adresse(gate="Storgata 1", postnummer="0155", poststed="Oslo")
    assert kari.adressebeskyttet is False
    assert kari.innsokende_nav_kontor == "NAV Grünerløkka"
    assert kari.veileder_nav == VeilederNav("Ola Hansen", "55553333", "ola.hansen@nav.no")
    assert kari.bestilling_fra_nav is not None
    assert kari.bestilling_fra_nav.startswith("Bistand til å skaffe")
    assert kari.veileder_arrangor_navn is None
    assert (jon.radnr, jon.fornavn, jon.mellomnavn, jon.etternavn) == (2, "Jon", "Erik", "Berg")
    assert (jon.status, jon.aarsak, jon.beskrivelse) == ("HAR_SLUTTET", "FATT_JOBB", None)
    assert jon.sluttdato == dt.date(2026, 11, 13)
    assert jon.gyldig_fra == dt.date(2026, 11, 13)
    assert (jon.adressebeskyttet, jon.adresse) == (True, None)
    assert jon.veileder_nav == VeilederNav("Nina Dahl", None, "nina.dahl@nav.no")


def test_navs_json_carries_all_but_the_arrangors_veileder() -> None:
    felter = les_nav(nav_data()).felter
    assert {"adresse", "gyldig_fra", "veileder_nav", "aarsak", "dager_per_uke"} <= felter
    assert "veileder_arrangor_navn" not in felter


def test_a_protected_address_is_dropped_even_when_the_file_has_one() -> None:
    data = nav_data()
    data["deltakere"][1]["adresse"] = copy.deepcopy(data["deltakere"][0]["adresse"])
    jon = les_nav(data).rader[1]
    assert (jon.adressebeskyttet, jon.adresse) == (True, None)


def test_a_bare_list_of_deltakere_is_read_too() -> None:
    resultat = les_nav(nav_data()["deltakere"])
    assert [r.fornavn for r in resultat.rader] == ["Kari", "Jon"]


def test_fields_nav_adds_later_are_ignored_and_numbers_are_decimals() -> None:
    data = nav_data()
    data["deltakere"][0] |= {"nyttFelt": 1, "deltakelseProsent": 50, "dagerPerUke": 2.5}
    kari = les_nav(data).rader[0]
    assert (kari.deltakelsesprosent, kari.dager_per_uke) == (Decimal(50), Decimal("2.5"))


def test_the_coordinator_list_gives_its_columns() -> None:
    """The contract's CSV reads to the same people, with the file's line numbers."""
    resultat = les(KOORDINATOR_CSV, "text/csv", tillat_syntetiske=True)
    assert resultat.feil == []
    assert resultat.format == "csv"
    kari, jon = resultat.rader
    assert (kari.radnr, kari.fodselsnummer, kari.fornavn, kari.mellomnavn) == (
        2,
        KARI,
        "Kari",
        None,
    )
    assert (kari.status, kari.oppstartdato, kari.sluttdato) == ("DELTAR", dt.date(2026, 3, 2), None)
    assert kari.soknadsdato == dt.date(2026, 2, 10)
    assert kari.veileder_arrangor_navn == "Åse Ødegård"
    assert (jon.radnr, jon.fornavn, jon.mellomnavn, jon.etternavn) == (3, "Jon", "Erik", "Berg")
    assert (jon.status, jon.sluttdato) == ("HAR_SLUTTET", dt.date(2026, 11, 13))
    # What the list does not say stays unset, and felter says so.
    assert (jon.gyldig_fra, jon.adresse, jon.adressebeskyttet, jon.veileder_nav) == (None,) * 4
    assert resultat.felter == {
        "fornavn",
        "mellomnavn",
        "etternavn",
        "fodselsnummer",
        "status",
        "soknadsdato",
        "oppstartdato",
        "sluttdato",
        "veileder_arrangor_navn",
    }


# --- the ways people save and paste the list -------------------------------------------------


def _som_tsv(csv_tekst: str) -> str:
    return csv_tekst.replace(";", "\t")


def test_the_table_pasted_from_the_browser_reads_like_the_csv() -> None:
    tekst = _som_tsv(KOORDINATOR_CSV.decode())
    fra_csv = les(KOORDINATOR_CSV, "text/csv", tillat_syntetiske=True).rader
    limt = les_tekst(tekst, tillat_syntetiske=True)
    assert limt.format == "tsv"
    assert limt.rader == fra_csv
    opplastet = les(tekst.encode(), "text/plain", tillat_syntetiske=True)
    assert (opplastet.format, opplastet.rader) == ("tsv", fra_csv)
    assert les(tekst.encode(), "text/tab-separated-values", tillat_syntetiske=True).rader == fra_csv


def test_pasted_json_is_read_as_json() -> None:
    resultat = les_tekst("\n  " + NAV_JSON.decode(), tillat_syntetiske=True)
    assert (resultat.format, len(resultat.rader)) == ("json", 2)


def test_bom_crlf_trailing_blank_lines_and_a_repeated_header_are_tolerated() -> None:
    tekst = KOORDINATOR_CSV.decode().replace("\n", "\r\n")
    linjer = tekst.splitlines()
    innhold = "\ufeff" + "\r\n".join([*linjer[:2], linjer[0], linjer[2], "", ";;;", ""]) + "\r\n"
    resultat = les(innhold.encode(), "text/csv", tillat_syntetiske=True)
    assert resultat.feil == []
    assert [(r.radnr, r.fornavn) for r in resultat.rader] == [(2, "Kari"), (4, "Jon")]


def test_windows_1252_from_excel_is_read() -> None:
    innhold = KOORDINATOR_CSV.decode().encode("cp1252")
    resultat = les(innhold, "application/vnd.ms-excel", tillat_syntetiske=True)
    assert resultat.feil == []
    assert resultat.rader[0].veileder_arrangor_navn == "Åse Ødegård"


def test_a_spreadsheets_unicode_text_is_read() -> None:
    innhold = _som_tsv(KOORDINATOR_CSV.decode()).encode("utf-16")  # with its BOM
    resultat = les(innhold, "text/plain", tillat_syntetiske=True)
    assert (resultat.format, [r.fornavn for r in resultat.rader]) == ("tsv", ["Kari", "Jon"])


def test_comma_separated_with_quoted_names() -> None:
    resultat = les_csv(
        f'"Berg, Jon Erik",{JON},18.12.2025,12.01.2026,13.11.2026,har  SLUTTET,',
        header="Navn,Fødselsnummer,Søkt inn,Oppstart,Slutt,Status,Veileder",
    )
    (jon,) = resultat.rader
    assert (jon.etternavn, jon.fornavn, jon.mellomnavn, jon.status) == (
        "Berg",
        "Jon",
        "Erik",
        "HAR_SLUTTET",
    )
    assert jon.veileder_arrangor_navn is None


def test_headers_in_any_case_order_and_spacing_and_unknown_columns_ignored() -> None:
    resultat = les_csv(
        f"Deltar;x;{KARI} ;Nordmann, Kari;",
        header="STATUS ; Telefon ;  fødsels nummer;navn;Ukjent",
    )
    (kari,) = resultat.rader
    assert (kari.fodselsnummer, kari.fornavn, kari.status) == (KARI, "Kari", "DELTAR")
    assert "oppstartdato" not in resultat.felter


def test_excels_sep_line_and_a_title_above_the_header() -> None:
    innhold = f"sep=;\nDeltakerliste JMO Oslo\n{HEADER}\nNordmann, Kari;{KARI};;;;Deltar;\n"
    (kari,) = les(innhold.encode(), "text/csv", tillat_syntetiske=True).rader
    assert (kari.radnr, kari.fornavn) == (4, "Kari")


def test_an_arsak_column_is_read_when_there() -> None:
    resultat = les_csv(
        f"Nordmann, Kari;{KARI};Har sluttet;Annet: flyttet til Bergen",
        f"Berg, Jon Erik;{JON};Har sluttet;fått JOBB",
        header="Navn;Fødselsnummer;Status;Årsak",
    )
    assert [(r.aarsak, r.beskrivelse) for r in resultat.rader] == [
        ("ANNET", "flyttet til Bergen"),
        ("FATT_JOBB", None),
    ]
    assert {"aarsak", "beskrivelse"} <= resultat.felter


# --- file-level errors -----------------------------------------------------------------------


def test_missing_required_columns_are_named_in_one_error() -> None:
    with pytest.raises(InputInvalidError) as exc:
        les_csv(f"Nordmann, Kari;{KARI}", header="Navn;Oppstart")
    (feil,) = exc.value.errors
    assert feil.message.startswith("mangler kolonnene Fødselsnummer og Status:")


def test_an_empty_file_says_so() -> None:
    with pytest.raises(InputInvalidError, match="filen er tom"):
        les(b"\r\n\r\n", "text/csv", tillat_syntetiske=True)


def test_malformed_json_names_line_and_column_but_no_content() -> None:
    innhold = b'{\n  "deltakere": [\n    {"fodselsnummer": "15858545606",}\n  ]\n}'
    with pytest.raises(InputUnreadableError) as exc:
        les(innhold, "application/json", tillat_syntetiske=True)
    assert str(exc.value) == "filen er ikke gyldig JSON (linje 3, kolonne 37)"


@pytest.mark.parametrize(
    ("innhold", "melding"),
    [
        (b'{"deltakere": [NaN]}', "et tall er ugyldig"),
        (b"[" * 100_000 + b"]" * 100_000, "for mange nivåer"),
        (b'{"deltakerliste": {}}', "fant ingen liste «deltakere»"),
    ],
)
def test_json_that_cannot_be_a_list_of_deltakere(innhold: bytes, melding: str) -> None:
    with pytest.raises((InputUnreadableError, InputInvalidError), match=melding):
        les(innhold, "application/json", tillat_syntetiske=True)


@pytest.mark.parametrize(
    "innhold",
    [b"PK\x03\x04\x14\x00\x06\x00", "Navn;Fødselsnummer\n".encode() + b"\x81\x8d\x8f"],
)
def test_a_file_that_is_not_text_is_refused(innhold: bytes) -> None:
    with pytest.raises(InputUnreadableError, match="filen er ikke tekst"):
        les(innhold, "text/csv", tillat_syntetiske=True)


def test_an_unknown_media_type_is_refused() -> None:
    with pytest.raises(InputUnreadableError, match="filtypen kan ikke leses"):
        les(KOORDINATOR_CSV, "application/pdf", tillat_syntetiske=True)


def test_the_size_limit() -> None:
    with pytest.raises(PayloadTooLargeError, match="større enn 1 kB"):
        les(b" " * 1025, "text/csv", tillat_syntetiske=True, maks_byte=1024)
    with pytest.raises(PayloadTooLargeError, match="større enn 5 MB"):
        les(b" " * (5 * 1024 * 1024 + 1), "text/csv", tillat_syntetiske=True)
    with pytest.raises(PayloadTooLargeError, match="lengre enn 100 tegn"):
        les_tekst(" " * 101, tillat_syntetiske=True, maks_tegn=100)


def test_the_row_limit() -> None:
    rader = [f"Nordmann, Kari;{_tenor(n)};Deltar" for n in range(4)]
    header = "Navn;Fødselsnummer;Status"
    assert len(les_csv(*rader[:3], header=header, maks_rader=3).rader) == 3
    with pytest.raises(InputInvalidError, match="mer enn 3 rader"):
        les_csv(*rader, header=header, maks_rader=3)
    with pytest.raises(InputInvalidError, match="filen har 4 deltakere; høyst 3"):
        les_nav([nav_data()["deltakere"][0]] * 4, maks_rader=3)


# --- row errors ------------------------------------------------------------------------------

GOD = ["Nordmann, Kari", KARI, "10.02.2026", "02.03.2026", "", "Deltar", "Åse"]


def _rad(**endret: str) -> str:
    kolonner = ["Navn", "Fnr", "Sokt", "Oppstart", "Slutt", "Status", "Veileder"]
    return ";".join(endret.get(k, v) for k, v in zip(kolonner, GOD, strict=True))


@pytest.mark.parametrize(
    ("endret", "felt", "melding"),
    [
        (
            {"Fnr": UGYLDIG},
            "Fødselsnummer",
            "fødselsnummeret er ugyldig (kontrollsifrene stemmer ikke)",
        ),
        ({"Fnr": ""}, "Fødselsnummer", "fødselsnummeret mangler"),
        (
            {"Fnr": KARI[1:]},
            "Fødselsnummer",
            "fødselsnummeret har 10 siffer, ikke 11: har regnearket",
        ),
        ({"Fnr": "1,58585E+10"}, "Fødselsnummer", "fødselsnummeret er ugyldig (må være 11 siffer)"),
        ({"Oppstart": "2.3.26"}, "Oppstart", "skriv datoen som dd.mm.åååå, f.eks. 02.03.2026"),
        ({"Sokt": "31.02.2026"}, "Søkt inn", "datoen finnes ikke i kalenderen; sjekk dag og måned"),
        (
            {"Slutt": "01.03.2026"},
            "Slutt",
            "sluttdatoen er før oppstartsdatoen; sjekk begge datoene",
        ),
        (
            {"Status": "Holder på"},
            "Status",
            "ukjent status «Holder på» — bruk en av: Deltar, Venter på oppstart, Har sluttet,",
        ),
        ({"Status": ""}, "Status", "statusen mangler — bruk en av: Deltar,"),
        (
            {"Navn": "Kari Nordmann"},
            "Navn",
            "navnet har feil form; skriv det som «Etternavn, Fornavn», f.eks. «Nordmann, Kari»",
        ),
        ({"Navn": "Nordmann,"}, "Navn", "navnet har feil form; skriv det som «Etternavn, Fornavn»"),
        ({"Navn": ""}, "Navn", "navnet mangler; skriv det som «Etternavn, Fornavn»"),
        (
            {"Navn": "Nordmann, 15858"},
            "Navn",
            "et navn kan ikke inneholde sifre; står noe i feil kolonne?",
        ),
        ({"Veileder": "x" * 201}, "Veileder", "er for lang: høyst 200 tegn"),
    ],
)
def test_each_kind_of_csv_row_error(endret: dict[str, str], felt: str, melding: str) -> None:
    resultat = les_csv(_rad(Fnr=JON), _rad(**endret))
    (feil,) = resultat.feil
    assert (feil.radnr, feil.felt) == (3, felt)
    assert feil.melding.startswith(melding)
    assert [r.radnr for r in resultat.rader] == [2]


def test_an_error_reads_as_row_field_and_what_to_write() -> None:
    (feil,) = les_csv(_rad(Fnr=JON), _rad(Oppstart="2026/03/02")).feil
    assert str(feil) == "rad 3, Oppstart: skriv datoen som dd.mm.åååå, f.eks. 02.03.2026"


def test_an_unknown_arsak_word_lists_the_known_ones() -> None:
    (feil,) = les_csv(f"Berg, Jon;{JON};Har sluttet;Lei", header="Navn;Fnr;Status;Årsak").feil
    assert str(feil).startswith("rad 2, Årsak: ukjent årsak «Lei» — bruk en av: Syk, Fått jobb,")


def _nav_med(**endret: Any) -> dict[str, Any]:
    data = nav_data()
    deltaker = data["deltakere"][1]
    for sti, verdi in endret.items():
        *foreldre, navn = sti.split("__")
        mal = deltaker
        for del_ in foreldre:
            mal = mal[del_]
        mal[navn] = verdi
    return data


@pytest.mark.parametrize(
    ("endret", "felt", "melding"),
    [
        (
            {"fodselsnummer": UGYLDIG},
            "fodselsnummer",
            "fødselsnummeret er ugyldig (kontrollsifrene stemmer ikke)",
        ),
        (
            {"status__type": "HOLDER_PA"},
            "status.type",
            "ukjent statuskode «HOLDER_PA»; NAVs koder er KLADD,",
        ),
        (
            {"status__aarsak": {"type": "LEI"}},
            "status.aarsak.type",
            "ukjent årsakskode «LEI»; NAVs koder er SYK,",
        ),
        (
            {"status__aarsak__beskrivelse": "ny jobb"},
            "status.aarsak.beskrivelse",
            "en beskrivelse hører bare til årsaken «Annet»",
        ),
        (
            {"startDato": "12.01.2026"},
            "startDato",
            "skriv datoen som åååå-mm-dd, f.eks. 2026-03-02",
        ),
        ({"sluttDato": "2026-01-11"}, "sluttDato", "sluttdatoen er før oppstartsdatoen"),
        (
            {"status__endretDato": "2026-02-30T10:00:00"},
            "status.endretDato",
            "datoen finnes ikke i kalenderen",
        ),
        (
            {"deltakelseProsent": 120},
            "deltakelseProsent",
            "deltakelsesprosenten må være et tall større enn 0 og høyst 100",
        ),
        (
            {"navInformasjon__navVeileder__epost": "nina.dahl"},
            "navInformasjon.navVeileder.epost",
            "e-postadressen er ugyldig",
        ),
        ({"fornavn": None}, "fornavn", "skal være tekst i anførselstegn"),
        ({"fornavn": "  "}, "fornavn", "mangler; fyll ut feltet"),
        ({"mellomnavn": "Erik 2"}, "mellomnavn", "et navn kan ikke inneholde sifre"),
        ({"adressebeskyttet": "kanskje"}, "adressebeskyttet", "skal være true eller false"),
        ({"status": "DELTAR"}, "status", "skal være et objekt { … }"),
        ({"dagerPerUke": "mange"}, "dagerPerUke", "skal være et tall"),
    ],
)
def test_each_kind_of_json_row_error(endret: dict[str, Any], felt: str, melding: str) -> None:
    resultat = les_nav(_nav_med(**endret))
    assert [(f.radnr, f.felt) for f in resultat.feil] == [(2, felt)]
    assert resultat.feil[0].melding.startswith(melding)
    assert [r.radnr for r in resultat.rader] == [1]


def test_a_missing_field_and_a_deltaker_that_is_no_object() -> None:
    data = nav_data()
    del data["deltakere"][0]["etternavn"]
    data["deltakere"].append("Kari")
    assert feil_i(les_nav(data)) == [
        (1, "etternavn", "mangler"),
        (3, "deltaker", "skal være et objekt { … }"),
    ]


def test_a_row_missing_fields_reports_its_bad_fodselsnummer_in_the_same_round() -> None:
    """A row with required fields left out and a fødselsnummer with a wrong check digit
    gets every error at once, and no message quotes the number."""
    data = nav_data()
    rad = data["deltakere"][0]
    for felt in ("fornavn", "etternavn", "status"):
        del rad[felt]
    rad["fodselsnummer"] = UGYLDIG
    rad["startDato"] = "12.01.2026"
    rad["adressebeskyttet"] = "kanskje"
    resultat = les_nav(data)
    feil = feil_i(resultat)
    assert [(nr, felt) for nr, felt, _ in feil] == [
        (1, "fornavn"),
        (1, "etternavn"),
        (1, "status"),
        (1, "adressebeskyttet"),
        (1, "fodselsnummer"),
        (1, "startDato"),
    ]
    melding = dict((felt, m) for _, felt, m in feil)
    assert melding["fornavn"] == melding["status"] == "mangler"
    assert melding["fodselsnummer"].startswith("fødselsnummeret er ugyldig")
    assert melding["startDato"] == "skriv datoen som åååå-mm-dd, f.eks. 2026-03-02"
    assert not any(UGYLDIG in m or UGYLDIG[:6] in m for _, _, m in feil)
    assert [r.radnr for r in resultat.rader] == [2]


def test_a_row_with_a_type_error_is_still_found_twice_by_its_fodselsnummer() -> None:
    data = nav_data()
    kopi = copy.deepcopy(data["deltakere"][0])
    kopi["etternavn"] = 7
    data["deltakere"].append(kopi)
    assert [(f.radnr, f.felt) for f in les_nav(data).feil] == [
        (1, "fodselsnummer"),
        (3, "etternavn"),
        (3, "fodselsnummer"),
    ]


def test_annet_may_have_a_description() -> None:
    data = _nav_med(status__aarsak={"type": "ANNET", "beskrivelse": "flyttet"})
    jon = les_nav(data).rader[1]
    assert (jon.aarsak, jon.beskrivelse) == ("ANNET", "flyttet")


def test_the_same_fodselsnummer_twice_marks_both_rows() -> None:
    resultat = les_csv(_rad(), f"Berg, Jon;{JON};;;;Deltar;", _rad(Navn="Nordmann, Kari Anne"))
    melding = "samme fødselsnummer står også på rad {}; ta med deltakeren én gang"
    assert feil_i(resultat) == [
        (2, "Fødselsnummer", melding.format(4)),
        (4, "Fødselsnummer", melding.format(2)),
    ]
    assert [r.fornavn for r in resultat.rader] == ["Jon"]
    data = nav_data()
    data["deltakere"].append(data["deltakere"][0])
    assert [(f.radnr, f.felt) for f in les_nav(data).feil] == [
        (1, "fodselsnummer"),
        (3, "fodselsnummer"),
    ]


def test_every_rows_errors_are_returned_not_just_the_first() -> None:
    resultat = les_csv(
        _rad(Fnr=UGYLDIG, Status="Holder på"),
        _rad(Fnr=JON, Navn="Berg, Jon"),
        _rad(Fnr=_tenor(1), Oppstart="i morgen", Slutt="x"),
    )
    assert [(f.radnr, f.felt) for f in resultat.feil] == [
        (2, "Fødselsnummer"),
        (2, "Status"),
        (4, "Oppstart"),
        (4, "Slutt"),
    ]
    assert [r.radnr for r in resultat.rader] == [3]


def test_synthetic_numbers_only_when_allowed() -> None:
    resultat = les(KOORDINATOR_CSV, "text/csv", tillat_syntetiske=False)
    assert resultat.rader == []
    assert feil_i(resultat) == [
        (
            n,
            "Fødselsnummer",
            "fødselsnummeret er ugyldig (syntetiske testnumre er ikke tillatt her)",
        )
        for n in (2, 3)
    ]


def test_no_error_repeats_a_fodselsnummer_from_any_cell() -> None:
    """A fødselsnummer typed in the wrong column, a wrong one, or one twice: no message
    quotes it, and none needed the last guard (the mask) to hide one."""
    rader = [
        _rad(Fnr=UGYLDIG, Status=KARI, Navn=JON, Oppstart=KARI),
        _rad(Fnr="158585 45606", Veileder="x" * 190 + UGYLDIG),
        _rad(Status=f"Deltar {UGYLDIG}"),
        _rad(Fnr=KARI[:10]),
        f"Berg, Jon;{JON};;;;Deltar;;{KARI}",
    ]
    resultat = les(
        "\n".join([HEADER + ";Årsak", *rader]).encode(), "text/csv", tillat_syntetiske=True
    )
    data = _nav_med(status__type=UGYLDIG, fornavn=KARI, fodselsnummer=KARI[:10], startDato=JON)
    data["deltakere"][0]["status"]["aarsak"] = {"type": JON, "beskrivelse": KARI}
    tekster = [str(f) for f in [*resultat.feil, *les_nav(data).feil]]
    assert len(tekster) >= 10
    for tekst in tekster:
        assert not re.search(r"\d{6}", tekst), tekst
        assert "*" not in tekst, tekst


def test_a_radfeil_masks_what_slips_through() -> None:
    assert str(Radfeil(2, "x", f"tall {KARI}")) == "rad 2, x: tall ***********"


def test_the_fodselsnummer_is_not_in_a_rows_repr() -> None:
    (kari, _) = les_nav(nav_data()).rader
    assert KARI not in repr(kari)


# --- performance -----------------------------------------------------------------------------


def test_two_thousand_deltakere_of_nav_json_read_quickly() -> None:
    mal = nav_data()["deltakere"][0]
    deltakere = [{**mal, "fodselsnummer": _tenor(n)} for n in range(2000)]
    innhold = json.dumps({"deltakere": deltakere}).encode()
    start = time.perf_counter()
    resultat = les(innhold, "application/json", tillat_syntetiske=True)
    brukt = time.perf_counter() - start
    assert (len(resultat.rader), resultat.feil) == (2000, [])
    assert len({r.fodselsnummer for r in resultat.rader}) == 2000
    assert brukt < 5, f"{brukt:.2f} s"  # typically well under 0.1 s


def test_csv_dates_may_drop_leading_zeros_or_be_iso() -> None:
    """Spreadsheets turn 02.03.2026 into 2.3.2026 or 2026-03-02; both mean the same day."""
    (kari,) = les_csv(_rad(Sokt="2026-02-10", Oppstart="2.3.2026", Slutt="1.12.2026")).rader
    assert (kari.soknadsdato, kari.oppstartdato, kari.sluttdato) == (
        dt.date(2026, 2, 10),
        dt.date(2026, 3, 2),
        dt.date(2026, 12, 1),
    )
