"""The file store in an S3-compatible object store (``DOKGEN_FILLAGER=s3``), through the
standard S3 API (boto3): one object per file, its key the file's SHA-256.

The keys come from the environment only (``DOKGEN_S3_NOKKEL_ID`` and
``DOKGEN_S3_HEMMELIG_NOKKEL``, else boto3's own chain: ``AWS_*`` variables, a role of the
machine); no page shows them and nothing logs them.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterator
from typing import Any

from dokgen.errors import SettingsInvalidError
from dokgen.settings import Settings
from dokgen.storage.store import CHUNK, SHA256, check_sha, missing

_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
# What S3-compatible servers answer when they have no room (MinIO's code, HTTP 507).
_FULL = frozenset({"XMinioStorageFull", "InsufficientStorage", "507"})


class S3Store:
    """Files by their SHA-256 as objects in one bucket of an S3-compatible store."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        """Build the store the settings describe (``DOKGEN_S3_*``).

        Raises:
            SettingsInvalidError: no bucket is named, or boto3 is not installed.
        """
        if not settings.s3_botte:
            raise SettingsInvalidError("DOKGEN_FILLAGER=s3 krever DOKGEN_S3_BOTTE")
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise SettingsInvalidError(
                "DOKGEN_FILLAGER=s3 krever boto3 (pip install 'dokgen[s3]')"
            ) from None
        config = Config(
            connect_timeout=10,
            read_timeout=60,
            retries={"max_attempts": 4, "mode": "standard"},
            # Servers other than AWS (MinIO, Ceph …) name buckets in the path, not the host.
            s3={"addressing_style": "path" if settings.s3_url else "auto"},
        )
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_nokkel_id,
            aws_secret_access_key=settings.s3_hemmelig_nokkel,
            config=config,
        )
        return cls(client, settings.s3_botte)

    def put(self, data: bytes) -> str:
        """Store the bytes unless an object with their SHA-256 is there already; return it.

        Two nodes writing the same bytes at once both write the same object: harmless.

        Raises:
            OSError: ``ENOSPC`` when the store answers that it is full.
        """
        sha = hashlib.sha256(data).hexdigest()
        if sha in self:
            return sha
        try:
            self.client.put_object(Bucket=self.bucket, Key=sha, Body=data)
        except Exception as exc:
            if _code(exc) in _FULL:
                raise OSError(errno.ENOSPC, "objektlageret er fullt") from exc
            raise
        return sha

    def get(self, sha: str) -> bytes:
        """Return the stored bytes.

        Raises:
            FileMissingError: no object has that hash.
        """
        body = self._open(sha)
        try:
            data: bytes = body.read()
            return data
        finally:
            body.close()

    def stream(self, sha: str) -> Iterator[bytes]:
        """Return the stored bytes in chunks, read from the store as they are consumed.

        Raises:
            FileMissingError: no object has that hash (checked before the first chunk).
        """
        return _chunks(self._open(sha))

    def __contains__(self, sha: object) -> bool:
        if not isinstance(sha, str) or not SHA256.fullmatch(sha):
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=sha)
        except Exception as exc:
            if _code(exc) in _MISSING:
                return False
            raise
        return True

    def _open(self, sha: str) -> Any:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=check_sha(sha))
        except Exception as exc:
            if _code(exc) in _MISSING:
                raise missing(sha) from None
            raise
        return response["Body"]


def _code(exc: Exception) -> str | None:
    """Return the error code of a botocore ``ClientError`` (None for any other error)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    code = response.get("Error", {}).get("Code")
    return str(code) if code is not None else None


def _chunks(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()
