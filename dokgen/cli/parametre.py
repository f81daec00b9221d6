"""The command line's own errors in bokmål: Click's parameter types and usage errors.

Click writes its messages in English and has no translations, so the parameter types the
commands use say what is wrong themselves (:class:`Fil`, :class:`Valg`, :class:`Dato`),
and :func:`bruksfeil` writes any usage error (a missing argument, an unknown option or
command) in bokmål with what to do.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import click


class Fil(click.Path):
    """A file or folder path whose refusals are in bokmål."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Return the path, or fail with what is wrong with it in bokmål."""
        sti = os.fsdecode(value) if isinstance(value, bytes) else str(value)
        if self.exists and not os.path.exists(sti):
            self.fail(f"«{sti}» finnes ikke: skriv stien til en fil som finnes", param, ctx)
        if os.path.exists(sti):
            if not self.dir_okay and os.path.isdir(sti):
                self.fail(f"«{sti}» er en mappe: skriv stien til en fil", param, ctx)
            if not self.file_okay and not os.path.isdir(sti):
                self.fail(f"«{sti}» er en fil: skriv stien til en mappe", param, ctx)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"«{sti}» kan ikke brukes (mangler tilgang?)", param, ctx)


class Valg(click.Choice):
    """One of a list of values, refused in bokmål with the list."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Return the chosen value, or fail naming the values allowed."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            lovlige = ", ".join(str(c) for c in self.choices)
            self.fail(f"«{value}» er ikke et av valgene: skriv en av {lovlige}", param, ctx)


class Dato(click.ParamType):
    """A date written ÅÅÅÅ-MM-DD, refused in bokmål with an example."""

    name = "dato"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        """Return the date as a datetime at midnight (as ``click.DateTime`` does)."""
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.strptime(str(value), "%Y-%m-%d")
        except ValueError:
            self.fail(f"«{value}» er ingen dato: skriv ÅÅÅÅ-MM-DD, f.eks. 2026-03-02", param, ctx)


def _hint(exc: click.UsageError) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return getattr(exc, "param_hint", None) or ""
    if isinstance(param, click.Argument):
        return f"argumentet {param.human_readable_name}"
    return "valget " + " / ".join(param.opts)


_ENGELSK = (
    (re.compile(r"No such command '(.+)'\."), "ukjent kommando «{0}»"),
    (re.compile(r"No such option: (\S+)"), "ukjent valg {0}"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "for mange argumenter: {0}"),
    (re.compile(r"Option '(.+)' requires an argument\."), "valget {0} trenger en verdi"),
    (re.compile(r"Option '(.+)' requires (\d+) arguments\."), "valget {0} trenger {1} verdier"),
    (re.compile(r"Missing command\."), "mangler en kommando"),
)


def bruksfeil(exc: click.UsageError) -> str:
    """Return a usage error as bokmål lines: what is wrong and where to read how."""
    if isinstance(exc, click.MissingParameter):
        hva = f"mangler {_hint(exc)}"
    elif isinstance(exc, click.NoSuchOption):
        hva = f"ukjent valg {exc.option_name}"
        if exc.possibilities:
            hva += ": mente du " + " eller ".join(sorted(exc.possibilities)) + "?"
    elif isinstance(exc, click.BadParameter):
        hint = _hint(exc)
        hva = f"ugyldig verdi for {hint}: {exc.message}" if hint else exc.message
    else:
        hva = exc.message
        for monster, tekst in _ENGELSK:
            treff = monster.search(exc.message)
            if treff:
                hva = tekst.format(*treff.groups())
                break
    kommando = exc.ctx.command_path if exc.ctx is not None else "dokgen"
    if not hva.endswith(("?", ".")):
        hva += "."
    return f"Feil: {hva}\nSe «{kommando} --help» for hvordan kommandoen brukes."


__all__ = ["Dato", "Fil", "Valg", "bruksfeil"]
