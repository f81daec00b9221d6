"""Admission control: at most N requests in the app at once; a waiting one lets another in."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask
from werkzeug.test import Client

from dokgen.web.admission import AdmissionControl, slot_released


def _app(inne: list[int], hoyest: list[int], slipp: threading.Event) -> Flask:
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
    slipp = threading.Event()
    wsgi = AdmissionControl(_app([0], [0], slipp), 1)
    svar: list[str] = []
    venter = threading.Thread(
        target=lambda: svar.append(Client(wsgi).get("/vent").get_data(as_text=True))
    )
    venter.start()
    time.sleep(0.1)
    assert Client(wsgi).get("/arbeid").get_data(as_text=True) == "ferdig"
    assert svar == []
    slipp.set()
    venter.join(timeout=10)
    assert svar == ["ventet"]
