"""``dokgen serve``: the web service under waitress, stopped cleanly by SIGTERM or Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType

import click

from dokgen.settings import Settings

log = logging.getLogger(__name__)


class _StopSignalError(Exception):
    """Raised by the signal handler to leave the server loop."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    del frame
    # Once is enough: a second signal must not interrupt the clean-up.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise _StopSignalError(signum)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse å lytte på.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port å lytte på.")
@click.option("--tråder", "threads", default=16, show_default=True, type=int, hidden=True)
@click.option("--demo", is_flag=True, help="Fyll en tom instans med demodata først.")
def serve(host: str, port: int, threads: int, demo: bool) -> None:
    """Kjør tjenesten (waitress) med instansen i DOKGEN_INSTANS."""
    import waitress

    from dokgen.app import create_app, make_deps
    from dokgen.web.logs import AccessLog, configure
    from dokgen.web.samtidighet import Samtidighet

    configure(os.environ.get("DOKGEN_LOGGNIVA", "INFO"))
    settings = Settings.from_env()
    deps = make_deps(settings)
    try:
        deps.sealer  # noqa: B018 - load the certificate now: production fails at start-up
        if demo:
            from dokgen.demo import seed

            seed(deps, echo=click.echo)
        app = create_app(settings, deps=deps)
        wsgi = AccessLog(Samtidighet(app, settings.samtidige))
        server = waitress.create_server(wsgi, host=host, port=port, threads=threads)
        signal.signal(signal.SIGTERM, _raise_stop)
        signal.signal(signal.SIGINT, _raise_stop)
        address = f"http://{host}:{server.effective_port}/"
        log.info("dokgen lytter på %s (instans %s)", address, settings.instans)
        click.echo(f"dokgen kjører på {address} – stopp med Ctrl-C", err=True)
        try:
            server.run()
        except _StopSignalError:
            log.info("stopper")
        finally:
            server.close()
    finally:
        deps.jobs.close()
        close = getattr(deps.converter, "close", None)
        if close is not None:
            close()
