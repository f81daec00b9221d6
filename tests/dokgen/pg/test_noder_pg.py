"""Two nodes on one PostgreSQL: two ``dokgen serve`` processes, each with its own empty
instance folder and port, started together on an empty database.

What one node makes the other converts, approves and serves; a node killed outright in the
middle of a conversion leaves the work to the other; invoices made through both at once are
numbered without a gap; a double send through both reaches the access point once; a token
revoked on one is refused on the other within a second.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import KONTRAKT, PEPPOL, require_command, wait_for
from tests.dokgen.test_cli_serve import (
    DOKGEN,
    Server,
    _answers,
    _descendants,
    _free_port,
    post_document,
)
from tests.dokgen.web.test_api_fakturaer_sending import AccessPoint
from tests.dokgen.web.test_api_fakturaer_sending import access_point as access_point
from tests.pdfinfo import pdfsig_report

pytestmark = [pytest.mark.integration, pytest.mark.slow]
LEIE = 3  # seconds: DOKGEN_JOBB_LEIE of both nodes
DEMO_ORG = "998877660"


def _start(folder: Path, pg_url: str, ap: AccessPoint) -> Server:
    folder.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "DOKGEN_INSTANS": str(folder / "instans"),
        "DOKGEN_DATABASE_URL": pg_url,
        "DOKGEN_REFERANSE_PEPPOL": str(PEPPOL),
        "DOKGEN_KONVERTERERE": "1",
        "DOKGEN_ARBEIDERE": "1",
        "DOKGEN_WEBPROSESSER": "1",
        "DOKGEN_JOBB_LEIE": str(LEIE),
        "DOKGEN_AKSESSPUNKT_URL": ap.url,
        "DOKGEN_AKSESSPUNKT_TOKEN": "test-token-7f3a",
        "DOKGEN_SEND_FORSOK": "1",
    }
    # Files, not pipes: a server that fills an unread pipe blocks. Popen keeps its own
    # descriptors; ours are closed at once.
    with (folder / "ut.txt").open("w+") as out, (folder / "feil.txt").open("w+") as err:
        proc = subprocess.Popen(
            [*DOKGEN, "serve", "--demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=err,
            text=True,
            start_new_session=True,
        )
    return Server(proc, port, env, folder)


def _stop(srv: Server) -> None:
    if srv.proc.poll() is None:
        os.killpg(srv.proc.pid, signal.SIGTERM)
        try:
            srv.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(srv.proc.pid, signal.SIGKILL)
            srv.proc.wait()


@pytest.fixture
def noder(tmp_path: Path, pg_url: str, access_point: AccessPoint) -> Iterator[list[Server]]:
    """Start two nodes at the same moment on the test's empty database; wait for both."""
    require_command("soffice", "pdfsig")
    nodes = [_start(tmp_path / navn, pg_url, access_point) for navn in ("a", "b")]
    try:
        for srv in nodes:
            if not wait_for(
                lambda s=srv: _answers(s), lambda ok, s=srv: ok or s.proc.poll() is not None, 240
            ):
                pytest.fail(f"node did not start: {srv.output()[1][-3000:]}")
        yield nodes
    finally:
        for srv in nodes:
            _stop(srv)


