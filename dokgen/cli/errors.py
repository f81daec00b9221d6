"""Domain errors to CLI exit codes and messages, as :data:`dokgen.errors.ERROR_TABLE` says."""

from __future__ import annotations

import logging

import click

from dokgen.errors import EXIT_FEIL, EXIT_INNDATA, classify, is_domain_error
from ehf.identifiers import mask_person_idents

log = logging.getLogger(__name__)


def _lines(exc: Exception) -> list[str]:
    errors = getattr(exc, "errors", None) or getattr(exc, "reasons", None)
    # No message repeats a fødselsnummer from the input, whatever raised it.
    return [mask_person_idents(_med_rad(e)) for e in errors or [exc]]


def _med_rad(error: object) -> str:
    """Return an error as text; a path into a list also says the row as people count it
    (``arbeidsgivere.0.navn (rad 1)``): the path stays the file's, counted from 0."""
    path, message = getattr(error, "path", None), getattr(error, "message", None)
    if not isinstance(path, str) or message is None:
        return str(error)
    rader = [int(p) + 1 for p in path.split(".") if p.isdigit()]
    if not rader:
        return str(error)
    return f"{path} (rad {', '.join(map(str, rader))}): {message}"


def _list(heading: str, exc: Exception) -> None:
    click.echo(f"{heading}:", err=True)
    for line in _lines(exc):
        click.echo(f"  - {line}", err=True)


def report_error(exc: Exception) -> int:
    """Print what went wrong in bokmål and return the table's exit code (2 bad input, 1
    otherwise)."""
    kind = classify(exc)
    if kind is not None and kind.exit_code == EXIT_INNDATA:
        _list("Ugyldige inndata", exc)
        return EXIT_INNDATA
    if kind is not None and hasattr(exc, "reasons"):  # a refused template: each reason
        _list(kind.title, exc)
        return kind.exit_code
    if is_domain_error(exc):
        click.echo(f"Feil: {mask_person_idents(str(exc))}", err=True)
        return kind.exit_code if kind is not None else EXIT_FEIL
    # The type only: a message or traceback could carry document content.
    log.error("intern feil: %s", type(exc).__name__)
    log.debug("intern feil", exc_info=exc)
    click.echo("Intern feil: se loggen. Ingen filer ble skrevet.", err=True)
    return EXIT_FEIL
