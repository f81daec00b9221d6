"""Who may do what: the roles, each role's permissions, and the caller (:class:`Aktor`).

Records of other organisations are never visible at all: the services filter by
``Aktor.org_id`` and answer as if such a record did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from dokgen.errors import AccessDeniedError

ROLLER = ("veileder", "regnskap", "leser", "admin")

# What each role may do; records of other organisations are never visible at all.
TILGANG: dict[str, frozenset[str]] = {
    "dokument.les": frozenset(ROLLER),
    "dokument.skriv": frozenset({"veileder"}),
    "faktura.les": frozenset({"regnskap", "admin"}),
    "faktura.skriv": frozenset({"regnskap"}),
    # The month's close: an invoice or a NAV claim per gjennomføring (services.manedsavslutning).
    "maned.avslutt": frozenset({"regnskap", "admin"}),
    "deltaker.les": frozenset(ROLLER),
    "deltaker.skriv": frozenset({"veileder", "admin"}),
    "gjennomforing.skriv": frozenset({"admin"}),
    # How a gjennomføring is claimed (kravform, buyer, timepris, rule pack): its invoicing part.
    "gjennomforing.fakturering": frozenset({"admin", "regnskap"}),
    # The seller's invoicing data in the settings; never the access point ("admin").
    "innstillinger.fakturering": frozenset({"admin", "regnskap"}),
    "timer.les": frozenset(ROLLER),
    "timer.skriv": frozenset({"veileder", "regnskap", "admin"}),
    "frister.alle": frozenset({"admin", "leser"}),  # the whole organisation's, on one page
    "krav.les": frozenset({"regnskap", "admin", "leser"}),  # NAV claims (refusjonskrav)
    # The monthly resultatrapport: counts of the whole gjennomføring, no person in it.
    "resultatrapport.les": frozenset({"regnskap", "admin", "leser"}),
    "krav.skriv": frozenset({"regnskap", "admin"}),
    # The praksisplass register: arbeidsgivere, their places and the deltakere placed there.
    "praksis.les": frozenset(ROLLER),
    "praksis.skriv": frozenset({"veileder", "admin"}),
    "admin": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Aktor:
    """Who is asking: a logged-in person or an API token, in one organisation and role."""

    org_id: int
    navn: str
    rolle: str
    fra: str | None = None
    foresporsel: str | None = None
    # The logged-in person's user id (None for an API token or the command line): the
    # deltakere a user follows, and protected ones, are found by it.
    bruker_id: int | None = None

    def krev(self, tilgang: str) -> None:
        """Raise unless the role has the named permission.

        Raises:
            AccessDeniedError: the role lacks it.
        """
        if self.rolle not in TILGANG[tilgang]:
            raise AccessDeniedError(f"rollen «{self.rolle}» har ikke tilgang til dette")
