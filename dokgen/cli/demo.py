"""``dokgen demo``: every document type and an invoice from the shipped demo data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dokgen.cli.parametre import Fil
from dokgen.data import demo_data
from dokgen.documents.context import belop
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.documents.pdf.convert import Converter
from dokgen.documents.pipeline import lag_dokument, sealer_from_settings
from dokgen.settings import Settings
from dokgen.storage.files import write_all_atomic
from ehf import service
from ehf.grunnlag import load_grunnlag


@click.command()
@click.option("--ut", type=Fil(file_okay=False, path_type=Path), default=Path("ut/demo"))
def demo(ut: Path) -> None:
    """Lag alle dokumenttyper og en EHF-faktura fra demodata, og si hvor de ligger."""
    settings = Settings.from_env()
    sealer = sealer_from_settings(settings)
    files: dict[Path, bytes] = {}
    with Converter(timeout=settings.konvertering_tidsgrense) as converter:
        for type_navn in sorted(DOKUMENTTYPER):
            data = json.loads(demo_data(f"{type_navn}.json"))
            dok = parse_dokument(data, tillat_syntetiske=True)
            result = lag_dokument(
                dok, converter=converter, sealer=sealer, godkjent_av="Demo Veileder"
            )
            files[ut / f"{type_navn}.pdf"] = result.pdf
            files[ut / f"{type_navn}.docx"] = result.docx
    grunnlag = load_grunnlag(json.loads(demo_data("fakturagrunnlag.json")))
    faktura = service.lag_faktura(grunnlag, peppol_dir=settings.referanse_peppol)
    files[ut / "faktura.xml"] = faktura.xml
    write_all_atomic(files)
    click.echo(
        f"Faktura {faktura.invoice.number}: {belop(faktura.invoice.totals.payable)} NOK, "
        f"{len(faktura.report.fatal)} feil og {len(faktura.report.warnings)} advarsler "
        f"etter regelpakke {faktura.report.rulepack}"
    )
    for path in sorted(files):
        click.echo(f"  {path}")
    click.echo(f"Demodokumentene ligger i {ut.resolve()}")
