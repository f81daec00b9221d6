"""Faults in long work: a LibreOffice killed mid-conversion, a process stopped mid-job.

Nothing is lost: the version ends ``feilet`` with a clear reason and a retry, or is picked up
again by the next start.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

import dokgen.documents.pdf.convert
from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import parse_dokument
from dokgen.documents.pdf.convert import Converter
from dokgen.services import brukere
from dokgen.services import dokumenter as service
from dokgen.storage.db import Versjon
from tests.conftest import require_command
from tests.dokgen.test_convert import group_members

pytestmark = pytest.mark.integration
VENT = {"Prefer": "wait=120"}


@pytest.fixture
def own_converter() -> Iterator[Converter]:
    """A LibreOffice of this test's own, since the test kills it."""
    require_command("soffice")
    with Converter(timeout=120) as conv:
        yield conv


def _token(deps: Deps, rolle: str = "veileder") -> dict[str, str]:
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel")
        return {"Authorization": f"Bearer {brukere.lag_token(s, org, rolle, 't')}"}


def test_libreoffice_killed_in_a_conversion_fails_clearly_and_the_next_succeeds(
    make_app: Callable[..., Flask],
    own_converter: Converter,
    kontrakt: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LibreOffice killed mid-conversion is retried once on a new instance; killed again, the
    document fails with a clear reason and no file; the retry and the next document succeed,
    and no killed LibreOffice is left behind."""
    app = make_app(with_converter=own_converter)
    deps: Deps = app.extensions["dokgen"]
    headers, client = _token(deps), app.test_client()
    client.post("/api/v1/dokumenter", json=kontrakt("sluttrapport"), headers={**headers, **VENT})
    original, killed = dokgen.documents.pdf.convert._export, []

    def export(desktop: Any, src: Path, dst: Path) -> None:
        if len(killed) < 2:
            assert own_converter.pid is not None
            killed.append(own_converter.pid)
            os.killpg(own_converter.pid, signal.SIGKILL)
        original(desktop, src, dst)

    monkeypatch.setattr(dokgen.documents.pdf.convert, "_export", export)
    r = client.post(
        "/api/v1/dokumenter", json=kontrakt("statusrapport"), headers={**headers, **VENT}
    )
    assert r.status_code == 201
    assert (r.json["status"], r.json["feil"]) == (
        "feilet",
        "PDF-konverteringen feilet. Prøv igjen.",
    )
    assert len(killed) == 2
    assert all(group_members(pid) == [] for pid in killed)
    assert client.get(r.json["lenker"]["pdf"], headers=headers).status_code == 404

    retry = client.post(
        f"/api/v1/dokumenter/{r.json['id']}/nytt-forsok", headers={**headers, **VENT}
    )
    assert (retry.status_code, retry.json["status"], retry.json["feil"]) == (202, "utkast", None)
    pdf = client.get(r.json["lenker"]["pdf"], headers=headers)
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF-")
    nxt = client.post(
        "/api/v1/dokumenter", json=kontrakt("evalueringsrapport"), headers={**headers, **VENT}
    )
    assert nxt.json["status"] == "utkast"
    assert own_converter.pid not in killed


def test_work_left_by_a_stopped_process_is_finished_by_the_next_start(
    make_app: Callable[..., Flask], tmp_path: Path, kontrakt: Any
) -> None:
    """A version stored as ``behandles`` whose job never ran is converted after a restart."""
    instans = tmp_path / "delt-instans"
    first = make_app(instans=instans)
    deps: Deps = first.extensions["dokgen"]
    _token(deps)
    deps.jobs.close()  # the process "stops": queued work is never run
    dok = parse_dokument(kontrakt("statusrapport"), tillat_syntetiske=True)
    with pytest.raises(RuntimeError, match="shutdown"):
        service.opprett(deps, Aktor(1, "Åse", "veileder"), dok)
    with deps.sessions() as s:
        assert s.scalars(select(Versjon.status)).all() == ["behandles"]

    second = make_app(instans=instans)
    later: Deps = second.extensions["dokgen"]
    assert later.jobs.wait_idle(timeout=120)
    with later.sessions() as s:
        versjon = s.scalars(select(Versjon)).one()
    assert versjon.status == "utkast"
    assert versjon.utkast_pdf_sha256 in later.store


def test_an_unexpected_error_in_a_job_fails_the_version_with_a_retry(
    client: Any,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug-like error (not a domain error) still ends ``feilet``, not ``behandles`` for ever;
    its message is not shown or logged, and a retry succeeds."""
    headers = auth("veileder")

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("hemmelig innhold 15858545606")

    monkeypatch.setattr(service, "render_docx", broken)
    r = client.post(
        "/api/v1/dokumenter", json=kontrakt("statusrapport"), headers={**headers, **VENT}
    )
    assert (r.json["status"], r.json["feil"]) == (
        "feilet",
        "Dokumentet kunne ikke lages (intern feil). Prøv igjen.",
    )
    monkeypatch.undo()
    retry = client.post(
        f"/api/v1/dokumenter/{r.json['id']}/nytt-forsok", headers={**headers, **VENT}
    )
    assert retry.json["status"] == "utkast"
