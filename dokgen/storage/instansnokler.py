"""The instance's secrets in the database (``instansnokkel``), for a service on PostgreSQL:
every node reads the same instance secret and development certificate, whichever node made
them. On SQLite they stay files in the instance folder (:func:`dokgen.storage.files.create_once`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine

from dokgen.storage.db import Instansnokkel, now

HEMMELIG_NOKKEL = "hemmelig_nokkel"
UTVIKLINGSSERTIFIKAT = "utviklingssertifikat"


def create_once(engine: Engine, navn: str, make: Callable[[], bytes]) -> bytes:
    """Return the secret ``navn``, creating it with ``make()`` if the database has none yet.

    Nodes that start at the same moment may each call ``make()``, but the first insert wins
    (``ON CONFLICT DO NOTHING``; the others wait for it and then insert nothing) and every
    caller returns what the table then holds.
    """
    with engine.connect() as conn:
        verdi = conn.scalar(select(Instansnokkel.verdi).where(Instansnokkel.navn == navn))
    if verdi is not None:
        return bytes(verdi)
    with engine.begin() as conn:
        conn.execute(
            insert(Instansnokkel)
            .values(navn=navn, verdi=make(), opprettet=now())
            .on_conflict_do_nothing(index_elements=["navn"])
        )
        # A new statement, so a new snapshot: it sees the row of a node that won the insert.
        verdi = conn.scalar(select(Instansnokkel.verdi).where(Instansnokkel.navn == navn))
    if verdi is None:  # a row is there once the insert is done, whoever made it
        raise RuntimeError(f"instance secret {navn} was neither inserted nor found")
    return bytes(verdi)


def from_file_or(path: Path, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """Return a maker that takes the node's existing file (an instance that kept the secret
    on disk before) and else makes a new one: moving an instance to the database keeps its
    secret, so what it encrypted stays readable."""

    def made() -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return make()

    return made
