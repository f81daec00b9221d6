"""The NAV claim package of one month's close (``kravform`` ``nav_refusjonskrav``): the
sealed PDF/A "Timedokumentasjon" made from a :class:`~dokgen.storage.db.Manedskrav`'s
``grunnlag``, split into files NAV's arrangørflate takes (``application/pdf``, ≤ 10 MB each,
≤ 10 files).

The ``grunnlag`` the month's close stores (all amounts and hours decimal strings)::

    {"maned": "2026-10", "periode": {"fra": "2026-10-01", "til": "2026-10-31"},
     "arrangor": {"navn", "orgnr"},
     "gjennomforing": {"id", "navn", "tiltakstype", "avtalenummer", "tiltaksnummer", "regelsett"},
     "timepris": "1150.00", "kid": null,
     "deltakere": [{"nr", "navn", "fodselsnummer", "oppstartdato", "sluttdato",
                    "start_i_perioden", "slutt_i_perioden",
                    "aktiviteter": [{"dato", "aktivitet", "aktivitet_tekst", "minutter",
                                     "antall_deltakere", "regel", "timer"}],
                    "timer", "belop"}],
     "timer": "…", "belop": "…", "belop_kroner": 1234}

``regel`` is the rule pack's adjustment in words (None where the minutes are billed as they
are); ``timer`` the billed hours.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from dokgen.documents import timedokumentasjon
from dokgen.documents.pdf.seal import Godkjenningslinje
from dokgen.documents.pipeline import pdf_fra_mal
from dokgen.errors import (
    ConversionFailedError,
    DokgenError,
    SigningFailedError,
    TemplateInvalidError,
    TemplateLimitError,
)
from dokgen.runtime import leases
from dokgen.storage.db import Manedskrav
from dokgen.storage.store import LAGRING_FULL

if TYPE_CHECKING:
    from dokgen.deps import Deps

log = logging.getLogger(__name__)

BEHANDLES, KLAR, FEILET = "behandles", "klar", "feilet"
NAV_REFUSJONSKRAV = "nav_refusjonskrav"
MAKS_BYTES = 10 * 1024 * 1024  # NAV's arrangørflate: each PDF at most 10 MB …
MAKS_FILER = 10  # … and at most 10 files
METODE = "laget ved månedsavslutningen i dokgen"  # the seal's one line: who closed the month

_FILNAVN_TEGN = re.compile(r"[^A-Za-z0-9._-]+")


def bygg(deps: Deps, krav_id: str, *, maks_bytes: int = MAKS_BYTES) -> None:
    """Make, seal and store the Timedokumentasjon of the claim ``krav_id`` (a job: status
    behandles → klar with ``filer``, or feilet with ``feil``).

    Runs under the claim's lease (:mod:`dokgen.runtime.leases`): a process that dies meanwhile
    leaves it to be built again, or feilet after too many starts. A claim that is an EHF
    invoice (``art`` ``ehf``) is not this job's and is left alone.

    Args:
        maks_bytes: the largest file NAV takes; a larger package is split by deltakere into
            at most :data:`MAKS_FILER` files, or fails with the reason.
    """
    if not _er_navkrav(deps, krav_id):
        return
    with leases.holdt(deps, Manedskrav, krav_id, BEHANDLES) as forsok:
        if forsok is None:  # done, or another job holds it
            return
        if forsok > leases.MAKS_FORSOK:
            _feilet(deps, krav_id, leases.avbrutt_tekst(forsok - 1))
            return
        _bygg(deps, krav_id, maks_bytes)


def _er_navkrav(deps: Deps, krav_id: str) -> bool:
    with deps.sessions() as session:
        art = session.scalar(select(Manedskrav.art).where(Manedskrav.id == krav_id))
    return art == NAV_REFUSJONSKRAV


def _les(deps: Deps, krav_id: str) -> dict[str, Any] | None:
    with deps.sessions() as session:
        rad = session.get(Manedskrav, krav_id)
        if rad is None or rad.status != BEHANDLES:
            return None
        return {
            "id": rad.id,
            "org_id": rad.org_id,
            "gjennomforing_id": rad.gjennomforing_id,
            "maned": rad.maned,
            "lopenr": rad.lopenr,
            "begrunnelse": rad.begrunnelse,
            "grunnlag": rad.grunnlag,
            "opprettet": rad.opprettet,
            "opprettet_av": rad.opprettet_av,
        }


def _bygg(deps: Deps, krav_id: str, maks_bytes: int) -> None:
    rad = _les(deps, krav_id)
    if rad is None:
        return
    try:
        filer = lag_filer(deps, rad, maks_bytes=maks_bytes)
        if filer is None:
            _feilet(deps, krav_id, _for_stor_tekst(maks_bytes))
            return
        lagret = [
            {"sha256": deps.store.put(pdf), "filnavn": navn, "bytes": len(pdf)}
            for navn, pdf in filer
        ]
    except DokgenError as exc:
        _feilet(deps, krav_id, _byggefeil(exc))
        return
    except OSError as exc:
        if exc.errno not in LAGRING_FULL:
            raise
        _feilet(deps, krav_id, "Lagringen er full; kravpakken kunne ikke lagres. Prøv igjen.")
        return
    except Exception as exc:  # the row must not stay "behandles" for ever
        log.error("uventet feil i kravpakkejobben: %s", type(exc).__name__)
        _feilet(deps, krav_id, "Kravpakken kunne ikke lages (intern feil). Prøv igjen.")
        return
    with deps.sessions.begin() as session:
        krav = session.get(Manedskrav, krav_id)
        if krav is not None and krav.status == BEHANDLES:
            krav.filer, krav.status, krav.feil = lagret, KLAR, None
            krav.jobb_frist, krav.jobb_forsok = None, 0


def filnavn(rad: dict[str, Any], del_nr: int | None = None) -> str:
    """Return a file's download name: ``timedokumentasjon-<tiltaksnummer or the
    gjennomføring's id>-2026-10[-korrigering1][-del1].pdf`` — no person in it."""
    g = rad["grunnlag"].get("gjennomforing") or {}
    ref = _FILNAVN_TEGN.sub("-", str(g.get("tiltaksnummer") or rad["gjennomforing_id"])).strip("-")
    navn = f"timedokumentasjon-{ref or rad['gjennomforing_id']}-{rad['maned']}"
    if rad["lopenr"]:
        navn += f"-korrigering{rad['lopenr']}"
    if del_nr is not None:
        navn += f"-del{del_nr}"
    return navn + ".pdf"


