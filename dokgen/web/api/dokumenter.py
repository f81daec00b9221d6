"""``/api/v1/dokumenter``: create, list, read, correct, approve, retry and download."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from werkzeug.exceptions import UnsupportedMediaType

from dokgen.documents.models import Dokumentmodell, parse_dokument, parse_xml
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.services import dokumenter as service
from dokgen.services import godkjenningslenker
from dokgen.storage.db import Dokument, utc
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import XML_TYPER, QueryArgs, bp, json_body, vent
from dokgen.web.sider.dokumenter import lenkeadresse


def _les_dokument(type_navn: str | None = None) -> Dokumentmodell:
    tillat = deps().settings.tillat_syntetiske
    if request.mimetype in XML_TYPER:
        return parse_xml(request.get_data(), tillat_syntetiske=tillat, type_navn=type_navn)
    if request.mimetype not in ("application/json", ""):
        raise UnsupportedMediaType("send application/json eller application/xml")
    return parse_dokument(json_body(), tillat_syntetiske=tillat, type_navn=type_navn)


def serialiser(rad: Dokument, *, med_data: bool = False) -> dict[str, Any]:
    """Return the API's view of a document and its current version."""
    v = rad.gjeldende
    body: dict[str, Any] = {
        "id": rad.id,
        "type": rad.type,
        "tittel": service.tittel(rad.type),
        "deltaker": rad.deltaker or None,
        "deltaker_id": rad.deltaker_id,
        "gjennomforing_id": rad.gjennomforing_id,
        "plassering_id": rad.plassering_id,
        "periode": {"fra": rad.periode_fra, "til": rad.periode_til},
        "versjon": v.nummer,
        "status": v.status,
        "status_tekst": service.STATUSTEKST[v.status],
        "feil": v.feil,
        "opprettet": utc(rad.opprettet).isoformat(),
        "opprettet_av": rad.opprettet_av,
        "parter": list(service.parter(v.data)),
        "godkjenninger": [
            {
                "part": g.part,
                "navn": g.navn,
                "registrert_av": g.bruker,
                "paa_vegne_av": g.paa_vegne_av,
                "begrunnelse": g.begrunnelse,
                "metode": g.metode,
                "metode_tekst": service.METODER.get(g.metode, g.metode),
                "tidspunkt": utc(g.tidspunkt).isoformat(),
                "innhold_sha256": g.innhold_sha256,
            }
            for g in v.godkjenninger
        ],
        "pdf_sha256": v.pdf_sha256,
        "lenker": {
            "selv": url_for("api.hent_dokument", dokument_id=rad.id),
            "pdf": url_for("api.dokument_pdf", dokument_id=rad.id),
            "docx": url_for("api.dokument_docx", dokument_id=rad.id),
        },
    }
    if med_data:
        body["data"] = v.data
    return body


def _in_progress(status: str) -> bool:
    return status in (service.BEHANDLES, service.FORSEGLES)


def _ferdig(dokument_id: str) -> bool:
    return not _in_progress(
        service.hent(deps(), aktor(), dokument_id, logg_lesing=False).gjeldende.status
    )


def _svar(rad: Dokument, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Answer with the document as the service returned it, or as it is after the wait the
    client asked for (then read again)."""
    if _in_progress(rad.gjeldende.status) and vent(lambda: _ferdig(rad.id)):
        rad = service.hent(deps(), aktor(), rad.id, logg_lesing=False)
    lenke = {"Location": url_for("api.hent_dokument", dokument_id=rad.id)}
    return serialiser(rad), status, lenke | _retry_after(rad)


def _retry_after(rad: Dokument) -> dict[str, str]:
    """Tell a polling client when to ask again while a worker has the document (RFC 9110
    Retry-After; a preview or seal takes about a second)."""
    return {"Retry-After": "1"} if _in_progress(rad.gjeldende.status) else {}


@bp.post("/dokumenter")
def opprett_dokument() -> Any:
    """Create a document from contract JSON or XML; 201 with id, type, versjon, status.
    ``?deltaker_id=N`` makes it that deltaker's (and their gjennomføring's), ``?gjennomforing_id=N``
    alone the gjennomføring's (an evalueringsrapport): it then meets their frister.
    ``?plassering_id=N``: started from that placement, stored with it and its deltaker."""
    q = QueryArgs()
    deltaker_id, gjennomforing_id = q.integer("deltaker_id"), q.integer("gjennomforing_id")
    plassering_id = q.integer("plassering_id")
    q.check()
    dok = _les_dokument()
    rad = service.opprett(
        deps(), aktor(), dok, deltaker_id=deltaker_id, gjennomforing_id=gjennomforing_id,
        plassering_id=plassering_id,
    )  # fmt: skip
    return _svar(rad, 201)


@bp.get("/dokumenter")
def finn_dokumenter() -> Any:
    """List the organisation's documents, filtered by type, status, deltaker and period."""
    args = request.args
    rader = service.finn(
        deps(),
        aktor(),
        type=args.get("type") or None,
        status=args.get("status") or None,
        deltaker=args.get("deltaker") or None,
        fra=args.get("fra") or None,
        til=args.get("til") or None,
    )
    return {"dokumenter": [serialiser(r) for r in rader]}


