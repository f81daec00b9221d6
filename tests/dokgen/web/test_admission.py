"""Admission control: at most N requests in the app at once; a waiting one lets another in."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask
from werkzeug.test import Client

from dokgen.web.admission import AdmissionControl, slot_released


def _app(
    inne: list[int],
    hoyest: list[int],
    slipp: threading.Event,
    venter_inne: threading.Event | None = None,
) -> Flask:
    """Return an app whose ``/arbeid`` takes a while and whose ``/vent`` waits for ``slipp``
    inside ``slot_released``, setting ``venter_inne`` once it is there."""
    app = Flask(__name__)
    lock = threading.Lock()

    @app.get("/arbeid")
    def arbeid() -> Any:
        with lock:
            inne[0] += 1
            hoyest[0] = max(hoyest[0], inne[0])
        time.sleep(0.05)
        with lock:
            inne[0] -= 1
        return "ferdig"

    @app.get("/vent")
    def vent() -> Any:
        with slot_released():
            if venter_inne is not None:
                venter_inne.set()
            slipp.wait(10)
        return "ventet"

    return app


def test_no_more_than_the_allowed_number_of_requests_run_at_once() -> None:
    """Eight requests at the same time through two places: never more than two inside,
    every one answered."""
    inne, hoyest, svar = [0], [0], []
    wsgi = AdmissionControl(_app(inne, hoyest, threading.Event()), 2)

    def hent() -> None:
        svar.append(Client(wsgi).get("/arbeid").get_data(as_text=True))

    threads = [threading.Thread(target=hent) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert svar == ["ferdig"] * 8
    assert hoyest[0] == 2


def test_a_request_that_waits_gives_its_place_to_the_next() -> None:
    """With one place, a request waiting inside ``slot_released`` does not hold up another,
    and takes its place back to finish."""
    slipp, venter_inne = threading.Event(), threading.Event()
    wsgi = AdmissionControl(_app([0], [0], slipp, venter_inne), 1)
    svar: list[str] = []
    venter = threading.Thread(
        target=lambda: svar.append(Client(wsgi).get("/vent").get_data(as_text=True))
    )
    venter.start()
    # The next request comes only once the waiter is inside: it holds no place then.
    assert venter_inne.wait(10)
    assert Client(wsgi).get("/arbeid").get_data(as_text=True) == "ferdig"
    assert svar == []
    slipp.set()
    venter.join(timeout=10)
    assert svar == ["ventet"]
