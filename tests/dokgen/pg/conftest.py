"""Fixtures of the PostgreSQL tests: one throwaway PostgreSQL cluster for the session
(``initdb`` + ``pg_ctl`` from Debian's ``/usr/lib/postgresql/*/bin``, 127.0.0.1 only, trust
auth), a fresh database per test (``pg_url``), and the service app built on it.

As root (tests and CI), the server commands run as the ``postgres`` system user, since
``initdb`` refuses root. Without PostgreSQL a test is skipped locally and fails in CI.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import require, require_command
from tests.dokgen.web import conftest as web

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


@dataclass(frozen=True)
class Cluster:
    """A running throwaway PostgreSQL cluster: where it listens, who may connect."""

    port: int
    user: str = "postgres"

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        """Return the SQLAlchemy URL of one database in the cluster."""
        return f"{driver}://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[Any]:
        """Open an autocommit connection to the maintenance database ``postgres``."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        )


def _bindir() -> Path | None:
    """Return the newest ``/usr/lib/postgresql/N/bin`` that has initdb and pg_ctl."""
    found = [
        d
        for d in Path("/usr/lib/postgresql").glob("*/bin")
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file()
    ]
    return max(found, key=lambda d: int(d.parent.name), default=None) if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_server_user(base: Path) -> list[str]:
    """Return the command prefix that runs a server command as its owner.

    Root hands the folder to ``postgres`` and runs the commands through ``runuser``;
    anyone else runs them as themselves.
    """
    if os.geteuid() != 0:
        return []
    require_command("runuser")
    shutil.chown(base, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """Start a PostgreSQL cluster in a temporary folder; stop and delete it at the end."""
    bindir = _bindir()
    require("PostgreSQL server (initdb, pg_ctl in /usr/lib/postgresql/*/bin)", bindir is not None)
    assert bindir is not None
    base = Path(tempfile.mkdtemp(prefix="dokgen-pg-"))
    try:
        prefix = _as_server_user(base)
        data, port = base / "data", _free_port()
        run = _runner(prefix, base)
        run(bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        # No Unix socket: the cluster is reachable on 127.0.0.1 alone. fsync off because
        # the cluster is thrown away; durability is not what these tests check.
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        run(bindir / "pg_ctl", "start", "-D", data, "-l", base / "server.log", "-w", "-t", "60",
            "-o", f"{options} -c fsync=off")  # fmt: skip
        try:
            yield Cluster(port=port)
        finally:
            run(bindir / "pg_ctl", "stop", "-D", data, "-m", "fast", "-w")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _runner(prefix: list[str], cwd: Path) -> Callable[..., None]:
    def run(*args: Any) -> None:
        result = subprocess.run(
            [*prefix, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            log = cwd / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"{args[0]} failed: {result.stdout}{result.stderr}{tail}")

    return run


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
