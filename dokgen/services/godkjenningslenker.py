"""Approval links: each party that is not a signed-in user approves the document themselves.

The veileder sends a party (arbeidsgiver, deltaker, NAV …) of the current locked version a
personal link, by e-mail or to copy by hand. The link is bound to that party and that
version: it works once, until it expires (``DOKGEN_GODKJENNINGSLENKE_DAGER``, 14 days), is
revoked, is declined, or the document gets a new version. Whoever opens it proves they
read the party's e-mail with a six-digit one-time code sent there (or logs in with
ID-porten where that is set up), then sees the locked PDF and approves or declines with a
reason. The approval is recorded as the party's own (``epostlenke`` or ``idporten``) through
:func:`dokgen.services.dokumenter.registrer_godkjenning`, so the last party's approval
seals the document as any other does.

Only the SHA-256 of a link's token is stored, and a code only as a hash bound to its
token; nothing of the document, the code or the token is logged. Every step is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.documents.charset import check_printable
from dokgen.documents.models import PARTNAVN
from dokgen.errors import (
    AccessDeniedError,
    EmailSendFailedError,
    FieldError,
    InputInvalidError,
    RecordNotFoundError,
    SettingsInvalidError,
    StateConflictError,
)
from dokgen.services import dokumenter, epost
from dokgen.services.audit import logg
from dokgen.storage.db import (
    Bruker,
    Deltaker,
    Dokument,
    Godkjenningslenke,
    Organisasjon,
    Versjon,
    utc,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps

log = logging.getLogger(__name__)

KODE_LEVETID = timedelta(minutes=10)
MAKS_KODEFORSOK = 5  # wrong codes before a code is void
MAKS_KODER = 5  # codes sent for one link
MAKS_BEGRUNNELSE = 1000
UGYLDIG = "lenken er brukt, utløpt, trukket tilbake eller gjelder en eldre versjon"
IDPORTEN_ANNEN_PERSON = (
    "Du logget inn med ID-porten som en annen person enn den lenken er sendt til, så ingenting "
    "er godkjent. Lenken virker fortsatt: logg inn med ID-porten som deg selv, eller bruk "
    "engangskoden som sendes til e-postadressen."
)
_EPOST = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_OSLO = ZoneInfo("Europe/Oslo")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _kodehash(token: str, kode: str) -> str:
    # Bound to the token, which is stored nowhere: the database alone cannot test codes.
    return hmac.new(token.encode(), kode.encode(), hashlib.sha256).hexdigest()


def levetid(deps: Deps) -> timedelta:
    """Return how long a new link works (``DOKGEN_GODKJENNINGSLENKE_DAGER``)."""
    return timedelta(days=deps.settings.godkjenningslenke_dager)


@dataclass(frozen=True)
class NyLenke:
    """A link just made: its full address (the only copy) and where it was e-mailed."""

    id: int
    adresse: str
    utloper: datetime
    sendt_til: str | None


def send(
    deps: Deps,
    aktor: Aktor,
    dokument_id: str,
    data: dict[str, Any],
    adresse: Callable[[str], str],
    *,
    send_epost: bool = True,
) -> NyLenke:
    """Make a personal approval link for one party of the document's current version, and
    e-mail it to the party (or, without ``send_epost``, hand it back to be copied by hand).

    The party's earlier unused links to the version are revoked: one live link a party.
    Audited ``send_godkjenningslenke`` (or ``lag_godkjenningslenke``).

    Args:
        data: ``part``, ``navn`` and ``epost`` (where the one-time code goes) of the party.
        adresse: makes a link's full address from its token.

    Raises:
        AccessDeniedError: the caller may not write documents.
        RecordNotFoundError: no such document in the caller's organisation.
        InputInvalidError: a field is missing or wrong, or the party has approved (nothing
            is stored).
        StateConflictError: the version is not ready for approval, or e-mail is not set up.
        EmailSendFailedError: the SMTP server did not take the message; the link is revoked.
    """
    aktor.krev("dokument.skriv")
    if send_epost and not deps.settings.smtp_aktiv:
        raise StateConflictError("e-post er ikke satt opp for tjenesten; kopier lenken i stedet")
    part, navn, til = (str(data.get(k) or "").strip() for k in ("part", "navn", "epost"))
    naa = deps.clock()
    with deps.sessions.begin() as session:
        rad = dokumenter.finn_rad(session, aktor, dokument_id, las=True)
        versjon = _klar(rad)
        _sjekk(versjon, part, navn, til)
        _tilbakekall_partens(session, versjon.id, part, naa)
        token = secrets.token_urlsafe(32)
        lenke = Godkjenningslenke(
            org_id=aktor.org_id, versjon_id=versjon.id, part=part, navn=navn, epost=til,
            token_sha256=_hash(token), opprettet=naa, opprettet_av=aktor.navn,
            utloper=naa + levetid(deps),
        )  # fmt: skip
        session.add(lenke)
        session.flush()
        handling = "send_godkjenningslenke" if send_epost else "lag_godkjenningslenke"
        logg(session, aktor, handling, "dokument", rad.id, f"part {part}")
        org = session.get(Organisasjon, aktor.org_id)
        ny = NyLenke(lenke.id, adresse(token), lenke.utloper, til if send_epost else None)
        tekst = _lenketekst(navn, org, rad, part, ny.adresse, ny.utloper)
    if send_epost:
        try:
            epost.send(deps.settings, til, f"Godkjenn {dokumenter.tittel(rad.type)}", tekst)
        except Exception:
            with deps.sessions.begin() as session:
                session.execute(
                    update(Godkjenningslenke)
                    .where(Godkjenningslenke.id == ny.id)
                    .values(tilbakekalt=naa)
                )
            raise
    return ny


def _klar(rad: Dokument) -> Versjon:
    versjon = rad.gjeldende
    if versjon.status not in (dokumenter.UTKAST, dokumenter.DELVIS):
        tekst = dokumenter.STATUSTEKST[versjon.status].lower()
        raise StateConflictError(f"versjon {versjon.nummer} kan ikke godkjennes nå ({tekst})")
    return versjon


def _sjekk(versjon: Versjon, part: str, navn: str, til: str) -> None:
    gyldige = dokumenter.parter(versjon.data)
    errors = []
    if part not in gyldige:
        valg = ", ".join(PARTNAVN.get(p, p) for p in gyldige)
        errors.append(FieldError("part", f"velg en av partene: {valg}"))
    elif any(g.part == part for g in versjon.godkjenninger):
        errors.append(FieldError("part", f"{PARTNAVN.get(part, part)} har godkjent"))
    if not navn:
        errors.append(
            FieldError("navn", "skriv navnet på den som skal godkjenne, f.eks. Lise Berg")
        )
    elif len(navn) > 200:
        errors.append(FieldError("navn", "kan ha høyst 200 tegn"))
    if not til:
        errors.append(FieldError("epost", "skriv e-postadressen, f.eks. lise.berg@firma.no"))
    elif len(til) > 254 or not _EPOST.fullmatch(til):
        errors.append(
            FieldError("epost", "skriv en gyldig e-postadresse, f.eks. lise.berg@firma.no")
        )
    if errors:
        raise InputInvalidError(errors)


def _tilbakekall_partens(session: Session, versjon_id: int, part: str, naa: datetime) -> None:
    session.execute(
        update(Godkjenningslenke)
        .where(
            Godkjenningslenke.versjon_id == versjon_id,
            Godkjenningslenke.part == part,
            Godkjenningslenke.brukt.is_(None),
            Godkjenningslenke.tilbakekalt.is_(None),
            Godkjenningslenke.avslatt.is_(None),
        )
        .values(tilbakekalt=naa)
        .execution_options(synchronize_session=False)
    )


def _frist(tid: datetime) -> str:
    return utc(tid).astimezone(_OSLO).strftime("%d.%m.%Y kl. %H:%M")


def _lenketekst(
    navn: str, org: Organisasjon | None, rad: Dokument, part: str, adresse: str, utloper: datetime
) -> str:
    hvem = org.navn if org else "Tiltaksarrangøren"
    return (
        f"Hei {navn}\n\n"
        f"{hvem} ber deg godkjenne dokumentet «{dokumenter.tittel(rad.type)}» som "
        f"{PARTNAVN.get(part, part).lower()}.\n\n"
        "Åpne lenken under. Du får en engangskode på e-post før du ser dokumentet, og kan så "
        f"godkjenne det eller si nei med en begrunnelse. Lenken virker én gang og til "
        f"{_frist(utloper)}:\n\n{adresse}\n\n"
        "Har du ikke ventet denne e-posten, kan du se bort fra den.\n"
    )


def tilbakekall(deps: Deps, aktor: Aktor, dokument_id: str, lenke_id: int) -> None:
    """Revoke a document's unused approval link. Audited ``tilbakekall_godkjenningslenke``.

    Raises:
        AccessDeniedError: the caller may not write documents.
        RecordNotFoundError: no such document or link in the caller's organisation.
        StateConflictError: the link is used or declined already.
    """
    aktor.krev("dokument.skriv")
    with deps.sessions.begin() as session:
        rad = dokumenter.finn_rad(session, aktor, dokument_id, las=True)
        lenke = session.get(Godkjenningslenke, lenke_id)
        versjoner = {v.id for v in rad.versjoner}
        if lenke is None or lenke.org_id != aktor.org_id or lenke.versjon_id not in versjoner:
            raise RecordNotFoundError("fant ikke lenken")
        if lenke.brukt is not None or lenke.avslatt is not None:
            raise StateConflictError("lenken er allerede brukt")
        if lenke.tilbakekalt is None:
            lenke.tilbakekalt = deps.clock()
            logg(session, aktor, "tilbakekall_godkjenningslenke", "dokument", rad.id,
                 f"part {lenke.part}")  # fmt: skip


def lenker(deps: Deps, aktor: Aktor, versjon_id: int) -> list[Godkjenningslenke]:
    """Return the approval links of a version of the caller's organisation, oldest first."""
    aktor.krev("dokument.les")
    with deps.sessions() as session:
        rader = list(
            session.scalars(
                select(Godkjenningslenke)
                .where(
                    Godkjenningslenke.org_id == aktor.org_id,
                    Godkjenningslenke.versjon_id == versjon_id,
                )
                .order_by(Godkjenningslenke.id)
            )
        )
        session.expunge_all()
    return rader


