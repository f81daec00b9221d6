"""The timeliste CSV: same grunnlag as the JSON, encodings, decimal comma, row-numbered errors."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ehf.errors import GrunnlagInvalidError
from ehf.grunnlag import load_grunnlag
from ehf.rules import get_regelsett
from ehf.timeliste import KOLONNER, grunnlag_fra_timeliste, les_timeliste
from tests.conftest import FIXTURES, KONTRAKT

HEADER = ";".join(KOLONNER)
CSV = (KONTRAKT / "timeliste.csv").read_bytes()


def _innstillinger() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (FIXTURES / "grunnlag" / "innstillinger.json").read_text(encoding="utf-8")
    )
    return data


def _csv(*rows: str, newline: str = "\n") -> bytes:
    return newline.join([HEADER, *rows]).encode("utf-8") + newline.encode()


def _errors(csv_bytes: bytes) -> dict[str, str]:
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_fra_timeliste(csv_bytes, _innstillinger())
    return {e.path: e.message for e in info.value.errors}


OK_ROW = "2026-10-02;D-0017;Kari Nordmann;oppfolging;50;;;;"


def test_contract_csv_gives_the_contract_json(kontrakt: Any) -> None:
    """The contract CSV + the settings fixture equal the contract JSON, field by field."""
    fra_csv = grunnlag_fra_timeliste(CSV, _innstillinger())
    fra_json = load_grunnlag(kontrakt("fakturagrunnlag"))
    assert fra_csv.aktiviteter[0].kommentar == "Samtale på arbeidsplassen"
    fra_json_uten_kommentar = [
        a.model_copy(update={"kommentar": None}) for a in fra_json.aktiviteter
    ]
    fra_csv_uten_kommentar = [a.model_copy(update={"kommentar": None}) for a in fra_csv.aktiviteter]
    # The contract JSON leaves the comments out; everything else is the same (the CSV
    # rows also remember their row number, which is not data: compare the fields).
    assert [a.model_dump() for a in fra_csv_uten_kommentar] == [
        a.model_dump() for a in fra_json_uten_kommentar
    ]
    assert fra_csv.model_dump(exclude={"aktiviteter"}) == fra_json.model_dump(
        exclude={"aktiviteter"}
    )


def test_contract_csv_bills_the_same_hours() -> None:
    """Through the rule set the CSV gives D-0017 = 4.25 h and D-0023 = 1.25 h."""
    g = grunnlag_fra_timeliste(CSV, _innstillinger())
    f = get_regelsett(g.regelsett).beregn(g.aktiviteter)
    assert [(linje.deltaker_nr, linje.timer) for linje in f.linjer] == [
        ("D-0017", Decimal("4.25")),
        ("D-0023", Decimal("1.25")),
    ]


def test_bom_and_crlf() -> None:
    """A UTF-8 BOM and CRLF line ends (Excel's export) read the same as plain UTF-8."""
    plain = grunnlag_fra_timeliste(CSV, _innstillinger())
    excel = CSV.decode("utf-8").replace("\n", "\r\n")
    assert grunnlag_fra_timeliste(b"\xef\xbb\xbf" + excel.encode(), _innstillinger()) == plain


def test_decimal_comma_minutes() -> None:
    """'37,5' minutes is 37.5; a point is accepted too."""
    rows = les_timeliste(
        _csv(
            "2026-10-02;D-0017;Kari Nordmann;oppfolging;37,5;;;;",
            "2026-10-03;D-0017;Kari Nordmann;oppfolging;12.5;;;;",
        )
    )
    assert [r["minutter"] for r in rows] == ["37.5", "12.5"]
    g = grunnlag_fra_timeliste(
        _csv("2026-10-02;D-0017;Kari Nordmann;oppfolging;37,5;;;;"), _innstillinger()
    )
    assert g.aktiviteter[0].minutter == Decimal("37.5")


def test_optional_columns_and_blank_lines() -> None:
    """Empty optional cells are absent; blank lines are skipped; cells are trimmed."""
    rows = les_timeliste(
        _csv(
            " 2026-10-22 ;D-0023;Jon Berg;gruppe; 90 ;4;;;Jobbsøkerkurs",
            ";;;;;;;;",
            "",
            "2026-10-02;D-0017;Kari Nordmann;reise;80;;2026-10-02 Matbutikken;;",
        )
    )
    assert rows == [
        {
            "dato": "2026-10-22",
            "deltaker": {"nr": "D-0023", "navn": "Jon Berg"},
            "aktivitet": "gruppe",
            "minutter": "90",
            "antall_deltakere": "4",
            "kommentar": "Jobbsøkerkurs",
        },
        {
            "dato": "2026-10-02",
            "deltaker": {"nr": "D-0017", "navn": "Kari Nordmann"},
            "aktivitet": "reise",
            "minutter": "80",
            "mote": "2026-10-02 Matbutikken",
        },
    ]


def test_semicolon_inside_quotes() -> None:
    """A quoted comment may hold a semicolon."""
    rows = les_timeliste(_csv('2026-10-02;D-0017;Kari Nordmann;oppfolging;50;;;;"ja; nei"'))
    assert rows[0]["kommentar"] == "ja; nei"


@pytest.mark.parametrize(
    ("row", "path", "message"),
    [
        ("2026-10-02;D-0017;Kari Nordmann;oppfolging;-5;;;;", "rad 3, minutter", "kan ikke være"),
        ("2026-10-02;D-0017;Kari Nordmann;oppfolging;1441;;;;", "rad 3, minutter", "kan ikke"),
        ("2026-10-02;D-0017;Kari Nordmann;oppfolging;1.234,5;;;;", "rad 3, minutter", "må være"),
        ("2026-10-02;D-0017;Kari Nordmann;kaffe;5;;;;", "rad 3, aktivitet", "ukjent aktivitet"),
        (
            "2026-11-02;D-0017;Kari Nordmann;oppfolging;5;;;;",
            "rad 3, dato",
            "2026-11-02 er utenfor",
        ),
        ("02.10.2026;D-0017;Kari Nordmann;oppfolging;5;;;;", "rad 3, dato", "ugyldig dato"),
        (
            "2026-10-02;D-0017;Kari Nordmann;gruppe;90;;;;",
            "rad 3, antall_deltakere",
            "gruppe krever",
        ),
        (
            "2026-10-02;D-0017;Kari Nordmann;gruppe;90;0;;;",
            "rad 3, antall_deltakere",
            "gruppe krever",
        ),
        (
            "2026-10-02;D-0017;Kari Nordmann;gruppe;90;fire;;;",
            "rad 3, antall_deltakere",
            "må være et",
        ),
        ("2026-10-02;;Kari Nordmann;oppfolging;5;;;;", "rad 3, deltaker_nr", "kan ikke være tom"),
        ("2026-10-02;D-0017;;oppfolging;5;;;;", "rad 3, deltaker_navn", "kan ikke være tom"),
        ("2026-10-02;D-0017;Kari Nordmann;oppfolging;5;;;", "rad 3", "har 8 kolonner, skal ha 9"),
    ],
)
def test_invalid_row_has_its_csv_row_number(row: str, path: str, message: str) -> None:
    """Each rule names the CSV row (header = 1) and the column."""
    errors = _errors(_csv(OK_ROW, row))
    assert errors[path].startswith(message), errors
    assert not any(p.startswith("rad 2") for p in errors)


def test_fodselsnummer_as_deltaker_nr_is_refused_without_echo() -> None:
    """A deltaker_nr that is a person id is refused; the number is not repeated in the error."""
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_fra_timeliste(
            _csv("2026-10-02;15858545606;Kari Nordmann;oppfolging;50;;;;"), _innstillinger()
        )
    assert [e.path for e in info.value.errors] == ["rad 2, deltaker_nr"]
    assert "15858545606" not in str(info.value)


def test_every_row_error_at_once() -> None:
    """Errors from many rows, including a short row, come together in row order."""
    errors = _errors(
        _csv(
            "2026-10-02;D-0017;Kari Nordmann;oppfolging;-1;;;;",
            OK_ROW,
            "2026-10-02;D-0017;Kari Nordmann",
            "2026-12-24;D-0017;Kari Nordmann;lunsj;30;;;;",
            "2026-10-22;D-0023;Jon Berg;gruppe;90;;;;",
            newline="\r\n",
        )
    )
    assert list(errors) == [
        "rad 2, minutter",
        "rad 4",
        "rad 5, aktivitet",
        "rad 5, dato",
        "rad 6, antall_deltakere",
    ]
    assert errors["rad 4"] == "har 3 kolonner, skal ha 9"


def test_wrong_header() -> None:
    """A header other than the contract's is refused at row 1."""
    bad = CSV.replace(b"deltaker_nr", b"fnr", 1)
    assert _errors(bad) == {"rad 1": "overskriften må være " + HEADER}
    assert _errors(b"") == {"rad 1": "overskriften må være " + HEADER}


def test_not_utf8() -> None:
    """A Latin-1 file is refused as a whole, not misread."""
    assert _errors(CSV.decode("utf-8").encode("latin-1")) == {"timeliste": "er ikke UTF-8"}


def test_settings_must_not_carry_activities() -> None:
    """The activities come from the CSV only."""
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_fra_timeliste(CSV, {**_innstillinger(), "aktiviteter": []})
    assert info.value.errors[0].path == "innstillinger.aktiviteter"


def test_settings_errors_keep_their_json_path() -> None:
    """A bad setting is reported by its JSON path next to the row errors."""
    innstillinger = _innstillinger()
    innstillinger["selger"]["orgnr"] = "998877661"
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_fra_timeliste(
            _csv("2026-10-02;D-0017;Kari Nordmann;oppfolging;-1;;;;"), innstillinger
        )
    assert {e.path for e in info.value.errors} == {"selger.orgnr", "rad 2, minutter"}


def test_explanations_name_the_csv_row(kontrakt: Any) -> None:
    """Billing a timeliste names CSV rows (header = 1); the JSON names positions from 1."""
    g = grunnlag_fra_timeliste((KONTRAKT / "timeliste.csv").read_bytes(), _innstillinger())
    assert [a.kilde_rad for a in g.aktiviteter] == [2, 3, 4, 5, 6, 7, 8, 9]
    kari = get_regelsett(g.regelsett).beregn(g.aktiviteter).linjer[0]
    assert [(j.rad, j.aktivitet) for j in kari.justeringer][:2] == [(2, "oppfolging"), (3, "reise")]
    json_g = load_grunnlag(kontrakt("fakturagrunnlag"))
    assert json_g.aktiviteter[0].kilde_rad is None
    kari_json = get_regelsett(json_g.regelsett).beregn(json_g.aktiviteter).linjer[0]
    assert kari_json.justeringer[0].rad == 1
