"""Demo data for a new instance: a JMO organisation with one user per role, documents and
invoices in every state, arbeidsgivere with praksisplasser of every kind and placements in
every status, and beside it an arbeidsmarkedsbedrift (AMB) with its own users, its
two gjennomføringer under the ``amb`` rule pack and a few finalised AMB documents — made
through the service functions, so files, jobs and audit are real.

Each organisation is made as the operator's ``dokgen org lag`` makes one (no audit line:
no one in it acts yet), the JMO one with its invoice settings; the users are added by the
system actor :data:`DEMO` (an admin), so the audit log names who made them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dokgen.access import ROLLER, Aktor
from dokgen.data import demo_data
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.errors import InputInvalidError, SettingsInvalidError
from dokgen.oppfolging.frister import add_months
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    FravaerInn,
    OppstartsmoteInn,
    PlasseringInn,
    PraksisplassInn,
    StatusendringInn,
)
from dokgen.services import admin, brukere, deltakere, praksisoppfolging, praksisplasser, timer
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
# The arbeidsmarkedsbedrift beside it: a synthetic orgnr (valid MOD11, no real company's),
# user names apart from the JMO ones and passwords by the same pattern (demo-<name>-passord).
AMB_ORGNR = "998877679"
AMB_ORGNAVN = "Eksempel Arbeidsmarkedsbedrift AS"
AMB_BRUKERE = {rolle: f"amb-{rolle}" for rolle in ROLLER}
AMB_PASSORD = {rolle: f"demo-amb-{rolle}-passord" for rolle in ROLLER}
AMB_NAVN = {
    "veileder": "Kari Nordby",
    "regnskap": "Bjørn Berntsen",
    "leser": "Siri Sæther",
    "admin": "Per Åsheim",
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
    brukere_jmo = {rolle: rolle for rolle in ROLLER}
    org_id, ny = _org_med_brukere(deps, ORGNR, ORGNAVN, innstillinger(), brukere_jmo, NAVN, PASSORD)
    if ny:
        _documents(deps, Aktor(org_id, NAVN["veileder"], "veileder", "demo", None))
        _invoices(deps, Aktor(org_id, NAVN["regnskap"], "regnskap", "demo", None))
    seed_register(deps, org_id)
    amb_id, _ = _org_med_brukere(
        deps, AMB_ORGNR, AMB_ORGNAVN, None, AMB_BRUKERE, AMB_NAVN, AMB_PASSORD
    )
    seed_amb_register(deps, amb_id)
    echo(f"Demo: {ORGNAVN} (orgnr {ORGNR}). Brukere (brukernavn / passord):")
    for rolle in ROLLER:
        echo(f"  {rolle:<9} / {PASSORD[rolle]}")
    echo(
        f"Demo: {AMB_ORGNAVN} (orgnr {AMB_ORGNR}), arbeidsmarkedsbedrift. "
        "Brukere (brukernavn / passord):"
    )
    for rolle in ROLLER:
        echo(f"  {AMB_BRUKERE[rolle]:<13} / {AMB_PASSORD[rolle]}")


def _org_med_brukere(
    deps: Deps,
    orgnr: str,
    orgnavn: str,
    org_innstillinger: dict[str, Any] | None,
    brukernavn: dict[str, str],
    navn: dict[str, str],
    passord: dict[str, str],
) -> tuple[int, bool]:
    """Return the demo organisation's id, and whether this call made it: a new one gets one
    user per role (``brukernavn``, ``navn`` and ``passord`` by role), added by :data:`DEMO`."""
    finn = select(Organisasjon.id).where(Organisasjon.orgnr == orgnr)
    try:
        with deps.sessions.begin() as session:
            exists = session.scalar(finn)
            org_id = (
                exists
                if exists is not None
                else brukere.opprett_org(session, orgnr, orgnavn, org_innstillinger).id
            )
    # Another process made it between our read and our insert (found by opprett_org's own
    # read, or by the unique orgnr when both read before either wrote).
    except (IntegrityError, InputInvalidError):
        with deps.sessions() as session:
            return session.scalars(finn).one(), False
    if exists is None:
        demo = Aktor(org_id, DEMO, "admin", "demo", None)
        for rolle in ROLLER:
            admin.opprett_bruker(
                deps,
                demo,
                brukernavn=brukernavn[rolle],
                navn=navn[rolle],
                rolle=rolle,
                passord=passord[rolle],
            )
    return org_id, exists is None


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
    ids = _krev_gjennomforinger(deps, org_id, (inn,))
    return None if ids is None else ids[0]


def _krev_gjennomforinger(
    deps: Deps, org_id: int, inns: tuple[GjennomforingInn, ...]
) -> list[int] | None:
    """Create the demo gjennomføringer unless the organisation has the first by its name;
    return their ids, in order, when this call made them (None: the register is seeded, or
    being seeded, already). All are made in one transaction under the organisation's write
    lock, so of several processes starting at once exactly one seeds the register."""
    with deps.sessions.begin() as session:
        lock_for_update(session, select(Organisasjon).where(Organisasjon.id == org_id))
        finnes = session.scalar(
            select(Gjennomforing.id).where(
                Gjennomforing.org_id == org_id, Gjennomforing.navn == inns[0].navn
            )
        )
        if finnes is not None:
            return None
        rader = []
        for inn in inns:
            data = inn.model_dump(mode="json")
            rad = Gjennomforing(
                org_id=org_id,
                **{k: data[k] for k in data if k not in ("startdato", "sluttdato", "timepris")},
                startdato=inn.startdato,
                sluttdato=inn.sluttdato,
                timepris=None if inn.timepris is None else f"{inn.timepris:.2f}",
            )
            session.add(rad)
            rader.append(rad)
        session.flush()
        return [rad.id for rad in rader]


def seed_register(deps: Deps, org_id: int) -> None:
    """Seed the deltaker register once: the contract's gjennomføring and :data:`DELTAKERE`
    (every status, all followed by the demo veileder), with dates counted from today so their
    frister are in every state, the finalised documents that deliver some of them, and the
    praksisplass register (:func:`_praksis`).

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
    ider: dict[str, int] = {}
    for i, d in enumerate(DELTAKERE):
        inn = les(
            DeltakerInn,
            _deltakerdata(d, i, idag, gjennomforing_id),
            tillat_syntetiske=True,
        )
        svar = deltakere.opprett(deps, veileder, inn, kilde="skjema")
        registrert.append((svar["nr"], inn.oppstartdato, inn.sluttdato, d.status))
        ider[d.fornavn] = svar["id"]
        if d.levert:
            leveres.append((svar["id"], d, svar))
    timer.registrer_liste(deps, veileder, _demotimer(registrert, idag), kilde="skjema")
    _praksis(deps, veileder, ider, idag)
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