# --- the party's side: no login, the token is the key ------------------------------------


@dataclass(frozen=True)
class Lenkeside:
    """What the party's page shows of a valid link."""

    navn: str
    part: str
    partnavn: str
    tittel: str
    versjon: int
    organisasjon: str
    epost: str
    utloper: datetime
    kode_sendt: bool
    har_pdf: bool


def _aapen(
    session: Session, token: str, naa: datetime, *, las: bool = False
) -> tuple[Godkjenningslenke, Dokument]:
    """Return a link that still works and its document (``las``: held for writing).

    Raises:
        RecordNotFoundError: unknown, used, declined, revoked or expired, or its version is
            no longer the document's current one or no longer open for approval.
    """
    lenke = session.scalar(
        select(Godkjenningslenke).where(Godkjenningslenke.token_sha256 == _hash(token[:100]))
    )
    if (
        lenke is None
        or lenke.brukt is not None
        or lenke.tilbakekalt is not None
        or lenke.avslatt is not None
        or utc(lenke.utloper) <= naa
    ):
        raise RecordNotFoundError(UGYLDIG)
    versjon = session.get(Versjon, lenke.versjon_id)
    if versjon is None:
        raise RecordNotFoundError(UGYLDIG)
    som_org = _som_part(lenke, None)
    rad = dokumenter.finn_rad(session, som_org, versjon.dokument_id, las=las)
    gjeldende = rad.gjeldende
    if gjeldende.id != lenke.versjon_id or gjeldende.status not in (
        dokumenter.UTKAST,
        dokumenter.DELVIS,
    ):
        raise RecordNotFoundError(UGYLDIG)
    if any(g.part == lenke.part for g in gjeldende.godkjenninger):
        raise RecordNotFoundError(UGYLDIG)
    return lenke, rad


