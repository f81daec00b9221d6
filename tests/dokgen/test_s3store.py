"""The S3 file store against a real S3-compatible server on 127.0.0.1 (moto's server, spoken
to over HTTP through boto3 as any S3 endpoint would be)."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dokgen.bootstrap import make_store
from dokgen.errors import FileMissingError, SettingsInvalidError
from dokgen.settings import Settings
from dokgen.storage.db import make_engine
from dokgen.storage.s3store import S3Store
from dokgen.storage.store import CHUNK
from tests.conftest import require

pytestmark = pytest.mark.integration

BOTTE = "dokgen-filer"


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    """Start an S3-compatible server on a free port of 127.0.0.1; stop it at the end."""
    require("moto[server]", importlib.util.find_spec("moto.server") is not None)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def settings(s3_url: str, tmp_path: Path) -> Settings:
    """Return settings that choose the S3 store on the server, with a fresh bucket."""
    values = Settings(
        instans=tmp_path,
        fillager="s3",
        s3_url=s3_url,
        s3_botte=f"{BOTTE}-{tmp_path.name.lower().replace('_', '-')}"[:63],
        s3_region="eu-north-1",
        s3_nokkel_id="testnokkel",
        s3_hemmelig_nokkel="testhemmelighet",
    )
    S3Store.from_settings(values).client.create_bucket(
        Bucket=values.s3_botte,
        CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
    )
    return values


@pytest.fixture
def store(settings: Settings) -> S3Store:
    """Return the store ``DOKGEN_FILLAGER=s3`` builds."""
    engine = make_engine(f"sqlite:///{settings.instans / 'db.sqlite'}")
    built = make_store(settings, engine)
    assert isinstance(built, S3Store)
    return built


def _keys(store: S3Store) -> list[str]:
    listing: dict[str, Any] = store.client.list_objects_v2(Bucket=store.bucket)
    return [o["Key"] for o in listing.get("Contents", [])]


def test_a_file_goes_in_by_its_hash_and_comes_back(store: S3Store) -> None:
    """put names the object by the SHA-256; get and stream give the same bytes back, the
    stream in chunks of at most CHUNK."""
    data = b"%PDF-1.7 " + bytes(range(256)) * (CHUNK // 128)  # two chunks and a bit
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert _keys(store) == [sha]
    assert sha in store
    assert store.get(sha) == data
    chunks = list(store.stream(sha))
    assert b"".join(chunks) == data
    assert len(chunks) >= 2
    assert max(len(c) for c in chunks) <= CHUNK


def test_the_same_bytes_are_stored_once_and_not_sent_again(store: S3Store) -> None:
    """A second put of the same bytes finds the object and uploads nothing."""
    sent: list[str] = []
    store.client.meta.events.register(
        "before-parameter-build.s3.PutObject", lambda **kw: sent.append(kw["params"]["Key"])
    )
    first = store.put(b"samme innhold")
    second = store.put(b"samme innhold")
    assert first == second
    assert sent == [first]
    assert _keys(store) == [first]


def test_a_missing_file_is_missing_and_a_bad_name_never_reaches_the_store(
    store: S3Store,
) -> None:
    """An unknown hash raises FileMissingError (at once for a stream); a name that is not a
    SHA-256 is refused before a request."""
    with pytest.raises(FileMissingError):
        store.get("0" * 64)
    with pytest.raises(FileMissingError):
        store.stream("0" * 64)
    assert "0" * 64 not in store
    with pytest.raises(ValueError, match="SHA-256"):
        store.get("../x")
    assert "../x" not in store


def test_the_s3_store_needs_its_bucket(tmp_path: Path) -> None:
    """Built from settings without a bucket, the store explains what is missing."""
    with pytest.raises(SettingsInvalidError, match="DOKGEN_S3_BOTTE"):
        S3Store.from_settings(Settings(instans=tmp_path, fillager="s3"))
