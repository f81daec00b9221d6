"""Fixtures of the PostgreSQL tests: one throwaway PostgreSQL cluster for the session
(``initdb`` + ``pg_ctl`` from Debian's ``/usr/lib/postgresql/*/bin``, 127.0.0.1 only, trust
auth), a fresh database per test (``pg_url``), and the service app built on it.

As root (tests and CI), the server commands run as the ``postgres`` system user, since
``initdb`` refuses root. Without PostgreSQL a test is skipped locally and fails in CI.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.conftest import require, require_command
from tests.dokgen.web import conftest as web
from tests.pgklynge import Cluster, KlyngeError, bindir, klynge

# The fixtures of tests/dokgen/conftest.py apply here as they are, and the web ones are
# reused by name (``deps`` is the app's, as under web/); only ``database_url`` below differs
# (it points the collaborators at the test's PostgreSQL database), and pytest resolves it
# by name.
make_app = web.make_app
app = web.app
deps = web.deps
client = web.client
auth = web.auth

_NAMES = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """Start a PostgreSQL cluster in a temporary folder; stop and delete it at the end."""
    bin_ = bindir()
    require("PostgreSQL server (initdb, pg_ctl in /usr/lib/postgresql/*/bin)", bin_ is not None)
    assert bin_ is not None
    if os.geteuid() == 0:
        require_command("runuser")
    try:
        with klynge(bin_) as cluster:
            yield cluster
    except KlyngeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """Create a fresh, empty database for one test and return its SQLAlchemy URL."""
    name = f"dokgen_test_{next(_NAMES)}"
    with pg_cluster.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    yield pg_cluster.url(name)
    with pg_cluster.admin() as conn:
        # FORCE ends the connections the test's engines still keep in their pools.
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # type: ignore[arg-type]


@pytest.fixture
def database_url(pg_url: str) -> str:
    """Point the service fixtures' apps at the test's PostgreSQL database."""
    return pg_url
