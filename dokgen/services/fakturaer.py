"""Invoices in the service: preview, create, send, register answers, credit, find and download.

Statuses (``Faktura.status``):

- ``behandles``: numbered and stored; a job makes the timeliste PDF, builds and validates;
- ``validert``: built, no fatal finding — may be sent;
- ``ugyldig``: built, but the official rules found fatal errors (``rapport``); never sent;
- ``sending``: a job is handing it to the access point (retrying with backoff);
- ``sendt``: the access point took it (``meldings_id``);
- ``levert`` / ``avvist``: an Invoice Response or MLS came back (the reason is kept; an MLS
  finds its invoice by the SBDH instance id the send recorded, see ``fakturasvar``);
- ``feilet``: building or sending failed for good (``feil``); :func:`prov_igjen` retries.

Every read and write is written to the audit log; other organisations' invoices do not exist
for the caller. Numbers come from the organisation's gap-free sequence: ``YYYY-NNNN``, the
year of the fakturadato and the counter ``organisasjon.neste_fakturanummer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError, StateConflictError
from dokgen.runtime import leases
from dokgen.services import fakturasvar, sjekk_sok
from dokgen.services import innstillinger as innstillinger_service
from dokgen.services.audit import logg
from dokgen.services.fakturagrunnlag import (
    Beregning,
    Fakturainndata,
    beregn,
    fra_json,
    fra_timeliste,
    grunnlag_for,
)
from dokgen.services.fakturajobber import (
    AVVIST,
    BEHANDLES,
    FEILET,
    LEVERT,
    SENDING,
    SENDT,
    STATUSTEKST,
    UGYLDIG,
    VALIDERT,
    bygg,
    gjenoppta,
    send_jobb,
)
from dokgen.storage.db import Faktura, Organisasjon, lock_for_update

if TYPE_CHECKING:
    from dokgen.deps import Deps

__all__ = [
    "AVVIST",
    "BEHANDLES",
    "FEILET",
    "LEVERT",
    "SENDING",
    "SENDT",
    "STATUSTEKST",
    "UGYLDIG",
    "VALIDERT",
    "Beregning",
    "Fakturainndata",
    "Forhandsvisning",
    "finn",
    "finn_og_registrer_svar",
    "forhandsvis",
    "fra_json",
    "fra_timeliste",
    "gjenoppta",
    "hent",
    "kreditnota",
    "opprett",
    "prov_igjen",
    "registrer_svar",
    "send",
    "vedlegg",
    "xml",
]

SENDBAR = (SENDT, LEVERT, AVVIST)  # states an answer or a credit note may refer to


@dataclass(frozen=True)
class Forhandsvisning:
    """The billing preview: lines per deltaker, every adjustment explained, the total."""

    linjer: list[dict[str, Any]]
    forklaringer: list[dict[str, Any]]
    sum: Decimal
    grunnlag: dict[str, Any]


def _beregn(deps: Deps, aktor: Aktor, inndata: Fakturainndata) -> Beregning:
    # The seller is the caller's organisation as the register has it, never the input's.
    with deps.sessions() as session:
        org = session.get(Organisasjon, aktor.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        innstillinger, selger = dict(org.innstillinger or {}), innstillinger_service.selger(org)
    return beregn(grunnlag_for(inndata, innstillinger, deps.clock().date(), selger=selger))


def forhandsvis(deps: Deps, aktor: Aktor, inndata: Fakturainndata) -> Forhandsvisning:
    """Bill the input by its rule set without storing anything.

    Args:
        deps: the collaborators.
        aktor: the caller (``faktura.skriv``).
        inndata: from :func:`fra_json` or :func:`fra_timeliste`.

    Returns:
        Lines per deltaker (hours, price, amount, each activity's rule) and the adjustments.

    Raises:
        AccessDeniedError: the caller may not write invoices.
        GrunnlagInvalidError: every input problem with its path or CSV row.
        ProfileViolationError: the buyer's profile refuses the invoice.
    """
    aktor.krev("faktura.skriv")
    b = _beregn(deps, aktor, inndata)
    with deps.sessions.begin() as session:
        logg(session, aktor, "forhandsvis", "faktura", None)
    grunnlag = b.grunnlag.model_dump(mode="json", exclude={"fakturanummer"})
    return Forhandsvisning(b.linjer, b.forklaringer, b.sum, grunnlag)


def _nytt_nummer(session: Session, org_id: int, dato: date) -> str:
    # The first statement of the transaction takes the write lock: concurrent creations
    # queue here, and a rollback gives the number back, so the sequence has no gaps.
    neste = session.execute(
        update(Organisasjon)
        .where(Organisasjon.id == org_id)
        .values(neste_fakturanummer=Organisasjon.neste_fakturanummer + 1)
        .returning(Organisasjon.neste_fakturanummer)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return f"{dato.year}-{neste - 1:04d}"


def opprett(deps: Deps, aktor: Aktor, inndata: Fakturainndata) -> Faktura:
    """Number and store an invoice, then queue the job that makes, builds and validates it.

    The input's ``fakturanummer``, if any, is replaced by the next number of the
    organisation's sequence (``2026-0042``).

    Raises:
        AccessDeniedError: the caller may not write invoices.
        GrunnlagInvalidError: every input problem (nothing is stored).
        ProfileViolationError: the buyer's profile refuses the invoice (nothing is stored).
    """
    aktor.krev("faktura.skriv")
    b = _beregn(deps, aktor, inndata)
    g = b.grunnlag
    with deps.sessions.begin() as session:
        nummer = _nytt_nummer(session, aktor.org_id, g.fakturadato)
        rad = Faktura(
            org_id=aktor.org_id,
            nummer=nummer,
            art="faktura",
            periode_fra=g.periode.fra.isoformat(),
            periode_til=g.periode.til.isoformat(),
            fakturadato=g.fakturadato.isoformat(),
            belop=str(b.sum),
            status=BEHANDLES,
            grunnlag=g.model_copy(update={"fakturanummer": nummer}).model_dump(mode="json"),
            linjer=b.linjer,
            forklaringer=b.forklaringer,
            opprettet_av=aktor.navn,
        )
        session.add(rad)
        session.flush()
        logg(session, aktor, "opprett", "faktura", rad.id)
    deps.jobs.submit(bygg, deps, rad.id)
    return hent(deps, aktor, rad.id, logg_lesing=False)


def _kreditlinjer(
    session: Session, kreditert: Faktura, linjer: list[str] | None
) -> list[dict[str, Any]]:
    # Read under the numbering's write lock: a double-clicked credit note sees the first.
    query = select(Faktura.grunnlag).where(Faktura.krediterer_id == kreditert.id)
    brukt = {i for g in session.scalars(query) for i in g["linjer"]}
    known = [x["id"] for x in kreditert.linjer]
    if linjer is None and not set(known) - brukt:
        raise StateConflictError("hele fakturaen er allerede kreditert")
    wanted = [i for i in known if i not in brukt] if linjer is None else linjer
    ukjente = [i for i in wanted if i not in known]
    kreditert_for = [i for i in wanted if i in brukt]
    errors = [f"ukjente linjer: {', '.join(ukjente)}"] if ukjente else []
    errors += [f"allerede kreditert: {', '.join(kreditert_for)}"] if kreditert_for else []
    if errors or not wanted:
        raise InputInvalidError([FieldError("linjer", m) for m in errors or ["ingen linjer valgt"]])
    return [x for x in kreditert.linjer if x["id"] in wanted]


def kreditnota(
    deps: Deps, aktor: Aktor, faktura_id: str, linjer: list[str] | None = None
) -> Faktura:
    """Credit lines of a sent invoice (``None``: all not yet credited) in a new credit note.

    The credit note is numbered from the same sequence; a line is credited at most once.

    The credit note references the invoice (BG-3) and goes through the same build,
    validation and sending as an invoice.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice is not sent, is a credit note, or is fully credited.
        InputInvalidError: unknown, already credited or no line ids.
    """
    aktor.krev("faktura.skriv")
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        nummer = _nytt_nummer(session, aktor.org_id, idag)
        kreditert = _faktura(session, aktor, faktura_id)
        if kreditert.art != "faktura" or kreditert.status not in SENDBAR:
            raise StateConflictError("bare en sendt faktura kan krediteres")
        valgt = _kreditlinjer(session, kreditert, linjer)
        rad = Faktura(
            org_id=aktor.org_id,
            nummer=nummer,
            art="kreditnota",
            krediterer_id=kreditert.id,
            periode_fra=kreditert.periode_fra,
            periode_til=kreditert.periode_til,
            fakturadato=idag.isoformat(),
            belop=str(sum((Decimal(x["belop"]) for x in valgt), Decimal("0.00"))),
            status=BEHANDLES,
            grunnlag={"krediterer": kreditert.nummer, "linjer": [x["id"] for x in valgt]},
            linjer=valgt,
            forklaringer=[],
            opprettet_av=aktor.navn,
        )
        session.add(rad)
        session.flush()
        logg(session, aktor, "krediter", "faktura", kreditert.id)
        logg(session, aktor, "opprett", "faktura", rad.id)
    deps.jobs.submit(bygg, deps, rad.id)
    return hent(deps, aktor, rad.id, logg_lesing=False)


def send(deps: Deps, aktor: Aktor, faktura_id: str) -> Faktura:
    """Queue a validated invoice for the access point, once: a second call sends nothing.

    Only ``validert`` (or ``feilet`` after a failed send) moves to ``sending``, in one
    conditional UPDATE; an invoice already ``sending``/``sendt``/``levert``/``avvist`` is
    returned as it is.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice is not built, or has fatal findings.
    """
    aktor.krev("faktura.skriv")
    with deps.sessions.begin() as session:
        tatt = session.execute(
            update(Faktura)
            .where(Faktura.id == faktura_id, Faktura.org_id == aktor.org_id)
            .where(
                (Faktura.status == VALIDERT)
                | ((Faktura.status == FEILET) & Faktura.xml_sha256.is_not(None))
            )
            .values(status=SENDING, feil=None)
            .returning(Faktura.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        rad = _faktura(session, aktor, faktura_id)
        if tatt is None and rad.status not in (SENDING, *SENDBAR):
            raise StateConflictError(f"fakturaen kan ikke sendes nå ({STATUSTEKST[rad.status]})")
        logg(session, aktor, "send" if tatt else "send_igjen_ignorert", "faktura", rad.id)
    if tatt:
        deps.jobs.submit(send_jobb, deps, faktura_id)
    return hent(deps, aktor, faktura_id, logg_lesing=False)


def prov_igjen(deps: Deps, aktor: Aktor, faktura_id: str) -> Faktura:
    """Retry a failed or stalled invoice: the send when it was built, else the build.

    A stalled invoice (no job has held it for a lease's length: its worker died) is taken up
    where it stopped; a send is resumed under the same idempotency key.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice has not failed and a job still works on it.
    """
    aktor.krev("faktura.skriv")
    with deps.sessions.begin() as session:
        rad = _faktura(session, aktor, faktura_id, las=True)
        avbrutt = stanset(deps, rad)
        if rad.status != FEILET and not avbrutt:
            raise StateConflictError("bare en feilet eller stanset faktura kan prøves igjen")
        jobb = send_jobb if rad.status == SENDING else bygg
        if avbrutt or rad.xml_sha256 is None:
            if not avbrutt:
                rad.status, rad.feil = BEHANDLES, None
            rad.jobb_frist, rad.jobb_forsok = None, 0  # a person's retry: fresh attempts
            logg(session, aktor, "prov_igjen", "faktura", rad.id)
    if not avbrutt and rad.xml_sha256 is not None:
        return send(deps, aktor, faktura_id)
    deps.jobs.submit(jobb, deps, faktura_id)
    return hent(deps, aktor, faktura_id, logg_lesing=False)


def stanset(deps: Deps, rad: Faktura) -> bool:
    """Whether no job has held the invoice for a lease's length in a worker's status (its
    worker died): a retry may take it up now."""
    return leases.stalled(deps, rad, (BEHANDLES, SENDING))


def registrer_svar(deps: Deps, aktor: Aktor, faktura_id: str, xml: bytes) -> Faktura:
    """Record an Invoice Response, MLR or MLS on this invoice: ``levert`` or ``avvist`` with
    the reason.

    Answers other than a rejection (received, approved, paid, delivered with or without
    confirmation …) keep the invoice ``levert``. Each answer is kept in
    ``forsok`` with its kind, code and reason (see :mod:`dokgen.services.fakturasvar`).

    Raises:
        PayloadTooLargeError: the answer is over 1 MB.
        XmlUnsafeError: the XML is not well-formed or carries a DTD/entities.
        InputInvalidError: not an answer we can read, or it names another invoice.
        RecordNotFoundError: no such invoice in the caller's organisation.
        TransmissionNotFoundError: an MLS or MLR about a transmission the organisation never
            made.
        StateConflictError: the invoice has not been sent.
    """
    aktor.krev("faktura.skriv")
    svar = fakturasvar.les(xml)
    with deps.sessions.begin() as session:
        rad = _faktura(session, aktor, faktura_id, las=True)
        fakturasvar.registrer(session, rad, svar)
        logg(session, aktor, "registrer_svar", "faktura", rad.id)
    return hent(deps, aktor, faktura_id, logg_lesing=False)


def finn_og_registrer_svar(deps: Deps, aktor: Aktor, xml: bytes) -> Faktura:
    """Record an answer on the invoice it refers to: an MLS or MLR by the SBDH instance id of
    the transmission, an Invoice Response by the invoice number.

    Raises:
        PayloadTooLargeError: the answer is over 1 MB.
        XmlUnsafeError: the XML is not well-formed or carries a DTD/entities.
        InputInvalidError: not an answer we can read.
        TransmissionNotFoundError: an MLS or MLR about a transmission the organisation never
            made.
        RecordNotFoundError: an Invoice Response about an invoice the organisation lacks.
        StateConflictError: the invoice has not been sent.
    """
    aktor.krev("faktura.skriv")
    svar = fakturasvar.les(xml)
    with deps.sessions.begin() as session:
        rad = fakturasvar.finn(session, aktor.org_id, svar)
        fakturasvar.registrer(session, rad, svar)
        logg(session, aktor, "registrer_svar", "faktura", rad.id)
    return hent(deps, aktor, rad.id, logg_lesing=False)


def hent(deps: Deps, aktor: Aktor, faktura_id: str, *, logg_lesing: bool = True) -> Faktura:
    """Return one invoice with its attempts and answers.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
    """
    aktor.krev("faktura.les")
    with deps.sessions() as session:
        rad = _faktura(session, aktor, faktura_id)
        _ = rad.forsok
        session.expunge_all()  # the rows outlive the read-only session
    if logg_lesing:
        deps.read_audit.write(aktor, "les", "faktura", rad.id)
    return rad


def finn(
    deps: Deps,
    aktor: Aktor,
    *,
    status: str | None = None,
    art: str | None = None,
    fra: str | None = None,
    til: str | None = None,
    grense: int = 200,
) -> list[Faktura]:
    """Return the organisation's invoices, newest first.

    ``fra``/``til`` (ISO dates) keep invoices whose period overlaps them.

    Raises:
        InputInvalidError: a search field is longer than ``MAKS_SOK``.
    """
    aktor.krev("faktura.les")
    sjekk_sok({"status": status, "art": art, "fra": fra, "til": til})
    query = (
        select(Faktura)
        .where(Faktura.org_id == aktor.org_id)
        .options(selectinload(Faktura.forsok))
        .order_by(Faktura.opprettet.desc(), Faktura.nummer.desc())
        .limit(grense)
    )
    if status:
        query = query.where(Faktura.status == status)
    if art:
        query = query.where(Faktura.art == art)
    if fra:
        query = query.where(Faktura.periode_til >= fra)
    if til:
        query = query.where(Faktura.periode_fra <= til)
    with deps.sessions() as session:
        rader = list(session.scalars(query))
        session.expunge_all()
    deps.read_audit.write(aktor, "sok", "faktura", None)
    return rader


def _fil(deps: Deps, aktor: Aktor, faktura_id: str, art: str) -> tuple[bytes, str]:
    aktor.krev("faktura.les")
    with deps.sessions.begin() as session:
        rad = _faktura(session, aktor, faktura_id)
        sha = rad.xml_sha256 if art == "xml" else rad.vedlegg_sha256
        if sha is None:
            raise RecordNotFoundError("filen er ikke laget" + (" ennå" if art == "xml" else ""))
        logg(session, aktor, f"last_ned_{art}", "faktura", rad.id)
        navn = f"{rad.art}-{rad.nummer}.xml" if art == "xml" else f"timeliste-{rad.nummer}.pdf"
    return deps.store.get(sha), navn


def xml(deps: Deps, aktor: Aktor, faktura_id: str) -> tuple[bytes, str]:
    """Return the UBL XML and a download name.

    Raises:
        RecordNotFoundError: no such invoice, or it is not built yet.
    """
    return _fil(deps, aktor, faktura_id, "xml")


def vedlegg(deps: Deps, aktor: Aktor, faktura_id: str) -> tuple[bytes, str]:
    """Return the timeliste specification PDF the invoice carries, and a download name.

    Raises:
        RecordNotFoundError: no such invoice, not made yet, or a credit note (none).
    """
    return _fil(deps, aktor, faktura_id, "vedlegg")


def _faktura(session: Session, aktor: Aktor, faktura_id: str, *, las: bool = False) -> Faktura:
    if las:  # a read-decide-write: see lock_for_update
        lock_for_update(
            session,
            select(Faktura.id).where(Faktura.id == faktura_id, Faktura.org_id == aktor.org_id),
        )
    rad = session.get(Faktura, faktura_id)
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke fakturaen")
    return rad
