"""The command line's own errors (Click's usage errors) in bokmål, with what to do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dokgen.cli import main
from dokgen.documents.models import DOKUMENTTYPER


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["lag", "statusrapport", "{tmp}/finnes-ikke.json", "-o", "{tmp}/ut.pdf"],
            "Feil: ugyldig verdi for argumentet DATA: «{tmp}/finnes-ikke.json» finnes ikke: "
            "skriv stien til en fil som finnes.",
        ),
        (
            ["lag", "statusrapport", "{tmp}", "-o", "{tmp}/ut.pdf"],
            "Feil: ugyldig verdi for argumentet DATA: «{tmp}» er en mappe: skriv stien til en fil.",
        ),
        (
            ["skjema", "rapport"],
            "Feil: ugyldig verdi for argumentet TYPE: «rapport» er ikke et av valgene: skriv en "
            f"av {', '.join(sorted(DOKUMENTTYPER))}.",
        ),
        (["lag"], "Feil: mangler argumentet TYPE."),
        (["lag", "statusrapport", "--tull"], "Feil: ukjent valg --tull"),
        (["lagg"], "Feil: ukjent kommando «lagg»."),
    ],
)
def test_usage_errors_are_in_bokmal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    """A missing file, a folder, an unknown type, argument, option or command: exit 2, a
    bokmål message and where to read how; none of Click's English."""
    rc = main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith(expected.format(tmp=tmp_path)), err
    assert "for hvordan kommandoen brukes." in err
    for engelsk in ("Usage:", "Error:", "Try ", "does not exist", "is not one of", "Missing"):
        assert engelsk not in err


def test_a_bad_date_option_says_how_to_write_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--dato`` takes ÅÅÅÅ-MM-DD and says so with an example."""
    grunnlag = tmp_path / "g.json"
    grunnlag.write_text("{}", encoding="utf-8")
    ut = str(tmp_path / "x")
    argv = ["ehf", "kreditnota", "--faktura", str(grunnlag), "--nummer", "1"]
    rc = main([*argv, "--dato", "02.03.2026", "-o", ut])
    err = capsys.readouterr().err
    assert rc == 2
    assert "«02.03.2026» er ingen dato: skriv ÅÅÅÅ-MM-DD, f.eks. 2026-03-02" in err


def test_a_list_path_also_says_the_row_counted_from_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kontrakt: Any
) -> None:
    """The file's path stays (counted from 0, as in the JSON), with the row as people count."""
    data = kontrakt("statusrapport")
    data["arbeidsgivere"][0]["stillingsprosent"] = 101
    src = tmp_path / "inn.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    assert main(["lag", "statusrapport", str(src), "-o", str(tmp_path / "ut.pdf")]) == 2
    err = capsys.readouterr().err
    assert "arbeidsgivere.0.stillingsprosent (rad 1): kan ikke være mer enn 100" in err