def _som_part(lenke: Godkjenningslenke, fra: str | None, foresporsel: str | None = None) -> Aktor:
    """The party as the audit log names them: no user, no role of the organisation."""
    return Aktor(lenke.org_id, f"{lenke.navn} ({PARTNAVN.get(lenke.part, lenke.part)})",
                 "part", fra, foresporsel)  # fmt: skip


def _skjult(adresse: str) -> str:
    """Return an address with most of its local part hidden: ``l***@firma.no``."""
    lokal, _, domene = adresse.partition("@")
    return f"{lokal[:1]}***@{domene}"


def apne(deps: Deps, token: str) -> Lenkeside:
    """Return what the page of a working link shows.

    Raises:
        RecordNotFoundError: the link does not work (one answer for every reason).
    """
    with deps.sessions() as session:
        lenke, rad = _aapen(session, token, deps.clock())
        org = session.get(Organisasjon, lenke.org_id)
        kode_sendt = (
            lenke.kode_sha256 is not None
            and utc(lenke.kode_utloper or lenke.opprettet) > deps.clock()
        )
        return Lenkeside(
            navn=lenke.navn, part=lenke.part, partnavn=PARTNAVN.get(lenke.part, lenke.part),
            tittel=dokumenter.tittel(rad.type), versjon=rad.gjeldende.nummer,
            organisasjon=org.navn if org else "", epost=_skjult(lenke.epost),
            utloper=utc(lenke.utloper), kode_sendt=kode_sendt,
            har_pdf=rad.gjeldende.utkast_pdf_sha256 is not None,
        )  # fmt: skip


