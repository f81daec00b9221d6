"""``dokgen maned avslutt``: the month's close from the command line, as the operator (an
admin of the organisation named by ``--org``), through the service function the API calls.

Exit codes: 0 when the claims were made (and their invoices or packages are ready), 2 when a
check refused the close (nothing was made) or the input was wrong, 1 on failure. No line
carries a fødselsnummer.
"""

from __future__ import annotations

import json

import click

from dokgen.cli.tilgang import _deps, _operator
from dokgen.deps import Deps
from dokgen.documents.context import belop
from dokgen.errors import EXIT_FEIL, EXIT_INNDATA
from dokgen.services import manedsavslutning as service

VENT_SEKUNDER = 600.0  # how long the command waits for the invoices and packages


@click.group()
def maned() -> None:
    """Månedsavslutning: én faktura eller ett NAV-krav per gjennomføring."""


def _tekst(avslutning: service.Avslutning) -> None:
    for f in avslutning.funn:
        click.echo(f"{f.niva.upper()}: {f.melding}")
    for g in avslutning.gjennomforinger:
        timer = str(g.timer).replace(".", ",")
        click.echo(f"{g.navn} (id {g.gjennomforing_id}): {g.art_tekst}, {timer} timer, "
                   f"{belop(g.belop)} kr (hele kroner: {g.belop_kroner})")  # fmt: skip
        for f in g.funn:
            click.echo(f"  {f.niva.upper()}: {f.melding}")
            for d in f.deltakere:
                click.echo(f"    {d.nr} {d.navn}" + (f": {d.detalj}" if d.detalj else ""))


def _statuslinjer(rader: list[service.Kravstatus]) -> None:
    for r in rader:
        hva = f"faktura {r.faktura_nummer}" if r.faktura_nummer else "refusjonskrav"
        click.echo(f"{r.gjennomforing}: {hva} – {r.tekst}" + (f" ({r.feil})" if r.feil else ""))


@maned.command("avslutt")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.option("--maned", "mnd", required=True, help="Måneden, ÅÅÅÅ-MM (f.eks. 2026-10).")
@click.option("--forhandsvis", is_flag=True, help="Bare kontrollene; ingenting lages.")
@click.option("--json", "som_json", is_flag=True, help="Skriv resultatet som JSON.")
def avslutt(orgnr: str, mnd: str, forhandsvis: bool, som_json: bool) -> None:
    """Avslutt en måned: kontroller timene og lag én faktura eller ett NAV-krav per
    gjennomføring."""
    deps = _deps()
    try:
        avslutning, rader = _kjor(deps, orgnr, mnd, forhandsvis)
    finally:  # the job pool and LibreOffice end with the command
        deps.jobs.close()
        close = getattr(deps.converter, "close", None)
        if close is not None:
            close()
    if som_json:
        data = avslutning.som_json() | ({"krav": [r.som_json() for r in rader]} if rader else {})
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _tekst(avslutning)
        _statuslinjer(rader)
    _avslutt(avslutning, rader, forhandsvis)


def _kjor(
    deps: Deps, orgnr: str, mnd: str, forhandsvis: bool
) -> tuple[service.Avslutning, list[service.Kravstatus]]:
    aktor = _operator(deps, orgnr)
    if forhandsvis:
        return service.forhandsvis(deps, aktor, mnd), []
    avslutning = service.avslutt(deps, aktor, mnd, bekreftet=True)
    if not avslutning.laget:
        return avslutning, []
    deps.jobs.wait_idle(VENT_SEKUNDER)  # the invoices and packages are made in this process
    return avslutning, service.status(deps, aktor, mnd)


def _avslutt(
    avslutning: service.Avslutning, rader: list[service.Kravstatus], forhandsvis: bool
) -> None:
    if avslutning.avvist:
        click.echo(f"Ingenting ble laget: kontrollene stanser avslutningen av {avslutning.ord}.",
                   err=True)  # fmt: skip
        raise click.exceptions.Exit(EXIT_INNDATA)
    if forhandsvis:
        click.echo(f"Kontrollene godtar {avslutning.ord}. Ingenting er laget ennå.", err=True)
        return
    if any(r.status != service.KLAR for r in rader):
        click.echo("Noen krav ble ikke ferdige: se statusen over.", err=True)
        raise click.exceptions.Exit(EXIT_FEIL)
    total = service.total(avslutning)
    click.echo(f"{avslutning.ord.capitalize()} er avsluttet: {len(rader)} krav, til sammen "
               f"{belop(total)} kr.", err=True)  # fmt: skip
