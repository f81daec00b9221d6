"""A full disk: ``/helse`` says so (503), and a write that finds no room answers 503 with
Retry-After (try again later) instead of 500, storing nothing."""

from __future__ import annotations

import errno
import os
import subprocess
from collections import namedtuple
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text

from dokgen.bootstrap import Deps
from dokgen.services import dokumenter as service
from dokgen.storage.db import Dokument, Versjon
from dokgen.web.api import helse

pytestmark = pytest.mark.integration
Bruk = namedtuple("Bruk", "total used free")


def test_helse_is_ok_while_there_is_room(client: Any) -> None:
    """Room on the disk and a writable instance: 200 ok."""
    r = client.get("/api/v1/helse")
    assert (r.status_code, r.json["status"]) == (200, "ok")


def test_helse_is_503_when_the_disk_is_nearly_full(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Less free space than the next documents need: 503 problem+json saying so."""
    monkeypatch.setattr(helse.shutil, "disk_usage", lambda path: Bruk(10**9, 10**9 - 2**20, 2**20))
    r = client.get("/api/v1/helse")
    assert (r.status_code, r.mimetype) == (503, "application/problem+json")
    assert r.json["detail"] == "lagringen er nesten full (1 MB ledig)"


def test_helse_is_503_when_a_small_write_fails(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Space reported but a write refused (a quota, a full file system that lies about free
    blocks): 503 with the reason."""

    def full(**kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(helse.tempfile, "TemporaryFile", full)
    r = client.get("/api/v1/helse")
    assert r.status_code == 503
    assert r.json["detail"] == "instansmappen kan ikke skrives (No space left on device)"


@pytest.fixture
def liten_disk(tmp_path: Path) -> Iterator[Path]:
    """Return the mount point of an 80 MB tmpfs of this test's own (root only)."""
    if os.geteuid() != 0:
        pytest.skip("a tmpfs of the test's own needs root; the tests above cover the rest")
    mappe = tmp_path / "liten"
    mappe.mkdir()
    montert = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=80m", "tmpfs", str(mappe)])
    if montert.returncode != 0:
        pytest.skip("no right to mount a tmpfs here")
    try:
        yield mappe
    finally:
        subprocess.run(["umount", "-l", str(mappe)], check=False)


def test_helse_on_a_disk_that_really_fills_up(
    liten_disk: Path, make_app: Callable[..., Flask]
) -> None:
    """The instance on a small disk: ok while there is room; 503 once a file has taken all of
    it; ok again when it is removed."""
    client: Any = make_app(instans=liten_disk / "instans").test_client()
    assert client.get("/api/v1/helse").status_code == 200
    fyll = liten_disk / "fyll"
    assert _fyll(fyll) == errno.ENOSPC
    r = client.get("/api/v1/helse")
    assert (r.status_code, r.json["detail"]) == (503, "lagringen er nesten full (0 MB ledig)")
    fyll.unlink()
    assert client.get("/api/v1/helse").status_code == 200


def _fyll(fil: Path) -> int | None:
    """Write to ``fil`` until the disk is full; return the errno that stopped it."""
    with fil.open("wb", buffering=0) as f:  # nothing left to flush at close
        try:
            while True:
                f.write(b"\0" * 1024 * 1024)
        except OSError as exc:
            return exc.errno


def _antall(deps: Deps) -> tuple[int, int]:
    with deps.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Dokument)) or 0,
            s.scalar(select(func.count()).select_from(Versjon)) or 0,
        )


def test_a_write_to_a_full_database_answers_503_with_retry_after(
    client: Any,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """SQLite may not grow by a page (``max_page_count``: SQLITE_FULL, as on a full disk):
    the new document is refused 503 with Retry-After and a problem saying why; no row is
    written; with room again the same request is 201."""
    headers = auth("veileder")
    engine = deps.sessions.kw["bind"]
    with engine.connect() as conn:
        # No free pages to reuse (a migration that rebuilt a table leaves some): the insert
        # must grow the file.
        conn.execute(text("VACUUM"))
        sider = conn.execute(text("PRAGMA page_count")).scalar()

    def ingen_plass(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {sider}")

    event.listen(engine, "connect", ingen_plass)
    engine.dispose()
    data = kontrakt("statusrapport")
    data["status_og_progresjon"] = "Jobber godt med målene sine. " * 100
    try:
        r = client.post("/api/v1/dokumenter", json=data, headers=headers)
    finally:
        event.remove(engine, "connect", ingen_plass)
        engine.dispose()
    assert (r.status_code, r.mimetype, r.headers["Retry-After"]) == (
        503,
        "application/problem+json",
        "60",
    )
    assert r.json["title"] == "Lagringen er full"
    assert "Ingenting ble lagret" in r.json["detail"]
    assert _antall(deps) == (0, 0)
    assert client.post("/api/v1/dokumenter", json=data, headers=headers).status_code == 201
    assert _antall(deps) == (1, 1)


def test_a_file_write_that_finds_the_disk_full_answers_503(
    client: Any,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An OSError ENOSPC from a write in a request is 503 with Retry-After too, not 500."""
    headers = auth("veileder")

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(service, "opprett", full)
    r = client.post("/api/v1/dokumenter", json=kontrakt("statusrapport"), headers=headers)
    assert (r.status_code, r.headers["Retry-After"], r.json["title"]) == (
        503,
        "60",
        "Lagringen er full",
    )
