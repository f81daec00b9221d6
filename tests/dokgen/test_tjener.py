"""The channels of a multi-process service, with real socket pairs and a real job pool
(the whole service with two web processes is tested in ``test_cli_serve``)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from types import SimpleNamespace
from typing import Any

import pytest

import dokgen.services.dokumenter
from dokgen.deps.token_cache import TokenCache
from dokgen.runtime.jobs import JobPool
from dokgen.runtime.tjener import (
    Channel,
    JobPoolClient,
    MainProcess,
    _WebProcess,
    listening_sockets,
)
from tests.conftest import wait_for


@pytest.fixture
def par() -> Iterator[tuple[Channel, Channel]]:
    """Two ends of one channel: (the web process's, the main process's)."""
    a, b = socket.socketpair()
    web, hoved = Channel(Connection(a.detach())), Channel(Connection(b.detach()))
    yield web, hoved
    web.close()
    hoved.close()


def _until(check: Callable[[], bool]) -> bool:
    return wait_for(check, bool, 10)


def test_a_job_goes_to_the_main_process_by_name(par: tuple[Channel, Channel]) -> None:
    web, hoved = par
    klient = JobPoolClient(web)
    future = klient.submit(dokgen.services.dokumenter.lag_utkast, None, "v-1")  # type: ignore[arg-type]
    assert future.done()
    assert hoved.conn.recv() == ("jobb", "dokgen.services.dokumenter", "lag_utkast", ("v-1",))
    hoved.close()
    with pytest.raises(OSError, match="hovedprosessen"):
        klient.submit(dokgen.services.dokumenter.lag_utkast, None, "v-2")  # type: ignore[arg-type]


def test_the_web_process_hears_job_counts_and_revocations_and_stops_when_the_main_is_gone(
    par: tuple[Channel, Channel], monkeypatch: pytest.MonkeyPatch
) -> None:
    web, hoved = par
    klient, glemt, drept = JobPoolClient(web), [], []
    monkeypatch.setattr("dokgen.runtime.tjener.os.kill", lambda pid, sig: drept.append(sig))
    traad = klient.listen(glemt.append)
    hoved.send(("jobber", 3))
    assert _until(lambda: klient.in_progress == 3)
    assert not klient.wait_idle(timeout=0.1)
    hoved.send(("glem", "ab" * 32))
    hoved.send(("jobber", 0))
    assert _until(lambda: klient.in_progress == 0)
    assert klient.wait_idle(timeout=0.1)
    assert glemt == ["ab" * 32]
    hoved.close()
    traad.join(10)
    assert drept == [signal.SIGTERM]


def test_the_pool_runs_only_dokgen_services_by_name_and_reports_its_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ferdig = threading.Event()
    kjort: list[tuple[Any, ...]] = []

    def jobb(deps: Any, *args: Any) -> None:
        kjort.append((deps, *args))
        ferdig.wait(10)

    monkeypatch.setattr(dokgen.services.dokumenter, "provejobb", jobb, raising=False)
    pool, tall = JobPool(1), []
    pool.on_change = tall.append
    try:
        for module, name in (("os", "system"), ("dokgen.services.x", "a; b"), ("builtins", "eval")):
            with pytest.raises(ValueError, match="ikke en jobb"):
                pool.submit_named(module, name, None, ("rm -rf /",))  # type: ignore[arg-type]
        assert tall == []
        pool.submit_named("dokgen.services.dokumenter", "provejobb", "deps", ("v-1",))  # type: ignore[arg-type]
        assert _until(lambda: kjort == [("deps", "v-1")])
        assert pool.in_progress == 1
        ferdig.set()
        assert pool.wait_idle(10)
        assert _until(lambda: tall == [1, 0])
    finally:
        ferdig.set()
        pool.close()


def test_the_main_process_relays_jobs_and_passes_a_revocation_to_the_other_web_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kjort: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        dokgen.services.dokumenter, "provejobb", lambda d, *a: kjort.append(a), raising=False
    )
    tokener = TokenCache(None, ttl=10)  # type: ignore[arg-type]
    pool = JobPool(1)
    hoved = MainProcess(SimpleNamespace(token_cache=tokener), pool, [], 1)  # type: ignore[arg-type]
    ender = [socket.socketpair() for _ in range(3)]
    webs = [Channel(Connection(a.detach())) for a, _ in ender]
    hos_hoved = [Channel(Connection(b.detach())) for _, b in ender]
    hoved._web = [_WebProcess(None, k) for k in hos_hoved]  # type: ignore[arg-type]
    lesere = [threading.Thread(target=hoved._read, args=(k,), daemon=True) for k in hos_hoved]
    for leser in lesere:
        leser.start()
    try:
        webs[0].send(("jobb", "dokgen.services.dokumenter", "provejobb", ("v-9",)))
        webs[0].send(("jobb", "os", "system", ("rm -rf /",)))  # refused, the relay goes on
        webs[1].send(("glem", "cd" * 32))
        assert _until(lambda: kjort == [("v-9",)])
        assert pool.wait_idle(10)
        hort: list[list[tuple[Any, ...]]] = [[] for _ in webs]

        def alt_hort() -> list[list[tuple[Any, ...]]]:
            for h, kanal in zip(hort, webs, strict=True):
                h.extend(_alt(kanal))
            return hort

        # Until the two others have the revocation and each has heard the idle count.
        wait_for(alt_hort, lambda hs: _fikk_glem_og_tomt(hs, "cd" * 32, ikke=1), 10)
        assert [[m for m in h if m[0] == "glem"] for h in hort] == [
            [("glem", "cd" * 32)],
            [],  # not back to the one that revoked
            [("glem", "cd" * 32)],
        ]
        # each was told the pool's count as it changed, last that it is idle
        assert [[m for m in h if m[0] == "jobber"][-1] for h in hort] == [("jobber", 0)] * 3
    finally:
        for kanal in webs:
            kanal.close()
        for leser in lesere:
            leser.join(10)
        pool.close()


def _fikk_glem_og_tomt(hort: list[list[tuple[Any, ...]]], token: str, ikke: int) -> bool:
    """Whether every channel but ``ikke`` heard ``token`` revoked, and each last heard that
    the pool has no jobs."""
    glemt = all(("glem", token) in h for i, h in enumerate(hort) if i != ikke)
    return glemt and all([m for m in h if m[0] == "jobber"][-1:] == [("jobber", 0)] for h in hort)


def _alt(kanal: Channel) -> list[tuple[Any, ...]]:
    meldinger = []
    while kanal.conn.poll(0.05):
        meldinger.append(kanal.conn.recv())
    return meldinger


def test_a_revocation_is_passed_on_unless_it_came_from_another_process() -> None:
    tokener, sendt = TokenCache(None), []  # type: ignore[arg-type]
    tokener.broadcast = sendt.append
    tokener.forget("ef" * 32)
    tokener.forget("01" * 32, relay=False)
    assert sendt == ["ef" * 32]


def test_two_stop_signals_at_once_stop_cleanly() -> None:
    """SIGINT and SIGTERM pending together (Ctrl-C or `timeout` signals the group while the
    main process signals its web processes): one stop, and the clean-up runs to its end."""
    script = """
