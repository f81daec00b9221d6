"""The service's tables (SQLAlchemy 2) and how to open the database.

Every record belongs to one organisation (``org_id``); queries for a user or token always
filter on it, so another organisation's rows answer "not found". Nothing here is
SQLite-specific except what :func:`make_engine` adds when the URL is SQLite (WAL, the
write lock). The schema is created and changed by the Alembic migrations in
``dokgen/migrations``, never by ``create_all``.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    text,
    true,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from dokgen.storage import writelock

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 0x646F6B67656E  # "dokgen": PostgreSQL advisory lock key of the migrations


def now() -> datetime:
    """Return the current time in UTC (stored naive-free, as the ``DateTime(timezone)``)."""
    return datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """Return a stored time with its zone: SQLite hands back UTC times without it."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def new_id() -> str:
    """Return a new random record id (UUID4 text): ids never reveal counts or order."""
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Declarative base of every table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


class Organisasjon(Base):
    """An arrangør organisation; ``innstillinger`` holds seller, agreement and transport data."""

    __tablename__ = "organisasjon"

    id: Mapped[int] = mapped_column(primary_key=True)
    orgnr: Mapped[str] = mapped_column(String(9), unique=True)
    navn: Mapped[str] = mapped_column(String(200))
    innstillinger: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    neste_fakturanummer: Mapped[int] = mapped_column(Integer, default=1)
    # The number of the next deltaker given no ``nr`` of their own (D-0001, D-0002, …).
    neste_deltakernummer: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Bruker(Base):
    """A person who logs in; ``rolle`` is veileder, regnskap, leser or admin."""

    __tablename__ = "bruker"
    # A name is unique within its organisation only: another organisation's names are not
    # an admin's to learn. Logging in finds the user by name and password (brukere.logg_inn).
    __table_args__ = (UniqueConstraint("org_id", "brukernavn", name="uq_bruker_org_brukernavn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    brukernavn: Mapped[str] = mapped_column(String(100))
    navn: Mapped[str] = mapped_column(String(200))
    rolle: Mapped[str] = mapped_column(String(20))
    passord_hash: Mapped[str] = mapped_column(String(200))
    aktiv: Mapped[bool] = mapped_column(default=True)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    # "<iss> <sub>" of the OIDC identity bound at the first OIDC login: it stays the person's
    # when the name or e-mail at the provider is changed or given to someone else.
    oidc_id: Mapped[str | None] = mapped_column(String(300), unique=True, index=True, default=None)
    # Where a set-password link is sent (optional: without it the admin hands over a one-time
    # password instead).
    epost: Mapped[str | None] = mapped_column(String(254), default=None)
    # Set by an admin's reset (a one-time password): every page leads to the change of
    # password until the user has chosen one.
    ma_bytte_passord: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Printed as the arrangør's contact in documents started from a deltaker they follow.
    telefon: Mapped[str | None] = mapped_column(String(16), default=None)
    # SHA-256 of the secret in the user's calendar feed address (None: no feed yet).
    kalender_sha256: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)

    organisasjon: Mapped[Organisasjon] = relationship()


class Passordlenke(Base):
    """A single-use link to set a user's password, sent by e-mail: only the SHA-256 of its
    random token is stored; it expires at ``utloper`` and is spent at ``brukt``."""

    __tablename__ = "passordlenke"

    id: Mapped[int] = mapped_column(primary_key=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    utloper: Mapped[datetime] = mapped_column()
    brukt: Mapped[datetime | None] = mapped_column(default=None)


class Innloggingsforsok(Base):
    """Password logins begun and not yet succeeded for one user name (known or not), source
    address or device cookie, kept by a hash: too many lock it for a while."""

    __tablename__ = "innloggingsforsok"

    nokkel: Mapped[str] = mapped_column(String(64), primary_key=True)
    feil: Mapped[int] = mapped_column(Integer, default=0)
    sist: Mapped[datetime] = mapped_column(default=now, index=True)  # old rows are purged
    sperret_til: Mapped[datetime | None] = mapped_column(default=None)


class Okt(Base):
    """A login session on the server: the cookie carries its id, the table its SHA-256.

    Logging out deletes the row, so a copy of the cookie made before stops working.
    """

    __tablename__ = "okt"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    utloper: Mapped[datetime] = mapped_column(index=True)


class ApiToken(Base):
    """A system's bearer token: only its SHA-256 is stored; scoped to one org and role."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    navn: Mapped[str] = mapped_column(String(200))
    rolle: Mapped[str] = mapped_column(String(20))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    tilbakekalt: Mapped[datetime | None] = mapped_column(default=None)

    organisasjon: Mapped[Organisasjon] = relationship()


class Gjennomforing(Base):
    """One running instance of a tiltak under an agreement (NAV: *gjennomføring*).

    ``regelsett`` names the agreement's rule pack (billing and frister); ``kjoper`` is the
    buyer as the fakturagrunnlag writes it; ``timepris`` is a decimal in text.
    """

    __tablename__ = "gjennomforing"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    navn: Mapped[str] = mapped_column(String(200))
    tiltakstype: Mapped[str] = mapped_column(String(100))
    avtalenummer: Mapped[str | None] = mapped_column(String(100), default=None)
    tiltaksnummer: Mapped[str | None] = mapped_column(String(100), default=None)
    regelsett: Mapped[str] = mapped_column(String(40))
    startdato: Mapped[date] = mapped_column(Date)
    sluttdato: Mapped[date | None] = mapped_column(Date, default=None)
    timepris: Mapped[str | None] = mapped_column(String(30), default=None)
    kjoper: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    deres_referanse: Mapped[str | None] = mapped_column(String(100), default=None)
    bestillingsnummer: Mapped[str | None] = mapped_column(String(100), default=None)
    # Days after a half-year's end the evalueringsrapport is due (the agreement sets none).
    evaluering_dager: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    # Days after a deltaker's end the sluttrapport is due, where the agreement leaves it to a
    # local agreement (AMB §1.5 b: the samarbeidsavtale); None: the rule pack's own.
    sluttrapport_dager: Mapped[int | None] = mapped_column(Integer, default=None)
    # The day of the following month the month's resultatrapport is due (JMO §9.2: «i henhold
    # til lokale rutiner»).
    resultatrapport_dag: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # How the month is claimed: "ehf" (an invoice) or "nav_refusjonskrav" (NAV's arrangørflate).
    kravform: Mapped[str] = mapped_column(String(20), default="ehf", server_default="ehf")
    # The timepris with validity dates, [{"fra", "til" (or None), "timepris"}] sorted by
    # "fra"; ``timepris`` is the price where no period covers a date (see
    # dokgen.oppfolging.timepriser).
    timepriser: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    # The stored frister (table ``frist``) hold up to this day; None: to be computed again.
    frister_til: Mapped[date | None] = mapped_column(Date, default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Deltaker(Base):
    """A person in one of the organisation's gjennomføringer.

    ``nr`` is the arrangør's own number (the timeliste's key); the fødselsnummer is unique
    within the organisation and never leaves it in a log, URL or error. With
    ``adressebeskyttet`` no address is stored, and only the users who follow the deltaker
    (and admins) see them at all.
    """

    __tablename__ = "deltaker"
    __table_args__ = (
        UniqueConstraint("org_id", "nr", name="uq_deltaker_org_nr"),
        UniqueConstraint("org_id", "fodselsnummer", name="uq_deltaker_org_fodselsnummer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    gjennomforing_id: Mapped[int] = mapped_column(ForeignKey("gjennomforing.id"), index=True)
    nr: Mapped[str] = mapped_column(String(20))
    fornavn: Mapped[str] = mapped_column(String(100))
    mellomnavn: Mapped[str | None] = mapped_column(String(100), default=None)
    etternavn: Mapped[str] = mapped_column(String(100), index=True)
    fodselsnummer: Mapped[str] = mapped_column(String(11))
    telefon: Mapped[str | None] = mapped_column(String(20), default=None)
    epost: Mapped[str | None] = mapped_column(String(254), default=None)
    adresse: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    adressebeskyttet: Mapped[bool] = mapped_column(default=False, server_default=false())
    oppstartdato: Mapped[date | None] = mapped_column(Date, default=None)
    sluttdato: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(30), index=True)
    status_aarsak: Mapped[str | None] = mapped_column(String(60), default=None)
    status_beskrivelse: Mapped[str | None] = mapped_column(String(500), default=None)
    status_gyldig_fra: Mapped[date | None] = mapped_column(Date, default=None)
    soknadsdato: Mapped[date | None] = mapped_column(Date, default=None)
    bestilling_fra_nav: Mapped[str | None] = mapped_column(Text, default=None)
    innsokende_nav_kontor: Mapped[str | None] = mapped_column(String(200), default=None)
    veileder_nav: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    deltakelsesprosent: Mapped[int | None] = mapped_column(Integer, default=None)
    dager_per_uke: Mapped[str | None] = mapped_column(String(10), default=None)
    # As Gjennomforing.frister_til: how far the stored frister reach; None: stale.
    frister_til: Mapped[date | None] = mapped_column(Date, default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    gjennomforing: Mapped[Gjennomforing] = relationship()
    historikk: Mapped[list[Deltakerstatus]] = relationship(
        back_populates="deltaker", order_by="Deltakerstatus.id"
    )
    veiledere: Mapped[list[Deltakerveileder]] = relationship(
        back_populates="deltaker", order_by="Deltakerveileder.id"
    )


class Deltakerstatus(Base):
    """One status a deltaker had, from when, and who registered it how (``kilde``: skjema,
    api, import)."""

    __tablename__ = "deltakerstatus"

    id: Mapped[int] = mapped_column(primary_key=True)
    deltaker_id: Mapped[int] = mapped_column(ForeignKey("deltaker.id"), index=True)
    type: Mapped[str] = mapped_column(String(30))
    aarsak: Mapped[str | None] = mapped_column(String(60), default=None)
    beskrivelse: Mapped[str | None] = mapped_column(String(500), default=None)
    gyldig_fra: Mapped[date | None] = mapped_column(Date, default=None)
    registrert: Mapped[datetime] = mapped_column(default=now)
    registrert_av: Mapped[str] = mapped_column(String(200))
    kilde: Mapped[str] = mapped_column(String(20))

    deltaker: Mapped[Deltaker] = relationship(back_populates="historikk")


class Deltakerveileder(Base):
    """A user who follows a deltaker: ``type`` veileder (one) or medveileder."""

    __tablename__ = "deltakerveileder"
    __table_args__ = (UniqueConstraint("deltaker_id", "bruker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deltaker_id: Mapped[int] = mapped_column(ForeignKey("deltaker.id"), index=True)
    bruker_id: Mapped[int] = mapped_column(ForeignKey("bruker.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))

    deltaker: Mapped[Deltaker] = relationship(back_populates="veiledere")
    bruker: Mapped[Bruker] = relationship()


class Fristkobling(Base):
    """A user's link of a document to a frist it meets (the frist's ``nokkel``, e.g.
    ``statusrapport:2026-03-02``): it counts as delivered whatever the document's period."""

    __tablename__ = "fristkobling"
    __table_args__ = (
        UniqueConstraint("deltaker_id", "gjennomforing_id", "nokkel", name="uq_fristkobling"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    gjennomforing_id: Mapped[int] = mapped_column(ForeignKey("gjennomforing.id"), index=True)
    deltaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("deltaker.id"), index=True, default=None
    )
    nokkel: Mapped[str] = mapped_column(String(60))
    dokument_id: Mapped[str] = mapped_column(ForeignKey("dokument.id"))
    av: Mapped[str] = mapped_column(String(200))
    tidspunkt: Mapped[datetime] = mapped_column(default=now)


class Frist(Base):
    """A frist as last computed for its deltaker (or, with none, its gjennomføring), with
    what the documents and manual links made of it: ``levert_dato`` and ``for_sent`` when a
    document met it, ``bortfalt`` when the deltaker's status ended it. Whether an open one
    is forfalt, snart or kommende is judged on reading, against the day asked for.

    Every change that moves a frist (the deltaker's dates or status, a finalised document,
    a manual link, the gjennomføring's rules) marks its owner stale (:func:`foreld_frister`),
    and the next read computes the owner's rows again first: they never disagree.
    """

    __tablename__ = "frist"
    __table_args__ = (Index("ix_frist_org_frist", "org_id", "frist"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"))
    gjennomforing_id: Mapped[int] = mapped_column(ForeignKey("gjennomforing.id"), index=True)
    deltaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("deltaker.id"), index=True, default=None
    )
    nokkel: Mapped[str] = mapped_column(String(60))
    type: Mapped[str] = mapped_column(String(40))
    periode_fra: Mapped[date | None] = mapped_column(Date, default=None)
    periode_til: Mapped[date | None] = mapped_column(Date, default=None)
    frist: Mapped[date] = mapped_column(Date)
    levert_dato: Mapped[date | None] = mapped_column(Date, default=None)
    for_sent: Mapped[bool] = mapped_column(default=False)
    dokument_id: Mapped[str | None] = mapped_column(String(36), default=None)
    bortfalt: Mapped[bool] = mapped_column(default=False)


class Aktivitet(Base):
    """One registered activity of a deltaker: the hours the month's close bills (the
    fakturagrunnlag's ``aktiviteter``: dato, aktivitet from the rule pack, minutter, mote,
    rapport, antall_deltakere, kommentar). ``kilde``: skjema, uke, csv or api."""

    __tablename__ = "aktivitet"
    __table_args__ = (
        Index("ix_aktivitet_gjennomforing_dato", "gjennomforing_id", "dato"),
        Index("ix_aktivitet_deltaker_dato", "deltaker_id", "dato"),
        Index("ix_aktivitet_org_dato", "org_id", "dato"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"))
    gjennomforing_id: Mapped[int] = mapped_column(ForeignKey("gjennomforing.id"))
    deltaker_id: Mapped[int] = mapped_column(ForeignKey("deltaker.id"))
    dato: Mapped[date] = mapped_column(Date)
    aktivitet: Mapped[str] = mapped_column(String(40))
    minutter: Mapped[int] = mapped_column(Integer)
    mote: Mapped[str | None] = mapped_column(String(200), default=None)
    rapport: Mapped[str | None] = mapped_column(String(40), default=None)
    antall_deltakere: Mapped[int | None] = mapped_column(Integer, default=None)
    kommentar: Mapped[str | None] = mapped_column(String(500), default=None)
    kilde: Mapped[str] = mapped_column(String(20))
    registrert: Mapped[datetime] = mapped_column(default=now)
    registrert_av: Mapped[str] = mapped_column(String(200))
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)


def foreld_frister(
    session: Session,
    *,
    deltaker_ids: Sequence[int | None] = (),
    gjennomforing_ids: Sequence[int | None] = (),
) -> None:
    """Mark the stored frister of these deltakere and gjennomføringer stale (a gjennomføring's
    deltakere with it): the next read computes them again. Call it in the transaction that
    makes the change."""
    deltakere = [d for d in deltaker_ids if d is not None]
    gjennomforinger = [g for g in gjennomforing_ids if g is not None]
    if deltakere:
        session.execute(update(Deltaker).where(Deltaker.id.in_(deltakere)).values(frister_til=None))
    if gjennomforinger:
        session.execute(
            update(Gjennomforing)
            .where(Gjennomforing.id.in_(gjennomforinger))
            .values(frister_til=None)
        )
        session.execute(
            update(Deltaker)
            .where(Deltaker.gjennomforing_id.in_(gjennomforinger))
            .values(frister_til=None)
        )


class Dokument(Base):
    """A report or agreement; its content lives in numbered versions. ``deltaker_id`` links
    it to the register's deltaker it is about (None: written without one); ``ferdig`` is
    when its current version was finalised (every approval given and sealed)."""

    __tablename__ = "dokument"
    # The list, newest first within an organisation, reads this index in order.
    __table_args__ = (Index("ix_dokument_org_opprettet", "org_id", "opprettet"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    deltaker: Mapped[str] = mapped_column(String(200), index=True)
    deltaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("deltaker.id"), index=True, default=None
    )
    gjennomforing_id: Mapped[int | None] = mapped_column(
        ForeignKey("gjennomforing.id"), index=True, default=None
    )
    # The placement a tilretteleggingsgaranti, oppfølgingsplan or arbeidspraksisavtale was
    # started from (None: none); the placement's page lists its documents by it.
    plassering_id: Mapped[int | None] = mapped_column(
        ForeignKey("plassering.id"), index=True, default=None
    )
    ferdig: Mapped[datetime | None] = mapped_column(default=None)
    periode_fra: Mapped[str | None] = mapped_column(String(10), default=None)
    periode_til: Mapped[str | None] = mapped_column(String(10), default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    opprettet_av: Mapped[str] = mapped_column(String(200))

    versjoner: Mapped[list[Versjon]] = relationship(
        back_populates="dokument", order_by="Versjon.nummer"
    )

    @property
    def gjeldende(self) -> Versjon:
        """Return the current version: the newest, unless that is a correction's kladd
        (:attr:`rettekladd`), which leaves the version before it current until it is done."""
        return self.versjoner[-2] if self.rettekladd is not None else self.versjoner[-1]

    @property
    def rettekladd(self) -> Versjon | None:
        """Return the kladd of a correction being written, or None: a newest version with
        status ``kladd`` after an earlier one (a new document's kladd is its only version)."""
        if len(self.versjoner) > 1 and self.versjoner[-1].status == "kladd":
            return self.versjoner[-1]
        return None


class Versjon(Base):
    """One version of a document's data and the files made from it.

    ``status``: (kladd →) behandles → utkast → (delvis_godkjent →) godkjent; ``feilet``
    with ``feil`` when the conversion or sealing failed (retry sets it back to behandles);
    ``erstattet`` when a newer version replaced it. A ``kladd`` is saved as written, valid
    or not: a new document's version 1, or a correction's next version
    (:attr:`Dokument.rettekladd`).
    """

    __tablename__ = "versjon"
    __table_args__ = (UniqueConstraint("dokument_id", "nummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dokument_id: Mapped[str] = mapped_column(ForeignKey("dokument.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    data_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    feil: Mapped[str | None] = mapped_column(Text, default=None)
    docx_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    utkast_pdf_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    # The lease of the job working on it (see dokgen.runtime.leases): renewed while the job runs,
    # so a job whose process died is found when it runs out; attempts at the current step.
    jobb_frist: Mapped[datetime | None] = mapped_column(default=None)
    jobb_forsok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    dokument: Mapped[Dokument] = relationship(back_populates="versjoner")
    godkjenninger: Mapped[list[Godkjenning]] = relationship(
        back_populates="versjon", order_by="Godkjenning.id"
    )


class Godkjenning(Base):
    """One party's approval of one version: who, in which role, when, of which content."""

    __tablename__ = "godkjenning"
    __table_args__ = (UniqueConstraint("versjon_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    versjon_id: Mapped[int] = mapped_column(ForeignKey("versjon.id"), index=True)
    part: Mapped[str] = mapped_column(String(40))
    navn: Mapped[str] = mapped_column(String(200))
    bruker: Mapped[str] = mapped_column(String(200))
    paa_vegne_av: Mapped[str | None] = mapped_column(String(200), default=None)
    begrunnelse: Mapped[str | None] = mapped_column(String(500), default=None)
    innhold_sha256: Mapped[str] = mapped_column(String(64))
    tidspunkt: Mapped[datetime] = mapped_column(default=now)
    # How it was given: innlogget, epostlenke, idporten or pa_vegne_av
    # (see dokgen.services.dokumenter.METODER); ``bruker`` is who registered it.
    metode: Mapped[str] = mapped_column(String(30), default="innlogget", server_default="innlogget")

    versjon: Mapped[Versjon] = relationship(back_populates="godkjenninger")


class Godkjenningslenke(Base):
    """A personal link for one party to approve or decline one locked version themselves.

    Only the SHA-256 of its random token is stored; the one-time code sent to ``epost`` is
    stored only as a hash bound to the token. It works until ``utloper`` and until it is
    used (``brukt``), revoked (``tilbakekalt``) or declined (``avslatt``), and only while
    its version is the document's current one.
    """

    __tablename__ = "godkjenningslenke"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    versjon_id: Mapped[int] = mapped_column(ForeignKey("versjon.id"), index=True)
    part: Mapped[str] = mapped_column(String(40))
    navn: Mapped[str] = mapped_column(String(200))
    epost: Mapped[str] = mapped_column(String(254))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kode_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    kode_utloper: Mapped[datetime | None] = mapped_column(default=None)
    kode_forsok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    koder_sendt: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opprettet: Mapped[datetime] = mapped_column(default=now)
    opprettet_av: Mapped[str] = mapped_column(String(200))
    utloper: Mapped[datetime] = mapped_column()
    brukt: Mapped[datetime | None] = mapped_column(default=None)
    tilbakekalt: Mapped[datetime | None] = mapped_column(default=None)
    avslatt: Mapped[datetime | None] = mapped_column(default=None)
    avslag_begrunnelse: Mapped[str | None] = mapped_column(String(1000), default=None)


class Faktura(Base):
    """An invoice (380) or credit note (381) and where it is on its way to the buyer.

    ``status``: behandles → validert | ugyldig (fatal findings, never sent) → sending →
    sendt (or ``i_utboks``: written to the outbox folder, not sent) → levert | avvist;
    ``feilet`` with ``feil`` when building or sending failed for
    good (see :mod:`dokgen.services.fakturaer`).
    """

    __tablename__ = "faktura"
    __table_args__ = (
        UniqueConstraint("org_id", "nummer"),
        Index("ix_faktura_org_maned", "org_id", "maned"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    nummer: Mapped[str] = mapped_column(String(40))
    art: Mapped[str] = mapped_column(String(20), default="faktura")
    krediterer_id: Mapped[str | None] = mapped_column(ForeignKey("faktura.id"), default=None)
    periode_fra: Mapped[str] = mapped_column(String(10))
    periode_til: Mapped[str] = mapped_column(String(10))
    fakturadato: Mapped[str] = mapped_column(String(10))
    belop: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), index=True)
    feil: Mapped[str | None] = mapped_column(Text, default=None)
    grunnlag: Mapped[dict[str, Any]] = mapped_column(JSON)
    linjer: Mapped[list[Any]] = mapped_column(JSON, default=list)
    forklaringer: Mapped[list[Any]] = mapped_column(JSON, default=list)
    rapport: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    xml_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    vedlegg_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    meldings_id: Mapped[str | None] = mapped_column(String(200), default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    opprettet_av: Mapped[str] = mapped_column(String(200))
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    jobb_frist: Mapped[datetime | None] = mapped_column(default=None)  # as Versjon's
    jobb_forsok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Made by the month's close for this gjennomføring and month ("2026-10"), if it was.
    gjennomforing_id: Mapped[int | None] = mapped_column(
        ForeignKey("gjennomforing.id"), default=None
    )
    maned: Mapped[str | None] = mapped_column(String(7), default=None)
    # The rejected or credited invoice this one corrects ("Lag korrigert faktura").
    erstatter_id: Mapped[str | None] = mapped_column(ForeignKey("faktura.id"), default=None)
    # A credit note's reason (required when crediting).
    begrunnelse: Mapped[str | None] = mapped_column(String(500), default=None)

    forsok: Mapped[list[Sendeforsok]] = relationship(
        back_populates="faktura", order_by="Sendeforsok.id"
    )


class Manedskrav(Base):
    """What the month's close made for one gjennomføring and month: an EHF invoice
    (``faktura_id``) or a NAV claim package (the sealed Timedokumentasjon PDFs in ``filer``,
    [{"sha256", "filnavn", "bytes"}], and the amount to type in NAV's form).

    ``lopenr`` is 0 for the month's first close and 1, 2 … for corrections (each with
    ``korrigerer_id`` and ``begrunnelse``); the unique constraint refuses a second close of
    the same month even when two people press the button at the same moment.
    ``status``: behandles → klar | feilet (with ``feil``). A NAV claim's answer is recorded in
    ``nav_status`` with NAV's own names (BEHANDLES_AV_NAV, UTBETALT, DELVIS_UTBETALT,
    AVBRUTT_AV_NAV …) and the paid amount in ``utbetalt``. ``funn`` keeps the checks'
    findings at close time, ``grunnlag`` what was claimed (per deltaker and activity).
    """

    __tablename__ = "manedskrav"
    __table_args__ = (
        UniqueConstraint("gjennomforing_id", "maned", "lopenr"),
        Index("ix_manedskrav_org_maned", "org_id", "maned"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"))
    gjennomforing_id: Mapped[int] = mapped_column(ForeignKey("gjennomforing.id"))
    maned: Mapped[str] = mapped_column(String(7))
    lopenr: Mapped[int] = mapped_column(Integer, default=0)
    art: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    faktura_id: Mapped[str | None] = mapped_column(ForeignKey("faktura.id"), default=None)
    belop: Mapped[str] = mapped_column(String(30))
    belop_kroner: Mapped[int] = mapped_column(Integer)
    timepris: Mapped[str | None] = mapped_column(String(30), default=None)
    korrigerer_id: Mapped[str | None] = mapped_column(ForeignKey("manedskrav.id"), default=None)
    begrunnelse: Mapped[str | None] = mapped_column(String(500), default=None)
    funn: Mapped[list[Any]] = mapped_column(JSON, default=list)
    grunnlag: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    filer: Mapped[list[Any]] = mapped_column(JSON, default=list)
    feil: Mapped[str | None] = mapped_column(Text, default=None)
    nav_status: Mapped[str | None] = mapped_column(String(30), default=None)
    utbetalt: Mapped[str | None] = mapped_column(String(30), default=None)
    nav_kommentar: Mapped[str | None] = mapped_column(String(500), default=None)
    nav_registrert: Mapped[datetime | None] = mapped_column(default=None)
    nav_registrert_av: Mapped[str | None] = mapped_column(String(200), default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    opprettet_av: Mapped[str] = mapped_column(String(200))
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    jobb_frist: Mapped[datetime | None] = mapped_column(default=None)  # as Versjon's
    jobb_forsok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Resultatrapport(Base):
    """A month's resultatrapport of a gjennomføring as it was exported (JMO §9.2): the first
    export meets the month's frist (``levert``, by whom and as what); ``tall`` keeps the
    numbers of the latest export, ``pdf_sha256`` its sealed PDF in the file store (None when
    only the spreadsheet was exported). No person is named in it."""

    __tablename__ = "resultatrapport"
    __table_args__ = (UniqueConstraint("gjennomforing_id", "maned"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    gjennomforing_id: Mapped[int] = mapped_column(ForeignKey("gjennomforing.id"))
    maned: Mapped[str] = mapped_column(String(7))
    levert: Mapped[datetime] = mapped_column(default=now)
    levert_av: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(10))
    sist_eksportert: Mapped[datetime] = mapped_column(default=now)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    tall: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Arbeidsgiver(Base):
    """An employer the organisation has praksisplasser at: ``orgnr`` unique within the
    organisation, ``adresse`` as a deltaker's, ``kontaktpersoner`` a list of {navn, telefon,
    epost, rolle}."""

    __tablename__ = "arbeidsgiver"
    __table_args__ = (UniqueConstraint("org_id", "orgnr", name="uq_arbeidsgiver_org_orgnr"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    orgnr: Mapped[str] = mapped_column(String(9))
    navn: Mapped[str] = mapped_column(String(200))
    adresse: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    kontaktpersoner: Mapped[list[Any]] = mapped_column(JSON, default=list)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    praksisplasser: Mapped[list[Praksisplass]] = relationship(
        back_populates="arbeidsgiver", order_by="Praksisplass.id"
    )


class Praksisplass(Base):
    """A praksisplass at an arbeidsgiver or one of its departments: ``art`` one of
    ``oppfolging.kodeverk.PRAKSISARTER``, ``kapasitet`` the deltakere it takes at once; an
    inactive place takes no new placements."""

    __tablename__ = "praksisplass"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    arbeidsgiver_id: Mapped[int] = mapped_column(ForeignKey("arbeidsgiver.id"), index=True)
    avdeling: Mapped[str | None] = mapped_column(String(200), default=None)
    art: Mapped[str] = mapped_column(String(30))
    arbeidsoppgaver: Mapped[str | None] = mapped_column(Text, default=None)
    kapasitet: Mapped[int] = mapped_column(Integer, default=1)
    aktiv: Mapped[bool] = mapped_column(default=True, server_default=true())
    opprettet: Mapped[datetime] = mapped_column(default=now)
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    arbeidsgiver: Mapped[Arbeidsgiver] = relationship(back_populates="praksisplasser")


class Plassering(Base):
    """A deltaker placed in a praksisplass, with the routine's status (``ny``,
    ``statusmote_avtalt``, ``bekreftet``, ``startet``, ``avsluttet``; see
    ``oppfolging.praksis``) and its dates; ``sluttarsak`` says why it ended before
    ``planlagt_sluttdato``."""

    __tablename__ = "plassering"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    praksisplass_id: Mapped[int] = mapped_column(ForeignKey("praksisplass.id"), index=True)
    deltaker_id: Mapped[int] = mapped_column(ForeignKey("deltaker.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    statusmote_dato: Mapped[date | None] = mapped_column(Date, default=None)
    startdato: Mapped[date | None] = mapped_column(Date, default=None)
    planlagt_sluttdato: Mapped[date | None] = mapped_column(Date, default=None)
    sluttdato: Mapped[date | None] = mapped_column(Date, default=None)
    sluttarsak: Mapped[str | None] = mapped_column(String(200), default=None)
    opprettet: Mapped[datetime] = mapped_column(default=now)
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    praksisplass: Mapped[Praksisplass] = relationship()
    deltaker: Mapped[Deltaker] = relationship()
    historikk: Mapped[list[Plasseringsstatus]] = relationship(
        back_populates="plassering", order_by="Plasseringsstatus.id"
    )
    oppstartsmote: Mapped[Oppstartsmote | None] = relationship(back_populates="plassering")
    fravaer: Mapped[list[Plasseringsfravaer]] = relationship(
        back_populates="plassering", order_by="Plasseringsfravaer.fra_dato"
    )


class Plasseringsstatus(Base):
    """One status a placement had: from which day (``dato``), registered when and by whom."""

    __tablename__ = "plasseringsstatus"

    id: Mapped[int] = mapped_column(primary_key=True)
    plassering_id: Mapped[int] = mapped_column(ForeignKey("plassering.id"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    dato: Mapped[date] = mapped_column(Date)
    registrert: Mapped[datetime] = mapped_column(default=now)
    registrert_av: Mapped[str] = mapped_column(String(200))

    plassering: Mapped[Plassering] = relationship(back_populates="historikk")


class Oppstartsmote(Base):
    """The oppstartsmøte held before a placement starts (one per placement, corrected in
    place): its day, who met (``deltakere``: a list of {rolle, navn}, ``rolle`` veileder,
    leder, deltaker or annen), the aim with the place, a defined ``yrkesmal`` (required for
    an arbeidstrening) and the ``tilretteleggingsbehov``."""

    __tablename__ = "oppstartsmote"
    __table_args__ = (UniqueConstraint("plassering_id", name="uq_oppstartsmote_plassering"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plassering_id: Mapped[int] = mapped_column(ForeignKey("plassering.id"))
    dato: Mapped[date] = mapped_column(Date)
    deltakere: Mapped[list[Any]] = mapped_column(JSON, default=list)
    malsetting: Mapped[str] = mapped_column(Text)
    yrkesmal: Mapped[str | None] = mapped_column(String(200), default=None)
    tilretteleggingsbehov: Mapped[str | None] = mapped_column(Text, default=None)
    registrert: Mapped[datetime] = mapped_column(default=now)
    registrert_av: Mapped[str] = mapped_column(String(200))
    endret: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    plassering: Mapped[Plassering] = relationship(back_populates="oppstartsmote")


class Plasseringsfravaer(Base):
    """An absence the arbeidsgiver reported for a placement: the days ``fra_dato`` to
    ``til_dato``, ``minutter`` when only part of one day, the kind of reason (``arsak``, a code
    of ``oppfolging.kodeverk``) and whether it is a valid one (``gyldig``; without one the
    JMO pack raises a frist "Varsle NAV samme dag" per day), who reported it (``meldt_av``),
    how (``meldt_via``: epost, telefon, sms, oppmoteskjema, muntlig) and on which day.
    ``deltaker_id`` is the placement's, kept here so a deltaker's absences are read by one
    index."""

    __tablename__ = "plasseringsfravaer"
    __table_args__ = (Index("ix_plasseringsfravaer_deltaker_dato", "deltaker_id", "fra_dato"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    plassering_id: Mapped[int] = mapped_column(ForeignKey("plassering.id"), index=True)
    deltaker_id: Mapped[int] = mapped_column(ForeignKey("deltaker.id"))
    fra_dato: Mapped[date] = mapped_column(Date)
    til_dato: Mapped[date] = mapped_column(Date)
    minutter: Mapped[int | None] = mapped_column(Integer, default=None)
    arsak: Mapped[str] = mapped_column(String(30))
    gyldig: Mapped[bool] = mapped_column()
    meldt_av: Mapped[str] = mapped_column(String(200))
    meldt_via: Mapped[str] = mapped_column(String(30))
    meldt_dato: Mapped[date] = mapped_column(Date)
    registrert: Mapped[datetime] = mapped_column(default=now)
    registrert_av: Mapped[str] = mapped_column(String(200))

    plassering: Mapped[Plassering] = relationship(back_populates="fravaer")


class Sendeforsok(Base):
    """One attempt to hand an invoice to the access point, or a response that came back.

    A transmission the access point took keeps its envelope's SBDH InstanceIdentifier
    (``instans_id``), which a Message Level Status refers to; an answer keeps its kind
    (``svartype``: invoice_response, mlr, mls) and response code (``svarkode``).
    """

    __tablename__ = "sendeforsok"

    id: Mapped[int] = mapped_column(primary_key=True)
    faktura_id: Mapped[str] = mapped_column(ForeignKey("faktura.id"), index=True)
    tidspunkt: Mapped[datetime] = mapped_column(default=now)
    resultat: Mapped[str] = mapped_column(String(20))
    arsak: Mapped[str | None] = mapped_column(Text, default=None)
    instans_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    svartype: Mapped[str | None] = mapped_column(String(20), default=None)
    svarkode: Mapped[str | None] = mapped_column(String(2), default=None)

    faktura: Mapped[Faktura] = relationship(back_populates="forsok")


class Malversjon(Base):
    """An uploaded DOCX template for one type; the newest active one is used."""

    __tablename__ = "malversjon"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    nummer: Mapped[int] = mapped_column(Integer)
    filnavn: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    lastet_opp_av: Mapped[str] = mapped_column(String(200))
    tidspunkt: Mapped[datetime] = mapped_column(default=now)


class Revisjon(Base):
    """One audit-log line: who did what to which record, when, from where. Never content."""

    __tablename__ = "revisjon"

    id: Mapped[int] = mapped_column(primary_key=True)
    tidspunkt: Mapped[datetime] = mapped_column(default=now, index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisasjon.id"), index=True)
    aktor: Mapped[str] = mapped_column(String(200))
    handling: Mapped[str] = mapped_column(String(40))
    objekt_type: Mapped[str] = mapped_column(String(40))
    objekt_id: Mapped[str | None] = mapped_column(String(64), default=None)
    fra: Mapped[str | None] = mapped_column(String(100), default=None)
    foresporsel: Mapped[str | None] = mapped_column(String(64), default=None)
    # What a change was in a few words (a certificate's subject), never a record's content.
    detalj: Mapped[str | None] = mapped_column(String(300), default=None)


class Fil(Base):
    """A stored file of the PostgreSQL file store (``DOKGEN_FILLAGER=postgres``): named by its
    SHA-256, its bytes in ``biter`` rows of :class:`Filbit`, written with them in one
    transaction; a file without this row is missing."""

    __tablename__ = "fil"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    storrelse: Mapped[int] = mapped_column(BigInteger)  # bytes
    biter: Mapped[int] = mapped_column(Integer)
    opprettet: Mapped[datetime] = mapped_column(default=now)


class Filbit(Base):
    """One chunk (``nr`` from 0) of a stored file's bytes."""

    __tablename__ = "filbit"

    sha256: Mapped[str] = mapped_column(ForeignKey("fil.sha256"), primary_key=True)
    nr: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Instansnokkel(Base):
    """A secret of the whole instance kept in the database on PostgreSQL, so every node has
    the same one: the instance secret (``hemmelig_nokkel``, when ``DOKGEN_HEMMELIG_NOKKEL``
    is not set) and the development sealing certificate (``utviklingssertifikat``). Made once
    by whichever node starts first; no page or API shows it. On SQLite they are files in the
    instance folder and this table stays empty."""

    __tablename__ = "instansnokkel"

    navn: Mapped[str] = mapped_column(String(100), primary_key=True)
    verdi: Mapped[bytes] = mapped_column(LargeBinary)
    opprettet: Mapped[datetime] = mapped_column(default=now)


_WAL_DEADLINE = 30.0  # seconds, as the busy timeout


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Turning a fresh database to WAL needs it unlocked, and SQLite answers "locked" at once
    # instead of waiting: while another process migrates it, try again until it is done.
    deadline = time.monotonic() + _WAL_DEADLINE
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL.

    SQLite gets WAL, foreign keys, a 30 s busy timeout and writers that queue on
    :mod:`dokgen.storage.writelock` instead of polling SQLite's lock.
    """
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url)
    engine = create_engine(url, connect_args={"factory": writelock.Connection, "timeout": 30.0})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def lock_for_update(session: Session, query: Select[Any]) -> None:
    """Hold what ``query`` selects against other writers until the transaction ends.

    A read-decide-write (the last approval seals, a retry requeues) must decide on what no
    other transaction can change before it commits. PostgreSQL locks the selected rows
    (``FOR UPDATE``). SQLite renders no ``FOR UPDATE`` and lets transactions read side by
    side until the first write, so two would decide on the same read: there the
    transaction takes the database's write lock before it reads (``BEGIN IMMEDIATE``, which
    also takes :mod:`dokgen.storage.writelock`'s lock). Call it before the transaction's first
    statement.
    """
    if session.get_bind().dialect.name != "sqlite":
        session.execute(query.with_for_update())
        return
    dbapi = session.connection().connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        session.execute(text("BEGIN IMMEDIATE"))


def make_sessionmaker(engine: Engine) -> sessionmaker[Any]:
    """Return the session factory every service function is handed."""
    return sessionmaker(engine, expire_on_commit=False)


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        # Processes starting at once on a fresh database (the service and a CLI command,
        # two nodes) would each read "no tables" and create them: the second failed with
        # "table already exists". One migrates at a time; the others then find it done.
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
