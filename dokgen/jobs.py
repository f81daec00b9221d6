"""A bounded pool of worker threads for long work (conversion, sealing, validation, sending).

The work's state lives in the database, not in the pool: a job only moves a record from
``behandles`` to a result, so work interrupted by a restart is found and resubmitted by
:func:`dokgen.services.gjenoppta`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


class JobPool:
    """Run callables on at most ``workers`` threads; log what escapes them."""

    def __init__(self, workers: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dokgen-jobb")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Queue ``fn(*args)`` and return its future."""
        future = self._executor.submit(fn, *args)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)
        error = future.exception()
        if error is not None:
            log.error("jobb feilet uventet: %s", type(error).__name__, exc_info=error)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is queued or running; return whether that happened in time."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            for future in pending:
                remaining = None if end is None else max(0.0, end - time.monotonic())
                try:
                    future.exception(timeout=remaining)
                except TimeoutError:
                    return False

    def close(self) -> None:
        """Finish queued jobs and stop the threads."""
        self._executor.shutdown(wait=True)
