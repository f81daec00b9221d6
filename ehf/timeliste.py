"""Read a timeliste (semicolon-separated CSV) into a fakturagrunnlag.

Row numbers in errors are the CSV's own (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from ehf.errors import GrunnlagInvalidError, RowError
from ehf.grunnlag import Fakturagrunnlag, load_grunnlag

KOLONNER = (
    "dato",
    "deltaker_nr",
    "deltaker_navn",
    "aktivitet",
    "minutter",
    "antall_deltakere",
    "mote",
    "rapport",
    "kommentar",
)
_VALGFRIE = ("antall_deltakere", "mote", "rapport", "kommentar")
_AKTIVITET = re.compile(r"^aktiviteter\[(\d+)\](?:\.(.+))?$")


def _tekst(csv_bytes: bytes) -> str:
    try:
        return csv_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GrunnlagInvalidError([RowError("timeliste", "er ikke UTF-8")]) from None


def _minutter(value: str) -> str:
    # Norwegian decimal comma ("37,5"); with a point too ("1.234,5") it stays unparseable.
    return value if "." in value else value.replace(",", ".")


def _rad(celler: list[str]) -> dict[str, Any]:
    verdier = dict(zip(KOLONNER, (c.strip() for c in celler), strict=True))
    rad: dict[str, Any] = {
        "dato": verdier["dato"],
        "deltaker": {"nr": verdier["deltaker_nr"], "navn": verdier["deltaker_navn"]},
        "aktivitet": verdier["aktivitet"],
        "minutter": _minutter(verdier["minutter"]),
    }
    for key in _VALGFRIE:
        if verdier[key]:
            rad[key] = verdier[key]
    return rad


def _les(csv_bytes: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    rows = list(csv.reader(io.StringIO(_tekst(csv_bytes), newline=""), delimiter=";"))
    if not rows or tuple(c.strip() for c in rows[0]) != KOLONNER:
        raise GrunnlagInvalidError(
            [RowError("rad 1", "overskriften må være " + ";".join(KOLONNER))]
        )
    aktiviteter, errors = [], []
    for n, celler in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in celler):
            continue
        if len(celler) != len(KOLONNER):
            errors.append(
                RowError(f"rad {n}", f"har {len(celler)} kolonner, skal ha {len(KOLONNER)}")
            )
            continue
        aktiviteter.append((n, _rad(celler)))
    return aktiviteter, errors


def les_timeliste(csv_bytes: bytes) -> list[dict[str, Any]]:
    """Read the CSV rows as fakturagrunnlag activities (JSON shape, not yet validated).

    Args:
        csv_bytes: UTF-8 (with or without BOM), ``;``-separated, header as the contract.

    Returns:
        One dict per non-empty data row.

    Raises:
        GrunnlagInvalidError: an unreadable file, a wrong header or wrong column counts.
    """
    aktiviteter, errors = _les(csv_bytes)
    if errors:
        raise GrunnlagInvalidError(errors)
    return [rad for _, rad in aktiviteter]


def les_timeliste_rader(csv_bytes: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Read the CSV rows as :func:`les_timeliste` does, each with its row in the file.

    Returns:
        (row number, activity) per non-empty data row; the header is row 1.

    Raises:
        GrunnlagInvalidError: an unreadable file, a wrong header or wrong column counts.
    """
    aktiviteter, errors = _les(csv_bytes)
    if errors:
        raise GrunnlagInvalidError(errors)
    return aktiviteter


def _csv_sti(path: str, radnr: list[int]) -> str:
    match = _AKTIVITET.match(path)
    if match is None:
        return path
    n = radnr[int(match.group(1))]
    felt = (match.group(2) or "").split(".")[-1]
    felt = {"nr": "deltaker_nr", "navn": "deltaker_navn"}.get(felt, felt)
    return f"rad {n}, {felt}" if felt else f"rad {n}"


def grunnlag_fra_timeliste(csv_bytes: bytes, innstillinger: dict[str, Any]) -> Fakturagrunnlag:
    """Build a fakturagrunnlag from a timeliste CSV and the agreement's settings.

    Args:
        csv_bytes: the timeliste.
        innstillinger: the fakturagrunnlag JSON without ``aktiviteter``.

    Returns:
        The valid grunnlag (the same as the equivalent JSON gives).

    Raises:
        GrunnlagInvalidError: every problem, activity errors as ``rad N, felt``.
    """
    if "aktiviteter" in innstillinger:
        raise GrunnlagInvalidError(
            [RowError("innstillinger.aktiviteter", "aktivitetene kommer fra timelisten")]
        )
    rader, errors = _les(csv_bytes)
    radnr = [n for n, _ in rader]
    try:
        grunnlag = load_grunnlag({**innstillinger, "aktiviteter": [rad for _, rad in rader]})
    except GrunnlagInvalidError as exc:
        errors += [RowError(_csv_sti(e.path, radnr), e.message) for e in exc.errors]
    if errors:
        raise GrunnlagInvalidError(sorted(errors, key=_radnummer))
    for aktivitet, n in zip(grunnlag.aktiviteter, radnr, strict=True):
        aktivitet._kilde_rad = n  # so explanations name the CSV row, as the errors do
    return grunnlag


def _radnummer(error: RowError) -> int:
    # Settings errors first, then the rows in file order.
    match = re.match(r"^rad (\d+)", error.path)
    return int(match.group(1)) if match else 0
