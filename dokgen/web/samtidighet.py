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

_NOKKEL = "dokgen.samtidighet"


class Samtidighet:
    """WSGI middleware that lets at most ``plasser`` requests into the app at a time."""

    def __init__(self, app: Callable[..., Iterable[bytes]], plasser: int) -> None:
        self.app = app
        self._plasser = threading.BoundedSemaphore(max(1, plasser))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ[_NOKKEL] = self._plasser
        with self._plasser:
            return self.app(environ, start_response)


@contextmanager
def plassen_ledig() -> Iterator[None]:
    """Give this request's place to another while the block waits (and take it back)."""
    plasser = request.environ.get(_NOKKEL) if has_request_context() else None
    if plasser is None:
        yield
        return
    plasser.release()
    try:
        yield
    finally:
        plasser.acquire()