def pdf(deps: Deps, token: str) -> tuple[bytes, str]:
    """Return the locked version's PDF and a file name, for a link whose party proved who
    they are (the web layer checks that). Audited ``les_via_godkjenningslenke``.

    Raises:
        RecordNotFoundError: the link does not work, or the PDF is not made yet.
    """
    with deps.sessions.begin() as session:
        lenke, rad = _aapen(session, token, deps.clock())
        versjon = rad.gjeldende
        if versjon.utkast_pdf_sha256 is None:
            raise RecordNotFoundError("filen er ikke laget ennå")
        logg(session, _som_part(lenke, None), "les_via_godkjenningslenke", "dokument", rad.id)
        sha, navn = versjon.utkast_pdf_sha256, dokumenter.filnavn(rad, versjon, "pdf")
    return deps.store.get(sha), navn


def send_kode(deps: Deps, token: str, *, fra: str | None, foresporsel: str | None) -> str:
    """E-mail a new six-digit one-time code to the link's address (earlier codes become
    void); return the address, partly hidden. Audited ``send_godkjenningskode``.

    Raises:
        RecordNotFoundError: the link does not work.
        StateConflictError: too many codes were sent for the link, or e-mail is not set up.
        EmailSendFailedError: the SMTP server did not take the message.
    """
    if not deps.settings.smtp_aktiv:
        raise StateConflictError("e-post er ikke satt opp; be den som sendte lenken om hjelp")
    naa = deps.clock()
    kode = f"{secrets.randbelow(10**6):06d}"
    with deps.sessions.begin() as session:
        lenke, rad = _aapen(session, token, naa)
        if lenke.koder_sendt >= MAKS_KODER:
            raise StateConflictError(
                "det er sendt for mange koder for denne lenken; be om en ny lenke"
            )
        lenke.kode_sha256, lenke.kode_utloper = _kodehash(token, kode), naa + KODE_LEVETID
        lenke.kode_forsok, lenke.koder_sendt = 0, lenke.koder_sendt + 1
        logg(session, _som_part(lenke, fra, foresporsel), "send_godkjenningskode", "dokument",
             rad.id)  # fmt: skip
        til, navn, tittel = lenke.epost, lenke.navn, dokumenter.tittel(rad.type)
    tekst = (
        f"Hei {navn}\n\nEngangskoden din for å åpne «{tittel}» er:\n\n{kode}\n\n"
        f"Koden virker i {int(KODE_LEVETID.total_seconds() // 60)} minutter. "
        "Har du ikke bedt om den, kan du se bort fra denne e-posten.\n"
    )
    epost.send(deps.settings, til, "Engangskode til godkjenning", tekst)
    return _skjult(til)