import os, signal, time
from dokgen.runtime.tjener import StopSignalError, stop_on_signal
stop_on_signal()
both = {signal.SIGINT, signal.SIGTERM}
signal.pthread_sigmask(signal.SIG_BLOCK, both)
os.kill(os.getpid(), signal.SIGINT)
os.kill(os.getpid(), signal.SIGTERM)
try:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, both)
    time.sleep(5)
except StopSignalError as stop:
    time.sleep(0.2)
    print("ryddet etter", stop.args[0])
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("ryddet etter")


@pytest.mark.parametrize(
    ("kode", "svar", "logget"),
    [
        (3, 1, "webprosessene stopper rett etter start; tjenesten stopper"),
        (0, 0, "en webprosess stoppet; tjenesten stopper"),
    ],
)
def test_the_main_process_restarts_a_dying_web_process_but_not_for_ever(
    kode: int, svar: int, logget: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A web process that dies is started again; five that die at once in a row stop the
    service with exit code 1 instead of a restart loop. One that ends with 0 was told to
    stop, and the service stops with it."""
    caplog.set_level("INFO", logger="dokgen.runtime.tjener")
    socks = listening_sockets("127.0.0.1", 0, 2)
    assert socks[0].getsockname() == socks[1].getsockname()
    pool = JobPool(1)
    hoved = MainProcess(
        SimpleNamespace(token_cache=None),  # type: ignore[arg-type]
        pool,
        socks,
        1,
        command=[sys.executable, "-c", f"import sys; sys.exit({kode})"],
    )
    try:
        assert hoved.run() == svar
    finally:
        pool.close()
        for sock in socks:
            sock.close()
    meldinger = [r.getMessage() for r in caplog.records if r.name == "dokgen.runtime.tjener"]
    assert meldinger[-1] == logget
    omstarter = meldinger.count(f"en webprosess stoppet (kode {kode}); starter en ny")
    assert omstarter == (4 if kode else 0)
    assert hoved.pids == []  # every one reaped
