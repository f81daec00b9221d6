"""Run template work (a check, a fill) in a child process that is killed when its time runs out.

A template is code from an organisation's admin. The sandbox counts loop rounds and output
(:mod:`dokgen.documents.render`), but a long computation inside one C call cannot be
interrupted from Python, and a stuck thread cannot be stopped at all. So the work runs in a
child process; the caller waits at most ``timeout`` seconds, then the child is killed
(SIGKILL) and the caller gets :class:`TemplateLimitError`. The caller's thread, and the job
worker it runs in, is free. In a job worker (SCHED_IDLE, so its child may get no CPU while
requests are served) the limit is ``timeout`` seconds of the child's CPU time, within four
times that of waiting.

The child lives on: started once (spawn and imports: 0.4 s on an idle machine, more under
load; not counted in the limit), it does one piece of work after another, so a normal fill
pays only the pipe's round trip, 0.2-0.3 ms with a statusrapport's 12 kB each way; a whole
fill took 0.5-0.9 ms longer than in process (medians of paired runs, of ~20 ms). A killed
child is replaced on the next call. A process keeps at most :data:`_MAX_IDLE` idle
children (more are made only while more threads fill at once), each for at most
:data:`_IDLE_SECONDS` seconds of idleness.

The child also limits itself: address space (``RLIMIT_AS``, so a memory bomb ends in
``MemoryError`` instead of the OOM killer) and CPU time (``RLIMIT_CPU``, so a child whose
parent died in the middle of a fill does not spin on). It stops when its parent is gone.
"""

from __future__ import annotations

import importlib
import logging
import math
import multiprocessing
import multiprocessing.util
import os
import resource
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from dokgen.errors import TemplateLimitError

log = logging.getLogger(__name__)

_CONTEXT = multiprocessing.get_context("spawn")
_START = 60.0  # seconds a new child may take to import its modules and say it is ready
_MAX_IDLE = 2
_IDLE_SECONDS = 600.0  # seconds an idle child is kept
_MEMORY = 1 << 30  # bytes of address space a child may add to what it has when ready
# A job worker runs as SCHED_IDLE: while requests keep the cores busy its child may get no
# CPU at all. There the limit is the child's CPU time, up to this many times the limit in
# wall-clock time; elsewhere (a web process checking an upload) it is wall-clock time.
_STARVED_FACTOR = 4
_TICKS = os.sysconf("SC_CLK_TCK")
_PRELOAD = (
    "dokgen.documents.render",
    "dokgen.documents.templates_check",
    "dokgen.documents.spesifikasjon",
    "dokgen.documents.pdf.certs",
)


def _seconds_text(seconds: float) -> str:
    return f"{seconds:g}".replace(".", ",") + (" sekund" if seconds == 1 else " sekunder")