def _sql(pg_url: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    conninfo = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        return list(conn.execute(query, args).fetchall())  # type: ignore[arg-type]


def _versjon(pg_url: str, dokument_id: str) -> dict[str, Any]:
    [rad] = _sql(
        pg_url,
        "select status, jobb_frist, jobb_forsok, feil from versjon where dokument_id = %s",
        dokument_id,
    )
    return dict(zip(("status", "jobb_frist", "jobb_forsok", "feil"), rad, strict=True))


def _token(srv: Server, rolle: str) -> str:
    return srv.cli("token", "lag", "--org", DEMO_ORG, "--rolle", rolle).stdout.strip()


def _json(answer: tuple[int, bytes, dict[str, str]], status: int) -> Any:
    assert answer[0] == status, answer[1][:500]
    return json.loads(answer[1]) if answer[1] else None


def test_two_nodes_start_together_and_migrate_once(noder: list[Server], pg_url: str) -> None:
    """Both nodes started on an empty database at once: one migrated, the other found it
    done; the demo's organisations exist once; neither node complains."""
    [(versjon,)] = _sql(pg_url, "select version_num from alembic_version")
    assert versjon.isdigit()
    orgs = _sql(pg_url, "select orgnr from organisasjon order by orgnr")
    assert [o for (o,) in orgs].count(DEMO_ORG) == 1
    for srv in noder:
        _, err = srv.output()
        assert "already exists" not in err
        assert "Traceback" not in err


def test_a_document_made_on_one_node_is_converted_approved_and_served_by_the_other(
    noder: list[Server], pg_url: str
) -> None:
    """A statusrapport posted to node A and A killed outright while it converts: node B
    takes the work when A's lease runs out, and the document is converted, approved and
    sealed once, and downloaded through B; neither node wrote a generated file to disk."""
    a, b = noder
    token = _token(a, "veileder")
    data = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    dok = post_document(a, token, data)
    tatt = wait_for(lambda: _versjon(pg_url, dok["id"]), lambda v: v["jobb_forsok"] >= 1, 60)
    assert tatt["status"] == "behandles", tatt  # a job holds it and converts

    soffice = [p for p, cmd in _descendants(a.proc.pid).items() if b"soffice" in cmd]
    os.killpg(a.proc.pid, signal.SIGKILL)
    for pid in soffice:  # its LibreOffice runs in a group of its own
        os.kill(pid, signal.SIGKILL)
    a.proc.wait()
    drept = time.monotonic()

    ferdig = wait_for(
        lambda: _versjon(pg_url, dok["id"]), lambda v: v["status"] != "behandles", 120
    )
    assert ferdig["status"] == "utkast", ferdig
    assert (ferdig["jobb_frist"], ferdig["feil"]) == (None, None)
    assert time.monotonic() - drept > LEIE / 3  # B took it when A's lease ran out

    svar = _json(b.call("POST", f"/api/v1/dokumenter/{dok['id']}/godkjenninger", token, {}), 201)
    forseglet = wait_for(
        lambda: _json(b.call("GET", f"/api/v1/dokumenter/{dok['id']}", token), 200),
        lambda d: d["status"] not in ("forsegles", "delvis_godkjent", "utkast"),
        120,
    )
    assert forseglet["status"] == "godkjent", (svar, forseglet)
    status, pdf, headers = b.call("GET", f"/api/v1/dokumenter/{dok['id']}/pdf", token)
    assert (status, headers["content-type"]) == (200, "application/pdf")
    [segl] = pdfsig_report(pdf)
    assert segl["valid"], segl
    assert _sql(pg_url, "select count(*) from versjon where dokument_id = %s", dok["id"]) == [(1,)]
    for srv in noder:
        filer = srv.folder / "instans" / "filer"
        assert not filer.exists() or not [f for f in filer.rglob("*") if f.is_file()]


def test_invoices_through_both_nodes_are_numbered_without_a_gap_and_sent_once(
    noder: list[Server], access_point: AccessPoint
) -> None:
    """50 invoices posted at once, half through each node, get 50 consecutive numbers;
    the same invoice sent through both nodes at the same moment reaches the access point
    once."""
    a, b = noder
    regnskap = _token(a, "regnskap")
    grunnlag = json.loads((KONTRAKT / "fakturagrunnlag.json").read_text(encoding="utf-8"))

    def lag(i: int) -> dict[str, Any]:
        srv = noder[i % 2]
        return dict(_json(srv.call("POST", "/api/v1/fakturaer", regnskap, grunnlag), 201))

    with ThreadPoolExecutor(max_workers=10) as pool:
        fakturaer = list(pool.map(lag, range(50)))
    nummer = sorted(f["nummer"] for f in fakturaer)
    lopenr = [int(n.rsplit("-", 1)[1]) for n in nummer]
    assert lopenr == list(range(lopenr[0], lopenr[0] + 50)), nummer
    assert len({n.rsplit("-", 1)[0] for n in nummer}) == 1

    faktura = wait_for(
        lambda: _json(a.call("GET", f"/api/v1/fakturaer/{fakturaer[0]['id']}", regnskap), 200),
        lambda f: f["status"] == "validert",
        120,
    )
    access_point.answers = [(200, json.dumps({"id": "ap-1"}).encode())]
    access_point.gate.clear()  # hold the first send at the access point
    svar: list[int] = []

    def send(srv: Server) -> None:
        svar.append(srv.call("POST", f"/api/v1/fakturaer/{faktura['id']}/sending", regnskap)[0])

    traader = [threading.Thread(target=send, args=(srv,)) for srv in (a, b)]
    for t in traader:
        t.start()

    def mottatt() -> int:  # the demo's own invoices were sent before
        merke = f"<cbc:ID>{faktura['nummer']}</cbc:ID>".encode()
        return sum(merke in body for _, body in access_point.received)

    wait_for(mottatt, lambda n: n >= 1, 60)
    access_point.gate.set()
    for t in traader:
        t.join(120)
    sendt = wait_for(
        lambda: _json(b.call("GET", f"/api/v1/fakturaer/{faktura['id']}", regnskap), 200),
        lambda f: f["status"] == "sendt",
        60,
    )
    assert sendt["meldings_id"] == "ap-1", sendt["forsok"]
    assert mottatt() == 1
    assert all(s in (200, 202, 409) for s in svar), svar


def test_a_token_revoked_on_one_node_is_refused_on_the_other_within_a_second(
    noder: list[Server],
) -> None:
    """Node B knows the token (its cache keeps it for seconds); revoked through node A,
    B refuses it within a second."""
    a, b = noder
    admin = _token(a, "admin")
    ny = _json(a.call("POST", "/api/v1/tokener", admin, {"navn": "kort", "rolle": "leser"}), 201)
    assert b.call("GET", "/api/v1/dokumenter", ny["token"])[0] == 200  # B has it cached now
    assert a.call("DELETE", f"/api/v1/tokener/{ny['id']}", admin)[0] == 204
    tilbakekalt = time.monotonic()
    status = wait_for(
        lambda: b.call("GET", "/api/v1/dokumenter", ny["token"])[0], lambda s: s == 401, 5
    )
    assert status == 401
    assert time.monotonic() - tilbakekalt < 1.0


def test_a_node_stopped_with_sigterm_finishes_its_job_and_leaves_the_rest_to_the_other(
    noder: list[Server], pg_url: str
) -> None:
    """Both nodes say they share jobs through PostgreSQL. Three documents posted to node A
    and A told to stop (SIGTERM) while it converts the first: A ends cleanly, and every
    document is converted once, those A had not started by node B."""
    a, b = noder
    for srv in noder:
        assert _json(srv.call("GET", "/api/v1/helse"), 200)["jobbko"] == "postgres"
    token = _token(a, "veileder")
    data = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    ids = [post_document(a, token, data)["id"] for _ in range(3)]
    wait_for(lambda: _versjon(pg_url, ids[0]), lambda v: v["jobb_forsok"] >= 1, 60)
    os.killpg(a.proc.pid, signal.SIGTERM)
    assert a.proc.wait(timeout=120) == 0
    for dokument_id in ids:
        ferdig = wait_for(
            lambda d=dokument_id: _versjon(pg_url, d), lambda v: v["status"] != "behandles", 120
        )
        assert (ferdig["status"], ferdig["feil"]) == ("utkast", None), ferdig
    _, err = b.output()
    assert "Traceback" not in err
