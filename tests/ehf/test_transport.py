"""Transports: the outbox folder and the access point's HTTP API (a local test server).

The HTTP tests talk only to a server this module starts on 127.0.0.1 with a random port.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ehf.errors import TransportConfigInvalidError, TransportFailedError
from ehf.sbdh import unwrap, wrap
from ehf.transport import HttpTransport, KatalogTransport, Sendekvittering, get_transport
from tests.conftest import FIXTURES, require_command

SBD = (FIXTURES / "transport/mls-re-i-sbdh.xml").read_bytes()
TOKEN = "test-token-7f3a"  # noqa: S105 — a dummy for the local test server
KEY = "faktura-2026-0001"


@dataclass
class Received:
    """One request as the test server saw it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class AccessPoint:
    """A scripted fake access point: answers are popped in order, the last one repeats."""

    answers: list[tuple[int, bytes, dict[str, str]] | str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    phrase: str | None = None  # the status line's reason phrase; None: the standard one

    def next_answer(self) -> tuple[int, bytes, dict[str, str]] | str:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _handler(ap: AccessPoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            ap.received.append(Received(self.path, dict(self.headers.items()), body))
            answer = ap.next_answer()
            if answer == "hang":
                ap.release.wait(10)  # longer than any client timeout used below
                self.close_connection = True
                return
            assert not isinstance(answer, str)
            status, payload, headers = answer
            self.send_response(status, ap.phrase)
            for name, value in {"Content-Length": str(len(payload)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return Handler


@pytest.fixture
def access_point() -> Iterator[AccessPoint]:
    """Start a fake access point on 127.0.0.1 (random port) for one test."""
    ap = AccessPoint()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ap))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    ap.url = f"http://127.0.0.1:{server.server_address[1]}/api/v1/send?format=sbd"
    try:
        yield ap
    finally:
        ap.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def _json(data: dict[str, str]) -> bytes:
    return json.dumps(data).encode()


class Pauses(list[float]):
    """A recording stand-in for time.sleep."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _transport(ap: AccessPoint, pauses: Pauses, **kwargs: float) -> HttpTransport:
    return HttpTransport(ap.url, TOKEN, sleep=pauses, **kwargs)  # type: ignore[arg-type]


# --- http ---------------------------------------------------------------------------------


def test_http_200_posts_the_envelope_with_token_and_key(access_point: AccessPoint) -> None:
    """A 200 is 'sendt'; the server got our exact bytes, bearer token and idempotency key."""
    access_point.answers = [(200, _json({"id": "ap-msg-42"}), {"Content-Type": "application/json"})]
    pauses = Pauses()
    receipt = _transport(access_point, pauses).send(SBD, idempotency_key=KEY)
    assert receipt == Sendekvittering(
        transport="http", melding_id="ap-msg-42", status="sendt", detalj="HTTP 200 OK", forsok=1
    )
    [request] = access_point.received
    assert request.path == "/api/v1/send?format=sbd"
    assert request.body == SBD
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Idempotency-Key"] == KEY
    assert request.headers["Content-Type"] == "application/xml"
    assert pauses == []


def test_http_202_without_json_uses_the_key_as_message_id(access_point: AccessPoint) -> None:
    """An access point that answers plain text still yields a receipt under our key."""
    access_point.answers = [(202, b"queued", {"Content-Type": "text/plain"})]
    receipt = _transport(access_point, Pauses()).send(SBD, idempotency_key=KEY)
    assert (receipt.status, receipt.melding_id, receipt.detalj) == (
        "sendt",
        KEY,
        "HTTP 202 Accepted",
    )


def test_http_409_is_a_duplicate_not_an_error(access_point: AccessPoint) -> None:
    """409 means the access point already has this key: 'duplikat', no retry, no error."""
    access_point.answers = [(409, _json({"detail": "already received"}), {})]
    pauses = Pauses()
    receipt = _transport(access_point, pauses).send(SBD, idempotency_key=KEY)
    assert (receipt.status, receipt.forsok, receipt.melding_id) == ("duplikat", 1, KEY)
    assert receipt.detalj == "HTTP 409 Conflict"
    assert len(access_point.received) == 1
    assert pauses == []


def test_http_500_then_200_retries_with_the_same_key(access_point: AccessPoint) -> None:
    """Two 5xx answers are retried after 0.5 s and 1 s, resending identical bytes and key."""
    access_point.answers = [
        (500, b"database down", {}),
        (503, b"maintenance", {}),
        (200, _json({"messageId": "ap-7"}), {}),
    ]
    pauses = Pauses()
    receipt = _transport(access_point, pauses).send(SBD, idempotency_key=KEY)
    assert (receipt.status, receipt.forsok, receipt.melding_id) == ("sendt", 3, "ap-7")
    assert pauses == [0.5, 1.0]
    assert [r.headers["Idempotency-Key"] for r in access_point.received] == [KEY, KEY, KEY]
    assert all(r.body == SBD for r in access_point.received)


def test_http_gives_up_after_the_last_retry(access_point: AccessPoint) -> None:
    """A server that keeps failing: retries + 1 attempts, exponential pauses, status kept."""
    access_point.answers = [(502, b"upstream AS4 gateway unavailable", {})]
    pauses = Pauses()
    transport = _transport(access_point, pauses, retries=3, backoff=0.25)
    with pytest.raises(TransportFailedError) as caught:
        transport.send(SBD, idempotency_key=KEY)
    assert caught.value.attempts == 4
    assert caught.value.reason == "HTTP 502 Bad Gateway"
    assert pauses == [0.25, 0.5, 1.0]
    assert len(access_point.received) == 4


def test_http_tells_each_failed_attempt_with_its_own_reason(access_point: AccessPoint) -> None:
    """Every attempt that will be retried is reported with its own reason and pause before
    the pause; the last one's reason is the error's."""
    access_point.answers = [
        (503, b"maintenance", {}),
        (500, b"database locked", {}),
        (502, b"gateway down", {}),
    ]
    told: list[tuple[int, str, float]] = []
    pauses = Pauses()
    transport = HttpTransport(
        access_point.url,
        TOKEN,
        retries=2,
        backoff=0.25,
        sleep=pauses,
        on_retry=lambda n, reason, pause: told.append((n, reason, pause)),
    )
    with pytest.raises(TransportFailedError) as caught:
        transport.send(SBD, idempotency_key=KEY)
    assert told == [
        (1, "HTTP 503 Service Unavailable", 0.25),
        (2, "HTTP 500 Internal Server Error", 0.5),
    ]
    assert caught.value.reason == "HTTP 502 Bad Gateway"
    assert pauses == [0.25, 0.5]


def test_http_4xx_fails_at_once_with_the_status_line(access_point: AccessPoint) -> None:
    """A 400 is our fault: no retry; the error has the status line, the body is only logged."""
    problem = _json({"title": "Bad Request", "detail": "Receiver 0192:987654325 not in SMP"})
    access_point.answers = [(400, problem, {"Content-Type": "application/problem+json"})]
    pauses = Pauses()
    with pytest.raises(TransportFailedError) as caught:
        _transport(access_point, pauses).send(SBD, idempotency_key=KEY)
    assert caught.value.attempts == 1
    assert caught.value.reason == "aksesspunktet avviste forsendelsen: HTTP 400 Bad Request"
    assert pauses == []
    assert len(access_point.received) == 1


def test_http_401_is_not_retried(access_point: AccessPoint) -> None:
    """A wrong token will not get better by retrying."""
    access_point.answers = [(401, b"invalid token", {})]
    with pytest.raises(TransportFailedError, match=r"HTTP 401 Unauthorized$"):
        _transport(access_point, Pauses()).send(SBD, idempotency_key=KEY)
    assert len(access_point.received) == 1


def test_http_never_passes_on_the_body_or_a_dirty_phrase(access_point: AccessPoint) -> None:
    """What an internal service answers stays out of the reason and the receipt: the body
    (text or JSON detail) is dropped, the reason phrase loses control and markup characters
    and is cut to 40, and a message id that is not id-shaped is replaced by our key."""
    secret = b'{"detail": "root:x:0:0:root:/root:/bin/bash", "id": "a b <script>"}'
    access_point.phrase = "Forbidden\x1b[31m <b>" + "x" * 100
    access_point.answers = [(403, secret, {"Content-Type": "application/json"})]
    with pytest.raises(TransportFailedError) as caught:
        _transport(access_point, Pauses()).send(SBD, idempotency_key=KEY)
    assert (
        caught.value.reason
        == "aksesspunktet avviste forsendelsen: HTTP 403 "
        + ("Forbidden 31m b " + "x" * 100)[:40].strip()
    )
    access_point.phrase = None
    access_point.answers = [(200, secret, {"Content-Type": "application/json"})]
    receipt = _transport(access_point, Pauses()).send(SBD, idempotency_key=KEY)
    assert (receipt.detalj, receipt.melding_id) == ("HTTP 200 OK", KEY)


def test_http_public_only_sends_nothing_to_a_loopback_address(access_point: AccessPoint) -> None:
    """With ``public_only`` the connected peer is checked before the request is written: a
    server on 127.0.0.1 gets no request (so never the token), at once, without retries."""
    access_point.answers = [(200, b"{}", {})]
    pauses = Pauses()
    transport = HttpTransport(access_point.url, TOKEN, sleep=pauses, public_only=True)
    with pytest.raises(TransportFailedError, match="internt nett") as caught:
        transport.send(SBD, idempotency_key=KEY)
    assert (caught.value.attempts, pauses, access_point.received) == (1, [], [])


def test_http_429_waits_as_long_as_the_server_asks(access_point: AccessPoint) -> None:
    """Rate limiting is retried, pausing Retry-After seconds when longer than our backoff."""
    access_point.answers = [(429, b"slow down", {"Retry-After": "3"}), (200, b"", {})]
    pauses = Pauses()
    receipt = _transport(access_point, pauses).send(SBD, idempotency_key=KEY)
    assert (receipt.status, receipt.forsok) == ("sendt", 2)
    assert pauses == [3.0]


def test_http_timeout_is_retried(access_point: AccessPoint) -> None:
    """A server that hangs past the timeout counts as a failed attempt and is retried."""
    access_point.answers = ["hang", (201, _json({"id": "ap-9"}), {})]
    pauses = Pauses()
    receipt = _transport(access_point, pauses, timeout=0.3).send(SBD, idempotency_key=KEY)
    assert (receipt.status, receipt.forsok, receipt.melding_id) == ("sendt", 2, "ap-9")
    assert pauses == [0.5]
    assert [r.headers["Idempotency-Key"] for r in access_point.received] == [KEY, KEY]


def test_http_timeout_on_every_attempt_fails(access_point: AccessPoint) -> None:
    """When every attempt times out, the error says so and counts the attempts."""
    access_point.answers = ["hang"]
    pauses = Pauses()
    transport = _transport(access_point, pauses, timeout=0.2, retries=1)
    with pytest.raises(TransportFailedError, match=r"svarte ikke innen 0\.2 s") as caught:
        transport.send(SBD, idempotency_key=KEY)
    assert caught.value.attempts == 2
    assert pauses == [0.5]


def test_http_connection_refused_is_retried_then_fails() -> None:
    """Nobody listening on the port: connection errors are retried, then reported."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pauses = Pauses()
    transport = HttpTransport(f"http://127.0.0.1:{port}/send", TOKEN, retries=2, sleep=pauses)
    with pytest.raises(TransportFailedError, match="ingen forbindelse") as caught:
        transport.send(SBD, idempotency_key=KEY)
    assert caught.value.attempts == 3
    assert pauses == [0.5, 1.0]


class _QuietTlsServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """The failed handshake is the point of the test; don't print it."""


@pytest.mark.integration
def test_https_with_an_untrusted_certificate_fails_at_once(tmp_path: Path) -> None:
    """TLS is verified: a self-signed certificate is refused on the first attempt."""
    require_command("openssl")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    ap = AccessPoint(answers=[(200, b"", {})])
    server = _QuietTlsServer(("127.0.0.1", 0), _handler(ap))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    # Handshake in the handler thread, so a refused handshake is cleaned up by socketserver.
    server.socket = context.wrap_socket(
        server.socket, server_side=True, do_handshake_on_connect=False
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    pauses = Pauses()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/send"
        with pytest.raises(TransportFailedError, match="TLS-sertifikat") as caught:
            HttpTransport(url, TOKEN, sleep=pauses).send(SBD, idempotency_key=KEY)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert caught.value.attempts == 1
    assert pauses == []
    assert ap.received == []


@pytest.mark.parametrize(
    ("url", "token", "message"),
    [
        ("http://ap.example.no/send", TOKEN, "https"),
        ("ftp://127.0.0.1/send", TOKEN, "https://"),
        ("https://user:pw@ap.example.no/send", TOKEN, "brukernavn"),
        ("https://ap.example.no/send", "", "tokenet"),
        ("https://ap.example.no/send", "abc\r\nX-Evil: 1", "tokenet"),
    ],
)
def test_http_refuses_unsafe_settings(url: str, token: str, message: str) -> None:
    """A token never travels in clear text off this machine, nor with a header injection."""
    with pytest.raises(TransportConfigInvalidError, match=message):
        HttpTransport(url, token)


def test_http_repr_hides_the_token() -> None:
    """The token stays out of reprs (and so out of logs and tracebacks)."""
    transport = HttpTransport("https://ap.example.no/send", TOKEN)
    assert TOKEN not in repr(transport)
    assert "ap.example.no" in repr(transport)


def test_http_refuses_an_unsafe_key(access_point: AccessPoint) -> None:
    """A key that could inject a header is refused before anything is sent."""
    access_point.answers = [(200, b"", {})]
    with pytest.raises(TransportConfigInvalidError, match="idempotensnøkkelen"):
        _transport(access_point, Pauses()).send(SBD, idempotency_key="a\r\nX-Evil: 1")
    assert access_point.received == []


# --- katalog ------------------------------------------------------------------------------


def test_katalog_writes_the_envelope_atomically(tmp_path: Path) -> None:
    """The outbox gets exactly <key>.xml with our bytes, and no temp file is left behind."""
    utboks = tmp_path / "utboks"
    receipt = KatalogTransport(utboks).send(SBD, idempotency_key=KEY)
    target = utboks / f"{KEY}.xml"
    assert receipt == Sendekvittering("katalog", KEY, "sendt", "Lagt i utboks – ikke sendt", 1)
    assert target.read_bytes() == SBD
    assert sorted(os.listdir(utboks)) == [f"{KEY}.xml"]


def test_katalog_same_key_twice_writes_nothing_new(tmp_path: Path) -> None:
    """A resend with the same key is a duplicate: the first file stays as it was."""
    transport = KatalogTransport(tmp_path)
    transport.send(SBD, idempotency_key=KEY)
    receipt = transport.send(b"<other/>", idempotency_key=KEY)
    assert (receipt.status, receipt.melding_id) == ("duplikat", KEY)
    assert (tmp_path / f"{KEY}.xml").read_bytes() == SBD
    assert sorted(os.listdir(tmp_path)) == [f"{KEY}.xml"]
    other = transport.send(SBD, idempotency_key="faktura-2026-0002")
    assert other.status == "sendt"
    assert sorted(os.listdir(tmp_path)) == [f"{KEY}.xml", "faktura-2026-0002.xml"]


@pytest.mark.parametrize("key", ["../utenfor", "a/b", ".skjult", "", "x" * 129, "æøå"])
def test_katalog_refuses_keys_unsafe_as_file_names(tmp_path: Path, key: str) -> None:
    """The key becomes a file name: no path separators, dot files or odd characters."""
    utboks = tmp_path / "utboks"
    with pytest.raises(TransportConfigInvalidError):
        KatalogTransport(utboks).send(SBD, idempotency_key=key)
    assert list(tmp_path.rglob("*")) == []


def test_katalog_failed_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the final rename fails, the temp file is removed and the error is reported."""

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ehf.transport.os.replace", broken_replace)
    with pytest.raises(TransportFailedError, match="No space left on device"):
        KatalogTransport(tmp_path).send(SBD, idempotency_key=KEY)
    assert os.listdir(tmp_path) == []


def test_katalog_round_trip_of_a_wrapped_invoice(peppol_dir: Path, tmp_path: Path) -> None:
    """An enveloped invoice written to the outbox unwraps to the same header and payload."""
    invoice = peppol_dir / "bis-billing-3.0.19/national-examples/NO/Norwegian-example-1.xml"
    sbd = wrap(invoice.read_bytes(), sender="0192:123456785", receiver="0192:987654325")
    header, _ = unwrap(sbd)
    receipt = get_transport("katalog", utboks=tmp_path).send(sbd, idempotency_key="TOSL108")
    written = (tmp_path / f"{receipt.melding_id}.xml").read_bytes()
    assert written == sbd
    assert unwrap(written)[0]["instance_id"] == header["instance_id"]


# --- get_transport ------------------------------------------------------------------------


def test_get_transport_builds_each_kind(tmp_path: Path) -> None:
    """Both names give their transport, configured from the arguments."""
    katalog = get_transport("katalog", utboks=tmp_path)
    http = get_transport("http", url="https://ap.example.no/send", token=TOKEN)
    assert isinstance(katalog, KatalogTransport)
    assert katalog.utboks == tmp_path
    assert isinstance(http, HttpTransport)
    assert http.url == "https://ap.example.no/send"


@pytest.mark.parametrize(
    ("navn", "kwargs", "message"),
    [
        ("katalog", {}, "utboks"),
        ("http", {"url": "https://ap.example.no/send"}, "URL og token"),
        ("as4", {}, "ukjent transport 'as4'"),
    ],
)
def test_get_transport_refuses_missing_settings(
    navn: str, kwargs: dict[str, str], message: str
) -> None:
    """A transport without its settings, or an unknown one, is a configuration error."""
    with pytest.raises(TransportConfigInvalidError, match=message):
        get_transport(navn, **kwargs)  # type: ignore[arg-type]
