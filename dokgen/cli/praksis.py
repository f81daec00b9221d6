"""``dokgen praksis arbeidsgiver|plass|plassering``: the praksisplass register from the
command line.

Each command calls the service function the API calls, as the operator (an admin of the
organisation named by ``--org``), so the rules, the checks and the audit lines are the API's.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from dokgen.cli.parametre import Fil
from dokgen.cli.tilgang import _deps, _operator
from dokgen.documents.models import parse_json
from dokgen.oppfolging.kodeverk import PLASSERINGSSTATUSER, PRAKSISARTER
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    PlasseringInn,
    PraksisplassInn,
    StatusendringInn,
)
from dokgen.services import praksisplasser

FIL = Fil(exists=True, dir_okay=False, path_type=Path)
DATO = click.DateTime(formats=["%Y-%m-%d"])
ORG = click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")


def _iso(verdi: datetime | None) -> str | None:
    return verdi.date().isoformat() if verdi else None


def _dato(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "–"


@click.group()
def praksis() -> None:
    """Praksisplasser: arbeidsgivere, plasser og deltakere på plass."""


@praksis.group()
def arbeidsgiver() -> None:
    """Arbeidsgivere med praksisplasser."""


@arbeidsgiver.command("lag")
@ORG
@click.argument("fil", metavar="FIL.json", type=FIL)
def lag_arbeidsgiver(orgnr: str, fil: Path) -> None:
    """Registrer en arbeidsgiver fra FIL.json (orgnr, navn, adresse, kontaktpersoner)."""
    inn = les(ArbeidsgiverInn, parse_json(fil.read_bytes()))
    deps = _deps()
    ny = praksisplasser.opprett_arbeidsgiver(deps, _operator(deps, orgnr), inn)
    click.echo(f"Arbeidsgiveren «{ny['navn']}» er registrert (id {ny['id']}).")


@arbeidsgiver.command("liste")
@ORG
def liste_arbeidsgivere(orgnr: str) -> None:
    """Vis arbeidsgiverne."""
    deps = _deps()
    rader = praksisplasser.arbeidsgivere(deps, _operator(deps, orgnr))
    if not rader:
        click.echo(f"Organisasjonen {orgnr} har ingen arbeidsgivere.")
        return
    click.echo("ID\tORGNR\tNAVN")
    for a in rader:
        click.echo(f"{a['id']}\t{a['orgnr']}\t{a['navn']}")


@praksis.group()
def plass() -> None:
    """Praksisplasser hos arbeidsgiverne."""


@plass.command("lag")
@ORG
@click.argument("fil", metavar="FIL.json", type=FIL)
def lag_plass(orgnr: str, fil: Path) -> None:
    """Registrer en praksisplass fra FIL.json (arbeidsgiver_id, avdeling, art,
    arbeidsoppgaver, kapasitet)."""
    inn = les(PraksisplassInn, parse_json(fil.read_bytes()))
    deps = _deps()
    ny = praksisplasser.opprett_plass(deps, _operator(deps, orgnr), inn)
    click.echo(
        f"Praksisplassen ({ny['art_tekst']} hos {ny['arbeidsgiver']}) er registrert "
        f"(id {ny['id']})."
    )


@plass.command("liste")
@ORG
@click.option("--ledig", is_flag=True, help="Bare plasser med ledig plass nå.")
@click.option("--art", type=click.Choice(list(PRAKSISARTER)), help="Bare denne typen.")
def liste_plasser(orgnr: str, ledig: bool, art: str | None) -> None:
    """Vis praksisplassene med hvor mange plasser som er ledige."""
    deps = _deps()
    utvalg = praksisplasser.Plassutvalg(ledig=ledig, art=art)
    rader = praksisplasser.plasser(deps, _operator(deps, orgnr), utvalg)
    if not rader:
        click.echo("Ingen ledige praksisplasser." if ledig else "Ingen praksisplasser.")
        return
    click.echo("ID\tLEDIGE\tTYPE\tARBEIDSGIVER\tAVDELING")
    for p in rader:
        ledige = f"{p['ledige']} av {p['kapasitet']}" if p["aktiv"] else "ikke aktiv"
        click.echo(
            f"{p['id']}\t{ledige}\t{p['art_tekst']}\t{p['arbeidsgiver']}\t{p['avdeling'] or '–'}"
        )


@praksis.group()
def plassering() -> None:
    """Deltakere på praksisplass og statusene deres."""


def _vis(p: dict[str, Any]) -> None:
    d = p["deltaker"]
    click.echo(f"Plassering {p['id']}: {d['nr']} {d['navn']} – {p['status_tekst']}.")
    if p["neste_steg"]:
        click.echo(f"Neste steg: {p['neste_steg']}.")


@plassering.command("lag")
@ORG
@click.option("--plass", "plass_id", type=int, required=True, help="Praksisplassens id.")
@click.option("--deltaker", "deltaker_id", type=int, required=True, help="Deltakerens id.")
@click.option("--dato", type=DATO, help="Registrert (ÅÅÅÅ-MM-DD); tomt: i dag.")
@click.option("--planlagt-sluttdato", type=DATO, help="Planlagt slutt (ÅÅÅÅ-MM-DD).")
def lag_plassering(
    orgnr: str,
    plass_id: int,
    deltaker_id: int,
    dato: datetime | None,
    planlagt_sluttdato: datetime | None,
) -> None:
    """Plasser en deltaker på en praksisplass (status «Ny»)."""
    data = {
        "praksisplass_id": plass_id,
        "deltaker_id": deltaker_id,
        "dato": _iso(dato),
        "planlagt_sluttdato": _iso(planlagt_sluttdato),
    }
    inn = les(PlasseringInn, data)
    deps = _deps()
    _vis(praksisplasser.opprett_plassering(deps, _operator(deps, orgnr), inn))


@plassering.command("status")
@ORG
@click.argument("plassering_id", metavar="ID", type=int)
@click.argument("status", type=click.Choice(list(PLASSERINGSSTATUSER)))
@click.option("--dato", type=DATO, required=True, help="Dagen statusen gjelder fra.")
@click.option("--statusmote-dato", type=DATO, help="Oppstartsmøtets dato (statusmote_avtalt).")
@click.option("--startdato", type=DATO, help="Oppstart (startet); tomt: --dato.")
@click.option("--planlagt-sluttdato", type=DATO, help="Planlagt slutt.")
@click.option("--sluttdato", type=DATO, help="Sluttdato (avsluttet).")
@click.option("--arsak", "sluttarsak", help="Hvorfor deltakeren slutter før planlagt.")
def endre_status(
    orgnr: str, plassering_id: int, status: str, sluttarsak: str | None, **datoer: datetime | None
) -> None:
    """Gi plassering ID neste STATUS (bare framover)."""
    data = {"status": status, "sluttarsak": sluttarsak}
    data |= {felt: _iso(verdi) for felt, verdi in datoer.items()}
    inn = les(StatusendringInn, {k: v for k, v in data.items() if v is not None})
    deps = _deps()
    _vis(praksisplasser.endre_status(deps, _operator(deps, orgnr), plassering_id, inn))


@plassering.command("liste")
@ORG
@click.option("--status", type=click.Choice(list(PLASSERINGSSTATUSER)), help="Bare denne.")
def liste_plasseringer(orgnr: str, status: str | None) -> None:
    """Vis plasseringene med status, datoer og neste steg."""
    deps = _deps()
    rader = praksisplasser.plasseringer(deps, _operator(deps, orgnr), status=status)
    if not rader:
        click.echo("Ingen plasseringer.")
        return
    click.echo("ID\tSTATUS\tOPPSTART\tSLUTT\tDELTAKER\tNESTE STEG")
    for p in rader:
        slutt = p["sluttdato"] or p["planlagt_sluttdato"]
        click.echo(
            f"{p['id']}\t{p['status_tekst']}\t{_dato(p['startdato'])}\t{_dato(slutt)}\t"
            f"{p['deltaker']['nr']}\t{p['neste_steg'] or '–'}"
        )
