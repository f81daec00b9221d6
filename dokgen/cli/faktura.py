"""CLI commands for EHF invoices: lag, kreditnota, valider, send."""

from __future__ import annotations

import click


@click.group()
def ehf() -> None:
    """EHF-fakturaer og kreditnotaer (PEPPOL BIS Billing 3.0)."""
