"""``dokgen serve``: the web service under waitress, stopped cleanly by SIGTERM or Ctrl-C.

With ``DOKGEN_WEBPROSESSER`` above 1 (the default on a machine with more than one core)
this process is the main process of :mod:`dokgen.runtime.tjener` and the requests are answered by
that many web processes; with 1 it answers them itself.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import click

from dokgen.settings import Settings

if TYPE_CHECKING:
    from dokgen.deps import Deps
    from dokgen.runtime.jobs import JobPool

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse å lytte på.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port å lytte på.")
@click.option("--tråder", "threads", default=16, show_default=True, type=int, hidden=True)
@click.option("--demo", is_flag=True, help="Fyll en tom instans med demodata først.")
def serve(host: str, port: int, threads: int, demo: bool) -> None:
    """Kjør tjenesten (waitress) med instansen i DOKGEN_INSTANS."""
    from dokgen.runtime.jobs import JobPool
    from dokgen.web.logs import configure

    configure(os.environ.get("DOKGEN_LOGGNIVA", "INFO"))
    settings = Settings.from_env()
    deps = _apne(settings)
    kode = 0
    try:
        deps.sealer  # noqa: B018 - load the certificate now: production fails at start-up
        if demo:
            from dokgen.services.demo import seed

            seed(deps, echo=click.echo)
        if settings.webprosesser > 1 and isinstance(deps.jobs, JobPool):
            kode = _serve_main_process(deps, deps.jobs, host, port, threads)
        else:
            _serve_one_process(deps, host, port, threads)
    finally:
        deps.jobs.close()
        close = getattr(deps.converter, "close", None)
        if close is not None:
            close()
    if kode:
        raise SystemExit(kode)


def _apne(settings: Settings) -> Deps:
    """Open the instance, or stop with what is wrong when it cannot be written.

    Raises:
        SettingsInvalidError: the instance folder or its database cannot be written.
    """
    from sqlalchemy.exc import OperationalError

    from dokgen.bootstrap import make_deps
    from dokgen.errors import SettingsInvalidError
    from dokgen.runtime.tjener import require_writable

    try:
        require_writable(settings)
        return make_deps(settings)
    except SettingsInvalidError as exc:
        log.error("%s", exc)
        raise
    except OperationalError as exc:  # e.g. a database file the service may read but not write
        melding = f"databasen kan ikke åpnes eller skrives ({exc.orig}); sjekk DOKGEN_INSTANS"
        log.error("%s", melding)
        raise SettingsInvalidError(melding) from None


def _announce(address: str, settings: Settings, processes: int) -> None:
    log.info(
        "dokgen lytter på %s (instans %s, %d webprosess(er))", address, settings.instans, processes
    )
    click.echo(f"dokgen kjører på {address} – stopp med Ctrl-C", err=True)


def _serve_main_process(deps: Deps, jobs: JobPool, host: str, port: int, threads: int) -> int:
    from dokgen.bootstrap import resume
    from dokgen.runtime.tjener import (
        MainProcess,
        StopSignalError,
        listening_sockets,
        stop_on_signal,
    )

    socks = listening_sockets(host, port, deps.settings.webprosesser)
    try:
        main = MainProcess(deps, jobs, socks, threads)
        resume(deps)  # here, once: the web processes never resume work
        _announce(f"http://{host}:{socks[0].getsockname()[1]}/", deps.settings, len(socks))
        try:
            stop_on_signal()
            return main.run()
        except StopSignalError:
            return 0
    finally:
        for sock in socks:
            sock.close()


def _serve_one_process(deps: Deps, host: str, port: int, threads: int) -> None:
    from dokgen.runtime.tjener import stop_on_signal
    from dokgen.web.app import create_app
    from dokgen.web.tjener import serve_until_stopped, waitress_server

    app = create_app(deps.settings, deps=deps)
    server = waitress_server(app, deps.settings.samtidige, threads, host=host, port=port)
    stop_on_signal()
    _announce(f"http://{host}:{server.effective_port}/", deps.settings, 1)
    serve_until_stopped(server)
