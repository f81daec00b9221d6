"""Gjennomføringer: the running instances of a tiltak the organisation's deltakere are in.

Admins create and change them; every role reads them. ``regelsett`` names the agreement's
rule pack, which sets both the billing rules and the frister (:mod:`dokgen.oppfolging.frister`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import GjennomforingInn
from dokgen.oppfolging.regelsett import REGELSETT
from dokgen.services.audit import logg
from dokgen.storage.db import Gjennomforing, foreld_frister

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
        "kjoper": rad.kjoper,
        "deres_referanse": rad.deres_referanse,
        "bestillingsnummer": rad.bestillingsnummer,
        "evaluering_dager": rad.evaluering_dager,
    }


def _regelsett(navn: str) -> None:
    if navn not in REGELSETT:
        kjente = ", ".join(sorted(REGELSETT))
        raise InputInvalidError(
            [FieldError("regelsett", f"ukjent regelsett «{navn}»: velg en av {kjente}")]
        )


def _fyll(rad: Gjennomforing, inn: GjennomforingInn) -> None:
    data = inn.model_dump(mode="json")
    for felt in (
        "navn",
        "tiltakstype",
        "avtalenummer",
        "tiltaksnummer",
        "regelsett",
        "kjoper",
        "deres_referanse",
        "bestillingsnummer",
        "evaluering_dager",
    ):
        setattr(rad, felt, data[felt])
    rad.startdato, rad.sluttdato = inn.startdato, inn.sluttdato
    rad.timepris = None if inn.timepris is None else f"{inn.timepris:.2f}"


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
