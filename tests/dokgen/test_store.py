"""The file store: content-addressed, written once, atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dokgen.storage.store import CHUNK, FileMissingError, FileStore


def test_put_returns_the_sha256_and_get_returns_the_bytes(tmp_path: Path) -> None:
    """A file is named by its SHA-256 and read back unchanged."""
    store = FileStore(tmp_path)
    sha = store.put(b"%PDF-1.7 innhold")
    assert sha == hashlib.sha256(b"%PDF-1.7 innhold").hexdigest()
    assert store.get(sha) == b"%PDF-1.7 innhold"
    assert (tmp_path / sha[:2] / sha).is_file()
    assert sha in store


def test_the_same_bytes_are_stored_once_and_no_temporary_files_remain(tmp_path: Path) -> None:
    """Putting equal content twice leaves one file and nothing half-written."""
    store = FileStore(tmp_path)
    assert store.put(b"a") == store.put(b"a")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [
        hashlib.sha256(b"a").hexdigest()
    ]


def test_a_missing_file_and_a_bad_name_are_errors(tmp_path: Path) -> None:
    """Unknown hashes raise FileMissingError; anything but a hex digest is refused."""
    store = FileStore(tmp_path)
    with pytest.raises(FileMissingError):
        store.get("0" * 64)
    with pytest.raises(ValueError, match="SHA-256"):
        store.get("../../etc/passwd")
    assert "../x" not in store


def test_a_stream_reads_the_file_in_chunks_and_a_missing_one_fails_before_it_starts(
    tmp_path: Path,
) -> None:
    """stream yields the bytes CHUNK by CHUNK; a missing file raises at the call, so a
    download can still answer "not found" instead of breaking off."""
    store = FileStore(tmp_path)
    data = bytes(range(256)) * (CHUNK // 256) * 2 + b"rest"
    sha = store.put(data)
    chunks = list(store.stream(sha))
    assert [len(c) for c in chunks] == [CHUNK, CHUNK, 4]
    assert b"".join(chunks) == data
    with pytest.raises(FileMissingError):
        store.stream("1" * 64)
