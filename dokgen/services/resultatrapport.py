"""Resultatrapport: a gjennomføring's monthly report of active and ended deltakere and their
status on the labour market at the end (JMO §9.2), counted from the register.

:func:`beregn` counts the month (:mod:`dokgen.oppfolging.resultat`) from the deltakere's
dates and statuses and the codes of their finalised final reports, grouped by the rule pack's
categories (:class:`~dokgen.oppfolging.regelsett.Resultatstatus`), with the mapping in words.
:func:`eksporter` makes the spreadsheet or the sealed PDF/A; the first export of a month that
has ended meets the month's frist (type ``resultatrapport``, due the gjennomføring's
``resultatrapport_dag`` of the following month) and is kept in the ``resultatrapport`` table.
It names no person: numbers only, and the audit line names the gjennomføring and month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.documents import resultatrapport as filer
from dokgen.documents.pdf.seal import Godkjenningslinje
from dokgen.documents.pipeline import pdf_fra_mal
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging import resultat
from dokgen.oppfolging.regelsett import REGELSETT, Regelsett
from dokgen.services.audit import logg
from dokgen.services.gjennomforinger import finn_rad
from dokgen.storage.db import (
    Deltaker,
    Dokument,
    Gjennomforing,
    Organisasjon,
    Resultatrapport,
    utc,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps

XLSX = "xlsx"
PDF = "pdf"
FORMATER: dict[str, str] = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
}
FRISTTYPE = "resultatrapport"
METODE = "eksportert fra dokgen"  # the seal's line: who exported the report


@dataclass(frozen=True)
class Eksport:
    """An exported report: its bytes, download name and media type."""

    innhold: bytes
    filnavn: str
    mediatype: str


def beregn(deps: Deps, aktor: Aktor, gjennomforing_id: int, maned: str) -> dict[str, Any]:
    """Return a gjennomføring's resultatrapport for a month (``YYYY-MM``).

    Raises:
        AccessDeniedError: the caller's role may not read the resultatrapport (a veileder:
            the report counts every deltaker of the gjennomføring, not only theirs).
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
        InputInvalidError: the month is not ``YYYY-MM``.
    """
    aktor.krev("resultatrapport.les")
    resultat.maned_periode(maned)
    with deps.sessions() as session:
        rapport = _rapport(session, aktor, gjennomforing_id, maned)
    deps.read_audit.write(aktor, "les", "resultatrapport", f"{gjennomforing_id}:{maned}")
    return rapport


def _rapport(session: Session, aktor: Aktor, gjennomforing_id: int, maned: str) -> dict[str, Any]:
    g = finn_rad(session, aktor, gjennomforing_id)
    org = session.get(Organisasjon, g.org_id)
    if org is None:
        raise RecordNotFoundError("fant ikke organisasjonen")
    pakke = REGELSETT.get(g.regelsett)
    status = pakke.resultatstatus if pakke is not None else None
    deltakere = [
        resultat.Deltakerdata(*rad)
        for rad in session.execute(
            select(Deltaker.id, Deltaker.oppstartdato, Deltaker.sluttdato, Deltaker.status).where(
                Deltaker.org_id == aktor.org_id, Deltaker.gjennomforing_id == g.id
            )
        )
    ]
    koder = _koder(session, aktor.org_id, [d.id for d in deltakere], status)
    tall = resultat.tell(deltakere, koder, status, maned)
    levert = session.scalar(
        select(Resultatrapport.levert).where(
            Resultatrapport.gjennomforing_id == g.id, Resultatrapport.maned == maned
        )
    )
    frist = _frist(pakke, g, tall.til)
    return {
        "gjennomforing": {
            "id": g.id,
            "navn": g.navn,
            "tiltaksnummer": g.tiltaksnummer,
            "avtalenummer": g.avtalenummer,
            "regelsett": g.regelsett,
            "regelsett_tekst": pakke.beskrivelse if pakke is not None else g.regelsett,
        },
        "arrangor": {"navn": org.navn, "orgnr": org.orgnr},
        "maned": maned,
        "periode": {"fra": tall.fra.isoformat(), "til": tall.til.isoformat()},
        "aktive": tall.aktive,
        "startet": tall.startet,
        "avsluttet": tall.avsluttet,
        "avsluttet_etter_status": [
            {"nokkel": s.nokkel, "tekst": s.tekst, "antall": s.antall} for s in tall.etter_status
        ],
        "kartlegging": {
            "kilde": status.kilde if status is not None else "Regelsettet har ingen statuser",
            "rader": [
                {"status": kode, "kategori": kategori}
                for kode, kategori in resultat.kartlegging(status)
            ],
        },
        "frist": frist.isoformat() if frist else None,
        "levert": utc(levert).date().isoformat() if levert else None,
    }


def _frist(pakke: Regelsett | None, g: Gjennomforing, til: date) -> date | None:
    """Return the month's due date under a pack with a resultatrapport frist (else None)."""
    if pakke is None or not any(r.type == FRISTTYPE for r in pakke.gjennomforingsregler):
        return None
    return til + timedelta(days=g.resultatrapport_dag)


