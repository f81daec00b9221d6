"""The invoice jobs: build (specification PDF, UBL, validation) and send (to the access point).

A job only moves a row out of ``behandles`` or ``sending``; the state lives in the database,
so :func:`gjenoppta` finds and requeues work a stopped process left unfinished, and a job
whose process died while the service ran is taken up when its lease runs out
(:mod:`dokgen.runtime.leases`). A failure becomes ``feilet`` with a bokmål reason, never a lost row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from dokgen.documents.spesifikasjon import MAL, lag_spesifikasjon
from dokgen.errors import ConversionFailedError, DokgenError, TemplateInvalidError
from dokgen.runtime import leases
from dokgen.services import aksesspunkt
from dokgen.services.dokumenter import nyeste_mal
from dokgen.storage.db import Faktura, Organisasjon, Sendeforsok
from dokgen.storage.store import LAGRING_FULL
from ehf import service as ehf_service
from ehf.errors import EhfError, TransportFailedError
from ehf.grunnlag import load_grunnlag
from ehf.model import Attachment
from ehf.service import Fakturaresultat
from ehf.transport import DUPLIKAT, UTBOKS_TEKST, Sendekvittering, Transport

if TYPE_CHECKING:
    from dokgen.deps import Deps

log = logging.getLogger(__name__)

BEHANDLES, VALIDERT, UGYLDIG, FEILET = "behandles", "validert", "ugyldig", "feilet"
SENDING, SENDT, LEVERT, AVVIST = "sending", "sendt", "levert", "avvist"
# Written to the outbox folder (transport ``katalog``): nothing has left until the access
# point fetches the file, so it is not called sent.
I_UTBOKS = "i_utboks"
OVERLEVERT = (I_UTBOKS, SENDT, LEVERT, AVVIST)  # handed over: answers and credit notes refer to it

STATUSTEKST = {
    BEHANDLES: "Lages og valideres",
    VALIDERT: "Validert – klar til sending",
    UGYLDIG: "Har feil – sendes ikke",
    SENDING: "Sendes",
    I_UTBOKS: UTBOKS_TEKST,
    SENDT: "Sendt",
    LEVERT: "Levert",
    AVVIST: "Avvist av mottaker",
    FEILET: "Feilet",
}
# A send attempt's or answer's ``Sendeforsok.resultat`` in words (an answer's own codes
# are shown by :func:`dokgen.services.fakturasvar.visning`).
RESULTATTEKST = {
    I_UTBOKS: UTBOKS_TEKST,
    SENDT: "Sendt",
    DUPLIKAT: "Allerede mottatt (samme nøkkel)",
    "nytt_forsok": "Nytt forsøk",
    "gjenopptatt": "Gjenopptatt",
    FEILET: "Feilet",
    LEVERT: "Levert",
    AVVIST: "Avvist",
}
_KATALOG = "katalog"


def forsokstekst(arsak: str | None) -> str | None:
    """Return an attempt's reason as a person may read it: never an outbox file's path.

    Attempts recorded before the outbox said so carry ``katalog: /the/path.xml``.
    """
    if arsak and arsak.startswith(f"{_KATALOG}: ") and UTBOKS_TEKST not in arsak:
        return UTBOKS_TEKST
    return arsak


def resultattekst(resultat: str) -> str:
    """Return an attempt's result in words (the code itself when it is new to us)."""
    return RESULTATTEKST.get(resultat, resultat)


def _attachment(nummer: str, grunnlag: dict[str, Any], pdf: bytes) -> Attachment:
    oppgitt = (grunnlag.get("vedlegg") or [{}])[0]
    return Attachment(
        id="Timeliste",
        description=oppgitt.get("beskrivelse") or f"Timeliste til faktura {nummer}",
        filename=f"timeliste-{nummer}.pdf",
        mime_code="application/pdf",
        content=pdf,
    )


def _bygg_faktura(deps: Deps, rad: dict[str, Any]) -> tuple[Fakturaresultat, bytes]:
    with deps.sessions() as session:
        mal = nyeste_mal(session, deps, rad["org_id"], MAL)
    pdf = lag_spesifikasjon(
        rad["nummer"],
        rad["grunnlag"],
        rad["linjer"],
        converter=deps.converter,
        maler_dir=deps.settings.maler_dir,
        mal=mal,
        timeout=deps.settings.mal_tidsgrense,
    )
    resultat = ehf_service.lag_faktura(
        load_grunnlag(rad["grunnlag"]),
        peppol_dir=deps.settings.referanse_peppol,
        vedlegg=[_attachment(rad["nummer"], rad["grunnlag"], pdf)],
    )
    return resultat, pdf


def _bygg_kreditnota(deps: Deps, rad: dict[str, Any]) -> Fakturaresultat:
    return ehf_service.lag_kreditnota(
        deps.store.get(rad["kreditert_xml"]),
        nummer=rad["nummer"],
        dato=date.fromisoformat(rad["fakturadato"]),
        peppol_dir=deps.settings.referanse_peppol,
        linjer=rad["grunnlag"]["linjer"],
        begrunnelse=rad["begrunnelse"],
    )


