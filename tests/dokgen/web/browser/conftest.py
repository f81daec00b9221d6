"""Fixtures of the browser tests: the app behind a real WSGI server on 127.0.0.1 and a
Playwright page in Debian's chromium (Playwright never downloads a browser here)."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import REPO, require

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Start Debian's chromium once per module.

    Not per session: Playwright's sync API keeps an event loop running in the main thread
    while it is open, and other tests call ``asyncio.run`` (pyHanko's validation).
    """
    require("Playwright (pip)", importlib.util.find_spec("playwright") is not None)
    require(f"chromium at {CHROMIUM}", CHROMIUM.exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def serve(app: Flask) -> Iterator[tuple[str, Flask]]:
    """Serve ``app`` on 127.0.0.1 (a free port) from a background thread while the caller
    (a fixture) is suspended; yield its base URL and the app."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def live(make_app: Callable[..., Flask]) -> Iterator[tuple[str, Flask]]:
    """Serve a fresh app on 127.0.0.1 (a free port) from a background thread."""
    yield from serve(make_app())


@pytest.fixture
def page(browser: Any, live: tuple[str, Flask]) -> Iterator[Any]:
    """Return a page whose relative URLs go to the live server; CSP violations are collected."""
    context = browser.new_context(base_url=live[0], locale="nb-NO", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_brudd = []
    page.on(
        "console",
        lambda m: page.csp_brudd.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_kilde() -> str:
    """Return axe-core's source (installed by ``scripts/setup.sh --test``: npm ci)."""
    require(f"axe-core in {AXE} (npm ci)", AXE.exists())
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_kilde: str) -> Callable[[Any], list[dict[str, Any]]]:
    """Return ``axe(page)`` → the page's WCAG 2.1 A/AA violations (CDP evaluate, so no CSP)."""

    def scan(page: Any) -> list[dict[str, Any]]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(f"() => {{ {axe_kilde}\n}}")
        result: dict[str, Any] = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return scan