class _Child:
    """One child process and our end of its pipe."""

    def __init__(self) -> None:
        ours, theirs = _CONTEXT.Pipe()
        self._conn = ours
        self._process = _CONTEXT.Process(
            target=_serve, args=(theirs,), name="dokgen-mal", daemon=True
        )
        self._process.start()
        theirs.close()
        with _lock:
            _all_children.add(self)
        self.pid = os.getpid()
        self.idle_since = time.monotonic()
        try:
            ready = ours.poll(_START) and ours.recv() == "klar"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise RuntimeError("malprosessen startet ikke")

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        """Return ``(ok, result or exception, keep)`` from the child.

        Raises:
            TemplateLimitError: the time ran out, or the child died (the caller stops it).
        """
        start = self._cpu_seconds()
        self._conn.send((fn, args, timeout))
        deadline = time.monotonic() + timeout * (_STARVED_FACTOR if _idle_priority() else 1)
        wait = timeout
        while not self._conn.poll(wait):
            used = self._cpu_seconds() - start
            left = min(timeout - used, deadline - time.monotonic())
            if left <= 0:
                raise TemplateLimitError(f"brukte for lang tid (over {_seconds_text(timeout)})")
            wait = max(left, 0.05)
        try:
            return self._conn.recv()
        except EOFError:
            raise TemplateLimitError("stoppet uventet (for mye minne eller tid)") from None

    def _cpu_seconds(self) -> float:
        """Return the CPU time the child has used (0 where /proc cannot tell: then the limit
        is wall-clock time alone)."""
        try:
            with open(f"/proc/{self._process.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _TICKS

    def alive(self) -> bool:
        return self.pid == os.getpid() and self._process.is_alive()

    def stop(self) -> None:
        """Kill the child at once: it may be in the middle of an endless computation."""
        self._process.kill()
        self._process.join(5)
        self._conn.close()
        with _lock:
            _all_children.discard(self)


_idle: list[_Child] = []
_all_children: set[_Child] = set()
_sweeper: threading.Thread | None = None
_lock = threading.Lock()


def _forget() -> None:
    """In a forked copy of this process: its parent's children are not ours to use or kill."""
    global _sweeper
    _idle.clear()
    _all_children.clear()
    _sweeper = None


os.register_at_fork(after_in_child=_forget)


def _stop_all() -> None:
    """Kill every child at exit. A job worker's child ignores SIGTERM as the worker does (a
    signal to the process group must not break a fill), and multiprocessing joins children
    at exit: unkilled, an idle child waiting for work would hold its parent's exit for ever."""
    with _lock:
        children = list(_all_children)
    for child in children:
        child.stop()


# Finalizers run in multiprocessing's exit function, before it joins the children; also in
# a job worker, which leaves by os._exit and so runs no atexit handler.
multiprocessing.util.Finalize(None, _stop_all, exitpriority=10)


def _idle_priority() -> bool:
    """Tell whether this process runs as SCHED_IDLE, as the job workers do."""
    try:
        return os.sched_getscheduler(0) == os.SCHED_IDLE
    except (AttributeError, OSError):
        return False


def run(fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """Return ``fn(*args)`` computed in a child process, waiting at most ``timeout`` seconds.

    ``fn`` is a module-level function (it is sent by name); what it raises is raised here.

    Raises:
        TemplateLimitError: the time ran out (the child was killed), or the child ran out
            of memory or died.
    """
    child = _take()
    try:
        ok, value, keep = child.call(fn, args, timeout)
    except BaseException:
        child.stop()  # killed in the middle of its work, or the pipe is in an unknown state
        raise
    if keep:
        _give_back(child)
    else:
        child.stop()
    if not ok:
        raise value
    return value


def _take() -> _Child:
    found, dead = None, []
    with _lock:
        while _idle and found is None:
            child = _idle.pop()
            if child.alive():
                found = child
            else:
                dead.append(child)
    for child in dead:
        child.stop()
    return found or _Child()


def _give_back(child: _Child) -> None:
    global _sweeper
    child.idle_since = time.monotonic()
    with _lock:
        if len(_idle) < _MAX_IDLE:
            _idle.append(child)
            if _sweeper is None:
                _sweeper = threading.Thread(target=_sweep, name="dokgen-mal-rydder", daemon=True)
                _sweeper.start()
            return
    child.stop()


def _sweep() -> None:
    """Stop children idle longer than :data:`_IDLE_SECONDS` (a web process checks an upload
    now and then; its child need not keep ~90 MB meanwhile)."""
    while True:
        time.sleep(_IDLE_SECONDS / 4)
        _stop_idle(_IDLE_SECONDS)


def _stop_idle(older_than: float) -> None:
    """Stop the idle children that have waited for work longer than ``older_than`` seconds."""
    cutoff = time.monotonic() - older_than
    with _lock:
        old = [child for child in _idle if child.idle_since < cutoff]
        _idle[:] = [child for child in _idle if child not in old]
    for child in old:
        child.stop()


def _serve(conn: Connection) -> None:
    """The child: do work until the parent closes the pipe (or dies)."""
    for name in _PRELOAD:
        importlib.import_module(name)
    _limit_memory()
    conn.send("klar")
    while True:
        try:
            fn, args, timeout = conn.recv()
        except (EOFError, OSError):
            return
        _limit_cpu(timeout)
        reply = _answer(fn, args)
        try:
            conn.send(reply)
        except Exception as exc:  # an exception that cannot be pickled: say what it was
            conn.send((False, RuntimeError(f"{type(reply[1]).__name__}: {exc}"), True))


def _answer(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any, bool]:
    try:
        return True, fn(*args), True
    except MemoryError:
        # The heap may be left fragmented near the limit: this child is not reused.
        return False, TemplateLimitError("brukte for mye minne"), False
    except Exception as exc:
        return False, exc, True


def _limit_memory() -> None:
    """Let this child grow by at most :data:`_MEMORY` bytes of address space; no core files."""
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = size + _MEMORY if hard == resource.RLIM_INFINITY else min(size + _MEMORY, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (OSError, ValueError) as exc:  # not Linux, or a sandbox refuses it
        log.info("malprosessen kjører uten minnegrense: %s", exc)


def _limit_cpu(timeout: float) -> None:
    """Let the kernel end this child (SIGXCPU) if one piece of work runs far past its time.

    The parent kills it at ``timeout``; this is for a parent that is gone.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + 2 * timeout + 1)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (OSError, ValueError) as exc:
        log.info("malprosessen kjører uten CPU-grense: %s", exc)
