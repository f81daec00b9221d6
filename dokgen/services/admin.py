"""Administration of one organisation: templates, users, the sealing certificate and the
audit log (the invoice settings are in :mod:`dokgen.services.innstillinger`).

Every change is written to the audit log; only the ``admin`` role may call these.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dokgen.access import ROLLER, Aktor
from dokgen.documents.pdf.certs import advarsler, les_sertifikat, nevner_organisasjonen
from dokgen.documents.templates_check import MALTYPER, check_template
from dokgen.errors import (
    CertificateRefusedError,
    DocumentTypeUnknownError,
    FieldError,
    InputInvalidError,
    RecordNotFoundError,
    SigningFailedError,
    TemplateInvalidError,
)
from dokgen.services import brukere as brukere_service
from dokgen.services import innloggingssperre as sperre
from dokgen.services.audit import linjer, logg, som_csv
from dokgen.services.passordregler import sjekk_epost
from dokgen.storage.crypto import encrypt
from dokgen.storage.db import Bruker, Malversjon, Organisasjon, Revisjon, now

if TYPE_CHECKING:
    from dokgen.deps import Deps

SISTE_ADMIN = (
    "Organisasjonen må ha minst én aktiv administrator. Gi en annen bruker rollen "
    "administrator først."
)


def last_opp_mal(deps: Deps, aktor: Aktor, type_navn: str, filnavn: str, data: bytes) -> Malversjon:
    """Check an uploaded DOCX template and store it as the type's newest version.

    Args:
        filnavn: the uploaded file's name, already stripped of path separators.

    Raises:
        AccessDeniedError: the caller is not an admin.
        DocumentTypeUnknownError: no such type.
        TemplateInvalidError: the file is not a safe DOCX or does not fit the model.
    """
    aktor.krev("admin")
    if type_navn not in MALTYPER:
        raise DocumentTypeUnknownError(type_navn)
    reasons = check_template(type_navn, data, timeout=deps.settings.mal_tidsgrense)
    if reasons:
        raise TemplateInvalidError(reasons)
    sha = deps.store.put(data)
    with deps.sessions.begin() as session:
        siste = session.scalar(
            select(func.max(Malversjon.nummer)).where(
                Malversjon.org_id == aktor.org_id, Malversjon.type == type_navn
            )
        )
        rad = Malversjon(
            org_id=aktor.org_id,
            type=type_navn,
            nummer=(siste or 0) + 1,
            filnavn=(filnavn or f"{type_navn}.docx")[:200],
            sha256=sha,
            lastet_opp_av=aktor.navn,
            tidspunkt=deps.clock(),
        )
        session.add(rad)
        session.flush()
        logg(session, aktor, "last_opp_mal", "mal", str(rad.id))
        session.expunge(rad)
    return rad


def maler(deps: Deps, aktor: Aktor) -> list[Malversjon]:
    """Return the organisation's uploaded templates, newest first."""
    aktor.krev("admin")
    query = (
        select(Malversjon)
        .where(Malversjon.org_id == aktor.org_id)
        .order_by(Malversjon.type, Malversjon.nummer.desc())
    )
    with deps.sessions() as session:
        rader = list(session.scalars(query))
        session.expunge_all()
    return rader


def brukere(deps: Deps, aktor: Aktor) -> list[Bruker]:
    """Return the organisation's users (admins only)."""
    aktor.krev("admin")
    query = select(Bruker).where(Bruker.org_id == aktor.org_id).order_by(Bruker.brukernavn)
    with deps.sessions.begin() as session:
        logg(session, aktor, "les", "brukere", None)
        rader = list(session.scalars(query))
        session.flush()  # write the audit line before the rows are detached
        session.expunge_all()
    return rader


def opprett_bruker(
    deps: Deps,
    aktor: Aktor,
    *,
    brukernavn: str,
    navn: str,
    rolle: str,
    passord: str,
    epost: str = "",
    ma_bytte_passord: bool = False,
) -> Bruker:
    """Add a user to the caller's organisation.

    Args:
        epost: where set-password links go (optional).
        ma_bytte_passord: the password is a one-time one, to be changed at the first login.

    Raises:
        AccessDeniedError: the caller is not an admin.
        InputInvalidError: unknown role, a password against the rules, taken or empty user
            name, an invalid e-mail address.
    """
    aktor.krev("admin")
    errors = [] if navn.strip() else [FieldError("navn", "mangler (påkrevd felt)")]
    if epost.strip():
        errors += sjekk_epost(epost.strip())
    with deps.sessions.begin() as session:
        org = _org(session, aktor)
        try:
            bruker = brukere_service.opprett_bruker(
                session, org, brukernavn.strip(), navn.strip(), rolle, passord
            )
        except InputInvalidError as exc:
            raise InputInvalidError(errors + exc.errors) from None
        if errors:
            raise InputInvalidError(errors)
        bruker.epost = epost.strip() or None
        bruker.ma_bytte_passord = ma_bytte_passord
        logg(session, aktor, "opprett_bruker", "bruker", str(bruker.id))
        session.flush()  # before the row is detached
        session.expunge(bruker)
    return bruker