def _deltakerdata(
    d: _Demodeltaker,
    i: int,
    idag: date,
    gjennomforing_id: int,
    *,
    veileder: str = "veileder",
    nav_kontor: str = "NAV Grünerløkka",
) -> dict[str, Any]:
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
        "innsokende_nav_kontor": nav_kontor,
        "veileder_nav": {"navn": "Ola Hansen", "telefon": "55553333"},
        "veiledere_arrangor": [{"brukernavn": veileder, "type": "veileder"}],
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


# --- Praksisplasser: arbeidsgivere, places of every kind, placements in every status ---

# The arbeidsgivere and their places are data (``arbeidsgivere.json``). The placements: (the
# demo deltaker's first name, (the arbeidsgiver's position in that file, avdeling), the day it was
# registered, planned start, planned end, and its status changes as (status, day, fields));
# days from today. One in every status; the one ended before its planned end says why.
_Steg = tuple[str, int, dict[str, Any]]
PLASSERINGER: tuple[tuple[str, tuple[int, str], int, int, int, tuple[_Steg, ...]], ...] = (
    ("Aksel", (3, "Kafé"), 0, 14, 104, ()),
    ("Jonas", (3, "Kjøkken"), -10, 7, 97, (("statusmote_avtalt", -2, {"statusmote_dato": 4}),)),
    (
        "Sara",
        (2, "Verksted"),
        -4,
        5,
        95,
        (("statusmote_avtalt", -4, {"statusmote_dato": -2}), ("bekreftet", -1, {})),
    ),
    (
        "Ingrid",
        (0, "Butikk"),
        -38,
        -30,
        60,
        (
            ("statusmote_avtalt", -36, {"statusmote_dato": -34}),
            ("bekreftet", -33, {}),
            ("startet", -30, {}),
        ),
    ),
    (
        "Emil",
        (1, "Seniorsenteret"),
        -55,
        -45,
        45,
        (
            ("statusmote_avtalt", -53, {"statusmote_dato": -50}),
            ("bekreftet", -49, {}),
            ("startet", -45, {}),
        ),
    ),
    (
        "Hanne",
        (0, "Butikk"),
        -118,
        -110,
        60,
        (
            ("statusmote_avtalt", -116, {"statusmote_dato": -114}),
            ("bekreftet", -113, {}),
            ("startet", -110, {}),
            ("avsluttet", -3, {"sluttdato": -3, "sluttarsak": "Fikk fast jobb i butikken"}),
        ),
    ),
    (
        "Ole",
        (0, "Bakeri"),
        -195,
        -185,
        -20,
        (
            ("statusmote_avtalt", -193, {"statusmote_dato": -190}),
            ("bekreftet", -189, {}),
            ("startet", -185, {}),
            ("avsluttet", -20, {"sluttdato": -20}),
        ),
    ),
)


