"""The audit log: who did what to which record, when and from where — never the content.

A change writes its line here, in its own transaction; a read hands its line to the
process's :class:`dokgen.deps.read_audit.ReadAuditWriter` (``deps.read_audit``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.deps.read_audit import audit_row
from dokgen.storage.db import Revisjon, utc


def logg(
    session: Session,
    aktor: Aktor,
    handling: str,
    objekt_type: str,
    objekt_id: str | None,
    detalj: str | None = None,
) -> None:
    """Add one audit line to the session (committed with the work it records).

    Args:
        detalj: what the change was in a few words (cut to 300 characters), never content.
    """
    row = audit_row(aktor, handling, objekt_type, objekt_id)
    session.add(Revisjon(**row, detalj=_kort(detalj)))


def _kort(detalj: str | None) -> str | None:
    return (" ".join(detalj.split())[:300] or None) if detalj else None


def linjer(session: Session, aktor: Aktor, *, grense: int = 1000) -> Sequence[Revisjon]:
    """Return the organisation's newest audit lines (admins only).

    Raises:
        AccessDeniedError: the caller is not an admin.
    """
    aktor.krev("admin")
    query = (
        select(Revisjon)
        .where(Revisjon.org_id == aktor.org_id)
        .order_by(Revisjon.id.desc())
        .limit(grense)
    )
    return session.scalars(query).all()


FELTER = (
    "tidspunkt",
    "aktor",
    "handling",
    "objekt_type",
    "objekt_id",
    "fra",
    "foresporsel",
    "detalj",
)
# What makes a spreadsheet read a cell as a formula (OWASP, CSV injection), full-width forms
# included; a leading space does not stop every spreadsheet.
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def neutralise_cell(value: str) -> str:
    """Return the cell as text a spreadsheet shows as text: a ``'`` before a formula start."""
    start = value.lstrip(" ")[:1] or value[:1]
    return f"'{value}" if start in _FORMULA_START and value else value


def som_csv(rader: Sequence[Revisjon]) -> str:
    """Return audit lines as semicolon-separated CSV for export, no cell a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(FELTER)
    for r in rader:
        cells = (str(getattr(r, f) or "") for f in FELTER[1:])
        writer.writerow([utc(r.tidspunkt).isoformat(), *(neutralise_cell(c) for c in cells)])
    return out.getvalue()
