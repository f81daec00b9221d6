"""Importing deltakere from NAV: paste or upload the list, see every change and every row
error, then one "Lagre" that stores all of it or nothing.

The preview page carries the list it was made from (base64, in the form), so "Lagre"
stores exactly what the person saw; nothing is kept on the server between the two steps.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.errors import (
    FieldError,
    InputInvalidError,
    InputUnreadableError,
    PayloadTooLargeError,
)
from dokgen.oppfolging.kodeverk import STATUSER
from dokgen.services import deltakerimport as service
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.deltakere import gjennomforingsvalg
from dokgen.web.sider.form_errors import form_errors

FILFEIL = (InputInvalidError, InputUnreadableError, PayloadTooLargeError)
# The words a changed field is shown with (the register's field names otherwise).
FELTNAVN = {
    "fornavn": "Fornavn", "mellomnavn": "Mellomnavn", "etternavn": "Etternavn",
    "telefon": "Telefon", "epost": "E-post", "adresse": "Adresse",
    "adressebeskyttet": "Adressebeskyttet", "oppstartdato": "Oppstart", "sluttdato": "Slutt",
    "status": "Status", "aarsak": "Årsak", "soknadsdato": "Søkt inn",
    "bestilling_fra_nav": "Bestilling fra NAV", "innsokende_nav_kontor": "NAV-kontor",
    "veileder_nav": "NAV-veileder", "deltakelsesprosent": "Deltakelsesprosent",
    "dager_per_uke": "Dager per uke", "gjennomforing_id": "Gjennomføring", "nr": "Nr.",
}  # fmt: skip


def _importside(feil: list[FieldError] | None = None) -> Any:
    return render_template(
        "register/import.html", gjennomforinger=gjennomforingsvalg(), verdier=request.form,
        feil={f.path: f.message for f in feil or []}, feilliste=feil or [],
    )  # fmt: skip


def _gjennomforing() -> int | None:
    verdi = request.form.get("gjennomforing_id", "")
    return int(verdi) if verdi.isdigit() and len(verdi) < 10 else None


def _innhold() -> tuple[bytes, str] | None:
    """Return the uploaded file, or else the pasted text, with its media type."""
    fil = request.files.get("fil")
    if fil is not None and fil.filename:
        return fil.read(), fil.mimetype or ""
    tekst = request.form.get("tekst", "")
    return (tekst.encode("utf-8"), "text/plain") if tekst.strip() else None


def _skjemaet() -> tuple[int, bytes, str]:
    """Return the chosen gjennomføring and the list with its media type.

    Raises:
        InputInvalidError: no gjennomføring chosen, or no list given (each said).
    """
    gjennomforing_id, innhold = _gjennomforing(), _innhold()
    feil = []
    if gjennomforing_id is None:
        feil.append(FieldError("gjennomforing_id", "velg gjennomføringen"))
    if innhold is None:
        feil.append(FieldError("tekst", "lim inn listen eller velg en fil"))
    if gjennomforing_id is None or innhold is None:
        raise InputInvalidError(feil)
    return gjennomforing_id, *innhold


def _forhandsvisning(
    resultat: dict[str, Any], gjennomforing_id: int, innhold: bytes, mediatype: str
) -> Any:
    return render_template(
        "register/import_forhandsvisning.html", r=resultat, gjennomforing_id=gjennomforing_id,
        innhold=base64.b64encode(innhold).decode("ascii"), mediatype=mediatype,
        feltnavn=FELTNAVN, statuser=STATUSER,
        gjennomforing=dict(gjennomforingsvalg()).get(str(gjennomforing_id), ""),
    )  # fmt: skip


@bp.get("/deltakere/import")
def importer() -> Any:
    """Show the import form: a gjennomføring, and the list pasted or as a file."""
    aktor().krev("deltaker.skriv")
    return _importside()


@bp.post("/deltakere/import")
@form_errors(_importside, *FILFEIL, path="tekst")
def forhandsvis_import() -> Any:
    """Read the list and show what storing it would change; nothing is written."""
    aktor().krev("deltaker.skriv")
    gjennomforing_id, innhold, mediatype = _skjemaet()
    resultat = service.importer(
        deps(), aktor(), gjennomforing_id=gjennomforing_id, innhold=innhold,
        mediatype=mediatype, forhandsvis=True,
    )  # fmt: skip
    return _forhandsvisning(resultat, gjennomforing_id, innhold, mediatype)


@bp.post("/deltakere/import/lagre")
@form_errors(_importside, *FILFEIL, path="tekst")
def lagre_import() -> Any:
    """Store the previewed list: every row, or nothing when a row has an error (the form
    then shows each row's error)."""
    aktor().krev("deltaker.skriv")
    gjennomforing_id = _gjennomforing()
    if gjennomforing_id is None:
        raise InputInvalidError([FieldError("gjennomforing_id", "velg gjennomføringen")])
    try:
        innhold = base64.b64decode(request.form.get("innhold", ""), validate=True)
    except binascii.Error:
        raise InputInvalidError([FieldError("tekst", "last opp listen på nytt")]) from None
    mediatype = request.form.get("mediatype", "")[:100]
    resultat = service.importer(
        deps(), aktor(), gjennomforing_id=gjennomforing_id, innhold=innhold,
        mediatype=mediatype, forhandsvis=False,
    )  # fmt: skip
    flash(
        f"Importen er lagret: {len(resultat['nye'])} nye og "
        f"{len(resultat['endrede'])} endrede deltakere."
    )
    return redirect(url_for("sider.deltakere"))
