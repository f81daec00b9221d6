"""Demo data for a new instance: an organisation, one user per role, documents and invoices in
every state — made through the service functions, so files, jobs and audit are real.

The organisation is made as the operator's ``dokgen org lag`` makes one (no audit line:
no one in it acts yet), with its invoice settings; the users are added by the system actor
:data:`DEMO` (an admin), so the audit log names who made them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from dokgen.access import ROLLER, Aktor
from dokgen.data import demo_data
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.errors import SettingsInvalidError
from dokgen.services import admin, brukere
from dokgen.services import dokumenter as dok_service
from dokgen.settings import Miljo
from dokgen.storage.db import Organisasjon

if TYPE_CHECKING:
    from dokgen.deps import Deps

ORGNR = "998877660"
ORGNAVN = "Eksempel Arbeidsinkludering AS"
PASSORD = {rolle: f"demo-{rolle}-passord" for rolle in ROLLER}
NAVN = {
    "veileder": "Åse Ødegård",
    "regnskap": "Rune Regnskap",
    "leser": "Lena Leser",
    "admin": "Arne Admin",
}
DEMO = "demo"  # the system actor that adds the demo users (the audit log's "demo (admin)")


def innstillinger() -> dict[str, Any]:
    """Return the demo organisation's invoice settings (from the demo fakturagrunnlag)."""
    grunnlag = json.loads(demo_data("fakturagrunnlag.json"))
    keys = ("selger", "kjoper", "regelsett", "timepris", "valuta", "mva", "deres_referanse")
    return {k: grunnlag[k] for k in keys}


def seed(deps: Deps, *, echo: Callable[[str], Any] = print) -> None:
    """Fill an empty instance with demo data and print the demo users' credentials.

    Raises:
        SettingsInvalidError: the instance runs in production.
    """
    if deps.settings.miljo is Miljo.PRODUKSJON:
        raise SettingsInvalidError("demodata lages ikke i produksjon")
    with deps.sessions.begin() as session:
        exists = session.scalar(select(Organisasjon.id).where(Organisasjon.orgnr == ORGNR))
        if exists is None:
            org_id = brukere.opprett_org(session, ORGNR, ORGNAVN, innstillinger()).id
    if exists is None:
        demo = Aktor(org_id, DEMO, "admin", "demo", None)
        for rolle in ROLLER:
            admin.opprett_bruker(
                deps, demo, brukernavn=rolle, navn=NAVN[rolle], rolle=rolle, passord=PASSORD[rolle]
            )
        _documents(deps, Aktor(org_id, NAVN["veileder"], "veileder", "demo", None))
        _invoices(deps, Aktor(org_id, NAVN["regnskap"], "regnskap", "demo", None))
    echo(f"Demo: {ORGNAVN} (orgnr {ORGNR}). Brukere (brukernavn / passord):")
    for rolle in ROLLER:
        echo(f"  {rolle:<9} / {PASSORD[rolle]}")


def _create(deps: Deps, aktor: Aktor, type_navn: str) -> str:
    data = json.loads(demo_data(f"{type_navn}.json"))
    dok = parse_dokument(data, tillat_syntetiske=True)
    return dok_service.opprett(deps, aktor, dok).id


def _documents(deps: Deps, aktor: Aktor) -> None:
    """A sealed statusrapport, a partly approved agreement and drafts of the rest."""
    forst = ("statusrapport", "arbeidspraksisavtale")
    typer = (*forst, *(t for t in DOKUMENTTYPER if t not in forst))
    ids = {t: _create(deps, aktor, t) for t in typer}
    deps.jobs.wait_idle()
    dok_service.godkjenn(
        deps, aktor, ids["statusrapport"], dok_service.Godkjenningsdata(part="arrangor")
    )
    dok_service.godkjenn(
        deps,
        aktor,
        ids["arbeidspraksisavtale"],
        dok_service.Godkjenningsdata(part="arbeidsgiver", navn="Lise Berg"),
    )
    deps.jobs.wait_idle()


_SVAR = """<?xml version="1.0" encoding="UTF-8"?>
<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:invoice_response:3</cbc:CustomizationID>
<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:invoice_response:3</cbc:ProfileID>
<cbc:ID>demo-{nummer}-{kode}</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate>
<cac:SenderParty><cbc:EndpointID schemeID="0192">889640782</cbc:EndpointID>
<cac:PartyLegalEntity><cbc:RegistrationName>NAV Tiltak Oslo</cbc:RegistrationName>
</cac:PartyLegalEntity></cac:SenderParty>
<cac:ReceiverParty><cbc:EndpointID schemeID="0192">{orgnr}</cbc:EndpointID>
<cac:PartyLegalEntity><cbc:RegistrationName>{orgnavn}</cbc:RegistrationName>
</cac:PartyLegalEntity></cac:ReceiverParty>
<cac:DocumentResponse><cac:Response><cbc:ResponseCode>{kode}</cbc:ResponseCode>{status}
</cac:Response><cac:DocumentReference><cbc:ID>{nummer}</cbc:ID>
<cbc:DocumentTypeCode>380</cbc:DocumentTypeCode></cac:DocumentReference></cac:DocumentResponse>
</ApplicationResponse>"""
_AVVIST = (
    '<cac:Status><cbc:StatusReasonCode listID="OPStatusReason">REF</cbc:StatusReasonCode>'
    "<cbc:StatusReason>Bestillingsnummeret finnes ikke</cbc:StatusReason></cac:Status>"
)


def fakturasvar(nummer: str, kode: str) -> bytes:
    """Return the buyer's Invoice Response (AP accepted / RE rejected) to a demo invoice."""
    status = _AVVIST if kode == "RE" else ""
    return _SVAR.format(
        nummer=nummer, kode=kode, status=status, orgnr=ORGNR, orgnavn=ORGNAVN
    ).encode()


def _invoices(deps: Deps, aktor: Aktor) -> None:
    """Invoices validert, sendt, levert and avvist, a credit note of the rejected one, and one
    the official rules refuse (ugyldig: an unknown country code in the buyer's address)."""
    from dokgen.services import fakturaer

    grunnlag = json.loads(demo_data("fakturagrunnlag.json"))
    ids = [fakturaer.opprett(deps, aktor, fakturaer.fra_json(grunnlag)).id for _ in range(4)]
    feil = json.loads(demo_data("fakturagrunnlag.json"))
    feil["kjoper"]["adresse"]["land"] = "XX"
    fakturaer.opprett(deps, aktor, fakturaer.fra_json(feil))
    deps.jobs.wait_idle()
    for faktura_id in ids[1:]:
        fakturaer.send(deps, aktor, faktura_id)
    deps.jobs.wait_idle()
    for faktura_id, kode in ((ids[2], "AP"), (ids[3], "RE")):
        nummer = fakturaer.hent(deps, aktor, faktura_id, logg_lesing=False).nummer
        fakturaer.registrer_svar(deps, aktor, faktura_id, fakturasvar(nummer, kode))
    fakturaer.kreditnota(deps, aktor, ids[3])
    deps.jobs.wait_idle()