@bp.get("/dokumenter/<dokument_id>")
def hent_dokument(dokument_id: str) -> Any:
    """Return one document with its current version's data and approvals."""
    rad = service.hent(deps(), aktor(), dokument_id)
    return serialiser(rad, med_data=True), 200, _retry_after(rad)


@bp.put("/dokumenter/<dokument_id>")
def ny_versjon(dokument_id: str) -> Any:
    """Correct a document: the body becomes a new version, earlier approvals lapse."""
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    dok = _les_dokument(rad.type)
    return _svar(service.ny_versjon(deps(), aktor(), dokument_id, dok))


@bp.post("/dokumenter/<dokument_id>/godkjenninger")
def godkjenn(dokument_id: str) -> Any:
    """Record one party's approval (``{"part", "navn"?, "paa_vegne_av"?, "begrunnelse"?}``)."""
    body = json_body()
    if not isinstance(body, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    errors = [
        FieldError(k, "må være tekst")
        for k in ("part", "navn", "paa_vegne_av", "begrunnelse")
        if body.get(k) is not None and not isinstance(body[k], str)
    ]
    errors += [FieldError(k, "ukjent felt") for k in body if k not in _GODKJENNING_FELTER]
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    # Without a party: the caller's own organisation's (the arrangør), never another's.
    egne = [p for p in service.parter(rad.gjeldende.data) if p in service.EGNE_PARTER]
    part = body.get("part") or (egne[0] if egne and not errors else "")
    if errors:
        raise InputInvalidError(errors)
    g = service.Godkjenningsdata(
        part=part,
        navn=body.get("navn"),
        paa_vegne_av=body.get("paa_vegne_av"),
        begrunnelse=body.get("begrunnelse"),
    )
    return _svar(service.godkjenn(deps(), aktor(), dokument_id, g), 201)


_GODKJENNING_FELTER = {"part", "navn", "paa_vegne_av", "begrunnelse"}


@bp.post("/dokumenter/<dokument_id>/godkjenningslenker")
def send_godkjenningslenke(dokument_id: str) -> Any:
    """Make a party's personal approval link (``{"part", "navn", "epost", "send_epost"?}``):
    e-mailed to ``epost`` by default; with ``"send_epost": false`` its address is in the
    answer (the only copy), to hand over another way."""
    body = json_body()
    if not isinstance(body, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    errors = [
        FieldError(k, "må være tekst")
        for k in ("part", "navn", "epost")
        if body.get(k) is not None and not isinstance(body[k], str)
    ]
    if not isinstance(body.get("send_epost", True), bool):
        errors.append(FieldError("send_epost", "må være true eller false"))
    errors += [FieldError(k, "ukjent felt") for k in body if k not in _LENKE_FELTER]
    if errors:
        raise InputInvalidError(errors)
    send_epost = body.get("send_epost", True)
    ny = godkjenningslenker.send(
        deps(), aktor(), dokument_id, body, lenkeadresse, send_epost=send_epost
    )
    svar: dict[str, Any] = {
        "id": ny.id,
        "part": body["part"],
        "utloper": utc(ny.utloper).isoformat(),
        "sendt_til": ny.sendt_til,
        "adresse": None if send_epost else ny.adresse,
    }
    return svar, 201


_LENKE_FELTER = {"part", "navn", "epost", "send_epost"}


@bp.delete("/dokumenter/<dokument_id>/godkjenningslenker/<lenke_id>")
def tilbakekall_godkjenningslenke(dokument_id: str, lenke_id: str) -> Any:
    """Revoke an approval link that is not used yet; 204."""
    if not lenke_id.isdigit() or len(lenke_id) > 12:
        raise RecordNotFoundError("fant ikke lenken")
    godkjenningslenker.tilbakekall(deps(), aktor(), dokument_id, int(lenke_id))
    return "", 204


@bp.post("/dokumenter/<dokument_id>/nytt-forsok")
def prov_igjen(dokument_id: str) -> Any:
    """Retry the failed step (preview or seal) of the current version."""
    return _svar(service.prov_igjen(deps(), aktor(), dokument_id), 202)


def _fil(dokument_id: str, art: str, mimetype: str) -> Response:
    data, navn = service.fil(deps(), aktor(), dokument_id, art)
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{navn}"'
    return response


@bp.get("/dokumenter/<dokument_id>/pdf")
def dokument_pdf(dokument_id: str) -> Response:
    """Download the sealed PDF/A (or the unsealed preview before approval)."""
    return _fil(dokument_id, "pdf", "application/pdf")


@bp.get("/dokumenter/<dokument_id>/docx")
def dokument_docx(dokument_id: str) -> Response:
    """Download the filled DOCX."""
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _fil(dokument_id, "docx", mime)