def _praksisplasser(deps: Deps, veileder: Aktor) -> dict[tuple[int, str], tuple[int, str, str]]:
    """Register the demo's arbeidsgivere (``arbeidsgivere.json``: synthetic orgnr, valid
    MOD11, no real company's) with their places; return each place's id, kind and the
    arbeidsgiver's first contact person by (the arbeidsgiver's position in the file,
    avdeling)."""
    plasser: dict[tuple[int, str], tuple[int, str, str]] = {}
    for nr, rad in enumerate(json.loads(demo_data("arbeidsgivere.json"))):
        inn = les(ArbeidsgiverInn, rad["arbeidsgiver"])
        ag = praksisplasser.opprett_arbeidsgiver(deps, veileder, inn)
        leder = rad["arbeidsgiver"]["kontaktpersoner"][0]["navn"]
        for sted in rad["praksisplasser"]:
            plass = les(PraksisplassInn, sted | {"arbeidsgiver_id": ag["id"]})
            plass_id = praksisplasser.opprett_plass(deps, veileder, plass)["id"]
            plasser[(nr, sted["avdeling"])] = (plass_id, sted["art"], leder)
    return plasser


# The aim agreed at the oppstartsmøte per kind of place (an arbeidstrening's with its
# yrkesmål, the routine's distinction; an aktivitetsplass may aim at turning up).
_MALSETTING = {
    "arbeidstrening": ("Arbeidstrening mot fast jobb i butikk", "Butikkmedarbeider"),
    "aktivitetsplass": ("Møte opp", None),
    "kommunal_tiltaksplass": ("Komme i fast aktivitet og avklare arbeidsevnen", None),
    "sprakpraksis": ("Bruke norsk i arbeidshverdagen", None),
}


def _praksis(deps: Deps, veileder: Aktor, deltaker_ider: dict[str, int], idag: date) -> None:
    """Register the demo's arbeidsgivere and places and :data:`PLASSERINGER` of the demo
    deltakere (``deltaker_ider`` by first name), each moved through its statuses with a
    history, through the service as the demo veileder: the oppstartsmøte is recorded on its
    agreed day before a start, and the first started placement has two absences its
    arbeidsgiver reported, one without a valid reason (the frist «Varsle NAV samme dag»)."""

    def dag(antall: int) -> str:
        return (idag + timedelta(days=antall)).isoformat()

    plasser = _praksisplasser(deps, veileder)
    forste_startet = True
    for navn, plass, registrert, start, slutt, steg in PLASSERINGER:
        plass_id, art, leder = plasser[plass]
        inn = les(
            PlasseringInn,
            {"praksisplass_id": plass_id, "deltaker_id": deltaker_ider[navn],
             "dato": dag(registrert), "startdato": dag(start), "planlagt_sluttdato": dag(slutt)},
        )  # fmt: skip
        plassering = praksisplasser.opprett_plassering(deps, veileder, inn)
        mote_dag: int | None = None
        for status, dato, felt in steg:
            if status == "statusmote_avtalt":
                mote_dag = int(felt["statusmote_dato"])
            if status == "startet" and mote_dag is not None:
                _oppstartsmote(
                    deps, veileder, plassering["id"], dag(mote_dag), art, leder,
                    plassering["deltaker"]["navn"],
                )  # fmt: skip
            datoer = {k: dag(v) if isinstance(v, int) else v for k, v in felt.items()}
            endring = les(StatusendringInn, {"status": status, "dato": dag(dato), **datoer})
            praksisplasser.endre_status(deps, veileder, plassering["id"], endring)
        if forste_startet and steg and steg[-1][0] == "startet":
            forste_startet = False
            _fravaer(deps, veileder, plassering["id"], idag, leder)


