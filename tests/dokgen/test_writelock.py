"""The SQLite write lock: writers queue on it, so they never find SQLite's own lock taken.

Most tests turn SQLite's busy timeout off on the waiting connection: then a write that
reached SQLite while another transaction held its lock would fail at once with "database
is locked", and only our lock can make it wait and succeed instead.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from dokgen.storage import writelock
from dokgen.storage.db import make_engine

pytestmark = pytest.mark.integration

VENT = 10.0  # seconds a test waits for a thread it expects to finish


def _connect(db: Path, timeout: float = 30.0, *, busy_timeout: int = 0) -> writelock.Connection:
    conn = sqlite3.connect(
        db, timeout=timeout, factory=writelock.Connection, check_same_thread=False
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={busy_timeout}")
    assert isinstance(conn, writelock.Connection)
    return conn


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "test.db"
    conn = _connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, fra TEXT)")
    conn.commit()
    conn.close()
    return path


def _rows(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, fra FROM t ORDER BY id").fetchall()


def _insert_in_thread(db: Path, fra: str) -> tuple[threading.Event, list[str]]:
    """Insert one row from a new thread; return the event set when it is done and the
    errors it met."""
    done, errors = threading.Event(), []

    def run() -> None:
        conn = _connect(db)
        try:
            conn.execute("INSERT INTO t (fra) VALUES (?)", (fra,))
            conn.commit()
        except sqlite3.Error as exc:
            errors.append(str(exc))
        finally:
            conn.close()
            done.set()

    threading.Thread(target=run, daemon=True).start()
    return done, errors


def _landed(done: threading.Event, errors: list[str]) -> None:
    assert done.wait(VENT)
    assert errors == []


def test_a_second_writer_waits_for_the_first_to_commit_instead_of_failing(db: Path) -> None:
    first = _connect(db)
    first.execute("INSERT INTO t (fra) VALUES ('første')")  # its transaction is open
    done, errors = _insert_in_thread(db, "andre")
    assert not done.wait(0.3)  # waiting on our lock, not refused by SQLite's
    first.commit()
    _landed(done, errors)
    assert _rows(db) == [(1, "første"), (2, "andre")]
    first.close()


def test_rollback_and_a_failed_statement_hand_the_lock_on(db: Path) -> None:
    first = _connect(db)
    first.execute("INSERT INTO t (id, fra) VALUES (1, 'rulles tilbake')")
    first.rollback()
    first.execute("INSERT INTO t (id, fra) VALUES (5, 'består')")
    first.commit()
    with pytest.raises(sqlite3.IntegrityError):
        first.execute("INSERT INTO t (id, fra) VALUES (5, 'dobbel')")
    first.rollback()
    done, errors = _insert_in_thread(db, "etterpå")
    _landed(done, errors)
    assert _rows(db) == [(5, "består"), (6, "etterpå")]
    first.close()


def test_closing_a_connection_mid_transaction_lets_go_of_the_lock(db: Path) -> None:
    first = _connect(db)
    first.execute("INSERT INTO t (fra) VALUES ('forkastes')")
    done, errors = _insert_in_thread(db, "neste")
    assert not done.wait(0.3)
    first.close()
    _landed(done, errors)
    assert _rows(db) == [(1, "neste")]


def test_reads_do_not_wait_for_a_writer(db: Path) -> None:
    writer = _connect(db)
    writer.execute("INSERT INTO t (fra) VALUES ('uferdig')")
    reader = _connect(db, timeout=0.2)
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)  # the last commit
    writer.commit()
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)
    reader.close()
    writer.close()


def test_a_writer_that_waits_past_its_timeout_gets_database_is_locked(db: Path) -> None:
    first = _connect(db)
    first.execute("INSERT INTO t (fra) VALUES ('holder')")
    impatient = _connect(db, timeout=0.2)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        impatient.execute("INSERT INTO t (fra) VALUES ('gir opp')")
    first.commit()
    impatient.execute("INSERT INTO t (fra) VALUES ('senere')")
    impatient.commit()
    assert _rows(db) == [(1, "holder"), (2, "senere")]
    impatient.close()
    first.close()


def _hold_in_process(db: str, holding: object, release: object) -> None:
    conn = _connect(Path(db))
    conn.execute("INSERT INTO t (fra) VALUES ('annen prosess')")
    holding.set()  # type: ignore[attr-defined]
    release.wait(VENT)  # type: ignore[attr-defined]
    conn.commit()
    conn.close()


def test_a_writer_in_another_process_is_waited_for(db: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    holding, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_in_process, args=(str(db), holding, release))
    proc.start()
    try:
        assert holding.wait(VENT)
        done, errors = _insert_in_thread(db, "denne prosessen")
        assert not done.wait(0.3)
        release.set()
        _landed(done, errors)
    finally:
        release.set()
        proc.join(VENT)
    assert proc.exitcode == 0
    assert _rows(db) == [(1, "annen prosess"), (2, "denne prosessen")]


def _many_writes(db: str, fra: str, n: int) -> list[str]:
    errors: list[str] = []

    def run(tråd: int) -> None:
        conn = _connect(Path(db))
        for i in range(n):
            try:
                conn.execute("INSERT INTO t (fra) VALUES (?)", (f"{fra}-{tråd}-{i}",))
                conn.commit()
            except sqlite3.Error as exc:
                errors.append(str(exc))
        conn.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_four_threads_in_each_of_two_processes_never_meet_sqlites_lock(db: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_many_writes, [(str(db), "a", 50), (str(db), "b", 50)])
    assert results == [[], []]
    rows = _rows(db)
    assert len(rows) == 400
    assert len({fra for _, fra in rows}) == 400


def test_the_lock_file_sits_beside_the_database_and_memory_gets_none(db: Path) -> None:
    conn = _connect(db)
    conn.execute("INSERT INTO t (fra) VALUES ('x')")
    conn.commit()
    conn.close()
    assert writelock.lock_path(db) == db.with_name("test.db-writelock")
    assert writelock.lock_path(db).is_file()
    memory = sqlite3.connect(":memory:", factory=writelock.Connection)
    memory.execute("CREATE TABLE t (x)")
    memory.execute("INSERT INTO t VALUES (1)")
    memory.commit()
    assert memory.execute("SELECT x FROM t").fetchall() == [(1,)]
    memory.close()


def test_the_service_engine_writes_through_the_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/dokgen.db")
    with engine.begin() as conn:
        assert isinstance(conn.connection.dbapi_connection, writelock.Connection)
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, fra TEXT)"))
        conn.execute(text("INSERT INTO t (fra) VALUES ('tjenesten')"))
    holder = engine.connect()
    holder.execute(text("INSERT INTO t (fra) VALUES ('åpen')"))
    done, errors = _insert_in_thread(tmp_path / "dokgen.db", "venter")
    assert not done.wait(0.3)
    holder.commit()
    _landed(done, errors)
    assert _rows(tmp_path / "dokgen.db") == [(1, "tjenesten"), (2, "åpen"), (3, "venter")]
    holder.close()
    engine.dispose()
