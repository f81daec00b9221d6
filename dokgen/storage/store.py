"""Files on disk by content hash, written atomically: the same bytes are stored once."""

from __future__ import annotations

import errno
import hashlib
import re
from pathlib import Path

from dokgen.errors import FileMissingError
from dokgen.storage.files import write_atomic

_SHA256 = re.compile(r"[0-9a-f]{64}")
# An OSError with one of these means the disk (or the user's quota) is full: the write may
# succeed later, so callers answer "try again" rather than "broken".
LAGRING_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


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
            raise FileMissingError(f"fil {sha[:12]}… mangler i lageret") from None

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and bool(_SHA256.fullmatch(sha)) and self._path(sha).exists()

    def _path(self, sha: str) -> Path:
        if not _SHA256.fullmatch(sha):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha[:2] / sha
