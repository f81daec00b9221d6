"""CLI commands for documents: lag, maler sjekk, skjema, pdf verifiser."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dokgen.cli.parametre import Fil, Valg
from dokgen.documents import schemas
from dokgen.documents.charset import check_printable
from dokgen.documents.models import DOKUMENTTYPER, load_input
from dokgen.documents.pdf.convert import Converter
from dokgen.documents.pdf.seal import verify
from dokgen.documents.pipeline import lag_dokument, sealer_from_settings
from dokgen.documents.templates_check import check_all
from dokgen.settings import Settings
from dokgen.storage.files import write_all_atomic

TYPE_CHOICE = Valg(sorted(DOKUMENTTYPER))


@click.command()
@click.argument("type_navn", metavar="TYPE", type=TYPE_CHOICE)
@click.argument("data", type=Fil(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--ut", "ut", required=True, type=Fil(path_type=Path), help="PDF-fil")
@click.option("--docx", "docx_ut", type=Fil(path_type=Path), help="Skriv også DOCX hit")
@click.option(
    "--godkjent-av",
    "godkjent_av",
    metavar="NAVN",
    default=None,
    help="Hvem som har godkjent dokumentet; kreves for en forseglet PDF. Uten: en uforseglet "
    "forhåndsvisning.",
)
@click.option("--dokument-id", default=None, help="Dokument-id i seglet (ellers en ny UUID)")
def lag(
    type_navn: str,
    data: Path,
    ut: Path,
    docx_ut: Path | None,
    godkjent_av: str | None,
    dokument_id: str | None,
) -> None:
    """Lag et PDF/A-dokument av TYPE fra DATA (.json eller .xml).

    Med --godkjent-av NAVN blir PDF-en forseglet, og seglet viser NAVN som godkjenner.
    Uten --godkjent-av blir den en uforseglet forhåndsvisning.
    """
    settings = Settings.from_env()
    if godkjent_av is not None:
        godkjent_av = " ".join(godkjent_av.split())
        try:
            godkjent_av = check_printable(godkjent_av) if godkjent_av else None
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--godkjent-av") from None
        if not godkjent_av:
            raise click.BadParameter("oppgi et navn", param_hint="--godkjent-av")
    dok = load_input(data, tillat_syntetiske=settings.tillat_syntetiske, type_navn=type_navn)
    with Converter(timeout=settings.konvertering_tidsgrense) as converter:
        result = lag_dokument(
            dok,
            converter=converter,
            sealer=sealer_from_settings(settings) if godkjent_av else None,
            godkjent_av=godkjent_av,
            dokument_id=dokument_id,
            maler_dir=settings.maler_dir,
        )
    files = {ut: result.pdf}
    if docx_ut is not None:
        files[docx_ut] = result.docx
    write_all_atomic(files)
    art = "forseglet" if result.forseglet else "uforseglet forhåndsvisning, uten --godkjent-av"
    click.echo(f"{ut} ({len(result.pdf)} byte, dokument-id {result.dokument_id}; {art})")


@click.group()
def maler() -> None:
    """Maler (DOCX)."""


@maler.command("sjekk")
@click.option("--maler-dir", type=Fil(file_okay=False, path_type=Path), default=None)
def maler_sjekk(maler_dir: Path | None) -> None:
    """Sjekk at hver mal passer modellen sin."""
    folder = maler_dir or Settings.from_env().maler_dir
    results = check_all(folder)
    failed = {name: reasons for name, reasons in results.items() if reasons}
    for name in sorted(results):
        click.echo(f"{name}: {'FEIL' if name in failed else 'OK'}")
        for reason in failed.get(name, []):
            click.echo(f"  - {reason}")
    if failed:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("type_navn", metavar="TYPE", type=TYPE_CHOICE)
@click.option("--xsd", is_flag=True, help="Skriv XSD i stedet for JSON Schema")
def skjema(type_navn: str, xsd: bool) -> None:
    """Skriv skjemaet for TYPE (JSON Schema, eller XSD med --xsd)."""
    if xsd:
        click.echo(schemas.xsd(type_navn), nl=False)
    else:
        click.echo(json.dumps(schemas.json_schema(type_navn), ensure_ascii=False, indent=2))


@click.group()
def pdf() -> None:
    """Forseglede PDF-er."""


@pdf.command("verifiser")
@click.argument("fil", type=Fil(exists=True, dir_okay=False, path_type=Path))
def pdf_verifiser(fil: Path) -> None:
    """Sjekk signaturen i FIL: gyldig (exit 0) eller ugyldig (exit 1)."""
    result = verify(fil.read_bytes())
    verdict = "gyldig" if result.gyldig else "UGYLDIG"
    click.echo(f"{fil}: {verdict} – {result.grunn}")
    if result.signert_av:
        click.echo(f"  signert av: {result.signert_av}")
    if result.tidspunkt:
        click.echo(f"  tidspunkt: {result.tidspunkt.isoformat()}")
    if not result.gyldig:
        raise click.exceptions.Exit(1)
