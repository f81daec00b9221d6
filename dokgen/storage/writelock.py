"""One SQLite writer at a time, handed on as soon as the last one is done.

SQLite lets one connection write at a time. A connection that finds the write lock taken
waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries
and never learns that the lock came free in between. Under load a write that has to wait
at all waits for the next step of that ladder rather than for the writer before it:
``strace`` on a web process under ``bench/service.py`` showed about 30 such sleeps a
second, up to 15 ms each: much of the tail of the API's writes.

So on SQLite every connection takes a lock of ours before its first write and keeps it
until its transaction ends (commit, rollback or close): a ``threading.Lock`` among the
threads of a process, which wakes the next waiter the moment it is let go, then ``flock``
on a file beside the database among processes, tried every 0.1–0.5 ms (a blocking
``flock`` cannot time out). SQLite's own lock is then free whenever one of our writers asks
for it; its busy timeout stays as the fallback for a writer that does not take ours (the
``sqlite3`` shell). Reads take nothing: in WAL mode they never wait for a writer.

``flock`` is per open file, so two connections of one process exclude each other too, and
the kernel drops the lock when its holder dies. A writer that waits longer than the
connection's ``timeout`` gets "database is locked", as it would from SQLite.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

# Statements that never write; everything else takes the lock (pysqlite begins its
# implicit transaction only before a statement that writes, and we let go when there is
# no transaction afterwards, so a needless take costs one statement's time).
_READS = ("SELECT", "PRAGMA", "EXPLAIN")

_registry: dict[Path, threading.Lock] = {}
_registry_guard = threading.Lock()


def _reset_after_fork() -> None:
    # A lock held by another thread at fork time would stay held forever in the child.
    global _registry_guard
    _registry.clear()
    _registry_guard = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)


def lock_path(database: Path) -> Path:
    """Return the lock file of a database file (created beside it, like ``-wal``)."""
    return database.with_name(database.name + "-writelock")


def _process_lock(database: Path) -> threading.Lock:
    with _registry_guard:
        return _registry.setdefault(database, threading.Lock())


def _flock(fd: int, deadline: float) -> None:
    pause = 0.0001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise sqlite3.OperationalError("database is locked") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.0005)


class Connection(sqlite3.Connection):
    """A sqlite3 connection that takes the database's write lock before it writes.

    Pass it as ``factory`` to :func:`sqlite3.connect`; its ``timeout`` (seconds) bounds the
    wait among the threads of a process as it bounds SQLite's own. A database that is not
    a plain file (``:memory:``, a URI) gets no lock.
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._timeout = float(kwargs.get("timeout", args[0] if args else 5.0))
        self._file: Path | None = None
        if not kwargs.get("uri") and str(database) not in ("", ":memory:"):
            self._file = lock_path(Path(os.fsdecode(database)).resolve())
        self._thread_lock: threading.Lock | None = None
        self._fd: int | None = None
        self._held = False

    def cursor(self, factory: Any = None) -> Any:
        """Return a cursor whose statements take the write lock when they may write."""
        return super().cursor(factory or Cursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        """Execute one statement on a new cursor of ours (the C method would bypass it)."""
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        """Execute one statement for many parameter sets on a new cursor of ours."""
        return self.cursor().executemany(sql, seq_of_parameters)

    def commit(self) -> None:
        """Commit, then hand the write lock on."""
        try:
            super().commit()
        finally:
            self.release_if_done()

    def rollback(self) -> None:
        """Roll back, then hand the write lock on."""
        try:
            super().rollback()
        finally:
            self.release_if_done()

    def close(self) -> None:
        """Close the connection and the lock file, letting go of the lock if held."""
        try:
            super().close()
        finally:
            if self._held:
                self._release()
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def acquire_for(self, sql: str) -> None:
        """Take the write lock before ``sql`` unless it only reads or the lock is held."""
        if self._held or self._file is None or sql.lstrip()[:7].upper().startswith(_READS):
            return
        if self._thread_lock is None:
            self._thread_lock = _process_lock(self._file)
        deadline = time.monotonic() + self._timeout
        if not self._thread_lock.acquire(timeout=self._timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self._fd is None:
                self._fd = os.open(self._file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            _flock(self._fd, deadline)
        except BaseException:
            self._thread_lock.release()
            raise
        self._held = True

    def release_if_done(self) -> None:
        """Let go of the write lock when no transaction is open any more."""
        if self._held and not self.in_transaction:
            self._release()

    def _release(self) -> None:
        self._held = False
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            if self._thread_lock is not None:
                self._thread_lock.release()


class Cursor(sqlite3.Cursor):
    """A cursor of :class:`Connection`: takes the write lock before a statement that may
    write and lets go after one that left no transaction open."""

    connection: Connection

    def execute(self, sql: str, parameters: Any = (), /) -> Cursor:
        """Execute one statement under the write lock when it may write."""
        self.connection.acquire_for(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            self.connection.release_if_done()

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Cursor:
        """Execute one statement for many parameter sets under the write lock."""
        self.connection.acquire_for(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            self.connection.release_if_done()
