"""A throwaway PostgreSQL cluster (``initdb`` + ``pg_ctl`` from Debian's
``/usr/lib/postgresql/*/bin``, 127.0.0.1 only, trust auth, fsync off), for the PostgreSQL
tests and the benchmarks that need one (``bench/noder.py``).

As root the server commands run as the ``postgres`` system user, since ``initdb`` refuses
root.
"""

from __future__ import annotations

import contextlib
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


class KlyngeError(RuntimeError):
    """The cluster could not be made or started (the message says which command)."""


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


def bindir() -> Path | None:
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
    if shutil.which("runuser") is None:
        raise KlyngeError("runuser mangler")
    shutil.chown(base, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def klynge(bin_: Path, *, max_connections: int = 100) -> Iterator[Cluster]:
    """Start a PostgreSQL cluster in a temporary folder; stop and delete it at the end.

    Raises:
        KlyngeError: a server command failed (with its output and the server log's end).
    """
    base = Path(tempfile.mkdtemp(prefix="dokgen-pg-"))
    try:
        prefix = _as_server_user(base)
        data, port = base / "data", _free_port()
        run = _runner(prefix, base)
        run(bin_ / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        # No Unix socket: the cluster is reachable on 127.0.0.1 alone. fsync off because
        # the cluster is thrown away; durability is not what it is for.
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            f"-c max_connections={max_connections}"
        )
        run(bin_ / "pg_ctl", "start", "-D", data, "-l", base / "server.log", "-w", "-t", "60",
            "-o", f"{options} -c fsync=off")  # fmt: skip
        try:
            yield Cluster(port=port)
        finally:
            run(bin_ / "pg_ctl", "stop", "-D", data, "-m", "fast", "-w")
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
            raise KlyngeError(f"{args[0]} feilet: {result.stdout}{result.stderr}{tail}")

    return run
