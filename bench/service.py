"""Benchmark the running service: many API clients making statusrapporter at once.

Starts ``dokgen serve`` (waitress) on a fresh instance with two converters and two workers,
once per number of web processes asked for (``--webprosesser``, default 1 and the service's
default), and each time measures, in the same run:

* one client: each POST /api/v1/dokumenter answers at once (the preview is made by a
  worker); the client polls GET until the preview is done, then makes the next one;
* ``--klienter`` clients (default 20) doing the same for ``--sekunder`` (default 60).

Each client is a process of its own, as real clients are separate systems (20 threads in one
process would add their own GIL queueing to what they measure).

For each: API call latency (every POST and GET; median, p95) — the server must stay
responsive while conversion queues —, split by whether another client's call ran at the same
time (calls alone show what the conversions in the background cost, calls side by side what
the clients cost each other on these cores), the time to a finished document, throughput in
documents per second, errors, and the RSS of the server and its LibreOffice processes.
Two probes run alongside every 0.1 s: ``GET /api/v1/helse`` (the service's cheapest
request) and a static file from Python's ``http.server`` in its own process — the floor:
what this machine, under the same load, gives the cheapest request any server can answer.
Prints numbers and ratios, asserts nothing.

With ``--vent`` each POST carries ``Prefer: wait=120`` instead: the answer comes when the
preview is done, so the API call latency is the time to a finished document.

Run: ``.venv/bin/python bench/service.py [--klienter 20] [--sekunder 60] [--enkelt 50] [--vent]
[--webprosesser 1,2]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.common import ms, p95, rss_mb  # noqa: E402 - after the path fix

KONTRAKT = REPO.parent / "shared" / "kontrakt" / "statusrapport.json"
DOKGEN = str(Path(sys.executable).parent / "dokgen")
ORGNR = "998877660"
POLL = 0.2  # seconds between status polls, as a client would do


@dataclass
class Maling:
    """What one run of clients saw."""

    kall: list[float] = field(default_factory=list)
    # When each call of ``kall`` started (``time.monotonic``, one clock in every process).
    starter: list[float] = field(default_factory=list)
    post: list[float] = field(default_factory=list)  # the POSTs among ``kall``
    get: list[float] = field(default_factory=list)  # and the GETs
    dokument: list[float] = field(default_factory=list)
    feil: list[str] = field(default_factory=list)
    helse: list[float] = field(default_factory=list)
    gulv: list[float] = field(default_factory=list)

    def add(
        self, kall: list[float], starter: list[float], dokument: float | None, feil: str | None
    ) -> None:
        """Add one document's calls (its POST first) with their start times, its time to
        finished and any error."""
        self.kall.extend(kall)
        self.starter.extend(starter)
        self.post.extend(kall[:1])
        self.get.extend(kall[1:])
        if dokument is not None:
            self.dokument.append(dokument)
        if feil:
            self.feil.append(feil)

    def delt(self) -> tuple[list[float], list[float]]:
        """Return the calls that ran alone and those that ran beside another call."""
        flagg = alene(self.starter, self.kall)
        enslige = [k for k, a in zip(self.kall, flagg, strict=True) if a]
        return enslige, [k for k, a in zip(self.kall, flagg, strict=True) if not a]


class Klient:
    """One API client with its own keep-alive connection."""

    def __init__(self, port: int, token: str, body: bytes, vent: bool = False) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.body = body
        self.vent = {"Prefer": "wait=120"} if vent else {}

    def _call(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, dict[str, Any]]:
        headers = {**self.headers, **self.vent} if method == "POST" else self.headers
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, json.loads(r.read() or b"{}")

    def ett_dokument(self, maling: Maling) -> None:
        """POST one statusrapport, poll until its preview is made; record every call."""
        kall: list[float] = []
        starter = [time.monotonic()]
        start = time.perf_counter()
        status, doc = self._call("POST", "/api/v1/dokumenter", self.body)
        kall.append(time.perf_counter() - start)
        if status != 201:
            maling.add(kall, starter, None, f"POST {status}")
            return
        while doc.get("status") == "behandles":
            time.sleep(POLL)
            starter.append(time.monotonic())
            t = time.perf_counter()
            status, doc = self._call("GET", f"/api/v1/dokumenter/{doc['id']}")
            kall.append(time.perf_counter() - t)
        ok = doc.get("status") == "utkast"
        feil = None if ok else f"status {doc.get('status')}"
        maling.add(kall, starter, time.perf_counter() - start, feil)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree_rss(pid: int) -> tuple[float, float, float, float]:
    """Return the RSS in MB of the server (its main process), of its web processes, of its
    job processes and of its LibreOffices."""
    children: dict[int, list[int]] = {}
    names: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            names[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    office, web, workers, todo = 0.0, 0.0, 0.0, list(children.get(pid, []))
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        if b"soffice.bin" in names.get(p, b""):
            office += rss_mb(p)
        elif b"dokgen.web.tjener" in names.get(p, b""):
            web += rss_mb(p)
        elif b"python" in names.get(p, b""):
            workers += rss_mb(p)
    return rss_mb(pid), web, workers, office


def _klient(
    port: int, token: str, body: bytes, vent: bool, slutt: float, antall: int | None
) -> Maling:
    """One client, in a process of its own as a real client would be: documents until
    ``slutt`` (``time.monotonic``, the same clock in every process) or ``antall``."""
    maling, klient, n = Maling(), Klient(port, token, body, vent), 0
    while time.monotonic() < slutt and (antall is None or n < antall):
        try:
            klient.ett_dokument(maling)
        except (OSError, http.client.HTTPException) as exc:
            maling.add([], [], None, type(exc).__name__)
            klient = Klient(port, token, body, vent)
        n += 1
    return maling


def _prove(port: int, sti: str, stopp: threading.Event, tider: list[float]) -> None:
    """GET ``sti`` every 0.1 s until stopped, on a new connection each time."""
    while not stopp.wait(0.1):
        t = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", sti)
        conn.getresponse().read()
        conn.close()
        tider.append(time.perf_counter() - t)


@dataclass(frozen=True)
class Oppsett:
    """Where the clients and probes go and what they send."""

    port: int
    gulv_port: int
    token: str
    body: bytes
    vent: bool = False


def kjor(
    o: Oppsett, klienter: int, sekunder: float | None, antall: int | None
) -> tuple[Maling, float]:
    """Run ``klienter`` clients, each in its own process (the clients must not share one
    GIL with each other and so add their own queueing to what they measure)."""
    slutt = time.monotonic() + (sekunder or 1e9)
    kontekst = multiprocessing.get_context("fork")
    samlet, stopp = Maling(), threading.Event()
    prover = [
        threading.Thread(target=_prove, args=(o.port, "/api/v1/helse", stopp, samlet.helse)),
        threading.Thread(target=_prove, args=(o.gulv_port, "/ping.txt", stopp, samlet.gulv)),
    ]
    start = time.perf_counter()
    with ProcessPoolExecutor(klienter, mp_context=kontekst) as pool:
        args = (o.port, o.token, o.body, o.vent, slutt, antall)
        futures = [pool.submit(_klient, *args) for _ in range(klienter)]
        for prove in prover:
            prove.start()
        resultater = [f.result() for f in futures]
    tid = time.perf_counter() - start
    stopp.set()
    for prove in prover:
        prove.join()
    for m in resultater:
        samlet.kall += m.kall
        samlet.starter += m.starter
        samlet.post += m.post
        samlet.get += m.get
        samlet.dokument += m.dokument
        samlet.feil += m.feil
    return samlet, tid


def alene(starter: list[float], kall: list[float]) -> list[bool]:
    """Return, per call, whether no other call ran at any moment of it."""
    orden = sorted(range(len(starter)), key=lambda i: starter[i])
    svar = [False] * len(starter)
    slutt_hittil = float("-inf")  # the latest end among the calls started before
    for plass, i in enumerate(orden):
        slutt = starter[i] + kall[i]
        neste = starter[orden[plass + 1]] if plass + 1 < len(orden) else float("inf")
        svar[i] = slutt_hittil <= starter[i] and slutt <= neste
        slutt_hittil = max(slutt_hittil, slutt)
    return svar


def _vis(navn: str, maling: Maling, tid: float) -> float:
    kall_median = statistics.median(maling.kall)
    print(
        f"  {navn}: {len(maling.dokument)} dokumenter på {tid:.1f} s = "
        f"{len(maling.dokument) / tid:.2f} dok/s, {len(maling.feil)} feil"
    )
    print(
        f"    API-kall      median {ms(kall_median)}  p95 {ms(p95(maling.kall))}  "
        f"(n={len(maling.kall)})"
    )
    enslige, samtidige = maling.delt()
    for navn, tider in (
        ("  av dem POST", maling.post),
        ("  av dem GET", maling.get),
        ("  alene", enslige),
        ("  med andre", samtidige),
    ):
        if tider:
            print(
                f"    {navn:13s} median {ms(statistics.median(tider))}  "
                f"p95 {ms(p95(tider))}  (n={len(tider)})"
            )
    print(
        f"    ferdig dok.   median {ms(statistics.median(maling.dokument))}  "
        f"p95 {ms(p95(maling.dokument))}"
    )
    for navn, tider in (("helsesjekk", maling.helse), ("gulv", maling.gulv)):
        if tider:
            print(
                f"    {navn:13s} median {ms(statistics.median(tider))}  "
                f"p95 {ms(p95(tider))}  (n={len(tider)})"
            )
    if maling.feil:
        print(f"    feil: {sorted(set(maling.feil))}")
    return kall_median


def main() -> None:
    """For each number of web processes: start the server, run one client then many, print
    the numbers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--klienter", type=int, default=20)
    parser.add_argument("--sekunder", type=float, default=60.0)
    parser.add_argument("--enkelt", type=int, default=50, help="dokumenter for én klient")
    parser.add_argument("--vent", action="store_true", help="POST med Prefer: wait=120")
    parser.add_argument(
        "--webprosesser",
        default=f"1,{min(os.cpu_count() or 1, 4)}",
        help="antall webprosesser å måle, kommaseparert (standard: 1 og tjenestens standard)",
    )
    args = parser.parse_args()
    for antall in dict.fromkeys(int(a) for a in args.webprosesser.split(",")):
        with tempfile.TemporaryDirectory(prefix="dokgen-bench-") as tmp:
            _mal(args, antall, Path(tmp))


