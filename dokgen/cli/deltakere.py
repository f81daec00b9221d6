"""``dokgen gjennomforing lag|liste``, ``dokgen deltaker import`` and ``dokgen frister``: the
deltaker register from the command line.

Each command calls the service function the API calls, as the operator (an admin of the
organisation named by ``--org``, :func:`dokgen.cli.tilgang._operator`), so the checks and the
audit lines are the API's. No command takes or prints a fødselsnummer.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from dokgen.cli.tilgang import _deps, _operator
from dokgen.documents.models import parse_json
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import frister as frister_service
from dokgen.services import gjennomforinger

FIL = click.Path(exists=True, dir_okay=False, path_type=Path)
DATO = click.DateTime(formats=["%Y-%m-%d"])


def _dato(iso: str | None) -> str:
    """Return an ISO date as a person reads it (31.12.2026), or a dash."""
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "–"


@click.group()
def gjennomforing() -> None:
    """Gjennomføringer (tiltak med deltakere og frister)."""


@gjennomforing.command("lag")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.argument("fil", metavar="FIL.json", type=FIL)
def lag_gjennomforing(orgnr: str, fil: Path) -> None:
    """Lag en gjennomføring fra FIL.json (som kontrakt/gjennomforing.json)."""
    inn = les(GjennomforingInn, parse_json(fil.read_bytes()))
    deps = _deps()
    ny = gjennomforinger.opprett(deps, _operator(deps, orgnr), inn)
    click.echo(f"Gjennomføringen «{ny['navn']}» er laget (id {ny['id']}).")


@gjennomforing.command("liste")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
def liste_gjennomforinger(orgnr: str) -> None:
    """Vis organisasjonens gjennomføringer, de som pågår først."""
    deps = _deps()
    rader = gjennomforinger.liste(deps, _operator(deps, orgnr))
    if not rader:
        click.echo(f"Organisasjonen {orgnr} har ingen gjennomføringer.")
        return
    click.echo("ID\tSTART\tSLUTT\tREGELSETT\tNAVN")
    for g in rader:
        start, slutt = _dato(g["startdato"]), _dato(g["sluttdato"])
        click.echo(f"{g['id']}\t{start}\t{slutt}\t{g['regelsett']}\t{g['navn']}")


def _frist_linje(f: dict[str, Any]) -> str:
    """Return one frist as a line of the table: due date, status, document, period, deltaker."""
    hvem = f"{f['deltaker_nr']} {f['deltaker_navn']}" if f["deltaker_id"] else "(gjennomføringen)"
    p = f["periode"]
    periode = f"{_dato(p['fra'])}–{_dato(p['til'])}" if p else "–"
    return f"{_dato(f['frist'])}\t{f['status_tekst']}\t{f['tittel']}\t{periode}\t{hvem}"


@click.command()
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.option("--dato", type=DATO, default=None, help="Dagen fristene vurderes på (ÅÅÅÅ-MM-DD).")
@click.option("--json", "som_json", is_flag=True, help="Skriv fristene som JSON.")
def frister(orgnr: str, dato: datetime | None, som_json: bool) -> None:
    """Vis fristene for organisasjonens deltakere og gjennomføringer, etter dato."""
    deps = _deps()
    utvalg = frister_service.Fristutvalg(dato=dato.date() if dato else None)
    rader = frister_service.liste(deps, _operator(deps, orgnr), utvalg)
    if som_json:
        click.echo(json.dumps({"frister": rader}, ensure_ascii=False, indent=2))
        return
    if not rader:
        click.echo(f"Organisasjonen {orgnr} har ingen frister.")
        return
    click.echo("FRIST\tSTATUS\tDOKUMENT\tPERIODE\tDELTAKER")
    for f in rader:
        click.echo(_frist_linje(f))
