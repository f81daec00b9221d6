"""``dokgen serve`` with more than one web process: a main process and N web processes.

One Python process answers requests on one GIL: under load, each request waits at every
thread hand-off for the GIL (measured in ``bench/service.py``). With ``DOKGEN_WEBPROSESSER``
above 1 the work is split:

* the **main process** (``dokgen serve``) migrates the database, seeds the demo, owns the
  job pool and its LibreOffices, resumes interrupted work once at start and from then on
  queues again work whose job died (the lease sweep, :mod:`dokgen.runtime.leases`), binds one
  listening socket per web process on the port, and starts, watches and restarts the web
  processes;
* each **web process** (``python -m dokgen.web.tjener``, :mod:`dokgen.web.tjener`) accepts
  connections on its inherited socket and runs the Flask app under waitress. It hands the
  jobs its requests create to the main process over a channel of its own, so a job is queued
  in one place only and work is never resumed twice (an invoice must never be sent twice).

On the channels (``multiprocessing.connection`` over a socket pair, our own processes only):

* web → main: ``("jobb", module, name, args)`` queues a job; ``("glem", token_sha256)``
  says a token was revoked;
* main → web: ``("glem", token_sha256)`` (revoked in another web process: forget it at once)
  and ``("jobber", n)``, the jobs queued or running, for ``/api/v1/helse``.

A web process whose channel closes (the main process is gone, even killed outright) stops.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dokgen.runtime.jobs import JobPool
    from dokgen.settings import Settings

log = logging.getLogger(__name__)


class _TokenCache(Protocol):
    def forget(self, token_sha256: str) -> None: ...


class ServerDeps(Protocol):
    """What the main process needs of the service's collaborators (a
    :class:`dokgen.deps.Deps`, which lies above this package): the memory of API tokens, to
    forget a revoked one; the jobs it relays are given them whole."""

    @property
    def token_cache(self) -> _TokenCache: ...


_QUICK_DEATH = 5.0  # a web process that dies sooner than this after its start died "at once"
_QUICK_DEATHS = 5  # this many in a row and the service stops instead of restarting again


class StopSignalError(Exception):
    """Raised by the signal handler to leave the serving or watching loop."""


def _ignore(signum: int, frame: object) -> None:
    del signum, frame


def stop_on_signal() -> None:
    """Make SIGTERM and SIGINT raise :class:`StopSignalError` in the main thread (once)."""

    def _raise(signum: int, frame: object) -> None:
        del frame
        # Once is enough: a second signal must not interrupt the clean-up. Not SIG_IGN: a
        # signal that arrived with the first (SIGTERM to the process group and from the main
        # process, SIGINT and SIGTERM) is already pending, and Python would raise OSError
        # ("ignored due to race condition") for it in the middle of the clean-up.
        signal.signal(signal.SIGTERM, _ignore)
        signal.signal(signal.SIGINT, _ignore)
        raise StopSignalError(signum)

    signal.signal(signal.SIGTERM, _raise)
    signal.signal(signal.SIGINT, _raise)


class Channel:
    """One end of a channel between the main process and a web process; sends are
    serialised (request threads and the job pool's callbacks send at once)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._lock = threading.Lock()

    def send(self, message: tuple[Any, ...]) -> bool:
        """Send one message; return False when the other end is gone."""
        try:
            with self._lock:
                self.conn.send(message)
        except (OSError, ValueError):
            return False
        return True

    def close(self) -> None:
        self.conn.close()


class JobPoolClient:
    """The job pool of a web process: each job goes to the main process's pool.

    Same interface as :class:`dokgen.runtime.jobs.JobPool` where the services use it.
    """

    def __init__(self, channel: Channel) -> None:
        self._channel = channel
        self._in_progress = 0

    def submit(self, fn: Callable[..., Any], deps: object, *args: Any) -> Future[Any]:
        """Queue ``fn(deps, *args)`` in the main process; the returned future is done once
        the job is handed over (the job's state lives in the database, not here).

        Raises:
            OSError: the main process is gone (the record stays ``behandles`` and is
                resumed when the service starts again).
        """
        del deps
        if not self._channel.send(("jobb", fn.__module__, fn.__qualname__, args)):
            raise OSError("hovedprosessen svarer ikke")
        future: Future[Any] = Future()
        future.set_result(None)
        return future

    def forget_token(self, token_sha256: str) -> None:
        """Tell the other web processes that a token was revoked."""
        self._channel.send(("glem", token_sha256))

    @property
    def in_progress(self) -> int:
        """Return the main process's jobs queued or running, as it last told."""
        return self._in_progress

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the main process reports no jobs; return whether that happened."""
        end = None if timeout is None else time.monotonic() + timeout
        while self._in_progress:
            if end is not None and time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True

    def listen(self, forget: Callable[[str], None]) -> threading.Thread:
        """Read the main process's messages in a thread; stop this process when it is gone."""

        def _read() -> None:
            while True:
                try:
                    message = self._channel.conn.recv()
                except (EOFError, OSError):
                    log.warning("hovedprosessen er borte; webprosessen stopper")
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                if message[0] == "jobber":
                    self._in_progress = int(message[1])
                elif message[0] == "glem":
                    forget(str(message[1]))

        thread = threading.Thread(target=_read, name="dokgen-kanal", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._channel.close()


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """Bind one listening socket per web process, all on the same port (``SO_REUSEPORT``).

    The kernel spreads new connections evenly over them by address and port, where one
    shared socket would give most to whichever process wins the race to accept. The main
    process keeps every socket open, so a restarted web process takes over its socket and
    the connections waiting in it.
    """
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_server(address, family=family, backlog=1024, reuse_port=True)
            address = sock.getsockname()  # port 0: the others take the port the first got
            socks.append(sock)
    except OSError:
        for sock in socks:
            sock.close()
        raise
    return socks


class _WebProcess:
    def __init__(self, proc: subprocess.Popen[bytes], channel: Channel) -> None:
        self.proc = proc
        self.channel = channel
        self.started = time.monotonic()


class MainProcess:
    """Starts a web process on each of ``socks``, relays their jobs to ``jobs``, restarts
    one that dies, and stops them all."""

    def __init__(
        self,
        deps: ServerDeps,
        jobs: JobPool,
        socks: list[socket.socket],
        threads: int,
        *,
        command: Sequence[str] = (sys.executable, "-m", "dokgen.web.tjener"),
    ) -> None:
        self._command = list(command)
        self._deps = deps
        self._jobs = jobs
        self._socks = socks
        self._threads = threads
        self._web: list[_WebProcess] = []
        self._lock = threading.Lock()
        jobs.on_change = lambda n: self._broadcast(("jobber", n))

    def _broadcast(self, message: tuple[Any, ...], except_: Channel | None = None) -> None:
        with self._lock:
            channels = [w.channel for w in self._web if w.channel is not except_]
        for channel in channels:
            channel.send(message)

    def _start_one(self, sock: socket.socket) -> _WebProcess:
        own_end, child_end = socket.socketpair()
        with child_end:
            proc = subprocess.Popen(  # noqa: S603 - our own module, fixed argv
                [
                    *self._command,
                    "--lytter-fd", str(sock.fileno()),
                    "--kanal-fd", str(child_end.fileno()),
                    "--tråder", str(self._threads),
                ],
                pass_fds=(sock.fileno(), child_end.fileno()),
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        channel = Channel(Connection(own_end.detach()))
        web = _WebProcess(proc, channel)
        threading.Thread(
            target=self._read, args=(channel,), name="dokgen-kanal", daemon=True
        ).start()
        channel.send(("jobber", self._jobs.in_progress))
        return web

    def _read(self, channel: Channel) -> None:
        """Act on one web process's messages until its channel closes."""
        while True:
            try:
                message = channel.conn.recv()
            except (EOFError, OSError):
                return
            try:
                if message[0] == "jobb":
                    _, module, name, args = message
                    self._jobs.submit_named(module, name, self._deps, tuple(args))
                elif message[0] == "glem":
                    self._deps.token_cache.forget(str(message[1]))
                    self._broadcast(("glem", str(message[1])), except_=channel)
            except Exception as exc:  # one bad message must not end the relay
                log.error("kunne ikke utføre melding fra en webprosess: %s", type(exc).__name__)

    def run(self) -> int:
        """Start the web processes and watch them until a stop signal; return the exit
        code (1 when they keep dying at start)."""
        quick_deaths = 0
        try:
            for sock in self._socks:
                web = self._start_one(sock)
                with self._lock:
                    self._web.append(web)
            while True:
                time.sleep(0.5)
                for i, web in enumerate(list(self._web)):
                    code = web.proc.poll()
                    if code is None:
                        continue
                    if code == 0:  # it was told to stop (e.g. SIGTERM to the process group)
                        log.info("en webprosess stoppet; tjenesten stopper")
                        return 0
                    quick_deaths = (
                        quick_deaths + 1 if time.monotonic() - web.started < _QUICK_DEATH else 0
                    )
                    if quick_deaths >= _QUICK_DEATHS:
                        log.error("webprosessene stopper rett etter start; tjenesten stopper")
                        return 1
                    log.warning("en webprosess stoppet (kode %s); starter en ny", code)
                    web.channel.close()
                    new = self._start_one(self._socks[i])
                    with self._lock:
                        self._web[i] = new
        except StopSignalError:
            log.info("stopper")
            return 0
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop every web process (SIGTERM, then SIGKILL after 30 s) and close the channels."""
        with self._lock:
            web, self._web = self._web, []
        for w in web:
            if w.proc.poll() is None:
                w.proc.terminate()
        for w in web:
            try:
                w.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.proc.kill()
                w.proc.wait()
            w.channel.close()

    @property
    def pids(self) -> list[int]:
        """Return the web processes' pids."""
        with self._lock:
            return [w.proc.pid for w in self._web]


def require_writable(settings: Settings) -> None:
    """Check at start that the instance folder and its SQLite database can be written.

    Raises:
        SettingsInvalidError: they cannot (a read-only mount, wrong owner, a full disk): the
            service would otherwise stop on the first write with only ``OperationalError``.
    """
    from dokgen.errors import SettingsInvalidError

    instans = settings.instans
    try:
        instans.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=instans, prefix=".skrivbar-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise SettingsInvalidError(_not_writable(f"instansmappen {instans}", exc)) from None
    if settings.database_url is None:  # SQLite in the instance folder: it and its WAL
        for name in ("dokgen.db", "dokgen.db-wal", "dokgen.db-shm"):
            path = instans / name
            if path.exists() and not os.access(path, os.R_OK | os.W_OK):
                raise SettingsInvalidError(
                    _not_writable(
                        f"databasen {path}", PermissionError(errno.EACCES, "ingen tilgang")
                    )
                )


def _not_writable(what: str, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return (
        f"{what} kan ikke skrives ({reason}); tjenesten må kunne skrive databasen og filene "
        "der. Sjekk DOKGEN_INSTANS, eier og rettigheter, og at disken ikke er full eller "
        "montert skrivebeskyttet."
    )
