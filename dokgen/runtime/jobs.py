"""A bounded pool of workers for long work (conversion, sealing, validation, sending).

Two modes, same interface (``submit(job, deps, *ids)``):

* ``traad``: worker threads in this process, sharing its collaborators (tests, CLI);
* ``prosess``: worker processes (the service), each with its own database connection,
  file store and LibreOffice, run at a lower priority. Rendering, sealing and validation
  then never hold the web process's GIL, so requests are answered while documents queue.

The work's state lives in the database, not in the pool: a job only moves a record out of
``behandles``, so work interrupted by a restart is found and resubmitted at start
(``gjenoppta`` in the services), and work a dead worker left is found by the lease sweep
(:mod:`dokgen.runtime.leases`) that the pool's owner runs with :meth:`JobPool.periodic`. A worker
process killed outright breaks a ``ProcessPoolExecutor`` (every job queued in it fails with
``BrokenProcessPool``): the pool starts a new one, and the sweep queues those jobs again.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dokgen.settings import Settings

log = logging.getLogger(__name__)

_WORKER_NICE = 19  # the web process always comes first
# A worker process's collaborators (a dokgen.deps.Deps): the pool only hands them to jobs.
_worker_deps: object = None


def _init_worker(settings: Settings, worker_deps: Callable[[Settings], object]) -> None:
    """Start a worker process: lower priority, own collaborators (LibreOffice starts lazily)
    built by ``worker_deps`` (:func:`dokgen.bootstrap.worker_deps`)."""
    global _worker_deps
    # Ctrl-C, `timeout` and systemd signal the whole process group: the server decides when
    # workers stop (a worker killed outright would leave its LibreOffice running).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.nice(_WORKER_NICE)
    _idle_policy()
    _worker_deps = worker_deps(settings)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _idle_policy() -> None:
    """Run this worker, and the LibreOffice it starts (children inherit it), as SCHED_IDLE.

    Nice 19 is not enough on EEVDF kernels (Linux 6.6 on): a waking request thread waits
    for a running nice-19 task's time slice to end (~1.5 ms on two cores) before it gets the
    core, while an idle-policy task gives way at once. Measured here with two CPU-bound
    processes on both cores: a trivial HTTP request's median went from 1.6 ms to 3.9 ms at
    nice 19 and stayed at 1.8 ms under SCHED_IDLE.
    """
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError) as exc:  # not Linux, or a sandbox forbids it
        log.info("jobbprosessen kjører med nice %d uten SCHED_IDLE: %s", _WORKER_NICE, exc)


def _watch_parent(parent: int) -> None:
    """End this worker, and its LibreOffice, when the server is gone (even killed outright).

    A worker holds both ends of its job queue's pipe, so it never sees the server's death on
    its own; it would wait for ever with a LibreOffice running.
    """
    while os.getppid() == parent:
        time.sleep(1.0)
    log.warning("tjenesten er borte; jobbprosessen stopper")
    close = getattr(getattr(_worker_deps, "converter", None), "close", None)
    if close is not None:
        close()
    os._exit(0)


def _run_in_worker(module: str, name: str, args: tuple[Any, ...]) -> None:
    """Call ``module.name(worker_deps, *args)`` in a worker process."""
    if _worker_deps is None:
        raise RuntimeError("worker not initialised")
    getattr(importlib.import_module(module), name)(_worker_deps, *args)


class Fordeling(Protocol):
    """What the pool needs of a node's dispatcher on PostgreSQL
    (:class:`dokgen.runtime.pgko.Fordeler`, which uses the pool, so it is named here by its
    shape)."""

    def varsle(self) -> None: ...

    def uferdige(self) -> int: ...

    def stopp(self) -> None: ...

    def vekk(self) -> None: ...


class JobQueue(Protocol):
    """What the services need of a job pool: :class:`JobPool`, or in a web process of a
    multi-process service :class:`dokgen.runtime.tjener.JobPoolClient`.

    A job is called with the collaborators it is given (a :class:`dokgen.deps.Deps`, which
    lies above this package): the pool hands them on and never reads them.
    """

    def submit(self, fn: Callable[..., Any], deps: object, *args: Any) -> Future[Any]: ...

    @property
    def in_progress(self) -> int: ...

    def wait_idle(self, timeout: float | None = None) -> bool: ...

    def close(self) -> None: ...


class JobPool:
    """Run jobs on at most ``workers`` threads or processes; log what escapes them."""

    def __init__(
        self,
        workers: int,
        *,
        processes: Settings | None = None,
        worker_deps: Callable[[Settings], object] | None = None,
    ) -> None:
        """Run jobs on threads, or with ``processes`` (the settings) in worker processes
        whose collaborators ``worker_deps`` builds from those settings.

        Raises:
            ValueError: ``processes`` without ``worker_deps``.
        """
        if processes is not None and worker_deps is None:
            raise ValueError("en prosesspool trenger worker_deps")
        self._workers = workers
        self._settings = processes
        self._worker_deps = worker_deps
        self._executor = self._new_executor()
        # Each queued or running job with what it is: (module, name, args).
        self._pending: dict[Future[Any], tuple[str, str, tuple[Any, ...]]] = {}
        self._lock = threading.Lock()
        self._tell_lock = threading.Lock()
        self._executor_lock = threading.Lock()
        self._stopping = threading.Event()
        self._periodic: list[threading.Thread] = []
        self.on_change: Callable[[int], None] | None = None  # told the count on each change
        # On PostgreSQL (dokgen.runtime.pgko): told after each job queued here, so the other
        # nodes may take it when this one is busy; and the dispatcher to stop on close.
        self.fordeler: Fordeling | None = None

    def _new_executor(self) -> Executor:
        if self._settings is None or self._worker_deps is None:
            return ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="dokgen-jobb")
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self._settings, self._worker_deps),
        )

    def submit(self, fn: Callable[..., Any], deps: object, *args: Any) -> Future[Any]:
        """Queue ``fn(deps, *args)`` (in a worker process: with that worker's own deps); on
        PostgreSQL also tell the other nodes."""
        future = self.submit_lokalt(fn, deps, *args)
        if self.fordeler is not None:
            self.fordeler.varsle()
        return future

    def submit_lokalt(self, fn: Callable[..., Any], deps: object, *args: Any) -> Future[Any]:
        """Queue ``fn(deps, *args)`` in this pool only (the dispatcher's own take)."""
        where = (fn.__module__, fn.__qualname__)
        if self._settings is None:
            future = self._executor.submit(fn, deps, *args)
        else:
            future = self._submit_remote(where, args)
        return self._track(future, (*where, args))

    def submit_named(self, module: str, name: str, deps: object, args: tuple[Any, ...]) -> None:
        """Queue the job a web process asked for by name (see :class:`JobPoolClient`).

        Raises:
            ValueError: ``module`` is not one of dokgen's services (a job is never an
                arbitrary callable, even from our own web processes).
        """
        if not module.startswith("dokgen.services.") or not name.isidentifier():
            raise ValueError(f"ikke en jobb: {module}.{name}")
        if self._settings is None:
            fn = getattr(importlib.import_module(module), name)
            self._track(self._executor.submit(fn, deps, *args), (module, name, args))
        else:
            self._track(self._submit_remote((module, name), args), (module, name, args))
        if self.fordeler is not None:
            self.fordeler.varsle()

    def queued(self) -> set[tuple[str, str, tuple[Any, ...]]]:
        """Return the jobs queued or running, each as (module, name, args)."""
        with self._lock:
            return set(self._pending.values())

    def periodic(self, fn: Callable[[], object], interval: float) -> None:
        """Call ``fn`` every ``interval`` seconds in a thread until :meth:`close`.

        An exception is logged (by type: its message may carry content) and the next call
        made as usual: the sweep must outlive a database that is briefly unavailable.
        """

        def loop() -> None:
            while not self._stopping.wait(interval):
                try:
                    fn()
                except Exception as exc:
                    log.error("periodisk jobb feilet: %s", type(exc).__name__)

        thread = threading.Thread(target=loop, name="dokgen-periodisk", daemon=True)
        thread.start()
        self._periodic.append(thread)

    def _track(self, future: Future[Any], what: tuple[str, str, tuple[Any, ...]]) -> Future[Any]:
        with self._lock:
            self._pending[future] = what
        future.add_done_callback(self._done)
        self._tell()
        return future

    def _tell(self) -> None:
        """Tell ``on_change`` the count now; one at a time, so the last told is the last
        count (a job may finish before its submitter gets to tell that it started)."""
        if self.on_change is None:
            return
        with self._tell_lock:
            with self._lock:
                count = len(self._pending)
            self.on_change(count)

    def _submit_remote(self, where: tuple[str, str], args: tuple[Any, ...]) -> Future[Any]:
        with self._executor_lock:
            executor = self._executor
        try:
            return executor.submit(_run_in_worker, *where, args)
        except BrokenProcessPool:
            return self._replace(executor).submit(_run_in_worker, *where, args)

    def _replace(self, broken: Executor) -> Executor:
        """Start a new process pool in place of a broken one (once, however many see it)."""
        with self._executor_lock:
            if self._executor is broken and not self._stopping.is_set():
                log.warning("en jobbprosess stoppet uventet; starter nye jobbprosesser")
                self._executor = self._new_executor()
                # Its manager thread already failed every job and ends its workers.
                broken.shutdown(wait=False)
            return self._executor

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.pop(future, None)
        self._tell()
        if self.fordeler is not None:
            self.fordeler.vekk()  # a worker is free: take work no node holds
        if future.cancelled():
            return
        error = future.exception()
        if isinstance(error, BrokenProcessPool):
            # A worker was killed: this job's record is still where it was; the lease sweep
            # queues it again on the new pool once no job holds it.
            with self._executor_lock:
                executor = self._executor
            if getattr(executor, "_broken", False):  # not yet replaced by a submit
                self._replace(executor)
            return
        if error is not None:
            # The frames without the message: a message can carry document content.
            log.error(
                "jobb feilet uventet: %s\n%s",
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )

    @property
    def tar_imot(self) -> bool:
        """Whether this pool takes new jobs (False once :meth:`close` began: draining)."""
        return not self._stopping.is_set()

    @property
    def in_progress(self) -> int:
        """Return how many jobs are queued or running."""
        with self._lock:
            return len(self._pending)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is queued or running; return whether that happened in time.

        On PostgreSQL, until no record is left in a worker's status on any node either: a
        job queued here may have been taken by another node, and its work is not done
        when this pool is idle.
        """
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                if self.fordeler is None or self.fordeler.uferdige() == 0:
                    return True
                if end is not None and time.monotonic() >= end:
                    return False
                time.sleep(0.05)
                continue
            for future in pending:
                remaining = None if end is None else max(0.0, end - time.monotonic())
                try:
                    future.exception(timeout=remaining)
                except TimeoutError:
                    return False

    def close(self) -> None:
        """Stop the periodic calls, finish queued jobs and stop the workers.

        On PostgreSQL the dispatcher stops first and the jobs not yet started are dropped:
        their records are free for the other nodes at once (a drain on SIGTERM).
        """
        self._stopping.set()
        for thread in self._periodic:
            thread.join()
        if self.fordeler is not None:
            self.fordeler.stopp()
        with self._executor_lock:
            executor = self._executor
        executor.shutdown(wait=True, cancel_futures=self.fordeler is not None)
