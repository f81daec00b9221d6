"""The audit log: who did what to which record, when and from where — never the content."""

from __future__ import annotations

import csv
import io
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from dokgen.access import Aktor
from dokgen.errors import AuditFailedError
from dokgen.storage.db import Revisjon, now, utc

log = logging.getLogger(__name__)


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
    session.add(Revisjon(**rad(aktor, handling, objekt_type, objekt_id), detalj=_kort(detalj)))


def _kort(detalj: str | None) -> str | None:
    return (" ".join(detalj.split())[:300] or None) if detalj else None


def rad(aktor: Aktor, handling: str, objekt_type: str, objekt_id: str | None) -> dict[str, Any]:
    """Return one audit line as column values, stamped now."""
    return {
        "tidspunkt": now(),
        "org_id": aktor.org_id,
        "aktor": f"{aktor.navn} ({aktor.rolle})",
        "handling": handling,
        "objekt_type": objekt_type,
        "objekt_id": objekt_id,
        "fra": aktor.fra,
        "foresporsel": aktor.foresporsel,
    }


@dataclass
class _Ventende:
    rad: dict[str, Any]
    ferdig: bool = False
    feil: BaseException | None = None


class Lesingslogg:
    """Writes the audit lines of reads with group commit.

    A read waits until its line is committed — no read is answered unaudited — but the
    lines of every read that arrives while one transaction commits share the next one.
    The first read to find no commit under way commits itself, with every line waiting by
    then (the leader); the reads that arrive meanwhile wait, and the first of them leads the
    next commit. So a read alone costs one commit and no hand-off to another thread, and a
    burst of reads costs a commit or two, never one each (on SQLite, where one writer at a
    time holds the lock, they would otherwise queue behind each other's commits).
    """

    def __init__(self, sessions: sessionmaker[Session], *, tidsgrense: float = 30.0) -> None:
        engine = sessions.kw.get("bind")
        if not isinstance(engine, Engine):
            raise TypeError("Lesingslogg trenger en sessionmaker bundet til en engine")
        self._engine = engine
        self._tidsgrense = tidsgrense
        self._ko: list[_Ventende] = []
        self._cond = threading.Condition()
        self._skriver = False  # a leader is committing

    def skriv(self, aktor: Aktor, handling: str, objekt_type: str, objekt_id: str | None) -> None:
        """Record one read and return once it is committed.

        Raises:
            AuditFailedError: the line could not be written in time.
        """
        ventende = _Ventende(rad(aktor, handling, objekt_type, objekt_id))
        bunke: list[_Ventende] | None = None  # set when this read leads the commit
        with self._cond:
            self._ko.append(ventende)
            ferdig_innen = time.monotonic() + self._tidsgrense
            while self._skriver and not ventende.ferdig:
                if not self._cond.wait(max(0.0, ferdig_innen - time.monotonic())):
                    raise AuditFailedError("revisjonsloggen svarte ikke i tide; prøv igjen")
            if not ventende.ferdig:  # lead: commit every line waiting now
                self._skriver = True
                bunke, self._ko = self._ko, []
        if bunke is not None:
            self._commit(bunke)
        if ventende.feil is not None:
            raise AuditFailedError("kunne ikke skrive revisjonsloggen; prøv igjen")

    def _commit(self, bunke: list[_Ventende]) -> None:
        feil: BaseException | None = None
        try:
            # Core, not the ORM: half the CPU of a bulk insert through a session.
            with self._engine.begin() as connection:
                connection.execute(insert(Revisjon), [v.rad for v in bunke])
        except Exception as exc:  # every read in the batch is told; none is answered
            # The type only: the message of a database error carries the row's values.
            log.error(
                "kunne ikke skrive %d linjer i revisjonsloggen: %s", len(bunke), type(exc).__name__
            )
            feil = exc
        finally:
            with self._cond:
                for v in bunke:
                    v.feil, v.ferdig = feil, True
                self._skriver = False
                self._cond.notify_all()


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