def _oppstartsmote(
    deps: Deps, veileder: Aktor, plassering_id: int, dato: str, art: str, leder: str, navn: str
) -> None:
    malsetting, yrkesmal = _MALSETTING[art]
    inn = les(
        OppstartsmoteInn,
        {
            "dato": dato,
            "deltakere": [
                {"rolle": "veileder", "navn": veileder.navn},
                {"rolle": "leder", "navn": leder},
                {"rolle": "deltaker", "navn": navn},
            ],
            "malsetting": malsetting,
            "yrkesmal": yrkesmal,
            "tilretteleggingsbehov": "Kortere dager de første to ukene",
        },
    )
    praksisoppfolging.registrer_oppstartsmote(deps, veileder, plassering_id, inn)


def _fravaer(deps: Deps, veileder: Aktor, plassering_id: int, idag: date, leder: str) -> None:
    """Two absences: two days' illness twelve days ago, and the last weekday before today
    without a valid reason."""
    uten = idag - timedelta(days=1)
    while uten.weekday() >= 5:
        uten -= timedelta(days=1)
    for fra, til, arsak in (
        (idag - timedelta(days=12), idag - timedelta(days=11), "sykdom"),
        (uten, uten, "uten_gyldig_grunn"),
    ):
        inn = les(
            FravaerInn,
            {"fra_dato": fra.isoformat(), "til_dato": til.isoformat(), "arsak": arsak,
             "meldt_av": leder, "meldt_via": "epost", "meldt_dato": fra.isoformat()},
        )  # fmt: skip
        praksisoppfolging.registrer_fravaer(deps, veileder, plassering_id, inn)


# --- The arbeidsmarkedsbedrift: two gjennomføringer under the amb rule pack ---

# The samarbeidsavtale's «frist for levering av sluttrapport» (AMB §1.5 b), set on both
# gjennomføringer (the pack's own default is 14 days).
AMB_SLUTTRAPPORT_DAGER = 21
AMB_KVALIFISERING = "Kvalifisering i arbeidsmarkedsbedrift 2026"
AMB_TILRETTELAGT = "Tilrettelagt arbeid i arbeidsmarkedsbedrift 2025"

# (gjennomføring: 0 Kvalifisering, 1 Tilrettelagt arbeid; the deltaker). Judged today under
# amb (samtalereferat by the last day of each three months from oppstart, sluttrapport fra
# Kvalifisering slutt + AMB_SLUTTRAPPORT_DAGER; "snart" within 7 days):
AMB_DELTAKERE: tuple[tuple[int, _Demodeltaker], ...] = (
    (0, _Demodeltaker("Amir", "Haddad", "DELTAR", oppstart=-100)),  # samtalereferat forfalt
    (0, _Demodeltaker("Frida", "Solheim", "DELTAR", oppstart=-86)),  # samtalereferat snart
    # samtalereferat levert i tide (held today)
    (0, _Demodeltaker("Jon", "Tangen", "DELTAR", oppstart=-80, levert=("samtalereferat",))),
    (  # sluttrapport levert i tide
        0,
        _Demodeltaker(
            "Marte",
            "Nygård",
            "HAR_SLUTTET",
            oppstart=-300,
            slutt=-10,
            aarsak="FATT_JOBB",
            levert=("sluttrapport_kvalifisering",),
        ),
    ),
    (0, _Demodeltaker("Petter", "Foss", "FULLFORT", oppstart=-330, slutt=-40)),  # forfalt
    (  # sluttrapport snart
        0,
        _Demodeltaker("Randi", "Lunde", "HAR_SLUTTET", oppstart=-150, slutt=-17, aarsak="SYK"),
    ),
    (0, _Demodeltaker("Kasper", "Bye", "VENTER_PA_OPPSTART", oppstart=14)),  # kommende
    (1, _Demodeltaker("Eva", "Brekke", "DELTAR", oppstart=-400)),  # samtalereferater forfalt
    (1, _Demodeltaker("Geir", "Moe", "DELTAR", oppstart=-45)),  # samtalereferat kommende
    (  # bortfalt
        1,
        _Demodeltaker("Tor", "Kvam", "IKKE_AKTUELL", oppstart=-20, aarsak="FIKK_IKKE_PLASS"),
    ),
)


