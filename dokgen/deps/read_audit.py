"""The audit line's columns, and a process's writer of the audit lines of reads.

Changes write their audit line in their own transaction
(:func:`dokgen.services.audit.logg`); reads, which have no transaction of their own, hand
theirs to :class:`ReadAuditWriter`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from dokgen.access import Aktor
from dokgen.errors import AuditFailedError
from dokgen.storage.db import Revisjon, now

# The audit log's logger: its failures are logged under one name, wherever they happen.
log = logging.getLogger("dokgen.services.audit")


def audit_row(
    aktor: Aktor, handling: str, objekt_type: str, objekt_id: str | None
) -> dict[str, Any]:
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
class _Pending:
    row: dict[str, Any]
    done: bool = False
    error: BaseException | None = None


class ReadAuditWriter:
    """Writes the audit lines of reads with group commit.

    A read waits until its line is committed — no read is answered unaudited — but the
    lines of every read that arrives while one transaction commits share the next one.
    The first read to find no commit under way commits itself, with every line waiting by
    then (the leader); the reads that arrive meanwhile wait, and the first of them leads the
    next commit. So a read alone costs one commit and no hand-off to another thread, and a
    burst of reads costs a commit or two, never one each (on SQLite, where one writer at a
    time holds the lock, they would otherwise queue behind each other's commits).
    """

    def __init__(self, sessions: sessionmaker[Session], *, timeout: float = 30.0) -> None:
        engine = sessions.kw.get("bind")
        if not isinstance(engine, Engine):
            raise TypeError("ReadAuditWriter trenger en sessionmaker bundet til en engine")
        self._engine = engine
        self._timeout = timeout
        self._queue: list[_Pending] = []
        self._cond = threading.Condition()
        self._committing = False  # a leader is committing

    def write(self, aktor: Aktor, handling: str, objekt_type: str, objekt_id: str | None) -> None:
        """Record one read and return once it is committed.

        Raises:
            AuditFailedError: the line could not be written in time.
        """
        pending = _Pending(audit_row(aktor, handling, objekt_type, objekt_id))
        batch: list[_Pending] | None = None  # set when this read leads the commit
        with self._cond:
            self._queue.append(pending)
            deadline = time.monotonic() + self._timeout
            while self._committing and not pending.done:
                if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                    raise AuditFailedError("revisjonsloggen svarte ikke i tide; prøv igjen")
            if not pending.done:  # lead: commit every line waiting now
                self._committing = True
                batch, self._queue = self._queue, []
        if batch is not None:
            self._commit(batch)
        if pending.error is not None:
            raise AuditFailedError("kunne ikke skrive revisjonsloggen; prøv igjen")

    def _commit(self, batch: list[_Pending]) -> None:
        error: BaseException | None = None
        try:
            # Core, not the ORM: half the CPU of a bulk insert through a session.
            with self._engine.begin() as connection:
                connection.execute(insert(Revisjon), [p.row for p in batch])
        except Exception as exc:  # every read in the batch is told; none is answered
            # The type only: the message of a database error carries the row's values.
            log.error(
                "kunne ikke skrive %d linjer i revisjonsloggen: %s", len(batch), type(exc).__name__
            )
            error = exc
        finally:
            with self._cond:
                for p in batch:
                    p.error, p.done = error, True
                self._committing = False
                self._cond.notify_all()
