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
from dokgen.runtime.tjener import Channel, JobPoolClient, StopSignalError, stop_on_signal
from dokgen.settings import Settings
from dokgen.web.admission import AdmissionControl
from dokgen.web.app import create_app
from dokgen.web.logs import AccessLog, configure

log = logging.getLogger(__name__)


def waitress_server(app: Any, concurrency: int, threads: int, **listen: Any) -> Any:
    """Return waitress serving ``app`` behind the access log and admission control;
    ``listen`` says where (``host``/``port`` or ``sockets``)."""
    return waitress.create_server(
        AccessLog(AdmissionControl(app, concurrency)), threads=threads, **listen
    )


def serve_until_stopped(server: Any) -> None:
    """Serve until SIGTERM or SIGINT (see :func:`stop_on_signal`), then close."""
    try:
        server.run()
    except StopSignalError:
        log.info("stopper")
    finally:
        server.close()


def serve_web(listen_fd: int, channel_fd: int, threads: int) -> None:
    """Run one web process: the app under waitress on the inherited socket."""
    configure(os.environ.get("DOKGEN_LOGGNIVA", "INFO"))
    stop_on_signal()
    sock = socket.socket(fileno=listen_fd)
    client = JobPoolClient(Channel(Connection(channel_fd)))
    settings = Settings.from_env()
    deps = make_deps(settings, jobs=client, migrate=False)
    try:
        app = create_app(settings, deps=deps, resume=False)
        deps.token_cache.broadcast = client.forget_token
        client.listen(lambda h: deps.token_cache.forget(h, relay=False))
        serve_until_stopped(waitress_server(app, settings.samtidige, threads, sockets=[sock]))
    except StopSignalError:  # stopped while starting
        pass
    finally:
        close = getattr(deps.converter, "close", None)
        if close is not None:
            close()
        client.close()


def main() -> None:
    """Entry point of a web process (started by the main process only)."""
    parser = argparse.ArgumentParser(prog="dokgen-web")
    parser.add_argument("--lytter-fd", dest="listen_fd", type=int, required=True)
    parser.add_argument("--kanal-fd", dest="channel_fd", type=int, required=True)
    parser.add_argument("--tråder", dest="threads", type=int, default=16)
    args = parser.parse_args()
    with contextlib.suppress(StopSignalError):  # stopped while starting
        serve_web(args.listen_fd, args.channel_fd, args.threads)


if __name__ == "__main__":
    main()