def lag_filer(
    deps: Deps, rad: dict[str, Any], *, maks_bytes: int = MAKS_BYTES
) -> list[tuple[str, bytes]] | None:
    """Make the sealed file(s) of a claim: one, or the deltakere split over up to
    :data:`MAKS_FILER` files each at most ``maks_bytes``; None when even that is too large.

    Raises:
        TemplateInvalidError: the template is missing or does not fit.
        ConversionFailedError: LibreOffice failed or hung.
        SigningFailedError: the seal could not be made.
    """
    hel = _lag(deps, rad, rad["grunnlag"]["deltakere"], None, 1)
    if len(hel) <= maks_bytes:
        return [(filnavn(rad), hel)]
    deltakere = rad["grunnlag"]["deltakere"]
    deler = max(2, math.ceil(len(hel) / maks_bytes))
    while deler <= min(MAKS_FILER, len(deltakere)):
        pdfer = [
            _lag(deps, rad, gruppe, nr, deler)
            for nr, gruppe in enumerate(del_opp(deltakere, deler), start=1)
        ]
        if all(len(pdf) <= maks_bytes for pdf in pdfer):
            return [(filnavn(rad, nr), pdf) for nr, pdf in enumerate(pdfer, start=1)]
        deler += 1
    return None


def del_opp(deltakere: Sequence[dict[str, Any]], deler: int) -> list[list[dict[str, Any]]]:
    """Split the deltakere in order into ``deler`` groups as even in size as they can be."""
    storrelse, rest = divmod(len(deltakere), deler)
    grupper, start = [], 0
    for nr in range(deler):
        slutt = start + storrelse + (1 if nr < rest else 0)
        grupper.append(list(deltakere[start:slutt]))
        start = slutt
    return grupper