def _koder(
    session: Session,
    org_id: int,
    deltaker_ids: list[int],
    status: Any,
) -> dict[int, object]:
    """Return the code of each deltaker's latest finalised final report (by deltaker id)."""
    if status is None or not deltaker_ids:
        return {}
    query = (
        select(Dokument)
        .where(
            Dokument.org_id == org_id,
            Dokument.type == status.dokumenttype,
            Dokument.ferdig.is_not(None),
            Dokument.deltaker_id.in_(deltaker_ids),
        )
        .order_by(Dokument.ferdig, Dokument.id)
    )
    koder: dict[int, object] = {}
    for dok in session.scalars(query):
        if dok.deltaker_id is not None:
            koder[dok.deltaker_id] = resultat.kodeverdi(dok.gjeldende.data, status.felt)
    return koder


def eksporter(
    deps: Deps,
    aktor: Aktor,
    gjennomforing_id: int,
    maned: str,
    format_: Literal["xlsx", "pdf"] | str,
) -> Eksport:
    """Return the month's resultatrapport as a spreadsheet or a sealed PDF/A, and record the
    first export of a month that has ended: it meets the month's frist.

    Raises:
        AccessDeniedError: the caller's role may not read the resultatrapport.
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
        InputInvalidError: the month is not ``YYYY-MM``, or the format is neither.
        TemplateInvalidError, ConversionFailedError, SigningFailedError: the PDF could not
            be made or sealed.
    """
    if format_ not in FORMATER:
        melding = "velg xlsx (regneark) eller pdf"
        raise InputInvalidError([FieldError("format", melding)])
    rapport = beregn(deps, aktor, gjennomforing_id, maned)
    innhold = filer.lag_xlsx(rapport) if format_ == XLSX else _pdf(deps, aktor, rapport)
    _registrer(deps, aktor, rapport, format_, innhold)
    return Eksport(innhold, filnavn(rapport, format_), FORMATER[format_])


def _pdf(deps: Deps, aktor: Aktor, rapport: dict[str, Any]) -> bytes:
    pdf = pdf_fra_mal(
        filer.MAL,
        filer.kontekst(rapport),
        filer.tittel(rapport),
        converter=deps.converter,
        maler_dir=deps.settings.maler_dir,
        timeout=deps.settings.mal_tidsgrense,
    )
    tidspunkt = deps.clock()
    if tidspunkt.tzinfo is None:
        tidspunkt = tidspunkt.replace(tzinfo=UTC)
    linje = Godkjenningslinje(
        navn=aktor.navn,
        rolle=f"Tiltaksarrangør {rapport['arrangor']['navn']}",
        metode=METODE,
        tidspunkt=tidspunkt,
    )
    dokument_id = f"resultatrapport-{rapport['gjennomforing']['id']}-{rapport['maned']}"
    return deps.sealer_for(aktor.org_id).seal(pdf, godkjenninger=[linje], dokument_id=dokument_id)


def _registrer(
    deps: Deps, aktor: Aktor, rapport: dict[str, Any], format_: str, innhold: bytes
) -> None:
    """Keep the export of a month that has ended (the first one meets the frist) and mark the
    gjennomføring's stored frister to be computed again; a month still running is not
    the report for «foregående måned» and is not kept."""
    idag = deps.clock().date()
    if date.fromisoformat(rapport["periode"]["til"]) >= idag:
        return
    gid, maned = rapport["gjennomforing"]["id"], rapport["maned"]
    tall = {k: rapport[k] for k in ("aktive", "startet", "avsluttet", "avsluttet_etter_status")}
    sha = deps.store.put(innhold) if format_ == PDF else None
    with deps.sessions.begin() as session:
        rad = session.scalar(
            select(Resultatrapport).where(
                Resultatrapport.gjennomforing_id == gid, Resultatrapport.maned == maned
            )
        )
        tidspunkt = _tidspunkt(deps)
        if rad is None:
            rad = Resultatrapport(
                org_id=aktor.org_id,
                gjennomforing_id=gid,
                maned=maned,
                levert=tidspunkt,
                levert_av=aktor.navn,
                format=format_,
            )
            session.add(rad)
            g = session.get(Gjennomforing, gid)
            if g is not None:
                g.frister_til = None  # its own frister: this month's is now met
        rad.sist_eksportert, rad.tall = tidspunkt, tall
        if sha is not None:
            rad.pdf_sha256 = sha
        logg(session, aktor, "eksporter", "resultatrapport", f"{gid}:{maned}", format_)


def _tidspunkt(deps: Deps) -> datetime:
    return utc(deps.clock())


def filnavn(rapport: dict[str, Any], format_: str) -> str:
    """Return the download name: ``resultatrapport-<gjennomføring id>-2026-10.xlsx``."""
    return f"resultatrapport-{rapport['gjennomforing']['id']}-{rapport['maned']}.{format_}"
