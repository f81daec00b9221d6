"""The file store in PostgreSQL (``DOKGEN_FILLAGER=postgres``, the default on PostgreSQL):
every node of a multi-node service reads the files any node made.

A file is a ``fil`` row (its SHA-256, size and number of chunks) and its bytes in ``filbit``
rows of :data:`~dokgen.storage.store.CHUNK` bytes, written in one transaction, read one
chunk per query.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from dokgen.storage.db import Fil, Filbit, now
from dokgen.storage.store import CHUNK, SHA256, FileStore, check_sha, missing

_DISK_FULL = "53100"  # PostgreSQL's disk_full


class PgStore:
    """Files by their SHA-256 in the ``fil`` and ``filbit`` tables.

    Two nodes that store the same bytes at once both succeed, and the file is stored once:
    the ``fil`` row is inserted with ``ON CONFLICT DO NOTHING`` (the second insert waits for
    the first transaction and then does nothing, or, if that one rolled back, writes the
    file itself), and only the transaction that inserted it writes the chunks.

    An instance that ran on PostgreSQL with its files on disk (before the store existed) keeps
    them: a file not in the database is read from the node's ``fallback`` folder when it is
    there. Nothing is ever written to that folder.
    """

    def __init__(self, engine: Engine, fallback: Path | None = None, chunk: int = CHUNK) -> None:
        self.engine = engine
        self.fallback = FileStore(fallback) if fallback is not None else None
        self.chunk = chunk

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their SHA-256.

        Raises:
            OSError: ``ENOSPC`` when the database is full (the write may succeed later).
        """
        sha = hashlib.sha256(data).hexdigest()
        if self._biter(sha) is not None:
            return sha
        biter = -(-len(data) // self.chunk)
        try:
            with self.engine.begin() as conn:
                fil = insert(Fil).values(
                    sha256=sha, storrelse=len(data), biter=biter, opprettet=now()
                )
                made = fil.on_conflict_do_nothing().returning(Fil.sha256)
                if conn.execute(made).first() is not None:  # this transaction inserted it
                    for nr in range(biter):
                        bit = data[nr * self.chunk : (nr + 1) * self.chunk]
                        conn.execute(insert(Filbit).values(sha256=sha, nr=nr, data=bit))
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == _DISK_FULL:
                raise OSError(errno.ENOSPC, "databasen er full") from exc
            raise
        return sha

    def get(self, sha: str) -> bytes:
        """Return the stored bytes.

        Raises:
            FileMissingError: no file has that hash.
        """
        return b"".join(self.stream(sha))

    def stream(self, sha: str) -> Iterator[bytes]:
        """Return the stored bytes chunk by chunk, each read when it is wanted (one short
        query each, so a slow download holds no connection between chunks).

        Raises:
            FileMissingError: no file has that hash (checked before the first chunk).
        """
        biter = self._biter(check_sha(sha))
        if biter is not None:
            return self._chunks(sha, biter)
        if self.fallback is not None and sha in self.fallback:
            return self.fallback.stream(sha)
        raise missing(sha)

    def __contains__(self, sha: object) -> bool:
        if not isinstance(sha, str) or not SHA256.fullmatch(sha):
            return False
        return self._biter(sha) is not None or (self.fallback is not None and sha in self.fallback)

    def _biter(self, sha: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(Fil.biter).where(Fil.sha256 == sha))

    def _chunks(self, sha: str, biter: int) -> Iterator[bytes]:
        for nr in range(biter):
            with self.engine.connect() as conn:
                data = conn.scalar(select(Filbit.data).where(Filbit.sha256 == sha, Filbit.nr == nr))
            if data is None:  # never written apart from its fil row: the file is broken
                raise missing(sha)
            yield bytes(data)
