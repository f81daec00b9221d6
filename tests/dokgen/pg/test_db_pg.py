"""The database on PostgreSQL: Alembic builds exactly the tables the models describe, and
the types that SQLite forgives (timezones, JSON, string lengths) round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from dokgen.storage.db import Organisasjon, Revisjon, make_engine, make_sessionmaker, migrate
from tests.dokgen.test_db import (
    assert_migrated_without_drift,
    assert_processes_migrate_a_fresh_database_at_once,
    assert_second_migration_keeps_rows,
)

pytestmark = pytest.mark.integration


def test_migrations_build_every_table_on_postgresql_and_match_the_models(pg_url: str) -> None:
    """After ``migrate`` on an empty PostgreSQL database the schema has no drift."""
    engine = make_engine(pg_url)
    try:
        assert engine.dialect.name == "postgresql"
        assert_migrated_without_drift(engine)
        with engine.connect() as conn:
            tidssone = conn.execute(
                text(
                    "select data_type from information_schema.columns "
                    "where table_name = 'revisjon' and column_name = 'tidspunkt'"
                )
            ).scalar()
        assert tidssone == "timestamp with time zone"
    finally:
        engine.dispose()


def test_migrating_twice_on_postgresql_changes_nothing(pg_url: str) -> None:
    """Start-up migrates every time; a second run on a current database is a no-op."""
    engine = make_engine(pg_url)
    try:
        assert_second_migration_keeps_rows(engine)
    finally:
        engine.dispose()


def test_times_json_and_norwegian_text_round_trip_on_postgresql(pg_url: str) -> None:
    """A time comes back as the same instant in UTC, JSON as the same structure, æøå intact."""
    engine = make_engine(pg_url)
    try:
        migrate(engine)
        sessions = make_sessionmaker(engine)
        oslo = timezone(timedelta(hours=2))
        tid = datetime(2026, 10, 3, 14, 5, 6, 123456, tzinfo=oslo)
        innstillinger = {"selger": {"navn": "Ærlig Øvelse Å AS"}, "liste": [1, 2]}
        with sessions.begin() as s:
            org = Organisasjon(orgnr="998877660", navn="Blåbær AS", innstillinger=innstillinger)
            s.add(org)
            s.flush()
            s.add(Revisjon(tidspunkt=tid, org_id=org.id, aktor="Åse (admin)", handling="les",
                           objekt_type="dokument"))  # fmt: skip
        with sessions() as s:
            lagret = s.scalars(select(Organisasjon)).one()
            linje = s.scalars(select(Revisjon)).one()
        assert lagret.navn == "Blåbær AS"
        assert lagret.innstillinger == innstillinger
        assert linje.tidspunkt == tid
        assert linje.tidspunkt.astimezone(UTC) == datetime(2026, 10, 3, 12, 5, 6, 123456, UTC)
        assert linje.aktor == "Åse (admin)"
    finally:
        engine.dispose()


def test_processes_starting_together_migrate_a_fresh_database_once_on_postgresql(
    pg_url: str,
) -> None:
    """Two nodes started together on an empty database both start (an advisory lock)."""
    assert_processes_migrate_a_fresh_database_at_once(pg_url)
