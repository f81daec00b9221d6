"""``dokgen gjennomforing lag|endre|fakturering|liste``, ``dokgen deltaker import`` and
``dokgen frister``: the deltaker register from the command line.

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

from dokgen.cli.parametre import Fil
from dokgen.cli.tilgang import _deps, _operator
from dokgen.documents.models import parse_json
from dokgen.errors import EXIT_INNDATA, FieldError, InputInvalidError
from dokgen.oppfolging.modeller import FaktureringInn, GjennomforingInn, les
from dokgen.services import deltakerimport, gjennomforinger
from dokgen.services import frister as frister_service

FIL = Fil(exists=True, dir_okay=False, path_type=Path)
DATO = click.DateTime(formats=["%Y-%m-%d"])
# The file's media type by its suffix; .txt is a table pasted from NAV's pages.
MEDIATYPER = {
    ".json": "application/json",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".txt": "text/plain",
}


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


@gjennomforing.command("endre")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.argument("gjennomforing_id", metavar="ID", type=int)
@click.argument("fil", metavar="FIL.json", type=FIL)
def endre_gjennomforing(orgnr: str, gjennomforing_id: int, fil: Path) -> None:
    """Erstatt alle feltene til gjennomføring ID med FIL.json (som kontrakt/gjennomforing.json)."""
    inn = les(GjennomforingInn, parse_json(fil.read_bytes()))
    deps = _deps()
    rad = gjennomforinger.endre(deps, _operator(deps, orgnr), gjennomforing_id, inn)
    click.echo(f"Gjennomføringen «{rad['navn']}» er endret.")


@gjennomforing.command("fakturering")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.argument("gjennomforing_id", metavar="ID", type=int)
@click.argument("fil", metavar="FIL.json", type=FIL)
def fakturering(orgnr: str, gjennomforing_id: int, fil: Path) -> None:
    """Sett hvordan gjennomføring ID kreves (kravform, kjoper, deres_referanse,
    bestillingsnummer, timepris, timepriser, regelsett) fra FIL.json, og vis hva et krav
    fortsatt mangler."""
    inn = les(FaktureringInn, parse_json(fil.read_bytes()))
    deps = _deps()
    operator = _operator(deps, orgnr)
    rad = gjennomforinger.endre_fakturering(deps, operator, gjennomforing_id, inn)
    click.echo(f"Fakturering og krav for «{rad['navn']}» er lagret.")
    mangler = gjennomforinger.mangler_for_krav(deps, operator, gjennomforing_id)
    if not mangler:
        click.echo("Klar til krav.")
    for m in mangler:
        click.echo(f"Mangler: {m.melding}")


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


@click.group()
def deltaker() -> None:
    """Deltakere i registeret."""


def _mediatype(fil: Path) -> str:
    """Return the media type the file's suffix names.

    Raises:
        InputInvalidError: another suffix.
    """
    try:
        return MEDIATYPER[fil.suffix.lower()]
    except KeyError:
        kjente = ", ".join(MEDIATYPER)
        melding = f"ukjent filtype «{fil.suffix}»: bruk en av {kjente}"
        raise InputInvalidError([FieldError("FIL", melding)]) from None


def _vis_import(svar: dict[str, Any]) -> None:
    """Print what an import did (or would do), row by row, in words."""
    click.echo("Importert:" if svar["skrevet"] else "Forhåndsvisning (ingenting er lagret):")
    for n in svar["nye"]:
        nr = f"{n['nr']} " if n.get("nr") else ""
        click.echo(f"  ny\trad {n['radnr']}\t{nr}{n['navn']}")
    for e in svar["endrede"]:
        felter = ", ".join(x["felt"] for x in e["endringer"])
        click.echo(f"  endret\trad {e['radnr']}\t{e['nr']} {e['navn']} ({felter})")
    for m in svar["mangler_i_filen"]:
        click.echo(f"  mangler i filen (beholdes)\t\t{m['nr']} {m['navn']}")
    click.echo(
        f"{len(svar['nye'])} nye, {len(svar['endrede'])} endret, "
        f"{len(svar['uendrede'])} uendret, {len(svar['mangler_i_filen'])} mangler i filen."
    )
    if svar["feil"]:
        click.echo("Feil i filen (rettes før importen kan lagres):", err=True)
        for f in svar["feil"]:
            click.echo(f"  - rad {f['radnr']}, {f['felt']}: {f['melding']}", err=True)


@deltaker.command("import")
@click.argument("fil", type=FIL)
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
@click.option("--gjennomforing", "gjennomforing_id", required=True, type=int, help="Id-en.")
@click.option("--forhandsvis", is_flag=True, help="Vis hva importen ville gjøre; lagre ingenting.")
def importer(orgnr: str, fil: Path, gjennomforing_id: int, forhandsvis: bool) -> None:
    """Importer deltakere fra NAV (FIL: .json, .csv, .tsv eller .txt) til en gjennomføring.

    Alt eller ingenting: har en rad feil, lagres ingen (exit 2).
    """
    mediatype = _mediatype(fil)
    deps = _deps()
    svar = deltakerimport.importer(
        deps,
        _operator(deps, orgnr),
        gjennomforing_id=gjennomforing_id,
        innhold=fil.read_bytes(),
        mediatype=mediatype,
        forhandsvis=forhandsvis,
    )
    _vis_import(svar)
    if svar["feil"]:
        raise click.exceptions.Exit(EXIT_INNDATA)


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