def bekreft_kode(
    deps: Deps, token: str, kode: str, *, fra: str | None, foresporsel: str | None
) -> None:
    """Check the one-time code of a link; a right code is spent. Audited
    ``bekreft_godkjenningskode``; a wrong one counts, and after :data:`MAKS_KODEFORSOK` the
    code is void.

    Raises:
        RecordNotFoundError: the link does not work.
        InputInvalidError: the code is wrong, expired or void (``kode``).
    """
    naa = deps.clock()
    kode = "".join(kode.split())[:20]
    with deps.sessions.begin() as session:
        lenke, rad = _aapen(session, token, naa)
        hvem = _som_part(lenke, fra, foresporsel)
        if lenke.kode_sha256 is None or utc(lenke.kode_utloper or naa) <= naa:
            raise InputInvalidError(
                [FieldError("kode", "koden er utløpt eller brukt; be om en ny kode")]
            )
        if lenke.kode_forsok >= MAKS_KODEFORSOK:
            raise InputInvalidError([FieldError("kode", "for mange feil forsøk; be om en ny kode")])
        if hmac.compare_digest(lenke.kode_sha256, _kodehash(token, kode)):
            lenke.kode_sha256, lenke.kode_utloper = None, None
            logg(session, hvem, "bekreft_godkjenningskode", "dokument", rad.id)
            return
        lenke.kode_forsok += 1
        igjen = MAKS_KODEFORSOK - lenke.kode_forsok
        logg(session, hvem, "feil_godkjenningskode", "dokument", rad.id)
    melding = (
        f"koden stemmer ikke; du har {igjen} forsøk igjen. Skriv de seks sifrene fra "
        "e-posten, f.eks. 123456"
        if igjen
        else "koden stemmer ikke, og den kan ikke brukes mer; be om en ny kode"
    )
    raise InputInvalidError([FieldError("kode", melding)])


def idporten_part(deps: Deps, token: str, identitet: Mapping[str, Any]) -> str | None:
    """Check an ID-porten login on a link against the link's party; return the name to
    record the approval under (ID-porten's, as given), or None for the link's own.

    A deltaker whose fødselsnummer the register has (the document's deltaker) must be the
    person ID-porten logged in: its ``pid`` must be that number. For another party
    (arbeidsgiver, NAV) no fødselsnummer is known, so the login is taken as theirs and the
    approval names the person ID-porten names. Neither number is logged or shown.

    Raises:
        RecordNotFoundError: the link does not work.
        AccessDeniedError: the link's party is a deltaker and ID-porten logged in someone else
            (:data:`IDPORTEN_ANNEN_PERSON`); nothing is recorded and the link still works.
    """
    with deps.sessions() as session:
        lenke, rad = _aapen(session, token, deps.clock())
        deltaker = (
            session.get(Deltaker, rad.deltaker_id)
            if lenke.part == "deltaker" and rad.deltaker_id is not None
            else None
        )
        kjent = deltaker.fodselsnummer if deltaker is not None else None
    pid = identitet.get("pid")
    if kjent is not None and not (isinstance(pid, str) and hmac.compare_digest(pid, kjent)):
        log.info("ID-porten-innlogging på en godkjenningslenke avvist: ikke lenkens part")
        raise AccessDeniedError(IDPORTEN_ANNEN_PERSON)
    return _idporten_navn(identitet)


def _idporten_navn(identitet: Mapping[str, Any]) -> str | None:
    """Return the person's name as ID-porten gives it (``name``, else given and family
    name), or None when it gives none a document can print."""
    navn = identitet.get("name")
    if not isinstance(navn, str) or not navn.strip():
        deler = [identitet.get("given_name"), identitet.get("family_name")]
        navn = " ".join(d for d in deler if isinstance(d, str) and d.strip())
    navn = " ".join(navn.split())[:200]
    if not navn:
        return None
    try:
        return check_printable(navn)
    except ValueError:
        return None


