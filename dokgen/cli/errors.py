"""One table from domain errors to CLI exit codes and messages."""

from __future__ import annotations

import logging

import click

from dokgen.errors import (
    DocumentTypeUnknownError,
    DokgenError,
    InputInvalidError,
    InputUnreadableError,
    TemplateInvalidError,
)
from ehf.errors import (
    EhfError,
    GrunnlagInvalidError,
    ProfileViolationError,
    XmlUnsafeError,
)
from ehf.identifiers import mask_person_idents

log = logging.getLogger(__name__)

BAD_INPUT = (
    InputInvalidError,
    InputUnreadableError,
    DocumentTypeUnknownError,
    GrunnlagInvalidError,
    ProfileViolationError,
    XmlUnsafeError,
)


def _lines(exc: Exception) -> list[str]:
    errors = getattr(exc, "errors", None) or getattr(exc, "reasons", None)
    # No message repeats a fødselsnummer from the input, whatever raised it.
    return [mask_person_idents(str(e)) for e in errors or [exc]]


def report_error(exc: Exception) -> int:
    """Print what went wrong in bokmål and return the exit code (2 bad input, 1 otherwise)."""
    if isinstance(exc, BAD_INPUT):
        click.echo("Ugyldige inndata:", err=True)
        for line in _lines(exc):
            click.echo(f"  - {line}", err=True)
        return 2
    if isinstance(exc, TemplateInvalidError):
        click.echo("Malen kan ikke brukes:", err=True)
        for line in _lines(exc):
            click.echo(f"  - {line}", err=True)
        return 1
    if isinstance(exc, DokgenError | EhfError):
        click.echo(f"Feil: {mask_person_idents(str(exc))}", err=True)
        return 1
    # The type only: a message or traceback could carry document content.
    log.error("intern feil: %s", type(exc).__name__)
    log.debug("intern feil", exc_info=exc)
    click.echo("Intern feil: se loggen. Ingen filer ble skrevet.", err=True)
    return 1
