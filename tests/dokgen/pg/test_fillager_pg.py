"""The file store and the instance's secrets on PostgreSQL: files in chunks in the database
(``DOKGEN_FILLAGER=postgres``), the whole document flow without a file on the node's disk,
and two nodes on one database with their own empty instance folders sharing the instance
secret, the development certificate and so their users' sessions."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask  # noqa: TID251 (the app under test)
from flask.testing import FlaskClient  # noqa: TID251 (the app under test)
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.seal import verify
from dokgen.errors import FileMissingError
from dokgen.services import brukere
from dokgen.storage import instansnokler
from dokgen.storage.db import Fil, Filbit, Instansnokkel, Versjon, make_engine, migrate
from dokgen.storage.pgstore import PgStore
from dokgen.storage.store import CHUNK, FileStore
from tests.conftest import require_command
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.sider_hjelp import logg_inn
from tests.pdfinfo import text

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
FEM_MIB = 5 * CHUNK + 123  # five whole chunks and a bit of a sixth


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    """Return the migrated test database."""
    made = make_engine(pg_url)
    migrate(made)
    yield made
    made.dispose()


def _rows(engine: Engine, model: type[Any], sha: str | None = None) -> int:
    query = select(func.count()).select_from(model)
    if sha is not None:
        query = query.where(model.sha256 == sha)
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def _at_once(n: int, make: Callable[[], Any]) -> list[Any]:
    """Run ``make`` on ``n`` threads released together; return what each returned."""
    start, got, errors = threading.Barrier(n), [None] * n, []

    def run(i: int) -> None:
        start.wait(timeout=30)
        try:
            got[i] = make()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    return got


def test_a_five_mib_file_is_stored_in_chunks_and_read_back_as_a_stream(engine: Engine) -> None:
    """5 MiB and a bit go in as six rows of filbit under one fil row, come back whole from
    get, and stream chunk by chunk."""
    store = PgStore(engine)
    data = hashlib.sha256(b"fro").digest() * (FEM_MIB // 32) + b"x" * (FEM_MIB % 32)
    assert len(data) == FEM_MIB
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert sha in store
    assert (_rows(engine, Fil, sha), _rows(engine, Filbit, sha)) == (1, 6)
    with engine.connect() as conn:
        fil = conn.execute(select(Fil.storrelse, Fil.biter).where(Fil.sha256 == sha)).one()
    assert tuple(fil) == (FEM_MIB, 6)
    assert store.get(sha) == data
    chunks = store.stream(sha)
    assert isinstance(chunks, Iterator)
    assert [len(c) for c in chunks] == [CHUNK] * 5 + [123]


def test_the_same_file_put_by_two_threads_at_once_is_stored_once(engine: Engine) -> None:
    """Two writers of the same bytes, both past the "is it there" check, both succeed and
    the file has one fil row and one set of chunks."""

    class Blind(PgStore):
        """A store whose check before writing never sees the file: both threads insert."""

        def put(self, data: bytes) -> str:
            self._biter = lambda sha: None  # type: ignore[method-assign]
            return super().put(data)

    data = b"samme innhold " * (CHUNK // 7)  # two chunks
    got = _at_once(2, lambda: Blind(engine).put(data))
    sha = hashlib.sha256(data).hexdigest()
    assert got == [sha, sha]
    assert (_rows(engine, Fil), _rows(engine, Filbit)) == (1, 2)
    assert PgStore(engine).get(sha) == data


def test_a_missing_file_is_missing_unless_the_node_kept_it_on_disk(
    engine: Engine, tmp_path: Path
) -> None:
    """Without a fil row the file is missing (a stream fails before its first chunk); a file
    an older instance kept in its folder is still read from there, and new files never go
    to that folder."""
    store = PgStore(engine, fallback=tmp_path / "filer")
    with pytest.raises(FileMissingError):
        store.get("0" * 64)
    with pytest.raises(FileMissingError):
        store.stream("0" * 64)
    assert "0" * 64 not in store
    with pytest.raises(ValueError, match="SHA-256"):
        store.get("../x")

    gammel = FileStore(tmp_path / "filer").put("laget da filene lå på disk".encode())
    assert gammel in store
    assert store.get(gammel) == "laget da filene lå på disk".encode()
    assert _rows(engine, Fil) == 0
    ny = store.put("laget nå".encode())
    assert [p.name for p in (tmp_path / "filer").rglob("*") if p.is_file()] == [gammel]
    assert _rows(engine, Fil, ny) == 1


def test_nodes_making_a_secret_at_once_all_get_the_first_one(engine: Engine) -> None:
    """Four nodes starting together each make a different secret; one is stored and every
    node returns that one."""
    made = iter(range(4))
    lock = threading.Lock()

    def make() -> bytes:
        with lock:
            return f"nokkel-{next(made)}".encode()

    got = _at_once(4, lambda: instansnokler.create_once(engine, "hemmelig_nokkel", make))
    with engine.connect() as conn:
        stored = conn.scalar(select(Instansnokkel.verdi))
    assert stored is not None
    assert set(got) == {bytes(stored)}
    assert _rows_instansnokler(engine) == 1


def _rows_instansnokler(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Instansnokkel)) or 0)


def _innhold(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Return the app of one node: files in PostgreSQL, the secret not in its settings."""
    return make_app(fillager="postgres", hemmelig_nokkel=None)


