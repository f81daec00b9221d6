"""Files made on first use: made once for every process that starts at the same moment."""

from __future__ import annotations

import multiprocessing
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dokgen.documents.pdf.certs import DEV_SUBJECT, dev_certificate, les_sertifikat
from dokgen.settings import Settings
from dokgen.storage.crypto import instance_secret
from dokgen.storage.files import create_once


def _released(make: Callable[[], Any], start: Any, ut: Any) -> None:
    start.wait()
    ut.put(make())


def _at_once(n: int, make: Callable[[], Any], timeout: float) -> set[Any]:
    """Run ``make`` in ``n`` forked processes released together; return what they made."""
    ctx = multiprocessing.get_context("fork")
    start, ut = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_released, args=(make, start, ut)) for _ in range(n)]
    for p in procs:
        p.start()
    got = {ut.get(timeout=timeout) for _ in procs}
    for p in procs:
        p.join(timeout=60)
    return got


def test_processes_starting_together_share_one_instance_secret(tmp_path: Path) -> None:
    """Eight processes asking for the secret of a fresh instance at the same moment all get
    the one the file holds (before, each kept the secret it made and the last rename won)."""
    settings = Settings(instans=tmp_path)
    got = _at_once(8, lambda: instance_secret(settings), timeout=60)
    assert got == {(tmp_path / "hemmelig_nokkel").read_text()}
    assert len(next(iter(got))) == 64
    assert oct((tmp_path / "hemmelig_nokkel").stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["hemmelig_nokkel"]


def test_create_once_keeps_the_first_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """A second maker's bytes are thrown away: the caller gets what is on disk."""
    path = tmp_path / "a" / "nokkel"
    first = create_once(path, lambda: b"en")
    second = create_once(path, lambda: b"to")
    assert (first, second, path.read_bytes()) == (b"en", b"en", b"en")
    assert os.listdir(path.parent) == ["nokkel"]


def test_the_secret_from_the_settings_needs_no_file(tmp_path: Path) -> None:
    """DOKGEN_HEMMELIG_NOKKEL wins and nothing is written to the instance."""
    hemmelig = secrets.token_hex(16)
    assert instance_secret(Settings(instans=tmp_path, hemmelig_nokkel=hemmelig)) == hemmelig
    assert list(tmp_path.iterdir()) == []


def test_workers_starting_together_seal_with_one_development_certificate(
    tmp_path: Path,
) -> None:
    """Job processes that make the development certificate at the same moment all use the
    one file that stays (each used to load its own key while the last rename won)."""
    got = _at_once(3, lambda: dev_certificate(tmp_path).read_bytes(), timeout=120)
    assert got == {(tmp_path / "utviklingssertifikat.p12").read_bytes()}
    assert DEV_SUBJECT in les_sertifikat(next(iter(got)), None).emne
