"""CLI commands for EHF invoices: lag, kreditnota, valider, send."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from dokgen.cli.parametre import Dato, Fil, Valg
from dokgen.documents.context import belop
from dokgen.documents.models import parse_json
from dokgen.settings import Settings
from dokgen.storage.files import write_atomic
from ehf import service
from ehf.errors import GrunnlagInvalidError, RowError
from ehf.grunnlag import Fakturagrunnlag, load_grunnlag
from ehf.model import Attachment
from ehf.timeliste import grunnlag_fra_timeliste
from ehf.transport import get_transport
from ehf.validation import Report

FILE = Fil(exists=True, dir_okay=False, path_type=Path)


def _read_json(path: Path) -> object:
    return parse_json(path.read_bytes(), name=path.name)


def _load(grunnlag: Path, innstillinger: Path | None) -> Fakturagrunnlag:
    if grunnlag.suffix.lower() == ".csv":
        if innstillinger is None:
            raise GrunnlagInvalidError(
                [RowError("--innstillinger", "en timeliste trenger innstillinger (JSON)")]
            )
        settings = _read_json(innstillinger)
        if not isinstance(settings, dict):
            raise GrunnlagInvalidError([RowError("--innstillinger", "må være et JSON-objekt")])
        return grunnlag_fra_timeliste(grunnlag.read_bytes(), settings)
    return load_grunnlag(_read_json(grunnlag))


def _attachments(g: Fakturagrunnlag, folder: Path | None) -> list[Attachment]:
    if folder is None:
        return []
    found, errors = [], []
    for i, v in enumerate(g.vedlegg):
        path = folder / Path(v.filnavn).name
        if not path.is_file():
            errors.append(RowError(f"vedlegg[{i}].filnavn", f"finner ikke {path.name}"))
            continue
        found.append(
            Attachment(
                id=f"V{i + 1}",
                description=v.beskrivelse,
                filename=path.name,
                mime_code="application/pdf",
                content=path.read_bytes(),
            )
        )
    if errors:
        raise GrunnlagInvalidError(errors)
    return found


def _show(report: Report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Regelpakke {report.rulepack}: {len(report.fatal)} feil, {len(report.warnings)} advarsler"
    )
    for f in report.findings:
        click.echo(f"  [{f.flag}] {f.rule} ({f.pack}): {f.message}")
        click.echo(f"      ved {f.location}")


@click.group()
def ehf() -> None:
    """EHF-fakturaer og kreditnotaer (PEPPOL BIS Billing 3.0)."""


@ehf.command("lag")
@click.argument("grunnlag", type=FILE)
@click.option("--innstillinger", type=FILE, help="Avtale, selger og kjøper (JSON) for en CSV")
@click.option("--vedlegg-mappe", type=Fil(file_okay=False, path_type=Path))
@click.option("-o", "--ut", type=Fil(path_type=Path), required=True)
def lag(grunnlag: Path, innstillinger: Path | None, vedlegg_mappe: Path | None, ut: Path) -> None:
    """Lag en EHF-faktura fra et fakturagrunnlag (JSON) eller en timeliste (CSV)."""
    settings = Settings.from_env()
    g = _load(grunnlag, innstillinger)
    result = service.lag_faktura(
        g, peppol_dir=settings.referanse_peppol, vedlegg=_attachments(g, vedlegg_mappe)
    )
    if result.fakturering is not None:
        for linje in result.fakturering.linjer:
            timer = str(linje.timer).replace(".", ",")
            click.echo(f"{linje.deltaker_nr} {linje.deltaker_navn}: {timer} t")
            for j in linje.justeringer:
                click.echo(f"  rad {j.rad} {j.dato.isoformat()}: {j.forklaring}")
    _show(result.report, as_json=False)
    if not result.report.ok:
        raise click.exceptions.Exit(1)
    write_atomic(ut, result.xml)
    click.echo(f"{ut}: faktura {result.invoice.number}, sum {belop(result.invoice.totals.payable)}")


@ehf.command("kreditnota")
@click.option("--faktura", type=FILE, required=True)
@click.option("--nummer", required=True, help="Kreditnotaens nummer")
@click.option("--dato", type=Dato(), default=None)
@click.option("--linjer", default=None, help="Linje-id-er som krediteres, f.eks. 1,2 (alle)")
@click.option("-o", "--ut", type=Fil(path_type=Path), required=True)
def kreditnota(faktura: Path, nummer: str, dato: object, linjer: str | None, ut: Path) -> None:
    """Lag en kreditnota for en faktura."""
    settings = Settings.from_env()
    result = service.lag_kreditnota(
        faktura.read_bytes(),
        nummer=nummer,
        dato=dato.date() if dato is not None else date.today(),  # type: ignore[attr-defined]
        peppol_dir=settings.referanse_peppol,
        linjer=[x.strip() for x in linjer.split(",")] if linjer else None,
    )
    _show(result.report, as_json=False)
    if not result.report.ok:
        raise click.exceptions.Exit(1)
    write_atomic(ut, result.xml)
    click.echo(f"{ut}: kreditnota {nummer} for faktura {result.invoice.billing_reference}")


@ehf.command("valider")
@click.argument("fil", type=FILE)
@click.option("--json", "as_json", is_flag=True, help="Skriv rapporten som JSON")
def valider(fil: Path, as_json: bool) -> None:
    """Valider en faktura eller kreditnota mot de offisielle reglene."""
    report = service.valider(fil.read_bytes(), peppol_dir=Settings.from_env().referanse_peppol)
    _show(report, as_json)
    if not report.ok:
        raise click.exceptions.Exit(1)


@ehf.command("send")
@click.argument("fil", type=FILE)
@click.option("--transport", type=Valg(["katalog", "http"]), default="katalog")
def send(fil: Path, transport: str) -> None:
    """Valider og send et dokument til aksesspunktet (aldri med feil)."""
    settings = Settings.from_env()
    kvittering = service.send(
        fil.read_bytes(),
        transport=get_transport(
            transport,
            utboks=settings.utboks_dir,
            url=settings.aksesspunkt_url,
            token=settings.aksesspunkt_token,
        ),
        peppol_dir=settings.referanse_peppol,
    )
    if transport == "katalog":  # the access point fetches it from the outbox: not sent yet
        click.echo(f"{kvittering.detalj}: {kvittering.melding_id}")
    else:
        click.echo(f"{kvittering.status}: {kvittering.melding_id} via {kvittering.transport}")
