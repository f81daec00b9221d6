"""Hand an SBDH envelope to the access point: a file drop (``katalog``) or its HTTP API.

dokgen never speaks AS4 itself. Both transports are idempotent per ``idempotency_key``: the
same key twice never produces a second invoice at the access point.

The HTTP transport uses the standard library's ``http.client`` rather than urllib or an HTTP
library: a POST must never follow a redirect (urllib turns a redirected POST into a body-less
GET), must not pick up proxy settings from the environment with a bearer token on board,
and needs nothing beyond one request per attempt — so no new dependency is worth it.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import os
import re
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from ehf.errors import TransportConfigInvalidError, TransportFailedError

log = logging.getLogger(__name__)

SENDT = "sendt"
DUPLIKAT = "duplikat"
# What an outbox drop is: the file waits for the access point to fetch it; nothing has left.
UTBOKS_TEKST = "Lagt i utboks – ikke sendt"
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_TOKEN = re.compile(r"[\x21-\x7e]+")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# 408 and 429 are client-side codes, but they mean "try again later", not "your request is
# wrong"; every other 4xx fails at once.
_RETRY_STATUS = frozenset({408, 429})
_MAX_RETRY_AFTER = 60.0
# What of an answer reaches the user is the status line only: the code and a short reason
# phrase. The body may come from any server an organisation pointed us at, so it is logged
# for the operator (bounded) and never shown.
_PHRASE_CHARS = 40
_PHRASE = re.compile(r"[^A-Za-z0-9 .,'()/-]")
_LOG_CHARS = 300


@dataclass(frozen=True)
class Sendekvittering:
    """The receipt of one send: who took it, under which id, and how many attempts it took.

    ``instans_id`` is the envelope's SBDH InstanceIdentifier, the id a Message Level Status
    refers to; :func:`ehf.service.send` fills it in (a transport only sees bytes).
    """

    transport: str
    melding_id: str
    status: str  # "sendt" | "duplikat"
    detalj: str
    forsok: int
    instans_id: str = ""


class Transport(Protocol):
    """Anything that delivers an SBDH envelope to an access point."""

    navn: str

    def send(self, sbd: bytes, *, idempotency_key: str) -> Sendekvittering:
        """Deliver ``sbd`` once per ``idempotency_key``."""
        ...


def _check_key(idempotency_key: str) -> str:
    # The key becomes a file name and a header value: keep it to a safe alphabet.
    if not _KEY.fullmatch(idempotency_key):
        raise TransportConfigInvalidError(
            "idempotensnøkkelen kan bare inneholde A–Z, a–z, 0–9, punktum, bindestrek og "
            "understrek (maks 128 tegn)"
        )
    return idempotency_key


class KatalogTransport:
    """Write each envelope atomically into an outbox folder the access point picks up from.

    A resend is recognised by its file still being in the outbox; once the access point has
    taken a file away, idempotency is up to the access point (as with ``http``).
    """

    navn = "katalog"

    def __init__(self, utboks: Path) -> None:
        """Use ``utboks`` (created if missing) as the outbox folder."""
        self.utboks = Path(utboks)

    def send(self, sbd: bytes, *, idempotency_key: str) -> Sendekvittering:
        """Write ``sbd`` as ``<idempotency_key>.xml`` unless that file already exists.

        Args:
            sbd: the SBDH envelope bytes.
            idempotency_key: the file name stem; the same key again writes nothing.

        Returns:
            A receipt with status ``"sendt"`` or ``"duplikat"`` (handed over to the outbox);
            ``detalj`` is :data:`UTBOKS_TEKST`, never the file's path (it is shown to users).

        Raises:
            TransportConfigInvalidError: the key has characters unsafe in a file name.
            TransportFailedError: the outbox could not be written.
        """
        target = self.utboks / f"{_check_key(idempotency_key)}.xml"
        if target.exists():
            return Sendekvittering(self.navn, idempotency_key, DUPLIKAT, UTBOKS_TEKST, 1)
        try:
            self.utboks.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, sbd)
        except OSError as exc:
            raise TransportFailedError(f"kunne ikke skrive til utboksen: {exc.strerror}") from exc
        log.info("envelope written to the outbox as %s", target.name)
        return Sendekvittering(self.navn, idempotency_key, SENDT, UTBOKS_TEKST, 1)


def _write_atomically(target: Path, data: bytes) -> None:
    # A hidden .tmp name in the same folder: the access point only picks up *.xml, and
    # os.replace within one file system is atomic, so it never sees half a file.
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    # Persist the rename itself; not every platform lets a directory be opened for this.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        log.debug("fsync of the outbox folder is not supported here")
    finally:
        os.close(fd)


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    body: bytes
    retry_after: str | None


class _AddressRefusedError(Exception):
    """The access point's host is not a public address (``public_only``)."""