def _amb_gjennomforinger(idag: date) -> tuple[GjennomforingInn, ...]:
    """The two AMB gjennomføringer, each started 1 January of the year its earliest demo
    deltaker started (Tilrettelagt arbeid's in an earlier year, so a past årsrapport is due)."""
    felles = {
        "regelsett": "amb",
        "avtalenummer": "26/4410",
        "sluttrapport_dager": AMB_SLUTTRAPPORT_DAGER,
        "kjoper": None,
    }
    inns = []
    for nr, (navn, tiltakstype) in enumerate(
        (
            (AMB_KVALIFISERING, "amb_kvalifisering"),
            (AMB_TILRETTELAGT, "amb_tilrettelagt_arbeid"),
        )
    ):
        forste = min(d.oppstart or 0 for g, d in AMB_DELTAKERE if g == nr)
        start = date((idag + timedelta(days=forste)).year, 1, 1)
        data = felles | {"navn": navn, "tiltakstype": tiltakstype, "startdato": start.isoformat()}
        inns.append(les(GjennomforingInn, data))
    return tuple(inns)


def seed_amb_register(deps: Deps, org_id: int) -> None:
    """Seed the arbeidsmarkedsbedrift's register once: its two gjennomføringer under the
    ``amb`` rule pack, :data:`AMB_DELTAKERE` (followed by its demo veileder) with dates
    counted from today so the AMB frister are in several states, and three finalised
    documents: the samarbeidsavtale, a samtalereferat and a sluttrapport fra Kvalifisering.

    A second start finds the gjennomføringer and seeds nothing.
    """
    idag = deps.clock().date()
    ids = _krev_gjennomforinger(deps, org_id, _amb_gjennomforinger(idag))
    if ids is None:
        return
    with deps.sessions() as session:
        bruker = session.scalar(
            select(Bruker).where(
                Bruker.org_id == org_id, Bruker.brukernavn == AMB_BRUKERE["veileder"]
            )
        )
        if bruker is None:
            return
        veileder = Aktor(org_id, bruker.navn, bruker.rolle, "demo", None, bruker_id=bruker.id)
    dokumenter = [_amb_samarbeidsavtale(deps, veileder, ids[0], idag)]
    for i, (nr, d) in enumerate(AMB_DELTAKERE):
        data = _deltakerdata(
            d, 40 + i, idag, ids[nr], veileder=AMB_BRUKERE["veileder"], nav_kontor="NAV Alna"
        )
        svar = deltakere.opprett(
            deps, veileder, les(DeltakerInn, data, tillat_syntetiske=True), kilde="skjema"
        )
        dokumenter += [_amb_dokument(deps, veileder, t, svar, idag) for t in d.levert]
    deps.jobs.wait_idle()
    for dokument_id, godkjenninger in dokumenter:
        for godkjenning in godkjenninger:
            dok_service.godkjenn(deps, veileder, dokument_id, godkjenning)
    deps.jobs.wait_idle()


