"""Service functions shared by the web app, the API and the CLI.

Each takes its collaborators as a :class:`Deps` and the caller as an :class:`Aktor`; none
imports Flask. Every read and write of a document or invoice is written to the audit log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from dokgen.db import now
from dokgen.errors import AccessDeniedError, FieldError, InputInvalidError
from dokgen.jobs import Jobber
from dokgen.pipeline import PdfConverter
from dokgen.seal import Sealer
from dokgen.settings import Settings
from dokgen.store import FileStore

if TYPE_CHECKING:
    from dokgen.audit import Lesingslogg
    from dokgen.services.brukere import Tokenbuffer

ROLLER = ("veileder", "regnskap", "leser", "admin")
MAKS_SOK = 200  # characters in one search field: a deltaker's name has at most 200


def sjekk_sok(felt: dict[str, str | None]) -> None:
    """Refuse an over-long search field before any query runs (SQLite refuses a LIKE pattern
    over 50,000 bytes with an error).

    Raises:
        InputInvalidError: a field has more than ``MAKS_SOK`` characters.
    """
    melding = f"kan ha høyst {MAKS_SOK} tegn; skriv et kortere søk"
    errors = [FieldError(navn, melding) for navn, v in felt.items() if v and len(v) > MAKS_SOK]
    if errors:
        raise InputInvalidError(errors)


# What each role may do; records of other organisations are never visible at all.
TILGANG: dict[str, frozenset[str]] = {
    "dokument.les": frozenset(ROLLER),
    "dokument.skriv": frozenset({"veileder"}),
    "faktura.les": frozenset({"regnskap", "admin"}),
    "faktura.skriv": frozenset({"regnskap"}),
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

    def krev(self, tilgang: str) -> None:
        """Raise unless the role has the named permission.

        Raises:
            AccessDeniedError: the role lacks it.
        """
        if self.rolle not in TILGANG[tilgang]:
            raise AccessDeniedError(f"rollen «{self.rolle}» har ikke tilgang til dette")


@dataclass
class Deps:
    """The collaborators of every service function."""

    settings: Settings
    sessions: sessionmaker[Session]
    store: FileStore
    jobs: Jobber
    converter: PdfConverter
    sealer_factory: Callable[[], Sealer]
    clock: Callable[[], datetime] = now
    _sealer: Sealer | None = field(default=None, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)
    _org_sealers: dict[tuple[int, str], Sealer] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _lesingslogg: Lesingslogg | None = field(default=None, repr=False)
    _tokener: Tokenbuffer | None = field(default=None, repr=False)

    @property
    def tokener(self) -> Tokenbuffer:
        """Return the short-lived memory of valid API tokens (one per process)."""
        from dokgen.services.brukere import Tokenbuffer

        with self._lock:
            if self._tokener is None:
                self._tokener = Tokenbuffer(self.sessions)
            return self._tokener

    @property
    def lesingslogg(self) -> Lesingslogg:
        """Return the group-committing writer of read audit lines (one per process)."""
        from dokgen.audit import Lesingslogg

        with self._lock:
            if self._lesingslogg is None:
                self._lesingslogg = Lesingslogg(self.sessions)
            return self._lesingslogg

    @property
    def sealer(self) -> Sealer:
        """Return the sealer, loading the certificate on first use and keeping it."""
        if self._sealer is None:
            self._sealer = self.sealer_factory()
        return self._sealer

    def sealer_for(self, org_id: int) -> Sealer:
        """Return the organisation's own sealer when an admin uploaded its certificate, else
        the instance's; each certificate is parsed once and kept.

        Raises:
            SigningFailedError: the stored certificate cannot be opened.
        """
        from dokgen.crypto import decrypt
        from dokgen.db import Organisasjon

        with self.sessions() as session:
            org = session.get(Organisasjon, org_id)
            cert = dict((org.innstillinger or {}).get("sertifikat") or {}) if org else {}
        if not cert:
            return self.sealer
        key = (org_id, cert["sha256"])
        with self._lock:
            if key not in self._org_sealers:
                self._org_sealers[key] = Sealer(
                    pkcs12=self.store.get(cert["sha256"]),
                    passord=decrypt(self.settings, cert["passord"]),
                    tidsstempel_url=self.settings.tidsstempel_url,
                )
            return self._org_sealers[key]