class _RetryableError(Exception):
    """One attempt failed in a way worth another try."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class HttpTransport:
    """POST envelopes to an access point's API with a bearer token, retrying with backoff."""

    navn = "http"

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 10,
        retries: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[int, str, float], None] | None = None,
        public_only: bool = False,
    ) -> None:
        """Configure the endpoint; plain ``http`` is refused except on the loopback address.

        Args:
            url: the access point's send endpoint (``https://…``).
            token: the bearer token (never logged).
            timeout: seconds for connecting and for each read.
            retries: extra attempts after the first (so at most ``retries + 1`` attempts).
            backoff: the first pause; pause *n* is ``backoff * 2**(n-1)`` seconds.
            sleep: the pause function (tests pass a recorder).
            on_retry: told ``(attempt, reason, pause)`` of every failed attempt that will be
                retried, before the pause — so each attempt's own reason can be recorded.
            public_only: refuse to send to a loopback, private, link-local or otherwise
                non-public address, checked on the connected socket (so a DNS answer that
                changes between a check and the connection cannot get round it) before a
                byte of the request, token included, is written.

        Raises:
            TransportConfigInvalidError: bad URL scheme or host, empty or unsafe token,
                negative retries, or a non-positive timeout.
        """
        self._parts = _check_url(url)
        if not _TOKEN.fullmatch(token):
            raise TransportConfigInvalidError("tokenet for aksesspunktet mangler eller er ugyldig")
        if retries < 0 or timeout <= 0 or backoff < 0:
            raise TransportConfigInvalidError("retries, timeout og backoff må være positive")
        self.url = url
        self._token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._on_retry = on_retry
        self._public_only = public_only

    def __repr__(self) -> str:
        return f"HttpTransport(url={self.url!r})"  # keeps the token out of logs and tracebacks

    def send(self, sbd: bytes, *, idempotency_key: str) -> Sendekvittering:
        """POST ``sbd`` with an ``Idempotency-Key`` header, retrying transient failures.

        A 2xx answer is ``"sendt"``; 409 means the access point already has this key and is
        ``"duplikat"``. 5xx, 408, 429, timeouts and connection errors are retried with the
        same key after ``backoff * 2**(n-1)`` seconds (or the server's ``Retry-After``, if
        longer, capped at a minute).

        Args:
            sbd: the SBDH envelope bytes.
            idempotency_key: sent unchanged on every attempt.

        Returns:
            The receipt; ``melding_id`` is the access point's ``id``/``messageId`` from a JSON
            answer, else the idempotency key.

        Raises:
            TransportConfigInvalidError: the key has characters unsafe in a header.
            TransportFailedError: a 4xx refusal, an untrusted TLS certificate or a refused
                address (at once), or the last retry failed; carries the status line (never
                the answer's body) and the number of attempts.
        """
        key = _check_key(idempotency_key)
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                answer = self._post(sbd, key)
                return self._receipt(answer, key, attempt)
            except ssl.SSLCertVerificationError as exc:
                # A certificate we cannot trust will not become trustworthy on a retry.
                reason = (
                    f"aksesspunktets TLS-sertifikat kunne ikke verifiseres: {exc.verify_message}"
                )
                raise TransportFailedError(reason, attempts=attempt) from None
            except _AddressRefusedError as exc:
                raise TransportFailedError(str(exc), attempts=attempt) from None
            except _RetryableError as failure:
                log.info("access point attempt %d/%d failed: %s", attempt, attempts, failure)
                if attempt == attempts:
                    raise TransportFailedError(failure.reason, attempts=attempt) from None
                pause = self._pause(attempt, failure.retry_after)
                if self._on_retry is not None:
                    self._on_retry(attempt, failure.reason, pause)
                self._sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, retry_after: float | None) -> float:
        pause = self.backoff * 2 ** (attempt - 1)
        if retry_after is not None:
            pause = max(pause, min(retry_after, _MAX_RETRY_AFTER))
        return pause

    def _post(self, sbd: bytes, key: str) -> _Answer:
        scheme, host, port, path = self._parts
        conn_type = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = conn_type(host, port, timeout=self.timeout)
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Idempotency-Key": key,
            "Content-Type": "application/xml",
            "Accept": "application/json, application/xml;q=0.9, */*;q=0.1",
        }
        try:
            conn.connect()
            if self._public_only:
                _check_peer(conn)
            conn.request("POST", path, body=sbd, headers=headers)
            response = conn.getresponse()
            body = response.read(64 * 1024)
            return _Answer(
                response.status, response.reason, body, response.getheader("Retry-After")
            )
        except (ssl.SSLCertVerificationError, _AddressRefusedError):
            raise
        except TimeoutError:
            raise _RetryableError(f"aksesspunktet svarte ikke innen {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _RetryableError(
                f"ingen forbindelse med aksesspunktet ({_failure(exc)})"
            ) from None
        finally:
            conn.close()

    def _receipt(self, answer: _Answer, key: str, attempt: int) -> Sendekvittering:
        detail = _server_reason(answer)
        if 200 <= answer.status < 300:
            return Sendekvittering(self.navn, _message_id(answer.body, key), SENDT, detail, attempt)
        if answer.status == 409:
            return Sendekvittering(self.navn, key, DUPLIKAT, detail, attempt)
        if answer.status >= 500 or answer.status in _RETRY_STATUS:
            raise _RetryableError(detail, _retry_after(answer.retry_after))
        raise TransportFailedError(
            f"aksesspunktet avviste forsendelsen: {detail}", attempts=attempt
        )


