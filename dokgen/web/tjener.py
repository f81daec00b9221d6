"""A web process of ``dokgen serve`` (``python -m dokgen.web.tjener``, started by the main
process of :mod:`dokgen.runtime.tjener` only), and waitress serving the app in any process."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
from multiprocessing.connection import Connection
from typing import Any

import waitress

from dokgen.bootstrap import make_deps
from dokgen.runtime.tjener import JobbKlient, Kanal, StopSignalError, stopp_ved_signal
from dokgen.settings import Settings
from dokgen.web.app import create_app
from dokgen.web.logs import AccessLog, configure
from dokgen.web.samtidighet import Samtidighet

log = logging.getLogger(__name__)


def waitress_server(app: Any, samtidige: int, traader: int, **lytt: Any) -> Any:
    """Return waitress serving ``app`` behind the access log and admission control;
    ``lytt`` says where (``host``/``port`` or ``sockets``)."""
    return waitress.create_server(AccessLog(Samtidighet(app, samtidige)), threads=traader, **lytt)


def kjor_til_stopp(server: Any) -> None:
    """Serve until SIGTERM or SIGINT (see :func:`stopp_ved_signal`), then close."""
    try:
        server.run()
    except StopSignalError:
        log.info("stopper")
    finally:
        server.close()


def serve_web(lytter_fd: int, kanal_fd: int, traader: int) -> None:
    """Run one web process: the app under waitress on the inherited socket."""
    configure(os.environ.get("DOKGEN_LOGGNIVA", "INFO"))
    stopp_ved_signal()
    sock = socket.socket(fileno=lytter_fd)
    klient = JobbKlient(Kanal(Connection(kanal_fd)))
    settings = Settings.from_env()
    deps = make_deps(settings, jobs=klient, migrer=False)
    try:
        app = create_app(settings, deps=deps, gjenoppta=False)
        deps.tokener.kringkast = klient.glem
        klient.lytt(lambda h: deps.tokener.glem(h, videre=False))
        kjor_til_stopp(waitress_server(app, settings.samtidige, traader, sockets=[sock]))
    except StopSignalError:  # stopped while starting
        pass
    finally:
        close = getattr(deps.converter, "close", None)
        if close is not None:
            close()
        klient.close()


def main() -> None:
    """Entry point of a web process (started by the main process only)."""
    parser = argparse.ArgumentParser(prog="dokgen-web")
    parser.add_argument("--lytter-fd", type=int, required=True)
    parser.add_argument("--kanal-fd", type=int, required=True)
    parser.add_argument("--tråder", dest="traader", type=int, default=16)
    args = parser.parse_args()
    with contextlib.suppress(StopSignalError):  # stopped while starting
        serve_web(args.lytter_fd, args.kanal_fd, args.traader)


if __name__ == "__main__":
    main()
