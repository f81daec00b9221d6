"""Billing rule sets: a named, versioned registry of how activities become billed hours.

A new agreement is a new entry in :data:`REGELSETT` (see ``jmo_oslo_2020.py``), not an edit.
"""

from __future__ import annotations

from ehf.errors import RuleSetUnknownError
from ehf.rules.jmo_oslo_2020 import JMO_OSLO_2020
from ehf.rules.model import (
    Aktivitet,
    AktivitetRegel,
    Deltaker,
    Fakturering,
    Justering,
    Linje,
    Regelsett,
    timer_for,
)

REGELSETT: dict[str, Regelsett] = {JMO_OSLO_2020.navn: JMO_OSLO_2020}


def register(regelsett: Regelsett) -> None:
    """Add a rule set to the registry (a new agreement is a new entry)."""
    REGELSETT[regelsett.navn] = regelsett


def get_regelsett(navn: str) -> Regelsett:
    """Return the rule set with this name.

    Raises:
        RuleSetUnknownError: no rule set has that name.
    """
    try:
        return REGELSETT[navn]
    except KeyError:
        known = ", ".join(sorted(REGELSETT))
        raise RuleSetUnknownError(f"ukjent regelsett «{navn}» (kjente: {known})") from None


__all__ = [
    "REGELSETT",
    "Aktivitet",
    "AktivitetRegel",
    "Deltaker",
    "Fakturering",
    "Justering",
    "Linje",
    "Regelsett",
    "get_regelsett",
    "register",
    "timer_for",
]
