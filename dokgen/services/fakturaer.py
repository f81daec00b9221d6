"""Invoices in the service: preview, create, send, register answers, credit, find and download.

Statuses (``Faktura.status``):

- ``behandles``: numbered and stored; a job makes the timeliste PDF, builds and validates;
- ``validert``: built, no fatal finding — may be sent;
- ``ugyldig``: built, but the official rules found fatal errors (``rapport``); never sent;
- ``sending``: a job is handing it to the access point (retrying with backoff);
- ``i_utboks``: written to the outbox folder (transport ``katalog``), "Lagt i utboks – ikke
  sendt": the access point fetches it from there;
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
from dokgen.services import aksesspunkt, fakturasvar, kreditering, sjekk_sok
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
    I_UTBOKS,
    LEVERT,
    OVERLEVERT,
    SENDING,
    SENDT,
    STATUSTEKST,
    UGYLDIG,
    VALIDERT,
    bygg,
    gjenoppta,
    send_jobb,
)
from dokgen.services.kreditering import Koblinger, Kreditering, Kreditlinje
from dokgen.storage.db import Faktura, Organisasjon, lock_for_update
from ehf.rules import REGELSETT

if TYPE_CHECKING:
    from dokgen.deps import Deps

__all__ = [
    "AVVIST",
    "BEHANDLES",
    "FEILET",
    "I_UTBOKS",
    "LEVERT",
    "SENDING",
    "SENDT",
    "STATUSTEKST",
    "UGYLDIG",
    "VALIDERT",
    "Beregning",
    "Fakturainndata",
    "Forhandsvisning",
    "Koblinger",
    "Kreditering",
    "Kreditlinje",
    "aktivitetsnavn",
    "finn",
    "finn_og_registrer_svar",
    "forhandsvis",
    "forhandsvis_korrigering",
    "forhandsvis_kreditnota",
    "fra_json",
    "fra_timeliste",
    "gjenoppta",
    "hent",
    "koblinger",
    "korriger",
    "kreditlinjer",
    "kreditnota",
    "opprett",
    "prov_igjen",
    "registrer_svar",
    "send",
    "til_utboks",
    "vedlegg",
    "xml",
]

SENDBAR = OVERLEVERT  # states an answer or a credit note may refer to


@dataclass(frozen=True)
class Forhandsvisning:
    """The billing preview: lines per deltaker, every adjustment explained, the total."""

    linjer: list[dict[str, Any]]
    forklaringer: list[dict[str, Any]]
    sum: Decimal
    grunnlag: dict[str, Any]


def til_utboks(deps: Deps, aktor: Aktor) -> bool:
    """Tell whether the organisation's invoices go to the outbox folder (``katalog``): then
    "send" only puts the file there, and the pages say so."""
    aktor.krev("faktura.les")
    with deps.sessions() as session:
        org = session.get(Organisasjon, aktor.org_id)
        innstillinger = dict(org.innstillinger or {}) if org else {}
    return aksesspunkt.valgt(deps.settings, innstillinger) == aksesspunkt.KATALOG


def aktivitetsnavn(regelsett: str | None = None) -> dict[str, str]:
    """Return each activity code's words (``ikke_mott`` → "Deltaker møtte ikke"), from the
    rule packs' ``beskrivelse``; ``regelsett``'s own words win over another pack's."""
    navn = {k: r.beskrivelse for rs in REGELSETT.values() for k, r in rs.aktiviteter.items()}
    if regelsett in REGELSETT:
        navn.update({k: r.beskrivelse for k, r in REGELSETT[regelsett].aktiviteter.items()})
    return navn


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


def opprett(
    deps: Deps,
    aktor: Aktor,
    inndata: Fakturainndata,
    *,
    gjennomforing_id: int | None = None,
    maned: str | None = None,
) -> Faktura:
    """Number and store an invoice, then queue the job that makes, builds and validates it.

    The input's ``fakturanummer``, if any, is replaced by the next number of the
    organisation's sequence (``2026-0042``). The month's close names the gjennomføring and
    month (``2026-10``) the invoice is for, so the list finds it by them.

    Raises:
        AccessDeniedError: the caller may not write invoices.
        GrunnlagInvalidError: every input problem (nothing is stored).
        ProfileViolationError: the buyer's profile refuses the invoice (nothing is stored).
    """
    aktor.krev("faktura.skriv")
    b = _beregn(deps, aktor, inndata)
    rad_id = _lagre(deps, aktor, b, gjennomforing_id=gjennomforing_id, maned=maned)
    deps.jobs.submit(bygg, deps, rad_id)
    return hent(deps, aktor, rad_id, logg_lesing=False)