def _les(deps: Deps, faktura_id: str, status: str) -> dict[str, Any] | None:
    with deps.sessions() as session:
        rad = session.get(Faktura, faktura_id)
        if rad is None or rad.status != status:
            return None
        kreditert = session.get(Faktura, rad.krediterer_id) if rad.krediterer_id else None
        return {
            "org_id": rad.org_id,
            "nummer": rad.nummer,
            "art": rad.art,
            "fakturadato": rad.fakturadato,
            "grunnlag": rad.grunnlag,
            "linjer": rad.linjer,
            "xml_sha256": rad.xml_sha256,
            "begrunnelse": rad.begrunnelse,
            "kreditert_xml": kreditert.xml_sha256 if kreditert else None,
            "innstillinger": dict(rad_org.innstillinger or {})
            if (rad_org := session.get(Organisasjon, rad.org_id))
            else {},
        }


def bygg(deps: Deps, faktura_id: str) -> None:
    """Job: make the timeliste PDF, build and validate the UBL, store both → validert/ugyldig.

    Runs under the invoice's lease (:mod:`dokgen.runtime.leases`): a process that dies or cannot
    write meanwhile leaves it to be built again, or feilet after too many starts.
    """
    with leases.holdt(deps, Faktura, faktura_id, BEHANDLES) as forsok:
        if forsok is None:  # done, or another job holds it
            return
        if forsok > leases.MAKS_FORSOK:
            _feilet(deps, faktura_id, BEHANDLES, leases.avbrutt_tekst(forsok - 1))
            return
        _bygg(deps, faktura_id)


def _bygg(deps: Deps, faktura_id: str) -> None:
    rad = _les(deps, faktura_id, BEHANDLES)
    if rad is None:
        return
    pdf = None
    try:
        if rad["art"] == "kreditnota":
            resultat = _bygg_kreditnota(deps, rad)
        else:
            resultat, pdf = _bygg_faktura(deps, rad)
        xml_sha = deps.store.put(resultat.xml)
        pdf_sha = deps.store.put(pdf) if pdf is not None else None
    except (DokgenError, EhfError) as exc:
        _feilet(deps, faktura_id, BEHANDLES, _byggefeil(exc))
        return
    except OSError as exc:
        if exc.errno not in LAGRING_FULL:
            raise
        _feilet(deps, faktura_id, BEHANDLES, "Lagringen er full; fakturaen kunne ikke lagres.")
        return
    except Exception as exc:  # the row must not stay "behandles" for ever
        log.error("uventet feil i fakturajobben: %s", type(exc).__name__)
        _feilet(deps, faktura_id, BEHANDLES, "Fakturaen kunne ikke lages (intern feil).")
        return
    with deps.sessions.begin() as session:
        faktura = session.get(Faktura, faktura_id)
        if faktura is not None and faktura.status == BEHANDLES:
            faktura.xml_sha256, faktura.vedlegg_sha256 = xml_sha, pdf_sha
            faktura.rapport = resultat.report.to_dict()
            faktura.status = VALIDERT if resultat.report.ok else UGYLDIG
            faktura.jobb_frist, faktura.jobb_forsok = None, 0


def _byggefeil(exc: Exception) -> str:
    if isinstance(exc, ConversionFailedError):
        return "PDF-konverteringen av timelisten feilet. Prøv igjen."
    if isinstance(exc, TemplateInvalidError):
        return "Timelistemalen passer ikke: " + "; ".join(exc.reasons)
    return f"Fakturaen kunne ikke lages: {exc}"


def _feilet(deps: Deps, faktura_id: str, fra_status: str, grunn: str) -> None:
    log.warning("faktura %s feilet (%s)", faktura_id, fra_status)
    with deps.sessions.begin() as session:
        faktura = session.get(Faktura, faktura_id)
        if faktura is not None and faktura.status == fra_status:
            faktura.status, faktura.feil = FEILET, grunn
            faktura.jobb_frist, faktura.jobb_forsok = None, 0
            if fra_status == SENDING:
                session.add(Sendeforsok(faktura_id=faktura_id, resultat=FEILET, arsak=grunn))


def _forsok(deps: Deps, faktura_id: str) -> Callable[[int, str, float], None]:
    """Return what the transport calls after a failed attempt it will retry: the attempt is
    recorded with its own reason (the last one's goes into the invoice's ``feil``)."""

    def registrer(nummer: int, grunn: str, sekunder: float) -> None:
        arsak = f"Forsøk {nummer} feilet: {grunn}; nytt forsøk om {sekunder:g} s"
        with deps.sessions.begin() as session:
            session.add(Sendeforsok(faktura_id=faktura_id, resultat="nytt_forsok", arsak=arsak))

    return registrer


