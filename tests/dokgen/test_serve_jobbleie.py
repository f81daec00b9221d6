"""``dokgen serve`` with job processes ('prosess' mode): a job process killed outright in the
middle of a conversion leaves no record ``behandles`` beyond its lease, without a restart."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from typing import Any

import pytest

from tests.conftest import KONTRAKT, wait_for
from tests.dokgen.test_cli_serve import Server, _processes, post_document
from tests.dokgen.test_cli_serve import server as server  # the fixture, started below

pytestmark = [pytest.mark.integration, pytest.mark.slow]
LEIE = 2  # seconds: DOKGEN_JOBB_LEIE of the server under test


@pytest.fixture
def tjener(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Server:
    """``dokgen serve --demo`` (two web processes, two job processes) with a short lease."""
    monkeypatch.setenv("DOKGEN_JOBB_LEIE", str(LEIE))
    started: Server = request.getfixturevalue("server")  # reads the environment as it starts
    return started


def _versjon(server: Server, dokument_id: str) -> dict[str, Any]:
    """Read the document's version row straight from the instance's database."""
    db = sqlite3.connect(f"file:{server.folder / 'instans' / 'dokgen.db'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        row = db.execute(
            "select status, feil, jobb_frist, jobb_forsok, utkast_pdf_sha256 from versjon "
            "where dokument_id = ? order by nummer desc limit 1",
            (dokument_id,),
        ).fetchone()
    finally:
        db.close()
    return dict(row)


def _jobbprosesser(server: Server) -> list[int]:
    """Return the main process's job processes: its children started by multiprocessing
    that run at nice 19 (its template-fill children do not)."""
    return [
        pid
        for pid, (ppid, state, cmd) in _processes().items()
        if ppid == server.proc.pid
        and state != "Z"
        and b"multiprocessing.spawn" in cmd
        and b"resource_tracker" not in cmd
        and _nice(pid) == 19
    ]


def _nice(pid: int) -> int | None:
    try:
        return os.getpriority(os.PRIO_PROCESS, pid)
    except ProcessLookupError:
        return None


def _jobber(server: Server) -> int:
    """Return the jobs queued or running, as /api/v1/helse tells."""
    status, body, _ = server.call("GET", "/api/v1/helse")
    assert status == 200, body
    return int(json.loads(body)["jobber"])


def test_job_processes_killed_in_a_conversion_leave_no_record_behandles(tjener: Server) -> None:
    """SIGKILL to the job processes while one converts a new document (the OOM killer's
    way): the version, left behandles with the dead job's lease, is taken up again once the
    lease runs out and made into a preview by new job processes; the pool works on for the
    next document, and nothing needed a restart."""
    token = tjener.cli("token", "lag", "--org", "998877660", "--rolle", "veileder").stdout.strip()
    data = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    assert wait_for(lambda: _jobber(tjener), lambda n: n == 0, 120) == 0  # the demo's work done
    dok = post_document(tjener, token, data)
    tatt = wait_for(lambda: _versjon(tjener, dok["id"]), lambda v: v["jobb_forsok"] == 1, 60)
    assert tatt["status"] == "behandles", tatt  # a job holds it and works on it

    jobbprosesser = _jobbprosesser(tjener)
    assert len(jobbprosesser) == 2
    for pid in jobbprosesser:
        os.kill(pid, signal.SIGKILL)
    drept = time.monotonic()
    etter_drap = _versjon(tjener, dok["id"])
    assert (etter_drap["status"], etter_drap["jobb_forsok"]) == ("behandles", 1), etter_drap
    assert etter_drap["jobb_frist"] is not None  # the dead job's lease, left to run out

    ferdig = wait_for(
        lambda: _versjon(tjener, dok["id"]), lambda v: v["status"] != "behandles", 180
    )
    assert ferdig["status"] == "utkast", ferdig
    assert (ferdig["jobb_frist"], ferdig["jobb_forsok"], ferdig["feil"]) == (None, 0, None)
    sha = ferdig["utkast_pdf_sha256"]
    assert (tjener.folder / "instans" / "filer" / sha[:2] / sha).read_bytes().startswith(b"%PDF-")
    assert time.monotonic() - drept > LEIE / 2  # taken up when the lease ran out
    nye = _jobbprosesser(tjener)
    assert nye
    assert not set(nye) & set(jobbprosesser)

    status, body, headers = tjener.call("GET", f"/api/v1/dokumenter/{dok['id']}", token)
    assert (status, json.loads(body)["status"], "retry-after" in headers) == (200, "utkast", False)
    status, body, _ = tjener.call("POST", "/api/v1/dokumenter", token, data)  # waits for it
    assert (status, json.loads(body)["status"]) == (201, "utkast")
    _, err = tjener.output()
    assert "ingen jobb holder den; legges i kø igjen" in err
    assert "starter nye jobbprosesser" in err
    assert data["deltaker"]["fodselsnummer"] not in err