def _lagre(deps: Deps, aktor: Aktor, b: Beregning, **koblinger: Any) -> str:
    """Number and store a billed invoice (``koblinger``: ``erstatter_id``, the month's);
    return its id."""
    with deps.sessions.begin() as session:
        return lagre_i(session, aktor, b, **koblinger).id


def lagre_i(
    session: Session, aktor: Aktor, b: Beregning, *, detalj: str | None = None, **koblinger: Any
) -> Faktura:
    """Number and store a billed invoice in the caller's transaction (the month's close
    stores its claims and their invoices in one) and audit it; the caller queues its job
    (:func:`bygg`) after the commit.

    Args:
        koblinger: ``erstatter_id``, or the month's ``gjennomforing_id`` and ``maned``.
        detalj: the audit line's detail.
    """
    g = b.grunnlag
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
        **koblinger,
    )
    session.add(rad)
    session.flush()
    logg(session, aktor, "opprett", "faktura", rad.id, detalj)
    return rad


def _krediterbar(kreditert: Faktura) -> None:
    if kreditert.art != "faktura" or kreditert.status not in SENDBAR:
        raise StateConflictError("bare en sendt faktura kan krediteres")


def kreditlinjer(deps: Deps, aktor: Aktor, faktura_id: str) -> list[Kreditlinje]:
    """Return every line of an invoice with the credit note that already credits it, if any.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
    """
    aktor.krev("faktura.les")
    with deps.sessions() as session:
        rad = _faktura(session, aktor, faktura_id)
        return kreditering.linjevalg(rad, kreditering.kreditert_i(session, rad))


def forhandsvis_kreditnota(
    deps: Deps,
    aktor: Aktor,
    faktura_id: str,
    linjer: list[str],
    begrunnelse: str | None,
    *,
    hele: bool = False,
) -> Kreditering:
    """Return exactly what a credit note would credit (lines, hours, amounts, total);
    nothing is made.

    Args:
        deps: the collaborators.
        aktor: the caller (``faktura.skriv``).
        faktura_id: the invoice to credit.
        linjer: the chosen line ids; empty with ``hele`` for every line not yet credited.
        begrunnelse: why (required; printed on the credit note).
        hele: crediting the whole invoice was chosen explicitly.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice is not sent, is a credit note, or is fully credited.
        InputInvalidError: no reason; no line chosen and not ``hele``; unknown or already
            credited lines.
    """
    aktor.krev("faktura.skriv")
    with deps.sessions() as session:
        rad = _faktura(session, aktor, faktura_id)
        _krediterbar(rad)
        feil: list[FieldError] = []
        try:
            tekst = kreditering.begrunnelse(begrunnelse)
        except InputInvalidError as exc:
            feil += exc.errors
            tekst = ""
        try:
            valgt = kreditering.velg_linjer(session, rad, None if hele else linjer)
        except InputInvalidError as exc:
            feil += exc.errors
            valgt = []
        if feil:
            raise InputInvalidError(feil)
        alle = {x.id: x for x in kreditering.linjevalg(rad, {})}
        ut = [alle[str(x["id"])] for x in valgt]
        timer = sum((x.timer for x in ut), Decimal("0"))
        total = sum((x.belop for x in ut), Decimal("0.00"))
        return Kreditering(rad.id, rad.nummer, ut, timer, total, tekst, hele)


