"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd): it keeps every message it is
handed, and a test waits for them with a deadline."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def ledig_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Postkasse:
    """The aiosmtpd handler: every message received, with its envelope's recipients."""

    def __init__(self) -> None:
        self.meldinger: list[tuple[list[str], EmailMessage]] = []
        self._endret = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        melding = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._endret:
            self.meldinger.append((list(envelope.rcpt_tos), melding))
            self._endret.notify_all()
        return "250 OK"

    def vent(self, antall: int, frist: float = 10.0) -> list[tuple[list[str], EmailMessage]]:
        """Return the messages once there are ``antall`` of them (fail after ``frist`` s)."""
        slutt = time.monotonic() + frist
        with self._endret:
            while len(self.meldinger) < antall:
                igjen = slutt - time.monotonic()
                assert igjen > 0, f"fikk {len(self.meldinger)} av {antall} e-poster"
                self._endret.wait(igjen)
            return list(self.meldinger)


class SmtpServer:
    """aiosmtpd on 127.0.0.1 on a free port, started and stopped by a fixture."""

    def __init__(self) -> None:
        self.postkasse = Postkasse()
        self.port = ledig_port()
        self._controller = Controller(self.postkasse, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