def _mal(args: argparse.Namespace, webprosesser: int, tmp: Path) -> None:
    env = {
        **os.environ,
        "DOKGEN_INSTANS": f"{tmp}/instans",
        "DOKGEN_KONVERTERERE": "2",
        "DOKGEN_ARBEIDERE": "2",
        "DOKGEN_WEBPROSESSER": str(webprosesser),
        "DOKGEN_LOGGNIVA": os.environ.get("DOKGEN_LOGGNIVA", "WARNING"),
    }
    subprocess.run(
        [DOKGEN, "org", "lag", "--orgnr", ORGNR, "--navn", "Bench AS"],
        env=env,
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [DOKGEN, "token", "lag", "--org", ORGNR, "--rolle", "veileder"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port, gulv_port = _free_port(), _free_port()
    (tmp / "ping.txt").write_text("ok\n")
    # The floor: the cheapest possible server (http.server, a static file) in its own
    # process, probed alongside — what this machine under the same load gives any request.
    gulvserver = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(gulv_port), "--bind", "127.0.0.1"],
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(os.environ.get("BENCH_SERVERLOGG", f"{tmp}/server.log"), "a") as log:
        server = subprocess.Popen(
            [DOKGEN, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
        try:
            _vent_pa(port)
            print(
                f"dokgen serve: {webprosesser} webprosess(er) (waitress), 2 jobbprosesser med "
                f"hver sin LibreOffice, {os.cpu_count()} kjerner; "
                f"RSS ved start: server {sum(_tree_rss(server.pid)[:2]):.0f} MB"
            )
            _rapport(args, Oppsett(port, gulv_port, token, KONTRAKT.read_bytes(), args.vent))
            server_rss, web_rss, worker_rss, office_rss = _tree_rss(server.pid)
            print(
                f"  RSS etter: hovedprosess {server_rss:.0f} MB, webprosesser {web_rss:.0f} MB, "
                f"jobbprosesser {worker_rss:.0f} MB, LibreOffice {office_rss:.0f} MB"
            )
        finally:
            server.terminate()
            server.wait(timeout=60)
            gulvserver.terminate()
            gulvserver.wait(timeout=10)


def _rapport(args: argparse.Namespace, oppsett: Oppsett) -> None:
    kjor(replace(oppsett, vent=False), 1, None, 3)  # warm-up: both converters on
    if args.vent:
        print("  (hver POST med Prefer: wait=120: API-kall = tid til ferdig dokument)")
    enkelt, tid1 = kjor(oppsett, 1, None, args.enkelt)
    base = _vis("1 klient", enkelt, tid1)
    mange, tid = kjor(oppsett, args.klienter, args.sekunder, None)
    kall = _vis(f"{args.klienter} klienter", mange, tid)
    print(
        f"  API-kall p95 med {args.klienter} klienter / median med 1 klient: "
        f"{p95(mange.kall) / base:.2f}× (mål ≤ 2×); median {kall / base:.2f}×; "
        f"p95 / p95 med 1 klient: {p95(mange.kall) / p95(enkelt.kall):.2f}×"
    )
    enslige = mange.delt()[0]
    if enslige:
        print(
            f"  API-kall som gikk alene under last: p95 / median med 1 klient: "
            f"{p95(enslige) / base:.2f}× ({len(enslige)} av {len(mange.kall)} kall)"
        )
    gulv = p95(mange.gulv)
    print(
        "  gulvet (triviell server) p95 under last / median med 1 klient: "
        f"{gulv / statistics.median(enkelt.gulv):.2f}×; "
        f"API-kall p95 / gulvets p95: {p95(mange.kall) / gulv:.2f}×"
    )
    print(
        f"  ferdig dok. p95 med {args.klienter} / median med 1: "
        f"{p95(mange.dokument) / statistics.median(enkelt.dokument):.1f}× "
        "(kø: 2 konverterere deler arbeidet)"
    )


def _vent_pa(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("serveren startet ikke")


if __name__ == "__main__":
    main()
