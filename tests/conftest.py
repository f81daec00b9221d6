"""Shared fixtures: contract examples, the one LibreOffice of the run, and the rule that
a missing engine fails in CI."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from dokgen.documents.pdf.convert import Converter

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOKGEN_SHARED", REPO.parent / "shared"))
KONTRAKT = SHARED / "kontrakt"
PEPPOL = Path(os.environ.get("DOKGEN_REFERANSE_PEPPOL", SHARED / "reference" / "peppol"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The repository's copies of the examples: a type newer than shared/kontrakt has its
# example only here (the demo data is a copy of the contract example).
DEMO = REPO / "dokgen" / "data" / "demo"
T = TypeVar("T")


def require(what: str, available: bool) -> None:
    """Skip a test whose engine is missing — or fail it when ``CI`` is set."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"engine missing in CI: {what}")
    pytest.skip(f"engine missing: {what}")


def require_command(*names: str) -> None:
    """Require command-line programs (``soffice``, ``pdfsig`` …) on PATH."""
    for name in names:
        require(name, shutil.which(name) is not None)


def wait_for(get: Callable[[], T], done: Callable[[T], bool], seconds: float = 60) -> T:
    """Poll ``get`` until ``done`` holds for its value or the time is up; return the last."""
    deadline = time.monotonic() + seconds
    while True:
        value = get()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


@pytest.fixture(scope="session")
def converter() -> Iterator[Converter]:
    """One LibreOffice for the whole test run (starting one costs about a second)."""
    require_command("soffice")
    with Converter(timeout=120) as conv:
        yield conv


def kontrakt_fil(navn: str) -> Path:
    """Return a contract example's file: ``shared/kontrakt``'s, else the repository's copy."""
    fil = KONTRAKT / navn
    return fil if fil.is_file() else DEMO / navn


@pytest.fixture
def kontrakt() -> Any:
    """Return a loader of the contract examples (see :func:`kontrakt_fil`) as fresh dicts."""

    def load(name: str) -> Any:
        return json.loads(kontrakt_fil(f"{name}.json").read_text(encoding="utf-8"))

    return load


@pytest.fixture(scope="session")
def peppol_dir() -> Path:
    """Return the folder of the official PEPPOL/UBL artifacts (never copied into the repo)."""
    require(f"PEPPOL reference artifacts in {PEPPOL}", (PEPPOL / "ubl-2.1").is_dir())
    return PEPPOL
