"""Benchmark the PostgreSQL job queue and two nodes against one.

Starts a throwaway PostgreSQL cluster (``tests/pgklynge.py``) and ``dokgen serve --demo``
nodes on it, each with its own empty instance folder, one web process, one worker and one
LibreOffice, files in PostgreSQL (``DOKGEN_FILLAGER=postgres``) so only the queue differs.
Measures, in the same run:

1. **The queue's cost**: one client, one node on the whole machine, once with the job queue
   in the process (``DOKGEN_JOBBKO=lokal``) and once on PostgreSQL (``postgres``: the node
   queues the job in its own pool and notifies the others, its dispatcher looks for free
   work). Each statusrapport is POSTed and the time until its version leaves ``behandles``
   is read from the database itself (polled every 2 ms, so the API's own 50 ms wait loop is
   not in the number); median and p95 of ``--dokumenter`` documents after three warm-ups.
2. **Throughput**: ``--klienter`` clients posting statusrapporter for ``--sekunder`` seconds,
   each posting its next one when its last is done, against one node pinned to one core
   (``taskset -c 0``), then two nodes pinned to one core each (``-c 0`` and ``-c 1``) with
   the clients alternating between them, then the same two nodes with every POST to the
   first (the second only takes work it finds free). Documents finished per second, and the
   ratio to one node. PostgreSQL and the clients are not pinned: on a two-core machine they
   take their share of the same two cores, which the numbers include.

Prints numbers and ratios, asserts nothing. Targets (issue 18): the queue adds at most
20 ms to a document's median; two one-core nodes do at least 1.7 times one.

Run: ``.venv/bin/python bench/noder.py [--dokumenter 30] [--klienter 4] [--sekunder 60]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.common import ms, p95  # noqa: E402 - after the path fix
from tests.pgklynge import Cluster, bindir, klynge  # noqa: E402

KONTRAKT = REPO.parent / "shared" / "kontrakt" / "statusrapport.json"
PEPPOL = REPO.parent / "shared" / "reference" / "peppol"
DOKGEN = str(Path(sys.executable).parent / "dokgen")
ORGNR = "998877660"
DATA = json.loads(KONTRAKT.read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    """One ``dokgen serve`` process on the benchmark's database."""

    def __init__(self, url: str, folder: Path, jobbko: str, cpu: int | None) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DOKGEN_INSTANS": str(folder / "instans"),
            "DOKGEN_DATABASE_URL": url,
            "DOKGEN_REFERANSE_PEPPOL": str(PEPPOL),
            "DOKGEN_JOBBKO": jobbko,
            "DOKGEN_FILLAGER": "postgres",
            "DOKGEN_WEBPROSESSER": "1",
            "DOKGEN_ARBEIDERE": "1",
            "DOKGEN_KONVERTERERE": "1",
            "DOKGEN_LOGGNIVA": "WARNING",
        }
        folder.mkdir(parents=True)
        pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
        with (folder / "logg.txt").open("w") as logg:
            self.proc = subprocess.Popen(
                [*pin, DOKGEN, "serve", "--demo", "--port", str(self.port)],
                env=self.env,
                stdout=logg,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
        headers = {"Authorization": f"Bearer {token}"}
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        result = r.status, r.read()
        conn.close()
        return result

    def ready(self, timeout: float = 240) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/v1/helse")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("noden stoppet under oppstart")
            time.sleep(0.2)
        raise RuntimeError("noden startet ikke")

    def token(self) -> str:
        out = subprocess.run(
            [DOKGEN, "token", "lag", "--org", ORGNR, "--rolle", "veileder"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()


@contextmanager
def nodes(
    cluster: Cluster, name: str, jobbko: str, cpus: list[int | None]
) -> Iterator[tuple[list[Node], str]]:
    """Start nodes on a fresh database; yield them with its psycopg connection string."""
    with cluster.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    url = cluster.url(name)
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    folder = Path(tempfile.mkdtemp(prefix="dokgen-noder-"))
    started: list[Node] = []
    try:
        # The first migrates and seeds the demo alone, then the others join.
        started.append(Node(url, folder / "n0", jobbko, cpus[0]))
        started[0].ready()
        for i, cpu in enumerate(cpus[1:], 1):
            started.append(Node(url, folder / f"n{i}", jobbko, cpu))
        for node in started:
            node.ready()
        _wait_no_work(conninfo)
        yield started, conninfo
    finally:
        for node in started:
            node.stop()
        shutil.rmtree(folder, ignore_errors=True)
        with cluster.admin() as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _wait_no_work(conninfo: str, timeout: float = 300) -> None:
    end = time.monotonic() + timeout
    with psycopg.connect(conninfo, autocommit=True) as db:
        while time.monotonic() < end:
            row = db.execute(
                "select count(*) from versjon where status in ('behandles', 'forsegles')"
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.2)


def _post(node: Node, token: str) -> str:
    status, body = node.call("POST", "/api/v1/dokumenter", token, DATA)
    if status != 201:
        raise RuntimeError(f"POST svarte {status}")
    return str(json.loads(body)["id"])


def _done(db: psycopg.Connection[Any], dokument_id: str) -> bool:
    row = db.execute(
        "select status from versjon where dokument_id = %s order by nummer desc limit 1",
        (dokument_id,),
    ).fetchone()
    return row is not None and row[0] != "behandles"


def latency(cluster: Cluster, jobbko: str, count: int) -> list[float]:
    """Return the seconds from POST to a finished preview, one client, one node."""
    with nodes(cluster, f"bench_lat_{jobbko}", jobbko, [None]) as (started, conninfo):
        node, token = started[0], started[0].token()
        samples: list[float] = []
        with psycopg.connect(conninfo, autocommit=True) as db:
            for i in range(count + 3):
                start = time.perf_counter()
                dokument_id = _post(node, token)
                while not _done(db, dokument_id):
                    time.sleep(0.002)
                if i >= 3:  # warm-ups first
                    samples.append(time.perf_counter() - start)
        return samples


def _cpu_utenfor() -> float:
    """Return the CPU seconds used so far by PostgreSQL's processes and this benchmark (the
    clients): what the nodes do not get of the cores they share with them."""
    tikk = os.sysconf("SC_CLK_TCK")
    total = sum(os.times()[:2])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if not (entry / "cmdline").read_bytes().startswith(b"postgres"):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tikk
    return total


def throughput(
    cluster: Cluster,
    name: str,
    cpus: list[int | None],
    clients: int,
    seconds: float,
    *,
    spread: bool,
) -> tuple[float, float]:
    """Return the documents finished per second by ``clients`` clients for ``seconds``, and
    the cores PostgreSQL and the clients used meanwhile."""
    with nodes(cluster, name, "postgres", cpus) as (started, conninfo):
        token = started[0].token()
        finished = 0
        lock = threading.Lock()
        end = time.monotonic() + seconds

        def client(nr: int) -> None:
            nonlocal finished
            i = nr
            with psycopg.connect(conninfo, autocommit=True) as db:
                while time.monotonic() < end:
                    node = started[i % len(started)] if spread else started[0]
                    i += 1
                    dokument_id = _post(node, token)
                    while not _done(db, dokument_id):
                        time.sleep(0.01)
                    if time.monotonic() <= end:
                        with lock:
                            finished += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        start, cpu = time.monotonic(), _cpu_utenfor()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        tid = min(time.monotonic(), end) - start
        return finished / tid, (_cpu_utenfor() - cpu) / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dokumenter", type=int, default=30)
    parser.add_argument("--klienter", type=int, default=4)
    parser.add_argument("--sekunder", type=float, default=60)
    args = parser.parse_args()
    bin_ = bindir()
    if bin_ is None:
        raise SystemExit("PostgreSQL-serveren mangler (initdb, pg_ctl)")
    cores = os.cpu_count() or 1
    print(f"maskin: {cores} kjerner; PostgreSQL fra {bin_}")
    with klynge(bin_, max_connections=200) as cluster:
        print("\n1. Køens kostnad: én klient, én node, POST → forhåndsvisning ferdig")
        medianer = {}
        for jobbko in ("lokal", "postgres"):
            s = latency(cluster, jobbko, args.dokumenter)
            medianer[jobbko] = statistics.median(s)
            print(f"   jobbkø {jobbko:8}: median {ms(medianer[jobbko])}  p95 {ms(p95(s))}")
        tillegg = medianer["postgres"] - medianer["lokal"]
        print(f"   køen legger til {ms(tillegg)} på medianen (mål: ≤ 20 ms)")

        print(f"\n2. Gjennomstrømning: {args.klienter} klienter i {args.sekunder:.0f} s")
        en, _ = throughput(cluster, "bench_en", [0], args.klienter, args.sekunder, spread=True)
        print(f"   én node på én kjerne:                {en:6.2f} dokumenter/s")
        if cores < 2:
            print("   (bare én kjerne: to noder måles ikke)")
            return
        to, utenfor = throughput(
            cluster, "bench_to", [0, 1], args.klienter, args.sekunder, spread=True
        )
        print(f"   to noder, én kjerne hver:            {to:6.2f} dokumenter/s  ({to / en:.2f}×)")
        stjel, _ = throughput(
            cluster, "bench_stjel", [0, 1], args.klienter, args.sekunder, spread=False
        )
        print(
            f"   to noder, alle POST til den første:  {stjel:6.2f} dokumenter/s  "
            f"({stjel / en:.2f}×; den andre tar ledig arbeid)"
        )
        print("   (mål: to noder ≥ 1,7× én)")
        print(
            f"   gulv: PostgreSQL og klientene brukte {utenfor:.2f} kjerner mens to noder "
            f"kjørte; nodene hadde da {cores - utenfor:.2f} av {cores} kjerner, mot én hel "
            f"for én node: høyst {min(2.0, cores - utenfor):.2f}× på denne maskinen"
        )


if __name__ == "__main__":
    main()