def _lag(
    deps: Deps,
    rad: dict[str, Any],
    deltakere: Sequence[dict[str, Any]],
    del_nr: int | None,
    deler: int,
) -> bytes:
    grunnlag = rad["grunnlag"]
    kontekst = timedokumentasjon.kontekst(
        grunnlag,
        deltakere,
        lopenr=rad["lopenr"],
        begrunnelse=rad["begrunnelse"],
        del_nr=del_nr,
        deler=deler,
    )
    pdf = pdf_fra_mal(
        timedokumentasjon.MAL,
        kontekst,
        timedokumentasjon.tittel(grunnlag, del_nr, deler),
        converter=deps.converter,
        maler_dir=deps.settings.maler_dir,
        timeout=deps.settings.mal_tidsgrense,
    )
    tidspunkt = rad["opprettet"]
    if tidspunkt.tzinfo is None:
        tidspunkt = tidspunkt.replace(tzinfo=UTC)
    linje = Godkjenningslinje(
        navn=rad["opprettet_av"],
        rolle=f"Tiltaksarrangør {grunnlag['arrangor']['navn']}",
        metode=METODE,
        tidspunkt=tidspunkt,
    )
    dokument_id = rad["id"] + (f"-del{del_nr}" if del_nr else "")
    sealer = deps.sealer_for(rad["org_id"])
    return sealer.seal(pdf, godkjenninger=[linje], dokument_id=dokument_id)


def _for_stor_tekst(maks_bytes: int) -> str:
    mb = maks_bytes / (1024 * 1024)
    grense = f"{mb:g} MB".replace(".", ",") if mb >= 1 else f"{maks_bytes} byte"
    return (
        f"Timedokumentasjonen blir større enn {grense} per fil selv når deltakerne deles på "
        f"{MAKS_FILER} filer, som er det meste NAVs skjema tar imot. Del måneden på flere "
        "krav eller kontakt NAV."
    )


def _byggefeil(exc: DokgenError) -> str:
    """Return the reason a person reads: fixed words, never the document's content."""
    if isinstance(exc, TemplateLimitError):
        return "Malen for timedokumentasjonen brukte for lang tid eller for mye. Prøv igjen."
    if isinstance(exc, TemplateInvalidError):
        return "Malen for timedokumentasjonen passer ikke: " + "; ".join(exc.reasons)
    if isinstance(exc, ConversionFailedError):
        return "PDF-konverteringen av timedokumentasjonen feilet. Prøv igjen."
    if isinstance(exc, SigningFailedError):
        return (
            "Timedokumentasjonen kunne ikke forsegles. Be en administrator sjekke "
            "organisasjonens sertifikat, og prøv igjen."
        )
    return "Kravpakken kunne ikke lages. Prøv igjen."


def _feilet(deps: Deps, krav_id: str, grunn: str) -> None:
    log.warning("kravpakke %s feilet", krav_id)
    with deps.sessions.begin() as session:
        krav = session.get(Manedskrav, krav_id)
        if krav is not None and krav.status == BEHANDLES:
            krav.status, krav.feil = FEILET, grunn
            krav.jobb_frist, krav.jobb_forsok = None, 0


def gjenoppta(deps: Deps) -> int:
    """Queue again every NAV claim package a stopped process left ``behandles``."""
    with deps.sessions() as session:
        ider = session.scalars(
            select(Manedskrav.id).where(
                Manedskrav.status == BEHANDLES, Manedskrav.art == NAV_REFUSJONSKRAV
            )
        ).all()
    for krav_id in ider:
        deps.jobs.submit(bygg, deps, krav_id)
    return len(ider)
