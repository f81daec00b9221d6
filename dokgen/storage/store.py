"""The file store: immutable files by their SHA-256, behind one small interface
(:class:`Store`) with three implementations: the folder on disk (:class:`FileStore`, the
embedded default), PostgreSQL (:class:`dokgen.storage.pgstore.PgStore`) and an S3-compatible
object store (:class:`dokgen.storage.s3store.S3Store`). ``DOKGEN_FILLAGER`` chooses;
:func:`dokgen.bootstrap.make_deps` builds it."""

from __future__ import annotations

import errno
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from dokgen.errors import FileMissingError
from dokgen.storage.files import write_atomic

SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20  # bytes of one chunk read (and, in PostgreSQL, stored) at a time
# An OSError with one of these means the disk (or the user's quota) is full: the write may
# succeed later, so callers answer "try again" rather than "broken". The stores that are
# not a disk raise OSError(ENOSPC) when their database or object store is full.
LAGRING_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


class Store(Protocol):
    """Immutable files by their SHA-256: the same bytes are stored once."""

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        ...

    def get(self, sha: str) -> bytes:
        """Return the stored bytes (FileMissingError when there are none)."""
        ...

    def stream(self, sha: str) -> Iterator[bytes]:
        """Return the stored bytes in chunks of at most :data:`CHUNK` (FileMissingError at
        once, before the first chunk, when there are none)."""
        ...

    def __contains__(self, sha: object) -> bool: ...


def missing(sha: str) -> FileMissingError:
    """Return the error of a file the store does not have (its hash shortened)."""
    return FileMissingError(f"fil {sha[:12]}… mangler i lageret")


def check_sha(sha: str) -> str:
    """Return ``sha`` when it is a SHA-256 hex digest.

    Raises:
        ValueError: it is not (a name must never reach a path or a query unchecked).
    """
    if not SHA256.fullmatch(sha):
        raise ValueError("not a SHA-256 hex digest")
    return sha


class FileStore:
    """A folder of immutable files named by their SHA-256 (``ab/abcdef…``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        path = self._path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
        return sha

    def get(self, sha: str) -> bytes:
        """Return the stored bytes.

        Raises:
            FileMissingError: no file has that hash.
        """
        path = self._path(sha)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise missing(sha) from None

    def stream(self, sha: str) -> Iterator[bytes]:
        """Return the stored bytes in chunks, read as they are consumed.

        Raises:
            FileMissingError: no file has that hash.
        """
        try:
            fh = self._path(sha).open("rb")
        except FileNotFoundError:
            raise missing(sha) from None
        return _chunks(fh)

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and bool(SHA256.fullmatch(sha)) and self._path(sha).exists()

    def _path(self, sha: str) -> Path:
        return self.root / check_sha(sha)[:2] / sha


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk
