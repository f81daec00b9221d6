"""Atomic file writes: a reader sees the whole file or none of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    write_all_atomic({path: data})


def _stage(path: Path, data: bytes, staged: list[tuple[str, Path]], mode: int = 0o600) -> str:
    """Write ``data`` to a new temporary file beside ``path``, on disk; record it in
    ``staged`` (for the caller to clean up) before a byte is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    staged.append((tmp, path))
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fh.fileno(), mode)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def write_all_atomic(files: Mapping[Path, bytes]) -> None:
    """Write several files so that none appears until all are complete on disk."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            _stage(path, data, staged)
        for tmp, path in staged:
            os.replace(tmp, path)
        staged = []
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def create_once(path: Path, make: Callable[[], bytes], *, mode: int = 0o600) -> bytes:
    """Return the file's bytes, creating it with ``make()`` if it does not exist yet.

    Processes that start at the same moment each may call ``make()``, but exactly one result
    is linked into place (``link`` fails when the name exists, where ``rename`` would
    replace it), and every caller returns those bytes: a secret or key made on first use is
    the same for all of them.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    staged: list[tuple[str, Path]] = []
    try:
        tmp = _stage(path, make(), staged, mode)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return path.read_bytes()
