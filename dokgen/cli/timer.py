"""``dokgen timer importer|liste``: registered hours from the command line.

Each command calls the service function the API calls, as the operator (an admin of the
organisation named by ``--org``), so the checks and the audit lines are the API's.
``importer`` stores every row of the file or none (exit 2 with each row's error).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from dokgen.cli.parametre import Fil
from dokgen.cli.tilgang import _deps, _operator
from dokgen.documents.models import parse_json
from dokgen.errors import EXIT_INNDATA, FieldError, InputInvalidError
from dokgen.services import timer as service

FIL = Fil(exists=True, dir_okay=False, path_type=Path)


@click.group(name="timer")
def timer_gruppe() -> None:
    """Timer (aktiviteter) registrert per deltaker."""


def _les(deps: Any, orgnr: str, fil: Path, forhandsvis: bool) -> dict[str, Any]:
    aktor = _operator(deps, orgnr)
    if fil.suffix.lower() == ".csv":
        return service.importer_csv(deps, aktor, fil.read_bytes(), forhandsvis=forhandsvis)
    if fil.suffix.lower() == ".json":
        aktiviteter = parse_json(fil.read_bytes())
        if isinstance(aktiviteter, dict) and "aktiviteter" in aktiviteter:
            aktiviteter = aktiviteter["aktiviteter"]  # a whole fakturagrunnlag
        return service.registrer_liste(
            deps, aktor, aktiviteter, kilde="api", forhandsvis=forhandsvis
        )
    melding = f"ukjent filtype «{fil.suffix}»: bruk .csv (timeliste) eller .json"
    raise InputInvalidError([FieldError("FIL", melding)])


def _linje(a: dict[str, Any]) -> str:
    justering = f" ({a['justering']})" if a["justering"] else ""
    return (
        f"{a['dato']}\t{a['deltaker']['nr']}\t{a['aktivitet_tekst']}\t{a['minutter']} min\t"
        f"{(a['timer'] or '–').replace('.', ',')} t{justering}"
    )


@timer_gruppe.command("importer")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.argument("fil", metavar="FIL.csv|FIL.json", type=FIL)
@click.option("--forhandsvis", is_flag=True, help="Vis radene og feilene; lagre ingenting.")
@click.option("--json", "som_json", is_flag=True, help="Skriv svaret som JSON.")
def importer(orgnr: str, fil: Path, forhandsvis: bool, som_json: bool) -> None:
    """Registrer aktivitetene i en timeliste (.csv) eller en JSON-liste (.json).

    Alt eller ingenting: har en rad feil, lagres ingen (exit 2).
    """
    deps = _deps()
    try:
        svar = _les(deps, orgnr, fil, forhandsvis)
    except InputInvalidError as exc:
        if not som_json:
            raise
        feil = [{"felt": f.path, "melding": f.message} for f in exc.errors]
        click.echo(json.dumps({"skrevet": False, "feil": feil}, ensure_ascii=False, indent=2))
        raise click.exceptions.Exit(EXIT_INNDATA) from None
    if som_json:
        click.echo(json.dumps(svar, ensure_ascii=False, indent=2))
    else:
        click.echo("Lagret:" if svar["skrevet"] else "Forhåndsvisning (ingenting er lagret):")
        for a in svar["aktiviteter"]:
            click.echo(f"  {_linje(a)}")
        for f in svar["feil"]:
            click.echo(f"  - rad {f['radnr']}, {f['felt']}: {f['melding']}", err=True)
        click.echo(f"{len(svar['aktiviteter'])} aktiviteter.")
    if svar["feil"]:
        raise click.exceptions.Exit(EXIT_INNDATA)


@timer_gruppe.command("liste")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.option("--maned", default=None, help="Måneden, ÅÅÅÅ-MM (f.eks. 2026-10).")
@click.option("--json", "som_json", is_flag=True, help="Skriv aktivitetene som JSON.")
def liste(orgnr: str, maned: str | None, som_json: bool) -> None:
    """Vis de registrerte aktivitetene etter dato, med fakturerte timer og regelsettets
    justering."""
    deps = _deps()
    rader = service.liste(deps, _operator(deps, orgnr), maned=maned)
    if som_json:
        click.echo(json.dumps({"aktiviteter": rader}, ensure_ascii=False, indent=2))
        return
    if not rader:
        click.echo("Ingen registrerte aktiviteter.")
        return
    click.echo("DATO\tDELTAKER\tAKTIVITET\tMINUTTER\tTIMER")
    for a in rader:
        click.echo(_linje(a))
