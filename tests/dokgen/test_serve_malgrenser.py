"""``dokgen serve`` as in production ('prosess' mode, two web and two job processes): a
template bomb uploaded on the admin page is refused by the web process within the time
limit; one behind a condition fails its documents in the job processes (their render
processes killed) while another organisation's document is made; nothing outlives a stop."""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import signal
import sqlite3
import time
import urllib.parse
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.conftest import KONTRAKT, wait_for
from tests.dokgen.test_cli_serve import Server, _alive, _descendants, post_document
from tests.dokgen.test_cli_serve import server as server  # the fixture, started below

pytestmark = [pytest.mark.integration, pytest.mark.slow]
MALER = Path(__file__).resolve().parents[2] / "maler"
TIME_LIMIT = 2  # DOKGEN_MAL_TIDSGRENSE of the server under test
C_LOOP = "{% for a in range(10**5) %}{{ range(10**5)|sum }}{% endfor %}"  # only time stops it
TYV = "Tor Tidstyv"
ANNET_ORGNR = "974760673"


@pytest.fixture
def tjener(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Server:
    """``dokgen serve --demo`` with a 2 s template time limit."""
    monkeypatch.setenv("DOKGEN_MAL_TIDSGRENSE", str(TIME_LIMIT))
    started: Server = request.getfixturevalue("server")  # reads the environment as it starts
    return started


class _Nettleser:
    """Just enough of a browser for the admin pages: cookies, CSRF tokens, a file upload."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, body: bytes = b"", type_: str = "") -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if type_:
            headers["Content-Type"] = type_
        conn.request(method, path, body=body or None, headers=headers)
        r = conn.getresponse()
        text = r.read().decode("utf-8")
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return r.status, text

    def token(self, path: str) -> str:
        _, text = self.call("GET", path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', text)
        assert found, text[:500]
        return found[1]

    def logg_inn(self, brukernavn: str, passord: str) -> int:
        fields = {
            "brukernavn": brukernavn,
            "passord": passord,
            "csrf_token": self.token("/logg-inn"),
        }
        body = urllib.parse.urlencode(fields).encode()
        return self.call("POST", "/logg-inn", body, "application/x-www-form-urlencoded")[0]

    def last_opp_mal(self, data: bytes) -> tuple[int, str]:
        fields = {"csrf_token": self.token("/admin/maler"), "type": "statusrapport"}
        grense = "dokgen-test-grense"
        parts = [
            f'--{grense}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{grense}\r\nContent-Disposition: form-data; name="fil"; '
            f'filename="statusrapport.docx"\r\nContent-Type: application/octet-stream'
            "\r\n\r\n".encode()
            + data
            + f"\r\n--{grense}--\r\n".encode()
        )
        return self.call(
            "POST", "/admin/maler", b"".join(parts), f"multipart/form-data; boundary={grense}"
        )


def _statusrapport_with(text: str) -> bytes:
    document = docx.Document(str(MALER / "statusrapport.docx"))
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _statuses(server: Server, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    db = sqlite3.connect(f"file:{server.folder / 'instans' / 'dokgen.db'}?mode=ro", uri=True)
    try:
        return {
            i: db.execute(
                "select status, feil from versjon where dokument_id = ? "
                "order by nummer desc limit 1",
                (i,),
            ).fetchone()
            for i in ids
        }
    finally:
        db.close()


def _wait_until_done(server: Server, ids: list[str], frist: float) -> dict[str, Any]:
    return wait_for(
        lambda: _statuses(server, ids),
        lambda found: all(s != "behandles" for s, _ in found.values()),
        frist,
    )


def test_template_bombs_in_the_running_service(tjener: Server) -> None:
    """Refused at upload by a web process in time; behind a condition, the two documents
    that meet it hold both job processes until their render processes are killed (CPU time
    of SCHED_IDLE processes), fail with the reason, and the other organisation's document,
    queued behind them, is made. SIGTERM then leaves no process, render processes included."""
    nettleser = _Nettleser(tjener.port)
    assert nettleser.logg_inn("admin", "demo-admin-passord") == 302

    start = time.monotonic()
    status, side = nettleser.last_opp_mal(_statusrapport_with(C_LOOP))
    assert (status, time.monotonic() - start < TIME_LIMIT + 3) == (422, True)
    assert "malen brukte for lang tid (over 2 sekunder) og ble stoppet" in side

    skjult = f'{{% if deltaker.navn == "{TYV}" %}}{C_LOOP}{{% endif %}}'
    assert nettleser.last_opp_mal(_statusrapport_with(skjult))[0] == 302

    assert tjener.cli("org", "lag", "--orgnr", ANNET_ORGNR, "--navn", "Annen AS").returncode == 0
    egen = tjener.cli("token", "lag", "--org", "998877660", "--rolle", "veileder").stdout.strip()
    annen = tjener.cli("token", "lag", "--org", ANNET_ORGNR, "--rolle", "veileder").stdout.strip()
    tyv = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    tyv["deltaker"]["navn"] = TYV
    andre = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    andre["tiltak"]["arrangor"] = {"navn": "Annen AS", "orgnr": ANNET_ORGNR}

    bomber = [post_document(tjener, egen, tyv)["id"], post_document(tjener, egen, tyv)["id"]]
    annet = post_document(tjener, annen, andre)["id"]
    family = _descendants(tjener.proc.pid)  # the job processes' render processes among them
    done = _wait_until_done(tjener, [*bomber, annet], frist=180)
    feil = (
        "Malen brukte for lang tid (over 2 sekunder) og ble stoppet. "
        "En administrator må rette malen."
    )
    assert [done[i] for i in bomber] == [("feilet", feil), ("feilet", feil)]
    assert done[annet] == ("utkast", None)

    os.killpg(tjener.proc.pid, signal.SIGTERM)
    tjener.proc.wait(timeout=60)
    assert tjener.proc.returncode == 0, tjener.output()[1][-2000:]
    assert _alive([*family, *_descendants(tjener.proc.pid)]) == []