def _org(session: Session, aktor: Aktor) -> Organisasjon:
    org = session.get(Organisasjon, aktor.org_id)
    if org is None:
        raise RecordNotFoundError("fant ikke organisasjonen")
    return org


def _bruker(session: Session, aktor: Aktor, bruker_id: int) -> Bruker:
    bruker = session.get(Bruker, bruker_id)
    if bruker is None or bruker.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke brukeren")
    return bruker


def deaktiver_bruker(deps: Deps, aktor: Aktor, bruker_id: int) -> None:
    """Stop a user from logging in (their sessions end at the next request).

    Raises:
        RecordNotFoundError: no such user in the caller's organisation.
        InputInvalidError: the user is the organisation's last active admin.
    """
    aktor.krev("admin")
    with deps.sessions.begin() as session:
        bruker = _bruker_i_last_org(session, aktor, bruker_id)
        if bruker.aktiv:
            _behold_en_admin(session, bruker)
        bruker.aktiv = False
        logg(session, aktor, "deaktiver_bruker", "bruker", str(bruker_id))


def frakoble_oidc(deps: Deps, aktor: Aktor, bruker_id: int) -> None:
    """Remove the OIDC identity bound to a user: the next OIDC login with the user's name
    binds anew (after the person's account at the provider was recreated).

    Raises:
        RecordNotFoundError: no such user in the caller's organisation.
    """
    aktor.krev("admin")
    with deps.sessions.begin() as session:
        _bruker(session, aktor, bruker_id).oidc_id = None
        logg(session, aktor, "frakoble_oidc", "bruker", str(bruker_id))


def innloggingssperrer(deps: Deps, aktor: Aktor, rader: list[Bruker]) -> dict[int, datetime]:
    """Return until when each of these users' names is locked for password logins, for the
    locked ones (admins only)."""
    aktor.krev("admin")
    naa = now()
    with deps.sessions() as session:
        sperrer = {b.id: sperre.sperret_til(session, b.brukernavn, naa) for b in rader}
    return {bruker_id: til for bruker_id, til in sperrer.items() if til is not None}


def opphev_sperre(deps: Deps, aktor: Aktor, bruker_id: int) -> None:
    """Let a user whose name was locked after failed logins try again at once.

    Raises:
        RecordNotFoundError: no such user in the caller's organisation.
    """
    aktor.krev("admin")
    with deps.sessions.begin() as session:
        sperre.nullstill(session, _bruker(session, aktor, bruker_id).brukernavn)
        logg(session, aktor, "opphev_sperre", "bruker", str(bruker_id))


def endre_rolle(deps: Deps, aktor: Aktor, bruker_id: int, rolle: str) -> None:
    """Give a user another role.

    Raises:
        RecordNotFoundError: no such user in the caller's organisation.
        InputInvalidError: unknown role, or the user is the organisation's last active admin.
    """
    aktor.krev("admin")
    if rolle not in ROLLER:
        raise InputInvalidError([FieldError("rolle", "må være en av: " + ", ".join(ROLLER))])
    with deps.sessions.begin() as session:
        bruker = _bruker_i_last_org(session, aktor, bruker_id)
        if rolle != "admin" and bruker.aktiv:
            _behold_en_admin(session, bruker)
        bruker.rolle = rolle
        logg(session, aktor, "endre_rolle", "bruker", str(bruker_id))


_TELEFON = re.compile(r"^\+?[0-9 ]{8,16}$")


def endre_kontakt(deps: Deps, aktor: Aktor, bruker_id: int, *, epost: str, telefon: str) -> None:
    """Set a user's e-mail (where set-password links go) and phone: documents started from a
    deltaker the user follows print them as the arrangør's contact. Empty clears a field.

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such user in the caller's organisation.
        InputInvalidError: not an e-mail address or a phone number (nothing is changed).
    """
    aktor.krev("admin")
    epost, telefon = epost.strip(), telefon.strip()
    errors = sjekk_epost(epost) if epost else []
    if telefon and not _TELEFON.match(telefon):
        errors.append(
            FieldError("telefon", "må være et telefonnummer med 8 siffer, f.eks. 90000001")
        )
    if errors:
        raise InputInvalidError(errors)
    with deps.sessions.begin() as session:
        bruker = _bruker(session, aktor, bruker_id)
        bruker.epost, bruker.telefon = epost or None, telefon or None
        logg(session, aktor, "endre_kontakt", "bruker", str(bruker_id))


def _bruker_i_last_org(session: Session, aktor: Aktor, bruker_id: int) -> Bruker:
    """Return the user after locking the organisation's row, so two admins' changes of
    roles at once are made one after the other and both see the other's (PostgreSQL: the
    row lock; SQLite: the write lock, taken by this UPDATE before anything is read)."""
    session.execute(
        update(Organisasjon)
        .where(Organisasjon.id == aktor.org_id)
        .values(navn=Organisasjon.navn)  # a column no foreign key refers to
    )
    return _bruker(session, aktor, bruker_id)


