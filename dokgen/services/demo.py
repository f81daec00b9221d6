"""Demo data for a new instance: an organisation, one user per role, documents and invoices in
every state — made through the service functions, so files, jobs and audit are real.

The organisation is made as the operator's ``dokgen org lag`` makes one (no audit line:
no one in it acts yet), with its invoice settings; the users are added by the system actor
:data:`DEMO` (an admin), so the audit log names who made them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from dokgen.access import ROLLER, Aktor
from dokgen.data import demo_data
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.errors import SettingsInvalidError
from dokgen.oppfolging.frister import add_months
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import admin, brukere, deltakere, timer
from dokgen.services import dokumenter as dok_service
from dokgen.settings import Miljo
from dokgen.storage.db import Bruker, Gjennomforing, Organisasjon, lock_for_update
from ehf.identifiers import synthetic_person_ident

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
        org_id = (
            exists
            if exists is not None
            else brukere.opprett_org(session, ORGNR, ORGNAVN, innstillinger()).id
        )
    if exists is None:
        demo = Aktor(org_id, DEMO, "admin", "demo", None)
        for rolle in ROLLER:
            admin.opprett_bruker(
                deps, demo, brukernavn=rolle, navn=NAVN[rolle], rolle=rolle, passord=PASSORD[rolle]
            )
        _documents(deps, Aktor(org_id, NAVN["veileder"], "veileder", "demo", None))
        _invoices(deps, Aktor(org_id, NAVN["regnskap"], "regnskap", "demo", None))
    seed_register(deps, org_id)
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
        dok_service.Godkjenningsdata(
            part="arbeidsgiver",
            navn="Lise Berg",
            begrunnelse="Arbeidsgiveren godkjente på telefon (demodata)",
        ),
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
    fakturaer.kreditnota(deps, aktor, ids[3], begrunnelse="Avvist av kjøper: feil referanse")
    deps.jobs.wait_idle()


# --- The register: a gjennomføring, deltakere in every status, frister in every state ---


@dataclass(frozen=True)
class _Demodeltaker:
    """One demo deltaker: dates are days from today (None: not set); ``levert``: the
    document types finalised for them today (a plan, or the first period's statusrapport)."""

    fornavn: str
    etternavn: str
    status: str
    oppstart: int | None = None
    slutt: int | None = None
    aarsak: str | None = None
    beskrivelse: str | None = None
    adressebeskyttet: bool = False
    levert: tuple[str, ...] = ()


# Judged today under jmo-oslo-2020 (plan oppstart + 21 d, statusrapport each 3 months
# + 7 d, sluttrapport slutt + 7 d; "snart" within 7 days):
DELTAKERE = (
    _Demodeltaker("Ingrid", "Bakke", "DELTAR", oppstart=-40),  # plan forfalt
    _Demodeltaker("Jonas", "Lie", "DELTAR", oppstart=-16),  # plan snart
    _Demodeltaker("Sara", "Haugen", "DELTAR", oppstart=-5, levert=("plan",)),  # levert i tide
    _Demodeltaker("Emil", "Strand", "DELTAR", oppstart=-60, levert=("plan",)),  # levert for sent
    # the first statusrapport delivered within its frist, the plan too late
    _Demodeltaker("Nora", "Berg", "DELTAR", oppstart=-95, levert=("plan", "statusrapport")),
    _Demodeltaker("Aksel", "Moen", "VENTER_PA_OPPSTART", oppstart=10),  # plan kommende
    _Demodeltaker(  # sluttrapport snart
        "Hanne", "Dahl", "HAR_SLUTTET", oppstart=-120, slutt=-3, aarsak="FATT_JOBB"
    ),
    _Demodeltaker("Ole", "Eide", "FULLFORT", oppstart=-200, slutt=-20),  # sluttrapport forfalt
    _Demodeltaker("Mari", "Lund", "AVBRUTT", oppstart=-50, slutt=-10, aarsak="SYK"),
    _Demodeltaker(  # bortfalt
        "Tobias", "Vik", "IKKE_AKTUELL", oppstart=-30, aarsak="FIKK_IKKE_PLASS"
    ),
    _Demodeltaker("Lea", "Holm", "FEILREGISTRERT", oppstart=-20),  # bortfalt
    _Demodeltaker("Filip", "Aas", "KLADD"),
    _Demodeltaker("Ida", "Ruud", "UTKAST_TIL_PAMELDING"),
    _Demodeltaker(
        "Henrik",
        "Solberg",
        "AVBRUTT_UTKAST",
        aarsak="ANNET",
        beskrivelse="Ønsket et annet tiltak",
    ),
    _Demodeltaker("Emma", "Nilsen", "PABEGYNT_REGISTRERING"),
    _Demodeltaker("Lukas", "Hansen", "SOKT_INN"),
    _Demodeltaker("Maja", "Johansen", "VURDERES"),
    _Demodeltaker("William", "Larsen", "VENTELISTE"),
    # adressebeskyttet: seen only by the veileder who follows her (and admins); plan forfalt
    _Demodeltaker("Sofie", "Kristiansen", "DELTAR", oppstart=-25, adressebeskyttet=True),
)


def _gjennomforing_inn(idag: date) -> GjennomforingInn:
    """The contract's gjennomføring, started no later than 1 January of the year its
    earliest demo deltaker started (so the demo's dates stay inside it on any day)."""
    data = json.loads(demo_data("gjennomforing.json"))
    tidligst = idag + timedelta(days=min(d.oppstart for d in DELTAKERE if d.oppstart is not None))
    start = min(date.fromisoformat(data["startdato"]), date(tidligst.year, 1, 1))
    return les(GjennomforingInn, data | {"startdato": start.isoformat()})


def _krev_gjennomforing(deps: Deps, org_id: int, inn: GjennomforingInn) -> int | None:
    """Create the demo gjennomføring unless the organisation has one by that name; return its
    id when this call made it (None: the register is seeded, or being seeded, already).

    Decided under the organisation's write lock, so of several processes starting at once
    exactly one seeds the register.
    """
    with deps.sessions.begin() as session:
        lock_for_update(session, select(Organisasjon).where(Organisasjon.id == org_id))
        finnes = session.scalar(
            select(Gjennomforing.id).where(
                Gjennomforing.org_id == org_id, Gjennomforing.navn == inn.navn
            )
        )
        if finnes is not None:
            return None
        data = inn.model_dump(mode="json")
        rad = Gjennomforing(
            org_id=org_id,
            **{k: data[k] for k in data if k not in ("startdato", "sluttdato", "timepris")},
            startdato=inn.startdato,
            sluttdato=inn.sluttdato,
            timepris=None if inn.timepris is None else f"{inn.timepris:.2f}",
        )
        session.add(rad)
        session.flush()
        return rad.id


def seed_register(deps: Deps, org_id: int) -> None:
    """Seed the deltaker register once: the contract's gjennomføring and :data:`DELTAKERE`
    (every status, all followed by the demo veileder), with dates counted from today so their
    frister are in every state, and the finalised documents that deliver some of them.

    A second start finds the gjennomføring and seeds nothing.
    """
    idag = deps.clock().date()
    gjennomforing_id = _krev_gjennomforing(deps, org_id, _gjennomforing_inn(idag))
    if gjennomforing_id is None:
        return
    with deps.sessions() as session:
        bruker = session.scalar(
            select(Bruker).where(Bruker.org_id == org_id, Bruker.brukernavn == "veileder")
        )
        if bruker is None:
            return
        veileder = Aktor(org_id, bruker.navn, bruker.rolle, "demo", None, bruker_id=bruker.id)
    leveres: list[tuple[int, _Demodeltaker, dict[str, Any]]] = []
    registrert: list[tuple[str, date | None, date | None, str]] = []
    for i, d in enumerate(DELTAKERE):
        inn = les(
            DeltakerInn,
            _deltakerdata(d, i, idag, gjennomforing_id),
            tillat_syntetiske=True,
        )
        svar = deltakere.opprett(deps, veileder, inn, kilde="skjema")
        registrert.append((svar["nr"], inn.oppstartdato, inn.sluttdato, d.status))
        if d.levert:
            leveres.append((svar["id"], d, svar))
    timer.registrer_liste(deps, veileder, _demotimer(registrert, idag), kilde="skjema")
    dokumenter = [
        _finalisert_utkast(deps, veileder, deltaker_id, type_navn, svar)
        for deltaker_id, d, svar in leveres
        for type_navn in d.levert
    ]
    deps.jobs.wait_idle()
    for dokument_id, parter in dokumenter:
        for part in parter:
            godkjenning = dok_service.Godkjenningsdata(part=part)
            dok_service.godkjenn(deps, veileder, dokument_id, godkjenning)
    deps.jobs.wait_idle()


# The hours of a demo deltaker's month: (day of the month, activity, minutes).
_MANEDENS_TIMER = (
    (3, "oppfolging", 60),
    (10, "video_telefon", 30),
    (17, "arbeidsgiveroppfolging", 25),
    (24, "oppfolging", 45),
)
_MED_TIMER = frozenset({"DELTAR", "HAR_SLUTTET", "FULLFORT", "AVBRUTT"})


def _demotimer(
    registrert: list[tuple[str, date | None, date | None, str]], idag: date
) -> list[dict[str, Any]]:
    """The last whole month's hours of the demo deltakere who took part in it (the days they
    were active), so the month's close has something to close; the first of them also
    missed a meeting this month, which raises the frist "Varsle NAV samme dag"."""
    forste = (idag.replace(day=1) - timedelta(days=1)).replace(day=1)
    aktiviteter: list[dict[str, Any]] = []
    for nr, oppstart, slutt, status in registrert:
        if status not in _MED_TIMER or oppstart is None:
            continue
        for dag, aktivitet, minutter in _MANEDENS_TIMER:
            dato = forste.replace(day=dag)
            if oppstart <= dato and (slutt is None or dato <= slutt):
                aktiviteter.append(
                    {
                        "dato": dato.isoformat(),
                        "deltaker": {"nr": nr},
                        "aktivitet": aktivitet,
                        "minutter": minutter,
                    }
                )
    denne = idag.replace(day=1)
    aktive = [
        nr for nr, start, _, status in registrert if status == "DELTAR" and start and start < denne
    ]
    if aktive and idag > denne:
        aktiviteter.append(
            {
                "dato": denne.isoformat(),
                "deltaker": {"nr": aktive[0]},
                "aktivitet": "ikke_mott",
                "minutter": 60,
                "kommentar": "Møtte ikke, ringte to ganger uten svar",
            }
        )
    return aktiviteter


def _deltakerdata(d: _Demodeltaker, i: int, idag: date, gjennomforing_id: int) -> dict[str, Any]:
    def dag(antall: int | None) -> str | None:
        return None if antall is None else (idag + timedelta(days=antall)).isoformat()

    fodt = date(1970 + i % 30, 1 + i % 12, 1 + (i * 7) % 28)
    return {
        "gjennomforing_id": gjennomforing_id,
        "fornavn": d.fornavn,
        "etternavn": d.etternavn,
        "fodselsnummer": synthetic_person_ident(fodt, 100 + i),
        "telefon": f"4000{i:04d}",
        "adresse": (
            None
            if d.adressebeskyttet
            else {"gate": f"Storgata {i + 1}", "postnummer": "0155", "poststed": "Oslo"}
        ),
        "adressebeskyttet": d.adressebeskyttet,
        "oppstartdato": dag(d.oppstart),
        "sluttdato": dag(d.slutt),
        "status": {
            "type": d.status,
            "aarsak": d.aarsak,
            "beskrivelse": d.beskrivelse,
            "gyldig_fra": dag(d.slutt if d.slutt is not None else d.oppstart),
        },
        "soknadsdato": dag((d.oppstart or 0) - 30),
        "innsokende_nav_kontor": "NAV Grünerløkka",
        "veileder_nav": {"navn": "Ola Hansen", "telefon": "55553333"},
        "veiledere_arrangor": [{"brukernavn": "veileder", "type": "veileder"}],
    }


def _finalisert_utkast(
    deps: Deps, aktor: Aktor, deltaker_id: int, type_navn: str, deltaker: dict[str, Any]
) -> tuple[str, tuple[str, ...]]:
    """Create the deltaker's plan (from oppstart, six months) or first statusrapport (its
    first period) from the demo data; return its id and the parties whose approval
    finalises it (given once its preview is made)."""
    data = json.loads(demo_data(f"{type_navn}.json"))
    oppstart = date.fromisoformat(deltaker["oppstartdato"])
    periode = {
        "fra": oppstart.isoformat(),
        "til": (
            add_months(oppstart, 6 if type_navn == "plan" else 3) - timedelta(days=1)
        ).isoformat(),
    }
    data["deltaker"] = {"navn": deltaker["navn"], "fodselsnummer": deltaker["fodselsnummer"]}
    data["oppstartdato"] = oppstart.isoformat()
    data["planperiode" if type_navn == "plan" else "rapporteringsperiode"] = periode
    for i, rad in enumerate(data.get("oppfolgingstimer_per_maned") or []):
        rad["maned"] = add_months(oppstart, i).isoformat()[:7]  # the months of the period
    dok = parse_dokument(data, tillat_syntetiske=True)
    rad = dok_service.opprett(deps, aktor, dok, deltaker_id=deltaker_id)
    return rad.id, dok_service.parter(dok.model_dump(mode="json"))
