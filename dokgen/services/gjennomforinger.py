"""Gjennomføringer: the running instances of a tiltak the organisation's deltakere are in.

Admins create and change them; every role reads them. ``regelsett`` names the agreement's
rule pack, which sets both the billing rules and the frister (:mod:`dokgen.oppfolging.frister`).
How a gjennomføring is claimed (:class:`~dokgen.oppfolging.modeller.FaktureringInn`: kravform,
buyer, references, timepris periods, rule pack) admins and regnskap set
(:func:`endre_fakturering`); :func:`mangler_for_krav` says what a claim still needs.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import FAKTURERINGSFELT, FaktureringInn, GjennomforingInn
from dokgen.oppfolging.regelsett import REGELSETT
from dokgen.services import innstillinger
from dokgen.services.audit import logg
from dokgen.services.innstillinger import Mangel
from dokgen.storage.db import Gjennomforing, Organisasjon, foreld_frister

if TYPE_CHECKING:
    from dokgen.deps import Deps


def som_data(rad: Gjennomforing) -> dict[str, Any]:
    """Return a gjennomføring as the API answers it (the input's fields and its id)."""
    return {
        "id": rad.id,
        "navn": rad.navn,
        "tiltakstype": rad.tiltakstype,
        "avtalenummer": rad.avtalenummer,
        "tiltaksnummer": rad.tiltaksnummer,
        "regelsett": rad.regelsett,
        "startdato": rad.startdato.isoformat(),
        "sluttdato": rad.sluttdato.isoformat() if rad.sluttdato else None,
        "timepris": rad.timepris,
        "timepriser": [dict(p) for p in rad.timepriser or []],
        "kravform": rad.kravform,
        "kjoper": rad.kjoper,
        "deres_referanse": rad.deres_referanse,
        "bestillingsnummer": rad.bestillingsnummer,
        "evaluering_dager": rad.evaluering_dager,
        "sluttrapport_dager": rad.sluttrapport_dager,
        "resultatrapport_dag": rad.resultatrapport_dag,
    }


def _regelsett(navn: str) -> None:
    if navn not in REGELSETT:
        kjente = ", ".join(sorted(REGELSETT))
        raise InputInvalidError(
            [FieldError("regelsett", f"ukjent regelsett «{navn}»: velg en av {kjente}")]
        )


def _fyll_fakturering(rad: Gjennomforing, inn: GjennomforingInn | FaktureringInn) -> None:
    data = inn.model_dump(mode="json")
    for felt in ("kravform", "regelsett", "kjoper", "deres_referanse", "bestillingsnummer"):
        setattr(rad, felt, data[felt])
    rad.timepris = None if inn.timepris is None else f"{inn.timepris:.2f}"
    perioder = sorted(inn.timepriser, key=lambda p: p.fra)
    rad.timepriser = [
        {
            "fra": p.fra.isoformat(),
            "til": p.til.isoformat() if p.til else None,
            "timepris": f"{p.timepris:.2f}",
        }
        for p in perioder
    ]


def _fyll(rad: Gjennomforing, inn: GjennomforingInn) -> None:
    data = inn.model_dump(mode="json")
    for felt in (
        "navn",
        "tiltakstype",
        "avtalenummer",
        "tiltaksnummer",
        "evaluering_dager",
        "sluttrapport_dager",
        "resultatrapport_dag",
    ):
        setattr(rad, felt, data[felt])
    rad.startdato, rad.sluttdato = inn.startdato, inn.sluttdato
    _fyll_fakturering(rad, inn)


def opprett(deps: Deps, aktor: Aktor, inn: GjennomforingInn) -> dict[str, Any]:
    """Create a gjennomføring in the caller's organisation.

    Raises:
        AccessDeniedError: the caller is not an admin.
        InputInvalidError: the rule pack is unknown (nothing is stored).
    """
    aktor.krev("gjennomforing.skriv")
    _regelsett(inn.regelsett)
    with deps.sessions.begin() as session:
        rad = Gjennomforing(org_id=aktor.org_id)
        _fyll(rad, inn)
        session.add(rad)
        session.flush()
        logg(session, aktor, "opprett", "gjennomforing", str(rad.id))
        return som_data(rad)


def endre(deps: Deps, aktor: Aktor, gjennomforing_id: int, inn: GjennomforingInn) -> dict[str, Any]:
    """Replace a gjennomføring's fields; its deltakere's frister follow the new rules.

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
        InputInvalidError: the rule pack is unknown (nothing is changed).
    """
    aktor.krev("gjennomforing.skriv")
    _regelsett(inn.regelsett)
    with deps.sessions.begin() as session:
        rad = finn_rad(session, aktor, gjennomforing_id)
        _fyll(rad, inn)
        logg(session, aktor, "endre", "gjennomforing", str(rad.id))
        foreld_frister(session, gjennomforing_ids=[rad.id])
        session.flush()
        return som_data(rad)


def endre_fakturering(
    deps: Deps, aktor: Aktor, gjennomforing_id: int, inn: FaktureringInn
) -> dict[str, Any]:
    """Replace how a gjennomføring is claimed (the fields of :class:`FaktureringInn`) and
    leave the rest; a new rule pack gives its deltakere's frister anew.

    Raises:
        AccessDeniedError: the caller is neither admin nor regnskap.
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
        InputInvalidError: the rule pack is unknown (nothing is changed).
    """
    aktor.krev("gjennomforing.fakturering")
    _regelsett(inn.regelsett)
    with deps.sessions.begin() as session:
        rad = finn_rad(session, aktor, gjennomforing_id)
        forrige = rad.regelsett
        _fyll_fakturering(rad, inn)
        logg(session, aktor, "endre_fakturering", "gjennomforing", str(rad.id))
        if rad.regelsett != forrige:
            foreld_frister(session, gjennomforing_ids=[rad.id])
        session.flush()
        return som_data(rad)


def fakturering(data: dict[str, Any]) -> dict[str, Any]:
    """Return the invoicing fields of a gjennomføring as :func:`som_data` gives it (the
    input of :class:`FaktureringInn`)."""
    return {felt: data[felt] for felt in FAKTURERINGSFELT}


def mangler_for_krav(
    deps: Deps, aktor: Aktor, gjennomforing_id: int, dag: date | None = None
) -> list[Mangel]:
    """Return what a claim for the gjennomføring still needs on ``dag`` (default: today),
    each on the field to fill in (:func:`dokgen.services.innstillinger.mangler_for_krav`):
    ``selger.*`` paths are the organisation's settings, the others the gjennomføring's.

    Raises:
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
    """
    aktor.krev("deltaker.les")
    dag = dag or deps.clock().date()
    with deps.sessions() as session:
        rad = finn_rad(session, aktor, gjennomforing_id)
        org = session.get(Organisasjon, rad.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        return innstillinger.mangler_for_krav(org, rad, dag)


def liste(deps: Deps, aktor: Aktor) -> list[dict[str, Any]]:
    """Return the organisation's gjennomføringer, the running ones first, by name."""
    aktor.krev("deltaker.les")
    query = (
        select(Gjennomforing)
        .where(Gjennomforing.org_id == aktor.org_id)
        .order_by(Gjennomforing.sluttdato.is_not(None), Gjennomforing.navn, Gjennomforing.id)
    )
    with deps.sessions() as session:
        return [som_data(rad) for rad in session.scalars(query)]


def hent(deps: Deps, aktor: Aktor, gjennomforing_id: int) -> dict[str, Any]:
    """Return one gjennomføring.

    Raises:
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
    """
    aktor.krev("deltaker.les")
    with deps.sessions() as session:
        return som_data(finn_rad(session, aktor, gjennomforing_id))


def finn_rad(session: Session, aktor: Aktor, gjennomforing_id: int) -> Gjennomforing:
    """Return the caller's organisation's gjennomføring row.

    Raises:
        RecordNotFoundError: none with that id in the caller's organisation.
    """
    rad = session.get(Gjennomforing, gjennomforing_id)
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke gjennomføringen")
    return rad
