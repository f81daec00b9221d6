"""The timeliste CSV: the contract file gives the JSON's grunnlag; errors name CSV rows."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ehf.errors import GrunnlagInvalidError
from ehf.grunnlag import load_grunnlag
from ehf.rules import get_regelsett
from ehf.timeliste import grunnlag_fra_timeliste, les_timeliste
from tests.conftest import FIXTURES, KONTRAKT

HEADER = "dato;deltaker_nr;deltaker_navn;aktivitet;minutter;antall_deltakere;mote;rapport;kommentar"


def _innstillinger() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (FIXTURES / "grunnlag" / "innstillinger.json").read_text(encoding="utf-8")
    )
    return data


def _csv(*rows: str, bom: bool = False, newline: str = "\n") -> bytes:
    text = newline.join([HEADER, *rows]) + newline
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def _errors(csv_bytes: bytes) -> dict[str, str]:
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_fra_timeliste(csv_bytes, _innstillinger())
    return {e.path: e.message for e in info.value.errors}


def test_contract_csv_equals_contract_json(kontrakt: Any) -> None:
    """The contract's CSV and JSON give the same grunnlag (the CSV adds comments only)."""
    from_csv = grunnlag_fra_timeliste((KONTRAKT / "timeliste.csv").read_bytes(), _innstillinger())
    from_json = load_grunnlag(kontrakt("fakturagrunnlag"))
    no_comments = {"aktiviteter": {"__all__": {"kommentar"}}}
    assert from_csv.model_dump(exclude=no_comments) == from_json.model_dump(exclude=no_comments)
    assert from_csv.aktiviteter[0].kommentar == "Samtale på arbeidsplassen"
    linjer = get_regelsett(from_csv.regelsett).beregn(from_csv.aktiviteter).linjer
    assert [(lin.deltaker_nr, lin.timer) for lin in linjer] == [
        ("D-0017", Decimal("4.25")),
        ("D-0023", Decimal("1.25")),
    ]


def test_bom_crlf_and_decimal_comma() -> None:
    """UTF-8 with BOM, CRLF line ends and "37,5" minutes are read."""
    csv_bytes = _csv(
        "2026-10-05;D-0017;Kari Nordmann;oppfolging;37,5;;;;Møte", bom=True, newline="\r\n"
    )
    g = grunnlag_fra_timeliste(csv_bytes, _innstillinger())
    assert g.aktiviteter[0].minutter == Decimal("37.5")
    assert g.aktiviteter[0].kommentar == "Møte"
    assert g.aktiviteter[0].deltaker.navn == "Kari Nordmann"


def test_empty_lines_are_skipped() -> None:
    """Blank lines (also trailing ;;;) are not rows."""
    rows = les_timeliste(_csv("", "2026-10-05;D-1;A B;oppfolging;15;;;;", ";;;;;;;;"))
    assert len(rows) == 1
    assert rows[0]["minutter"] == "15"


def test_row_errors_carry_csv_row_numbers() -> None:
    """Each invalid row is reported as ``rad N, felt`` (the header is row 1)."""
    errors = _errors(
        _csv(
            "2026-10-05;D-1;A B;oppfolging;15;;;;",
            "2026-10-06;D-1;A B;oppfolging;-3;;;;",
            "2026-10-07;D-1;A B;kaffe;15;;;;",
            "2026-11-07;D-1;A B;oppfolging;15;;;;",
            "2026-10-08;D-1;A B;gruppe;60;;;;",
            "2026-10-09;D-1;A B;oppfolging;2000;;;;",
            "2026-10-09;D-1;A B;oppfolging;1.234,5;;;;",
            "2026-10-09;15858545606;A B;oppfolging;15;;;;",
        )
    )
    assert errors == {
        "rad 3, minutter": "kan ikke være negativt",
        "rad 4, aktivitet": errors["rad 4, aktivitet"],
        "rad 5, dato": "2026-11-07 er utenfor perioden",
        "rad 6, antall_deltakere": "gruppe krever antall deltakere (minst 1)",
        "rad 7, minutter": "kan ikke være mer enn 24 timer (1440 minutter) på én rad",
        "rad 8, minutter": "må være et tall",
        "rad 9, deltaker_nr": (
            "inneholder noe som ligner et fødselsnummer; bruk deltakernummer og navn"
        ),
    }
    assert errors["rad 4, aktivitet"].startswith("ukjent aktivitet «kaffe»")


def test_wrong_column_count() -> None:
    """A row with too few columns is named; nothing is built."""
    assert _errors(_csv("2026-10-05;D-1;A B;oppfolging;15", "2026-10-05;D-1;A B;x;1;;;;;;")) == {
        "rad 2": "har 5 kolonner, skal ha 9",
        "rad 3": "har 11 kolonner, skal ha 9",
    }


def test_wrong_header_and_encoding() -> None:
    """A wrong header is row 1; a non-UTF-8 file is refused."""
    assert "rad 1" in _errors(b"dato,deltaker\n2026-10-01,D-1\n")
    assert _errors("dato;Møte\n".encode("latin-1")) == {"timeliste": "er ikke UTF-8"}


def test_settings_must_not_carry_activities() -> None:
    """The activities come from the CSV, not from the settings."""
    settings = {**_innstillinger(), "aktiviteter": []}
    with pytest.raises(GrunnlagInvalidError, match=r"innstillinger\.aktiviteter"):
        grunnlag_fra_timeliste(_csv(), settings)


def test_settings_errors_keep_their_json_path() -> None:
    """A broken setting is reported by its JSON path next to the row errors."""
    settings = _innstillinger()
    settings["timepris"] = "gratis"
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_fra_timeliste(_csv("2026-10-05;D-1;A B;kaffe;15;;;;"), settings)
    paths = sorted(e.path for e in info.value.errors)
    assert paths == ["rad 2, aktivitet", "timepris"]