def _behold_en_admin(session: Session, bruker: Bruker) -> None:
    """Refuse to take the admin role from the organisation's last active admin.

    Raises:
        InputInvalidError: ``bruker`` is that admin.
    """
    if bruker.rolle != "admin":
        return
    andre = session.scalar(
        select(func.count(Bruker.id)).where(
            Bruker.org_id == bruker.org_id,
            Bruker.rolle == "admin",
            Bruker.aktiv,
            Bruker.id != bruker.id,
        )
    )
    if not andre:
        raise InputInvalidError([FieldError("rolle", SISTE_ADMIN)])


def arrangor(deps: Deps, aktor: Aktor) -> dict[str, str]:
    """Return the caller's organisation as a document's arrangør (``navn``, ``orgnr``; any role)."""
    with deps.sessions() as session:
        org = _org(session, aktor)
        return {"navn": org.navn, "orgnr": org.orgnr}


def sertifikat(deps: Deps, aktor: Aktor) -> dict[str, Any] | None:
    """Return what the organisation's own sealing certificate is (never the key or password)."""
    aktor.krev("admin")
    with deps.sessions() as session:
        cert = (_org(session, aktor).innstillinger or {}).get("sertifikat")
    if not cert:
        return None
    shown = {k: cert[k] for k in ("emne", "utsteder", "gyldig_til", "lastet_opp_av")}
    return {**shown, "advarsler": list(cert.get("advarsler") or [])}


def lagre_sertifikat(deps: Deps, aktor: Aktor, data: bytes, passord: str) -> list[str]:
    """Check an uploaded PKCS#12 certificate and make it the organisation's seal.

    The file goes to the file store; its password is stored encrypted (``dokgen.storage.crypto``).
    The subject is audited; a self-signed certificate, or one whose subject names neither
    the organisation's orgnr nor its name, is stored with warnings (``certs.advarsler``).

    Returns:
        The warnings (bokmål), empty when there are none.

    Raises:
        AccessDeniedError: the caller is not an admin.
        InputInvalidError: not a PKCS#12 file, wrong password, no key, not valid now, too
            large or asking for too many key derivation rounds.
    """
    aktor.krev("admin")
    try:
        info = les_sertifikat(data, passord or None)
    except CertificateRefusedError as exc:
        raise InputInvalidError([FieldError("sertifikat", str(exc))]) from None
    except SigningFailedError:
        raise InputInvalidError(
            [FieldError("sertifikat", "kan ikke åpnes: feil passord eller ikke en .p12/.pfx-fil")]
        ) from None
    now = deps.clock()
    if not info.gyldig_fra <= now <= info.gyldig_til:
        when = info.gyldig_til if now > info.gyldig_til else info.gyldig_fra
        verb = "gikk ut" if now > info.gyldig_til else "gjelder først fra"
        raise InputInvalidError(
            [FieldError("sertifikat", f"sertifikatet {verb} {when.strftime('%d.%m.%Y')}")]
        )
    sha = deps.store.put(data)
    with deps.sessions.begin() as session:
        org = _org(session, aktor)
        varsler = advarsler(info, org.navn, org.orgnr)
        org.innstillinger = {
            **(org.innstillinger or {}),
            "sertifikat": {
                "sha256": sha,
                "passord": encrypt(deps.settings, passord),
                "emne": info.emne,
                "utsteder": info.utsteder,
                "gyldig_til": info.gyldig_til.date().isoformat(),
                "lastet_opp_av": aktor.navn,
                "advarsler": varsler,
            },
        }
        merknader = ["selvsignert"] if info.selvsignert else []
        if not nevner_organisasjonen(info, org.navn, org.orgnr):
            merknader.append("nevner ikke organisasjonen")
        detalj = "; ".join([f"emne: {info.emne}", f"utsteder: {info.utsteder}", *merknader])
        logg(session, aktor, "endre_sertifikat", "organisasjon", str(org.id), detalj)
    return varsler


def fjern_sertifikat(deps: Deps, aktor: Aktor) -> None:
    """Go back to the instance's certificate for this organisation's seals."""
    aktor.krev("admin")
    with deps.sessions.begin() as session:
        org = _org(session, aktor)
        org.innstillinger = {
            k: v for k, v in (org.innstillinger or {}).items() if k != "sertifikat"
        }
        logg(session, aktor, "fjern_sertifikat", "organisasjon", str(org.id))


def revisjonslogg(deps: Deps, aktor: Aktor, *, grense: int = 1000) -> list[Revisjon]:
    """Return the organisation's newest audit lines, newest first; the read is audited
    ``les`` (admins only).

    Raises:
        AccessDeniedError: the caller is not an admin.
    """
    with deps.sessions.begin() as session:
        rader = list(linjer(session, aktor, grense=grense))
        logg(session, aktor, "les", "revisjonslogg", None)
    return rader


def eksporter_revisjonslogg(deps: Deps, aktor: Aktor) -> str:
    """Return the organisation's newest audit lines as CSV (``audit.som_csv``); audited
    ``eksporter`` (admins only).

    Raises:
        AccessDeniedError: the caller is not an admin.
    """
    with deps.sessions.begin() as session:
        tekst = som_csv(linjer(session, aktor))
        logg(session, aktor, "eksporter", "revisjonslogg", None)
    return tekst