def transport(
    deps: Deps,
    ved_nytt_forsok: Callable[[int, str, float], None] | None = None,
    innstillinger: dict[str, Any] | None = None,
) -> Transport:
    """Return the transport of the organisation's choice (see :mod:`dokgen.services.aksesspunkt`):
    the outbox, the instance's access point with the instance's token, or the organisation's
    own access point with its own token — never the instance's token to another address.

    Raises:
        TransportConfigInvalidError: the URL or token cannot be used.
    """
    return aksesspunkt.transport_for(deps.settings, innstillinger or {}, ved_nytt_forsok)


def send_jobb(deps: Deps, faktura_id: str) -> None:
    """Job: hand a validated invoice to the access point → sendt, or feilet with the reason.

    Runs under the invoice's lease (:mod:`dokgen.runtime.leases`). A send whose process died may
    have reached the access point: it is resumed with the same bytes, so the same
    idempotency key (the XML's SHA-256, :func:`ehf.service.send`) and the same SBDH
    instance id, which the access point recognises as the same invoice; the resumption is
    recorded as an attempt. After too many interrupted starts it is feilet with a reason
    saying it may have arrived, and a person's retry again sends under the same key.
    """
    with leases.holdt(deps, Faktura, faktura_id, SENDING) as forsok:
        if forsok is None:  # done, or another job holds it
            return
        if forsok > leases.MAKS_FORSOK:
            _feilet(deps, faktura_id, SENDING, _avbrutt_sending(forsok - 1))
            return
        if forsok > 1:
            _forsok_gjenopptatt(deps, faktura_id, forsok)
        _send(deps, faktura_id)


def _avbrutt_sending(forsok: int) -> str:
    return (
        f"Sendingen ble avbrutt {forsok} ganger før aksesspunktet svarte. Fakturaen kan "
        "likevel være mottatt: «Prøv igjen» sender den med samme idempotensnøkkel, så "
        "aksesspunktet tar ikke imot den to ganger."
    )


def _forsok_gjenopptatt(deps: Deps, faktura_id: str, forsok: int) -> None:
    arsak = (
        f"Start {forsok}: forrige sending ble avbrutt; sendes igjen med samme "
        "idempotensnøkkel (aksesspunktet tar ikke imot den to ganger)"
    )
    with deps.sessions.begin() as session:
        session.add(Sendeforsok(faktura_id=faktura_id, resultat="gjenopptatt", arsak=arsak))


def _send(deps: Deps, faktura_id: str) -> None:
    rad = _les(deps, faktura_id, SENDING)
    if rad is None or rad["xml_sha256"] is None:
        return
    try:
        kvittering = ehf_service.send(
            deps.store.get(rad["xml_sha256"]),
            transport=transport(deps, _forsok(deps, faktura_id), rad["innstillinger"]),
            peppol_dir=deps.settings.referanse_peppol,
        )
    except TransportFailedError as exc:
        _feilet(deps, faktura_id, SENDING, f"{exc.reason} (etter {exc.attempts} forsøk)")
        return
    except (DokgenError, EhfError) as exc:
        _feilet(deps, faktura_id, SENDING, f"Sendingen feilet: {exc}")
        return
    except Exception as exc:  # the row must not stay "sending" for ever
        log.error("uventet feil i sendejobben: %s", type(exc).__name__)
        _feilet(deps, faktura_id, SENDING, "Sendingen feilet (intern feil).")
        return
    _sendt(deps, faktura_id, kvittering)


def _sendt(deps: Deps, faktura_id: str, kvittering: Sendekvittering) -> None:
    with deps.sessions.begin() as session:
        faktura = session.get(Faktura, faktura_id)
        if faktura is None or faktura.status != SENDING:
            return
        utboks = kvittering.transport == _KATALOG
        faktura.status = I_UTBOKS if utboks else SENDT
        faktura.meldings_id = kvittering.melding_id
        faktura.jobb_frist, faktura.jobb_forsok = None, 0
        arsak = (
            f"{kvittering.detalj}; aksesspunktet henter filen derfra"
            if utboks
            else f"{kvittering.transport}: {kvittering.detalj}"
        )
        session.add(
            Sendeforsok(
                faktura_id=faktura_id,
                resultat=I_UTBOKS if utboks and kvittering.status == SENDT else kvittering.status,
                arsak=arsak,
                instans_id=kvittering.instans_id or None,
            )
        )


def gjenoppta(deps: Deps) -> int:
    """Queue again every invoice left ``behandles``/``sending`` by a stopped process.

    A resend after a crash carries the same idempotency key (the XML's SHA-256), so the
    access point never gets the invoice twice; a send whose lease is still live waits for
    the lease sweep (its job finds the lease held and leaves it).
    """
    with deps.sessions() as session:
        rader = session.execute(
            select(Faktura.id, Faktura.status).where(Faktura.status.in_((BEHANDLES, SENDING)))
        ).all()
    for faktura_id, status in rader:
        deps.jobs.submit(bygg if status == BEHANDLES else send_jobb, deps, faktura_id)
    return len(rader)
