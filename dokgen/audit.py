"""The audit log: who did what to which record, when and from where — never the content."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.db import Revisjon
from dokgen.services import Aktor


def logg(
    session: Session, aktor: Aktor, handling: str, objekt_type: str, objekt_id: str | None
) -> None:
    """Add one audit line to the session (committed with the work it records)."""
    session.add(
        Revisjon(
            org_id=aktor.org_id,
            aktor=f"{aktor.navn} ({aktor.rolle})",
            handling=handling,
            objekt_type=objekt_type,
            objekt_id=objekt_id,
            fra=aktor.fra,
            foresporsel=aktor.foresporsel,
        )
    )


def les_og_frigjor(
    session: Session, aktor: Aktor, objekt_type: str, objekt_id: str, *, logg_lesing: bool
) -> None:
    """Audit a read (when asked) and detach the loaded rows so they outlive the session."""
    if logg_lesing:
        logg(session, aktor, "les", objekt_type, objekt_id)
        session.flush()  # expunge_all() would otherwise drop the pending audit line
    session.expunge_all()


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


FELTER = ("tidspunkt", "aktor", "handling", "objekt_type", "objekt_id", "fra", "foresporsel")


def som_csv(rader: Sequence[Revisjon]) -> str:
    """Return audit lines as semicolon-separated CSV for export."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(FELTER)
    for r in rader:
        writer.writerow([r.tidspunkt.isoformat(), *(getattr(r, f) or "" for f in FELTER[1:])])
    return out.getvalue()
