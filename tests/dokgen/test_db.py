"""The database: Alembic builds exactly the tables the models describe, on SQLite in WAL mode."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from dokgen.storage.db import Base, make_engine, migrate

pytestmark = pytest.mark.integration


def assert_migrated_without_drift(engine: Engine) -> None:
    """Migrate an empty database; assert every table is there and nothing differs from the
    models (also used by the PostgreSQL tests)."""
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        version = conn.execute(text("select version_num from alembic_version")).scalar()
    assert diff == []
    assert version is not None


def assert_second_migration_keeps_rows(engine: Engine) -> None:
    """Migrate, add a row, migrate again; assert the row is still the only one."""
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "insert into organisasjon (orgnr, navn, innstillinger, "
                "neste_fakturanummer) values ('998877660', 'A', '{}', 1)"
            )
        )
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from organisasjon")).scalar() == 1


def test_migrations_build_every_table_and_match_the_models(tmp_path: Path) -> None:
    """After ``migrate`` the schema has no difference from the models (no drift)."""
    assert_migrated_without_drift(make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"))


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    """Start-up migrates every time; a second run on a current database is a no-op."""
    assert_second_migration_keeps_rows(make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"))


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    """Readers do not block the writer (WAL) and references are enforced."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with engine.connect() as conn:
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"
        assert conn.execute(text("pragma foreign_keys")).scalar() == 1


def _migrate_at_barrier(url: str, start: Any, ut: Any) -> None:
    engine = make_engine(url)
    start.wait()
    try:
        migrate(engine)
        ut.put("ok")
    except Exception as exc:  # the test reports what each process met
        ut.put(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        engine.dispose()


def assert_processes_migrate_a_fresh_database_at_once(url: str) -> None:
    """Four processes migrate the same empty database at the same moment: each succeeds
    and the schema is the models' (before, all but one met 'table already exists')."""
    ctx = multiprocessing.get_context("fork")
    start, ut = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_migrate_at_barrier, args=(url, start, ut)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [ut.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert results == ["ok"] * 4
    engine = make_engine(url)
    try:
        assert_migrated_without_drift(engine)
    finally:
        engine.dispose()


def test_processes_starting_together_migrate_a_fresh_database_once(tmp_path: Path) -> None:
    """The service and a CLI command started together on a fresh instance both start."""
    assert_processes_migrate_a_fresh_database_at_once(f"sqlite:///{tmp_path / 'dokgen.db'}")


def test_approvals_before_0012_get_the_method_they_were_given_by(tmp_path: Path) -> None:
    """Migration 0012: an approval stored before methods existed is ``innlogget``, or
    ``pa_vegne_av`` where it names on whose behalf it was given."""
    from alembic import command
    from alembic.config import Config

    from dokgen.storage.db import _MIGRATIONS

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0011")
        conn.execute(
            text(
                "insert into organisasjon (id, orgnr, navn, innstillinger, neste_fakturanummer)"
                " values (1, '998877660', 'A', '{}', 1)"
            )
        )
        conn.execute(
            text(
                "insert into dokument (id, org_id, type, deltaker, opprettet, opprettet_av)"
                " values ('d', 1, 'arbeidspraksisavtale', 'K', '2026-12-01', 'V')"
            )
        )
        conn.execute(
            text(
                "insert into versjon (id, dokument_id, nummer, data, data_sha256, status,"
                " opprettet, endret, jobb_forsok) values (1, 'd', 1, '{}', 'x',"
                " 'delvis_godkjent', '2026-12-01', '2026-12-01', 0)"
            )
        )
        for i, part, vegne in ((1, "arrangor", None), (2, "deltaker", "Kari Nordmann")):
            conn.execute(
                text(
                    "insert into godkjenning (id, versjon_id, part, navn, bruker, paa_vegne_av,"
                    " innhold_sha256, tidspunkt) values (:i, 1, :p, 'N', 'V', :v, 'x',"
                    " '2026-12-01')"
                ),
                {"i": i, "p": part, "v": vegne},
            )
    migrate(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("select part, metode from godkjenning order by id")).all()
    assert [tuple(r) for r in rows] == [("arrangor", "innlogget"), ("deltaker", "pa_vegne_av")]