def godkjenn(
    deps: Deps,
    token: str,
    metode: str,
    *,
    fra: str | None,
    foresporsel: str | None,
    navn: str | None = None,
) -> None:
    """Approve the link's version as its party, spending the link; the last party's
    approval queues the seal (:func:`dokumenter.registrer_godkjenning`).

    Args:
        metode: how the party proved who they are: ``epostlenke`` (the one-time code) or
            ``idporten``; the web layer checks it before calling.
        navn: the name ID-porten gave (:func:`idporten_part`); None: the link's name.

    Raises:
        RecordNotFoundError: the link does not work (used by a click at the same moment too).
    """
    naa = deps.clock()
    with deps.sessions.begin() as session:
        lenke, rad = _aapen(session, token, naa, las=True)
        _bruk(session, lenke, naa, brukt=naa)
        g = dokumenter.Godkjenningsdata(part=lenke.part, navn=navn or lenke.navn)
        hvem = _som_part(lenke, fra, foresporsel)
        versjon_id = dokumenter.registrer_godkjenning(
            session, deps, hvem, rad, g, metode=metode, registrert_av=navn or lenke.navn
        )
    dokumenter.start_forsegling(deps, versjon_id)


def avsla(
    deps: Deps, token: str, begrunnelse: str, *, fra: str | None, foresporsel: str | None
) -> None:
    """Decline the link's version as its party, with a reason the veileder sees; the link
    is spent, and the document's creator gets an e-mail when they have an address and
    e-mail is set up. Audited ``avsla_godkjenning``.

    Raises:
        RecordNotFoundError: the link does not work.
        InputInvalidError: no reason, or a longer one than :data:`MAKS_BEGRUNNELSE`.
    """
    begrunnelse = begrunnelse.strip()
    if not begrunnelse:
        raise InputInvalidError(
            [FieldError("begrunnelse", "skriv hvorfor du ikke godkjenner, f.eks. «Feil sluttdato»")]
        )
    if len(begrunnelse) > MAKS_BEGRUNNELSE:
        raise InputInvalidError(
            [FieldError("begrunnelse", f"kan ha høyst {MAKS_BEGRUNNELSE} tegn")]
        )
    naa = deps.clock()
    with deps.sessions.begin() as session:
        lenke, rad = _aapen(session, token, naa)
        _bruk(session, lenke, naa, avslatt=naa, avslag_begrunnelse=begrunnelse)
        logg(session, _som_part(lenke, fra, foresporsel), "avsla_godkjenning", "dokument", rad.id,
             f"part {lenke.part}")  # fmt: skip
        til = _skaperens_epost(session, rad)
        tekst = (
            f"{lenke.navn} ({PARTNAVN.get(lenke.part, lenke.part)}) har ikke godkjent "
            f"«{dokumenter.tittel(rad.type)}», versjon {rad.gjeldende.nummer}.\n\n"
            "Begrunnelsen står på dokumentets side i dokgen. Rett dokumentet og send en ny "
            "godkjenningslenke.\n"
        )
    if til and deps.settings.smtp_aktiv:
        try:
            epost.send(deps.settings, til, "Et dokument ble ikke godkjent", tekst)
        except (EmailSendFailedError, SettingsInvalidError) as exc:
            # The decline stands; the veileder sees it on the document's page.
            log.warning("varsel om avslag ble ikke sendt (%s)", type(exc).__name__)


def _skaperens_epost(session: Session, rad: Dokument) -> str | None:
    return session.scalar(
        select(Bruker.epost)
        .where(Bruker.org_id == rad.org_id, Bruker.navn == rad.opprettet_av, Bruker.aktiv.is_(True))
        .limit(1)
    )


def _bruk(session: Session, lenke: Godkjenningslenke, naa: datetime, **verdier: Any) -> None:
    """Spend the link by one UPDATE that only a working link matches: of two clicks at
    once, one wins and the other finds it spent.

    Raises:
        RecordNotFoundError: another request spent it first.
    """
    svar: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Godkjenningslenke)
        .where(
            Godkjenningslenke.id == lenke.id,
            Godkjenningslenke.brukt.is_(None),
            Godkjenningslenke.avslatt.is_(None),
            Godkjenningslenke.tilbakekalt.is_(None),
            Godkjenningslenke.utloper > naa,
        )
        .values(**verdier)
        .execution_options(synchronize_session=False)
    )
    if svar.rowcount != 1:
        raise RecordNotFoundError(UGYLDIG)