def test_a_document_is_made_sealed_and_downloaded_without_a_file_on_disk(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Create → sealed PDF → download on PostgreSQL with DOKGEN_FILLAGER=postgres: the PDF
    comes from the fil table, and the node's instance folder is still empty afterwards (no
    file store, no secret, no development certificate on disk)."""
    require_command("pdftotext")
    assert isinstance(deps.store, PgStore)
    veileder, leser = auth("veileder"), auth("leser")
    body = kontrakt("statusrapport")
    r = client.post("/api/v1/dokumenter", json=body, headers={**veileder, **VENT})
    assert r.status_code == 201, r.json
    doc = r.json
    r = client.post(
        f"/api/v1/dokumenter/{doc['id']}/godkjenninger",
        json={"part": "arrangor", "navn": "Åse Ødegård"},
        headers={**veileder, **VENT},
    )
    assert r.status_code == 201, r.json
    assert r.json["status"] == "godkjent"

    pdf = client.get(doc["lenker"]["pdf"], headers=leser)
    assert pdf.status_code == 200
    assert pdf.is_streamed
    assert verify(pdf.data).gyldig
    assert "Åse Ødegård" in text(pdf.data)

    with deps.sessions() as s:
        versjon = s.scalars(select(Versjon).where(Versjon.dokument_id == doc["id"])).one()
        lagret = s.scalar(select(Fil.storrelse).where(Fil.sha256 == versjon.pdf_sha256))
        navn = set(s.scalars(select(Instansnokkel.navn)))
    assert lagret == len(pdf.data)
    assert hashlib.sha256(pdf.data).hexdigest() == versjon.pdf_sha256
    assert navn == {"hemmelig_nokkel", "utviklingssertifikat"}
    assert _innhold(deps.settings.instans) == []


def test_two_nodes_on_one_database_share_the_secret_the_certificate_and_sessions(
    make_app: Callable[..., Flask],
) -> None:
    """Two apps on the same PostgreSQL database, each with its own empty instance folder,
    get the same instance secret and development certificate from the database, and a
    user logged in on one is logged in on the other; nothing lands in either folder."""
    a = make_app(hemmelig_nokkel=None)
    b = make_app(hemmelig_nokkel=None)
    deps_a: Deps = a.extensions["dokgen"]
    deps_b: Deps = b.extensions["dokgen"]
    assert deps_a.settings.instans != deps_b.settings.instans
    assert a.secret_key == b.secret_key
    assert a.secret_key == deps_a.settings.hemmelig_nokkel
    assert len(str(a.secret_key)) == 64
    assert deps_a.sealer.utvikling
    assert deps_a.sealer.sertifikat == deps_b.sealer.sertifikat

    with deps_a.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel Arbeidsinkludering AS")
        brukere.opprett_bruker(s, org, "veileder1", "Test Veileder", "veileder", PASSORD)
    klient_a, klient_b = a.test_client(), b.test_client()
    assert logg_inn(klient_a, "veileder1").status_code == 302
    cookie = klient_a.get_cookie("dokgen_okt")
    assert cookie is not None
    assert b.test_client().get("/dokumenter").status_code == 302  # not logged in there
    klient_b.set_cookie("dokgen_okt", cookie.value)
    side = klient_b.get("/dokumenter")
    assert side.status_code == 200
    assert "Test Veileder" in side.text
    for deps in (deps_a, deps_b):
        assert _innhold(deps.settings.instans) == []
