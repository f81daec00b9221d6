"""The architecture of ARCHITECTURE.md holds: no import cycle, and a job worker process
never loads Flask or click (lint-imports checks the layers themselves)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from dokgen.bootstrap import worker_deps
from dokgen.runtime.jobs import JobPool
from dokgen.settings import Settings
from tests.conftest import PEPPOL

WEB_ONLY = ("flask", "flask_wtf", "werkzeug", "click")


def imports_in_a_cycle(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Return each direct import ``(a, b)`` that lies on a cycle: ``b`` leads back to ``a``."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check below can fail: a graph with a → b → c → a and d → a has one cycle."""
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]:
        graph.add_import(importer=importer, imported=imported)
    assert imports_in_a_cycle(graph) == [("a", "b"), ("b", "c"), ("c", "a")]


def test_no_module_of_dokgen_or_ehf_imports_itself_through_others() -> None:
    """No import cycle: the arrows between modules point one way, counting the imports for
    annotations only (under ``TYPE_CHECKING``) too, as lint-imports does."""
    graph = grimp.build_graph("dokgen", "ehf", exclude_type_checking_imports=False, cache_dir=None)
    assert len(graph.modules) > 100
    assert imports_in_a_cycle(graph) == []


def test_the_worker_side_imports_neither_flask_nor_click() -> None:
    """What a job worker process loads (the job pool, the composition root, every service, the
    documents and storage) brings in no Flask, Werkzeug or click."""
    program = (
        "import json, pkgutil, importlib, sys\n"
        "import dokgen.runtime.jobs, dokgen.runtime.leases, dokgen.runtime.tjener\n"
        "import dokgen.bootstrap, dokgen.services\n"
        "for m in pkgutil.iter_modules(dokgen.services.__path__):\n"
        "    importlib.import_module('dokgen.services.' + m.name)\n"
        f"print(json.dumps(sorted(n for n in {WEB_ONLY!r} if n in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(result.stdout) == []


def report_web_modules(deps: object, sti: str) -> None:
    """Job: write which of Flask, Werkzeug and click this worker process has loaded."""
    del deps
    loaded = sorted(n for n in WEB_ONLY if n in sys.modules)
    Path(sti).write_text(json.dumps([loaded, "dokgen.services.dokumenter" in sys.modules]))


@pytest.mark.integration
def test_a_job_worker_process_runs_without_flask_or_click(tmp_path: Path) -> None:
    """A real worker process of the job pool, started as the service starts it (its own
    collaborators from ``dokgen.bootstrap.worker_deps``), has loaded neither."""
    settings = Settings(instans=tmp_path / "instans", referanse_peppol=PEPPOL, jobbmodus="prosess")
    pool = JobPool(1, processes=settings, worker_deps=worker_deps)
    try:
        svar = tmp_path / "svar.json"
        pool.submit(report_web_modules, None, str(svar)).result(timeout=120)
    finally:
        pool.close()
    assert json.loads(svar.read_text()) == [[], True]
