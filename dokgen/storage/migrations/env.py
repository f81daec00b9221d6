"""Alembic environment: migrations run on the connection that
:func:`dokgen.storage.db.migrate` passes."""

from __future__ import annotations

from alembic import context

from dokgen.storage.db import Base

config = context.config


def run_migrations_online() -> None:
    """Run the migrations on the given connection (or a new engine from ``sqlalchemy.url``)."""
    connection = config.attributes.get("connection")
    if connection is None:
        from dokgen.storage.db import make_engine

        with make_engine(config.get_main_option("sqlalchemy.url") or "").begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
