"""``dokgen praksis arbeidsgiver|plass|plassering|oppstartsmote|fravaer``: the praksisplass
register from the command line.

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
from dokgen.oppfolging.kodeverk import (
    FRAVAERSARSAKER,
    MELDT_VIA,
    PLASSERINGSSTATUSER,
    PRAKSISARTER,
)
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    FravaerInn,
    OppstartsmoteInn,
    PlasseringInn,
    PraksisplassInn,
    StatusendringInn,
)
from dokgen.services import praksisoppfolging, praksisplasser

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


@praksis.group()
def oppstartsmote() -> None:
    """Oppstartsmøtet før en plassering starter."""


@oppstartsmote.command("registrer")
@ORG
@click.argument("plassering_id", metavar="ID", type=int)
@click.argument("fil", metavar="FIL.json", type=FIL)
def registrer_oppstartsmote(orgnr: str, plassering_id: int, fil: Path) -> None:
    """Registrer (eller rett) oppstartsmøtet for plassering ID fra FIL.json (dato,
    deltakere med rolle og navn, malsetting, yrkesmal, tilretteleggingsbehov)."""
    inn = les(OppstartsmoteInn, parse_json(fil.read_bytes()))
    deps = _deps()
    mote = praksisoppfolging.registrer_oppstartsmote(
        deps, _operator(deps, orgnr), plassering_id, inn
    )
    click.echo(
        f"Oppstartsmøtet {_dato(mote['dato'])} er registrert for plassering {plassering_id}."
    )


@oppstartsmote.command("vis")
@ORG
@click.argument("plassering_id", metavar="ID", type=int)
def vis_oppstartsmote(orgnr: str, plassering_id: int) -> None:
    """Vis oppstartsmøtet for plassering ID."""
    deps = _deps()
    mote = praksisoppfolging.hent_oppstartsmote(deps, _operator(deps, orgnr), plassering_id)
    if mote is None:
        click.echo(f"Plassering {plassering_id} har ikke registrert oppstartsmøte.")
        return
    click.echo(f"Dato: {_dato(mote['dato'])}")
    hvem = ", ".join(f"{d['navn']} ({d['rolle_tekst'].lower()})" for d in mote["deltakere"])
    click.echo(f"Møtte: {hvem}")
    click.echo(f"Målsetting: {mote['malsetting']}")
    for felt, tittel in (("yrkesmal", "Yrkesmål"), ("tilretteleggingsbehov", "Tilrettelegging")):
        if mote[felt]:
            click.echo(f"{tittel}: {mote[felt]}")


@praksis.group()
def fravaer() -> None:
    """Fravær arbeidsgiveren melder på en plassering."""


@fravaer.command("registrer")
@ORG
@click.argument("plassering_id", metavar="ID", type=int)
@click.option("--fra", "fra_dato", type=DATO, required=True, help="Første dag (ÅÅÅÅ-MM-DD).")
@click.option("--til", "til_dato", type=DATO, help="Siste dag; tomt: én dag.")
@click.option("--minutter", type=int, help="Bare en del av én dag: hvor mange minutter.")
@click.option("--arsak", type=click.Choice(list(FRAVAERSARSAKER)), required=True, help="Årsak.")
@click.option("--meldt-av", required=True, help="Hvem hos arbeidsgiver meldte fraværet.")
@click.option("--meldt-via", type=click.Choice(list(MELDT_VIA)), default="epost", show_default=True)
@click.option("--meldt-dato", type=DATO, help="Dagen det ble meldt; tomt: i dag.")
def registrer_fravaer(
    orgnr: str,
    plassering_id: int,
    minutter: int | None,
    arsak: str,
    meldt_av: str,
    meldt_via: str,
    **datoer: datetime | None,
) -> None:
    """Registrer fravær arbeidsgiveren har meldt for plassering ID."""
    data: dict[str, Any] = {"arsak": arsak, "meldt_av": meldt_av, "meldt_via": meldt_via}
    data |= {"minutter": minutter} if minutter is not None else {}
    data |= {felt: _iso(verdi) for felt, verdi in datoer.items() if verdi is not None}
    inn = les(FravaerInn, data)
    deps = _deps()
    f = praksisoppfolging.registrer_fravaer(deps, _operator(deps, orgnr), plassering_id, inn)
    click.echo(f"Fraværet er registrert (id {f['id']}): {_fravaerlinje(f)}.")
    if not f["gyldig"]:
        click.echo("Fravær uten gyldig grunn: varsle NAV samme dag.")


def _fravaerlinje(f: dict[str, Any]) -> str:
    dager = _dato(f["fra_dato"])
    if f["til_dato"] != f["fra_dato"]:
        dager += f"–{_dato(f['til_dato'])}"
    if f["minutter"]:
        dager += f" ({f['minutter']} min)"
    return f"{dager}, {f['arsak_tekst'].lower()}"


@fravaer.command("liste")
@ORG
@click.argument("plassering_id", metavar="ID", type=int)
def liste_fravaer(orgnr: str, plassering_id: int) -> None:
    """Vis fraværet registrert på plassering ID."""
    deps = _deps()
    rader = praksisoppfolging.fravaer_for_plassering(deps, _operator(deps, orgnr), plassering_id)
    if not rader:
        click.echo(f"Plassering {plassering_id} har ikke registrert fravær.")
        return
    click.echo("ID	FRAVÆR	MELDT AV	MELDT VIA")
    for f in rader:
        click.echo(f"{f['id']}	{_fravaerlinje(f)}	{f['meldt_av']}	{f['meldt_via_tekst']}")


@fravaer.command("slett")
@ORG
@click.argument("plassering_id", metavar="ID", type=int)
@click.argument("fravaer_id", metavar="FRAVÆR-ID", type=int)
def slett_fravaer(orgnr: str, plassering_id: int, fravaer_id: int) -> None:
    """Slett fravær FRAVÆR-ID, registrert ved en feil, fra plassering ID."""
    deps = _deps()
    praksisoppfolging.slett_fravaer(deps, _operator(deps, orgnr), plassering_id, fravaer_id)
    click.echo(f"Fraværet (id {fravaer_id}) er slettet.")