def _amb_data(type_navn: str, tiltak: str) -> dict[str, Any]:
    """The type's demo data with the arbeidsmarkedsbedrift as arrangør of ``tiltak``."""
    data = json.loads(demo_data(f"{type_navn}.json"))
    data["tiltak"]["navn"] = tiltak
    data["tiltak"]["arrangor"] = {"navn": AMB_ORGNAVN, "orgnr": AMB_ORGNR}
    return data


def _paa_vegne_av(part: str, navn: str) -> dok_service.Godkjenningsdata:
    return dok_service.Godkjenningsdata(
        part=part, navn=navn, begrunnelse="Underskrevet på papir (demodata)"
    )


_Godkjenninger = tuple[dok_service.Godkjenningsdata, ...]


def _amb_samarbeidsavtale(
    deps: Deps, aktor: Aktor, gjennomforing_id: int, idag: date
) -> tuple[str, _Godkjenninger]:
    """The samarbeidsavtale with NAV Alna for this year and the next, its sluttrapport frist
    the gjennomføringer's; approved by the bedrift and (on paper) NAV lokal."""
    data = _amb_data("samarbeidsavtale", "Arbeidsmarkedsbedrift (AMB)")
    fra = date(idag.year, 1, 1)
    data["avtaleperiode"] = {"fra": fra.isoformat(), "til": date(idag.year + 1, 12, 31).isoformat()}
    data["revisjonsdato"] = date(idag.year, 12, 1).isoformat()
    data["dato"] = date(idag.year, 1, 15).isoformat()
    data["sluttrapport_frist_dager"] = AMB_SLUTTRAPPORT_DAGER
    data["underskriver_bedrift"] = {"navn": AMB_NAVN["admin"], "rolle": "Daglig leder"}
    dok = parse_dokument(data, tillat_syntetiske=True)
    rad = dok_service.opprett(deps, aktor, dok, gjennomforing_id=gjennomforing_id)
    nav = data["underskriver_nav"]["navn"]
    return rad.id, (dok_service.Godkjenningsdata(part="arrangor"), _paa_vegne_av("nav_lokal", nav))


def _amb_dokument(
    deps: Deps, aktor: Aktor, type_navn: str, deltaker: dict[str, Any], idag: date
) -> tuple[str, _Godkjenninger]:
    """A deltaker's samtalereferat (the conversation held today) or sluttrapport fra
    Kvalifisering (written today, with a result code); return its id and the approvals that
    finalise it."""
    data = _amb_data(type_navn, AMB_KVALIFISERING)
    data["deltaker"] = {"navn": deltaker["navn"], "fodselsnummer": deltaker["fodselsnummer"]}
    data["dato"] = idag.isoformat()
    data["underskriver"] = {"navn": aktor.navn, "rolle": "Attføringsansvarlig"}
    godkjenninger: _Godkjenninger = (dok_service.Godkjenningsdata(part="arrangor"),)
    if type_navn == "samtalereferat":
        data["samtaledato"] = idag.isoformat()
        data["medvirkende"][0] = {"navn": aktor.navn, "rolle": "attføringsansvarlig"}
        for delmal in data["nye_delmal"]:
            if delmal["frist"] is not None:
                delmal["frist"] = (idag + timedelta(days=60)).isoformat()
    else:  # sluttrapport_kvalifisering
        data["oppstartdato"] = deltaker["oppstartdato"]
        data["sluttdato"] = deltaker["sluttdato"]
        data["resultat"] = "arbeid_med_tilskudd"
        data["resultat_opplysninger"] = (
            "Ansatt i 80 % fast stilling hos Lager Nord AS, med lønnstilskudd 40 % i seks måneder."
        )
        data["vedtak_radgivende_utvalg"] = (
            "Rådgivende utvalg tilrår avslutning av Kvalifisering med overgang til arbeid med "
            "lønnstilskudd."
        )
        data["attest"] = {"beskrivelse": f"Attest fra {AMB_ORGNAVN}, 1 side", "referanse": None}
        godkjenninger = (_paa_vegne_av("deltaker", deltaker["navn"]), *godkjenninger)
    dok = parse_dokument(data, tillat_syntetiske=True)
    rad = dok_service.opprett(deps, aktor, dok, deltaker_id=deltaker["id"])
    return rad.id, godkjenninger