def _check_url(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise TransportConfigInvalidError("aksesspunktets URL må være https://…")
    if parts.scheme == "http" and host not in _LOOPBACK:
        # A bearer token must not cross the network in clear text.
        raise TransportConfigInvalidError("aksesspunktets URL må bruke https")
    if parts.username or parts.password:
        raise TransportConfigInvalidError("aksesspunktets URL skal ikke inneholde brukernavn")
    path = parts.path or "/"
    return parts.scheme, host, parts.port, f"{path}?{parts.query}" if parts.query else path


def _check_peer(conn: http.client.HTTPConnection) -> None:
    """Refuse a connection whose peer is not a public address (see ``public_only``)."""
    address = ipaddress.ip_address(conn.sock.getpeername()[0].split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_global:
        raise _AddressRefusedError(
            "aksesspunktets adresse peker til et internt nett; bruk en offentlig adresse"
        )


def _failure(exc: Exception) -> str:
    # An HTTPException's text can be a line the server sent; the OS's own text cannot.
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return "ugyldig svar" if isinstance(exc, http.client.HTTPException) else type(exc).__name__


def _server_reason(answer: _Answer) -> str:
    """Return the status line only: ``HTTP <code> <phrase>``, the phrase cleaned and short."""
    phrase = " ".join(_PHRASE.sub(" ", answer.reason or "").split())[:_PHRASE_CHARS].strip()
    if answer.body:
        text = " ".join(answer.body[:_LOG_CHARS].decode("utf-8", errors="replace").split())
        log.warning("access point answered HTTP %d: %r", answer.status, text)
    return f"HTTP {answer.status}" + (f" {phrase}" if phrase else "")


def _message_id(body: bytes, key: str) -> str:
    # Shown to the user as the message id: only an id-shaped value, else our own key.
    found = _json_field(body, "id", "messageId", "message_id")
    return found if found is not None and _KEY.fullmatch(found) else key


def _json_object(body: bytes) -> dict[str, object] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _json_field(body: bytes, *names: str) -> str | None:
    data = _json_object(body) or {}
    for name in names:
        value = data.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value)
    return None


def _retry_after(value: str | None) -> float | None:
    # Only the delay-seconds form; an HTTP-date falls back to our own backoff.
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def get_transport(
    navn: str,
    *,
    utboks: Path | None = None,
    url: str | None = None,
    token: str | None = None,
) -> Transport:
    """Return the transport called ``navn`` (``katalog`` or ``http``).

    Args:
        navn: ``"katalog"`` (needs ``utboks``) or ``"http"`` (needs ``url`` and ``token``).
        utboks: the outbox folder for ``katalog``.
        url: the access point's send endpoint for ``http``.
        token: the bearer token for ``http``.

    Returns:
        A ready transport.

    Raises:
        TransportConfigInvalidError: unknown name or a missing/unsafe setting.
    """
    if navn == KatalogTransport.navn:
        if utboks is None:
            raise TransportConfigInvalidError("transport katalog trenger en utboks-mappe")
        return KatalogTransport(utboks)
    if navn == HttpTransport.navn:
        if not url or not token:
            raise TransportConfigInvalidError("transport http trenger URL og token")
        return HttpTransport(url, token)
    raise TransportConfigInvalidError(f"ukjent transport {navn!r}: bruk katalog eller http")
