"""The job pool in 'prosess' mode: a worker process killed outright breaks Python's process
pool; ours starts a new one and the next job runs."""

from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from dokgen.bootstrap import worker_deps
from dokgen.runtime.jobs import JobPool
from dokgen.settings import Settings
from tests.conftest import PEPPOL

pytestmark = pytest.mark.integration
INGEN: Any = None  # a worker process uses its own collaborators, not the caller's


def drep_meg(deps: Any) -> None:
    """Job: the worker running it is killed outright (as by the OOM killer)."""
    del deps
    os.kill(os.getpid(), signal.SIGKILL)


def skriv(deps: Any, sti: str, tekst: str) -> None:
    """Job: write ``tekst`` with the worker's pid to ``sti``."""
    del deps
    Path(sti).write_text(f"{tekst} {os.getpid()}", encoding="utf-8")


def test_a_killed_worker_process_is_replaced_and_the_next_job_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The killed worker's job fails with BrokenProcessPool (its record is the lease sweep's
    to take up); the pool starts new workers and runs the next job in one of them."""
    settings = Settings(instans=tmp_path / "instans", referanse_peppol=PEPPOL, jobbmodus="prosess")
    pool = JobPool(1, processes=settings, worker_deps=worker_deps)
    try:
        forste = tmp_path / "forste.txt"
        pool.submit(skriv, INGEN, str(forste), "før").result(timeout=120)
        for_pid = int(forste.read_text(encoding="utf-8").split()[1])

        drept = pool.submit(drep_meg, INGEN)
        assert isinstance(drept.exception(timeout=120), BrokenProcessPool)

        neste = tmp_path / "neste.txt"
        pool.submit(skriv, INGEN, str(neste), "etter").result(timeout=120)
        tekst, pid = neste.read_text(encoding="utf-8").split()
        assert tekst == "etter"
        assert int(pid) != for_pid
        assert pool.wait_idle(timeout=30)
        assert pool.queued() == set()
    finally:
        pool.close()
    assert "en jobbprosess stoppet uventet; starter nye jobbprosesser" in caplog.text
    assert "jobb feilet uventet" not in caplog.text
