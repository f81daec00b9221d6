"""Admission control: at most N requests run Python code at once, the rest wait their turn.

One web process has one GIL. When sixteen request threads all run, every database call
that releases the GIL has to win it back from the others, and a short request takes as long
as the slowest convoy it joins. Letting only a few run at once (about one per core) and
queueing the rest in waitress's own order keeps a short request short under load. A request
that waits for slow work (``Prefer: wait``) gives its place back while it waits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import has_request_context, request

_ENVIRON_KEY = "dokgen.samtidighet"


class AdmissionControl:
    """WSGI middleware that lets at most ``slots`` requests into the app at a time."""

    def __init__(self, app: Callable[..., Iterable[bytes]], slots: int) -> None:
        self.app = app
        self._slots = threading.BoundedSemaphore(max(1, slots))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ[_ENVIRON_KEY] = self._slots
        with self._slots:
            return self.app(environ, start_response)


@contextmanager
def slot_released() -> Iterator[None]:
    """Give this request's place to another while the block waits (and take it back)."""
    slots = request.environ.get(_ENVIRON_KEY) if has_request_context() else None
    if slots is None:
        yield
        return
    slots.release()
    try:
        yield
    finally:
        slots.acquire()
