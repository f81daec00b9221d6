"""``dokgen serve`` as a real process on 127.0.0.1: demo data, tokens from the CLI, a sealed
PDF over HTTP checked by pdfsig, and a clean stop on SIGTERM with no LibreOffice left."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import KONTRAKT, PEPPOL, require_command, wait_for
from tests.pdfinfo import pdfsig_report

pytestmark = [pytest.mark.integration, pytest.mark.slow]
DOKGEN = [str(Path(sys.executable).parent / "dokgen")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    env: dict[str, str]
    folder: Path

    def output(self) -> tuple[str, str]:
        return (
            (self.folder / "ut.txt").read_text(encoding="utf-8"),
            (self.folder / "feil.txt").read_text(encoding="utf-8"),
        )

    def call(
        self, method: str, path: str, token: str | None = None, body: Any = None
    ) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
        headers = {"Prefer": "wait=120"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        result = r.status, r.read(), {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        return result

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*DOKGEN, *args], env=self.env, capture_output=True, text=True, timeout=120
        )


def post_document(server: Server, token: str, body: Any) -> dict[str, Any]:
    """POST a document and return the 201 answer at once (no Prefer: wait)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request(
        "POST",
        "/api/v1/dokumenter",
        body=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    r = conn.getresponse()
    data = r.read()
    conn.close()
    assert r.status == 201, data
    result: dict[str, Any] = json.loads(data)
    return result


def serve_refused(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``dokgen serve`` on a free port where it must stop before listening; return how
    it ended."""
    return subprocess.run(
        [*DOKGEN, "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _processes() -> dict[int, tuple[int, str, bytes]]:
    """Return pid → (parent pid, state, command line) of every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                found[int(entry.name)] = (
                    int(fields[1]),
                    fields[0],
                    (entry / "cmdline").read_bytes(),
                )
            except OSError:
                continue
    return found


def _descendants(pid: int) -> dict[int, bytes]:
    """Return the live descendants of a process with their command lines."""
    table, found, todo = _processes(), {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, state, cmd) in table.items():
            if ppid == parent and state != "Z":
                found[child] = cmd
                todo.append(child)
    return found


def _alive(pids: list[int], *, within: float = 15.0) -> list[int]:
    """Return which of the processes still live after waiting up to ``within`` seconds
    (multiprocessing's resource tracker, for one, leaves just after the server)."""

    def alive() -> list[int]:
        table = _processes()
        return [p for p in pids if p in table and table[p][1] != "Z"]

    return wait_for(alive, lambda left: not left, within)


def _answers(srv: Server) -> bool:
    """Whether the server answers its OpenAPI document."""
    try:
        return srv.call("GET", "/api/v1/openapi.json")[0] == 200
    except OSError:
        return False


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    """Start ``dokgen serve --demo`` on a free port with a fresh instance; wait for it.

    Two web processes unless the test is parametrized with another number.
    """
    require_command("soffice", "pdfsig")
    port = _free_port()
    env = {
        **os.environ,
        "DOKGEN_INSTANS": str(tmp_path / "instans"),
        "DOKGEN_REFERANSE_PEPPOL": str(PEPPOL),
        "DOKGEN_KONVERTERERE": "1",
        "DOKGEN_WEBPROSESSER": str(getattr(request, "param", 2)),
    }
    # Files, not pipes: a server that fills an unread pipe blocks.
    out, err = (tmp_path / "ut.txt").open("w+"), (tmp_path / "feil.txt").open("w+")
    proc = subprocess.Popen(
        [*DOKGEN, "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=out,
        stderr=err,
        text=True,
        start_new_session=True,  # its own process group, signalled as a whole like systemd does
    )
    srv = Server(proc, port, env, tmp_path)
    if not wait_for(lambda: _answers(srv), lambda ok: ok or proc.poll() is not None, 240):
        proc.kill()
        proc.wait()
        pytest.fail(f"dokgen serve did not start: {srv.output()[1][-2000:]}")
    yield srv
    if proc.poll() is None:
        # SIGTERM first: SIGKILL to the group would leave the LibreOffices (each in a process
        # group of its own) behind with nobody to close them.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    out.close()
    err.close()


@pytest.mark.parametrize("server", [1, 2], indirect=True, ids=["1 webprosess", "2 webprosesser"])
def test_serve_runs_the_demo_and_the_api_and_stops_cleanly(server: Server) -> None:
    """The demo instance answers the API; a token made by the CLI creates, approves and
    downloads a sealed statusrapport; SIGTERM ends with exit 0 and no LibreOffice left.

    With two web processes the jobs go from a web process to the main process's pool."""
    token = server.cli("token", "lag", "--org", "998877660", "--rolle", "veileder").stdout.strip()
    assert token.startswith("dg_")
    status, body, _ = server.call("GET", "/api/v1/dokumenter", token)
    assert status == 200
    listed = {(d["type"], d["status"]) for d in json.loads(body)["dokumenter"]}
    assert ("statusrapport", "godkjent") in listed
    assert ("arbeidspraksisavtale", "delvis_godkjent") in listed
    # The arbeidsmarkedsbedrift beside it: its own finalised AMB documents, none of the JMO's.
    amb = server.cli("token", "lag", "--org", "998877679", "--rolle", "leser").stdout.strip()
    status, body, _ = server.call("GET", "/api/v1/dokumenter", amb)
    assert status == 200
    assert {(d["type"], d["status"]) for d in json.loads(body)["dokumenter"]} == {
        ("samarbeidsavtale", "godkjent"),
        ("samtalereferat", "godkjent"),
        ("sluttrapport_kvalifisering", "godkjent"),
    }
    regnskap = server.cli("token", "lag", "--org", "998877660", "--rolle", "regnskap").stdout
    status, body, _ = server.call("GET", "/api/v1/fakturaer", regnskap.strip())
    invoices = {(f["art"], f["status"]) for f in json.loads(body)["fakturaer"]}
    assert invoices == {
        ("faktura", "validert"),
        ("faktura", "i_utboks"),  # the demo's outbox: not sent
        ("faktura", "levert"),
        ("faktura", "avvist"),
        ("faktura", "ugyldig"),
        ("kreditnota", "validert"),
    }

    data = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    status, body, headers = server.call("POST", "/api/v1/dokumenter", token, data)
    assert status == 201, body
    doc = json.loads(body)
    assert headers["x-request-id"]
    status, body, _ = server.call(
        "POST", f"/api/v1/dokumenter/{doc['id']}/godkjenninger", token, {"part": "arrangor"}
    )
    assert json.loads(body)["status"] == "godkjent"
    status, pdf, headers = server.call("GET", f"/api/v1/dokumenter/{doc['id']}/pdf", token)
    assert (status, headers["content-type"]) == (200, "application/pdf")
    [signature] = pdfsig_report(pdf)
    assert signature["valid"]

    family = _descendants(server.proc.pid)
    office = [p for p, cmd in family.items() if b"soffice.bin" in cmd]
    assert office, "the server's workers run LibreOffice"
    os.killpg(server.proc.pid, signal.SIGTERM)  # the server and its workers, as `timeout` does
    server.proc.wait(timeout=60)
    out, err = server.output()
    assert server.proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err  # nor in a web process
    assert "veileder  / demo-veileder-passord" in out
    assert "amb-veileder  / demo-amb-veileder-passord" in out
    assert _alive(list(family)) == [], "a worker or LibreOffice outlived the server"
    assert data["deltaker"]["fodselsnummer"] not in out + err
    assert "POST /api/v1/dokumenter 201" in err


def test_token_for_an_unknown_organisation_is_refused(tmp_path: Path) -> None:
    """Exit 2 and a message naming the field; no token printed."""
    env = {**os.environ, "DOKGEN_INSTANS": str(tmp_path / "instans")}
    r = subprocess.run(
        [*DOKGEN, "token", "lag", "--org", "123456785", "--rolle", "leser"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2
    assert r.stdout == ""
    assert "org: ingen organisasjon har orgnr 123456785" in r.stderr


def test_production_without_a_certificate_does_not_start(tmp_path: Path) -> None:
    """DOKGEN_MILJO=produksjon needs a real certificate: exit 1 with the reason, no server."""
    env = {**os.environ, "DOKGEN_INSTANS": str(tmp_path / "instans"), "DOKGEN_MILJO": "produksjon"}
    env.pop("DOKGEN_SERTIFIKAT", None)
    r = serve_refused(env)
    assert r.returncode == 1
    assert "produksjon krever et virksomhetssertifikat" in r.stderr
    assert "lytter" not in r.stderr


def test_a_killed_server_takes_its_workers_and_libreoffice_with_it(server: Server) -> None:
    """SIGKILL to the server alone (OOM killer): its job processes notice and close their
    LibreOffice within seconds instead of running on as orphans."""
    token = server.cli("token", "lag", "--org", "998877660", "--rolle", "veileder").stdout.strip()
    data = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    assert server.call("POST", "/api/v1/dokumenter", token, data)[0] == 201
    family = _descendants(server.proc.pid)
    assert any(b"soffice.bin" in cmd for cmd in family.values())
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(timeout=30)
    assert _alive(list(family), within=30) == [], "orphaned workers or LibreOffice"


def test_job_processes_and_their_libreoffice_give_way_to_requests_at_once(
    server: Server,
) -> None:
    """Every thread of the job processes and of their LibreOffice runs as SCHED_IDLE (a
    waking request preempts them at once, which nice 19 does not on EEVDF kernels); the main
    and web processes stay normal."""
    token = server.cli("token", "lag", "--org", "998877660", "--rolle", "veileder").stdout.strip()
    data = json.loads((KONTRAKT / "statusrapport.json").read_text(encoding="utf-8"))
    status, body, _ = server.call("POST", "/api/v1/dokumenter", token, data)  # waits for it
    assert status == 201
    assert json.loads(body)["status"] == "utkast"  # converted: a LibreOffice is running
    family = _descendants(server.proc.pid)
    office = [p for p, cmd in family.items() if b"soffice.bin" in cmd]
    web = _web_processes(server)
    # The job processes, and the template render process each started for its fills
    # (dokgen.documents.render_process), which must inherit the job process's policy and nice.
    jobs = [
        p
        for p, cmd in family.items()
        if b"multiprocessing.spawn" in cmd and b"resource_tracker" not in cmd
    ]
    table = _processes()
    assert office
    assert len([p for p in jobs if table[p][0] == server.proc.pid]) == 2
    assert len(jobs) > 2  # the document was filled in a render process
    assert web
    # Where the kernel or a sandbox refuses SCHED_IDLE, the workers fall back to nice 19.
    expected = os.SCHED_IDLE if _idle_allowed() else os.SCHED_OTHER
    for pid in [*office, *jobs]:
        policies = {_policy(tid) for tid in _threads(pid)} - {None}
        assert policies == {expected}, (pid, family[pid][:60])
        assert os.getpriority(os.PRIO_PROCESS, pid) == 19
    for pid in [server.proc.pid, *web]:
        assert os.sched_getscheduler(pid) == os.SCHED_OTHER


def _idle_allowed() -> bool:
    probe = "import os; os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))"
    return subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def _threads(pid: int) -> list[int]:
    return [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]


def _policy(tid: int) -> int | None:
    try:
        return os.sched_getscheduler(tid)
    except ProcessLookupError:  # the thread ended meanwhile
        return None


def _web_processes(server: Server) -> list[int]:
    return sorted(
        p for p, cmd in _descendants(server.proc.pid).items() if b"dokgen.web.tjener" in cmd
    )


def _listening_holders(server: Server) -> set[int]:
    """Return the processes holding the server's listening socket open (from /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{server.port:04X}") and fields[3] == "0A":  # LISTEN
            inodes.add(f"socket:[{fields[9]}]")
    holders = set()
    for pid in [server.proc.pid, *_descendants(server.proc.pid)]:
        if _links(pid) & inodes:
            holders.add(pid)
    return holders


def _links(pid: int) -> set[str]:
    """Return what a process's open file descriptors point at. A process still starting
    (a web process importing) opens and closes files all the time: a descriptor gone between
    listing and reading is skipped, not the whole process."""
    links = set()
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # the process is gone
        return set()
    for fd in fds:
        with contextlib.suppress(OSError):
            links.add(os.readlink(fd))
    return links


def _pids_answering(server: Server, path: str, status: int) -> list[int]:
    """Return the pids of the access-log lines for ``GET path status``, in order."""
    pattern = re.compile(
        rf"^\S+ \S+ (\d+) INFO dokgen\.tilgang \[\w+\] GET {re.escape(path)} {status} "
    )
    return [int(m.group(1)) for m in map(pattern.match, server.output()[1].splitlines()) if m]


def test_two_web_processes_share_the_port_and_a_killed_one_is_replaced(server: Server) -> None:
    """Both web processes accept on the port, each on a socket the main process bound and
    the kernel spreads new connections over; when one is killed (the OOM killer), the main
    process starts another on the same socket and the service answers."""
    web = _web_processes(server)
    assert len(web) == 2, _descendants(server.proc.pid)
    assert _listening_holders(server) == {server.proc.pid, *web}, _descendants(server.proc.pid)
    for _ in range(20):
        assert server.call("GET", "/api/v1/helse")[0] == 200
    logg = server.output()[1][-4000:]
    assert set(_pids_answering(server, "/api/v1/helse", 200)) == set(web), logg

    os.kill(web[0], signal.SIGKILL)
    now = wait_for(
        lambda: _web_processes(server), lambda pids: len(pids) >= 2 and web[0] not in pids, 30
    )
    assert len(now) == 2, server.output()[1][-4000:]
    assert web[0] not in now
    assert web[1] in now
    assert _listening_holders(server) == {server.proc.pid, *now}
    status, body, _ = server.call("GET", "/api/v1/helse")
    assert (status, json.loads(body)["status"]) == (200, "ok")
    assert "en webprosess stoppet (kode -9); starter en ny" in server.output()[1]
    assert server.proc.poll() is None


def test_a_token_revoked_in_one_web_process_is_refused_by_every_one(server: Server) -> None:
    """Each web process remembers valid tokens for 10 s; a revocation in one is passed on
    through the main process, so no web process accepts the token afterwards."""
    admin = server.cli("token", "lag", "--org", "998877660", "--rolle", "admin").stdout.strip()
    status, body, _ = server.call(
        "POST", "/api/v1/tokener", admin, {"navn": "system", "rolle": "leser"}
    )
    assert status == 201, body
    ny = json.loads(body)
    for _ in range(20):  # each web process now remembers the token as valid
        assert server.call("GET", "/api/v1/dokumenter", ny["token"])[0] == 200
    assert set(_pids_answering(server, "/api/v1/dokumenter", 200)) == set(_web_processes(server))

    assert server.call("DELETE", f"/api/v1/tokener/{ny['id']}", admin)[0] == 204
    refused = [server.call("GET", "/api/v1/dokumenter", ny["token"])[0] for _ in range(20)]
    assert refused == [401] * 20
    assert set(_pids_answering(server, "/api/v1/dokumenter", 401)) == set(_web_processes(server))


def _login(server: Server, brukernavn: str, passord: str) -> tuple[int, str]:
    """Log in as a browser would, the form's GET and its POST each on a new connection
    (so the kernel may hand them to different web processes); return status and Location."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", "/logg-inn")
    r = conn.getresponse()
    side = r.read().decode()
    cookie = (r.getheader("Set-Cookie") or "").split(";", 1)[0]
    conn.close()
    match = re.search(r'name="csrf_token" value="([^"]+)"', side)
    assert match, side[-500:]
    assert cookie
    form = urllib.parse.urlencode(
        {"csrf_token": match.group(1), "brukernavn": brukernavn, "passord": passord}
    )
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", "/logg-inn", body=form, headers=headers)
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status, r.getheader("Location") or ""


@pytest.mark.parametrize("server", [4], indirect=True, ids=["4 webprosesser"])
def test_a_fresh_instance_with_four_web_processes_logs_everyone_in(server: Server) -> None:
    """Four web processes that start together on a fresh instance share one instance
    secret: a login form fetched from one and posted to another is accepted every time
    (each used to make its own secret at the same moment; the last file written won on
    disk while each process kept its own, and most logins failed as 'Skjemaet er utløpt')."""
    web = _web_processes(server)
    assert len(web) == 4, _descendants(server.proc.pid)
    brukere = ["veileder", "regnskap", "leser", "admin"]
    brukere += [f"amb-{b}" for b in brukere]  # the demo's arbeidsmarkedsbedrift
    svar = [_login(server, b, f"demo-{b}-passord") for b in brukere * 2]
    assert [s for s, _ in svar] == [302] * 16, svar
    assert all(not loc.endswith("/logg-inn") for _, loc in svar), svar
    hemmelig = (server.folder / "instans" / "hemmelig_nokkel").read_text()
    assert re.fullmatch(r"[0-9a-f]{64}", hemmelig)
    assert [p.name for p in (server.folder / "instans").glob(".hemmelig_nokkel.*")] == []
    served = set(_pids_answering(server, "/logg-inn", 200))
    assert len(served) >= 2, "the login forms never came from more than one web process"