def kreditnota(
    deps: Deps,
    aktor: Aktor,
    faktura_id: str,
    linjer: list[str] | None = None,
    begrunnelse: str | None = None,
) -> Faktura:
    """Credit lines of a sent invoice (``None``: all not yet credited) in a new credit note.

    The credit note is numbered from the same sequence; a line is credited at most once. The
    reason is stored (``begrunnelse``) and is the credit note's note (BT-22).

    The credit note references the invoice (BG-3) and goes through the same build,
    validation and sending as an invoice.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice is not sent, is a credit note, or is fully credited.
        InputInvalidError: no reason, or unknown, already credited or no line ids.
    """
    aktor.krev("faktura.skriv")
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        nummer = _nytt_nummer(session, aktor.org_id, idag)
        kreditert = _faktura(session, aktor, faktura_id)
        _krediterbar(kreditert)
        tekst = kreditering.begrunnelse(begrunnelse)
        valgt = kreditering.velg_linjer(session, kreditert, linjer)
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
            grunnlag={
                "krediterer": kreditert.nummer,
                "linjer": [x["id"] for x in valgt],
                "begrunnelse": tekst,
            },
            linjer=valgt,
            forklaringer=[],
            opprettet_av=aktor.navn,
            begrunnelse=tekst,
            gjennomforing_id=kreditert.gjennomforing_id,
            maned=kreditert.maned,
        )
        session.add(rad)
        session.flush()
        logg(session, aktor, "krediter", "faktura", kreditert.id)
        logg(session, aktor, "opprett", "faktura", rad.id)
    deps.jobs.submit(bygg, deps, rad.id)
    return hent(deps, aktor, rad.id, logg_lesing=False)


def koblinger(deps: Deps, aktor: Aktor, faktura_id: str) -> Koblinger:
    """Return the invoice's credit notes and corrections, and the ones it credits or corrects.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
    """
    aktor.krev("faktura.les")
    with deps.sessions() as session:
        return kreditering.koblinger_for(session, _faktura(session, aktor, faktura_id))


def _korrigeringsinndata(
    session: Session, aktor: Aktor, faktura_id: str, endringer: dict[str, str | None]
) -> tuple[Faktura, Fakturainndata]:
    rad = _faktura(session, aktor, faktura_id)
    k = kreditering.koblinger_for(session, rad)
    if k.erstattet_av:
        nummer = k.erstattet_av[0].nummer
        raise StateConflictError(f"fakturaen er allerede korrigert i faktura {nummer}")
    if not k.kan_korrigeres:
        raise StateConflictError(
            "bare en faktura som er avvist av mottaker eller kreditert i sin helhet kan korrigeres"
        )
    bort = ("fakturanummer", "fakturadato", "forfallsdato", "selger")
    data = {felt: v for felt, v in dict(rad.grunnlag).items() if felt not in bort}
    for felt, verdi in endringer.items():
        if verdi is not None:
            data[felt] = verdi.strip() or None
            if data[felt] is None:
                del data[felt]
    session.expunge(rad)
    return rad, fra_json(data)


def forhandsvis_korrigering(
    deps: Deps, aktor: Aktor, faktura_id: str, **endringer: str | None
) -> Forhandsvisning:
    """Bill a rejected or fully credited invoice's grunnlag again, dated today, with the
    references changed as given (``deres_referanse``, ``bestillingsnummer``); nothing is
    stored.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice is neither rejected nor fully credited, or already
            corrected.
        GrunnlagInvalidError: the grunnlag no longer passes (e.g. the settings changed).
        ProfileViolationError: the buyer's profile refuses it.
    """
    aktor.krev("faktura.skriv")
    with deps.sessions() as session:
        _, inndata = _korrigeringsinndata(session, aktor, faktura_id, endringer)
    return forhandsvis(deps, aktor, inndata)


def korriger(deps: Deps, aktor: Aktor, faktura_id: str, **endringer: str | None) -> Faktura:
    """Make the corrected invoice of a rejected or fully credited one ("Lag korrigert
    faktura"): its grunnlag, dated today, with ``erstatter_id`` pointing to the old one.

    Raises:
        RecordNotFoundError: no such invoice in the caller's organisation.
        StateConflictError: the invoice is neither rejected nor fully credited, or already
            corrected.
        GrunnlagInvalidError: the grunnlag no longer passes.
        ProfileViolationError: the buyer's profile refuses it.
    """
    aktor.krev("faktura.skriv")
    with deps.sessions() as session:
        gammel, inndata = _korrigeringsinndata(session, aktor, faktura_id, endringer)
    b = _beregn(deps, aktor, inndata)
    ekstra = {"gjennomforing_id": gammel.gjennomforing_id, "maned": gammel.maned}
    rad_id = _lagre(deps, aktor, b, erstatter_id=gammel.id, **ekstra)
    deps.jobs.submit(bygg, deps, rad_id)
    return hent(deps, aktor, rad_id, logg_lesing=False)


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
