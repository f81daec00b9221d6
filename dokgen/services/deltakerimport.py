"""Import of a deltaker list from NAV: a preview first, then one commit of all or nothing.

There is no API to NAV, so people upload NAV's deltaker JSON or the coordinator list (CSV,
or tab-separated text pasted from the browser), read by :mod:`dokgen.oppfolging.importformat`.
Each row is matched on the fødselsnummer within the organisation and sorted into new,
changed (field by field, in words a person reads), unchanged and errors; deltakere of the
gjennomføring the file does not name are kept and listed. The commit writes only the fields
the file's format carries (a list without a phone column never wipes a stored phone), a
status change becomes a history entry with kilde ``import``, and the same file twice writes
nothing the second time.

Rules a reader may not guess:

- A fødselsnummer already in *another* gjennomføring of the organisation is a row error
  (naming that deltaker's nr): the import does not move people between gjennomføringer.
- A match on a protected deltaker the caller may not see is a row error that names no one
  ("kontakt en administrator"): the import must not tell a veileder that the person exists
  beyond what the file already says, and must not create a second deltaker for them.
- The coordinator list's "Veileder" names a user by display name (``Bruker.navn``, any
  case); an empty cell leaves the deltaker's veiledere as they are. The named user becomes
  the veileder; medveiledere stay.
- A new protected deltaker imported by a non-admin user, the file naming no veileder,
  gets the importing user as veileder, so that they can see (and import) them again.
- An address is never stored for a deltaker with adressebeskyttelse, nor shown in a change.
- No answer or error repeats a fødselsnummer: it is the key, never a shown value.

Commit errors are paths ``rad {radnr}.{felt}``, ``felt`` being the column or JSON field as
the file names it (``rad 3.Veileder``, ``rad 2.status.type``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from dokgen.access import Aktor
from dokgen.deps.read_audit import audit_row
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging import importformat
from dokgen.oppfolging.importformat import Importrad, Importresultat, Radfeil
from dokgen.oppfolging.kodeverk import arsak_ord, status_ord
from dokgen.services import deltakere
from dokgen.services.audit import logg
from dokgen.services.deltakere import _las, navn, synlige
from dokgen.services.gjennomforinger import finn_rad as gjennomforing_rad
from dokgen.storage.db import (
    Bruker,
    Deltaker,
    Deltakerstatus,
    Deltakerveileder,
    Fristkobling,
    Gjennomforing,
    Organisasjon,
    Revisjon,
    foreld_frister,
)
from ehf.identifiers import mask_person_idents

if TYPE_CHECKING:
    from dokgen.deps import Deps

KILDE = "import"
# Column limits of the register the file's rows must fit (the reader allows 200 characters).
_LENGDER = {"fornavn": 100, "mellomnavn": 100, "etternavn": 100, "telefon": 20}
# The register's fields as each format names them in a row error.
_KOLONNE_JSON = {
    "fornavn": "fornavn",
    "mellomnavn": "mellomnavn",
    "etternavn": "etternavn",
    "telefon": "telefonnummer",
    "fodselsnummer": "fodselsnummer",
}
_KOLONNE_TABELL = {
    "fornavn": "Navn",
    "mellomnavn": "Navn",
    "etternavn": "Navn",
    "fodselsnummer": "Fødselsnummer",
}
_VIS_MAKS = 120  # longer texts (a bestilling) are cut in a change


def _vis_dato(verdi: Any) -> str | None:
    return verdi.strftime("%d.%m.%Y") if verdi else None


def _vis_tekst(verdi: Any) -> str | None:
    if verdi is None:
        return None
    tekst = str(verdi)
    return tekst if len(tekst) <= _VIS_MAKS else tekst[: _VIS_MAKS - 1] + "…"


def _vis_prosent(verdi: Any) -> str | None:
    return None if verdi is None else f"{verdi} %"


def _vis_desimal(verdi: Any) -> str | None:
    return None if verdi is None else str(verdi).replace(".", ",")


def _vis_ja_nei(verdi: Any) -> str:
    return "Ja" if verdi else "Nei"


def _vis_veileder_nav(verdi: Any) -> str | None:
    if not verdi:
        return None
    kontakt = ", ".join(v for v in (verdi.get("epost"), verdi.get("telefon")) if v)
    return f"{verdi['navn']} ({kontakt})" if kontakt else str(verdi["navn"])


def _vis_adresse(verdi: Any) -> str | None:
    if not verdi:
        return None
    sted = " ".join(v for v in (verdi.get("postnummer"), verdi.get("poststed")) if v)
    return ", ".join(v for v in (verdi.get("gate"), sted) if v) or None


@dataclass(frozen=True)
class _Felt:
    """One register field an import compares: the Importrad fields that carry it, its title
    and how a value is shown."""

    navn: str  # the Deltaker column
    tittel: str
    vis: Callable[[Any], str | None] = _vis_tekst


# In the order a person reads a deltaker. Names, status, address and veileder are special.
_FELTER = (
    _Felt("telefon", "Telefon"),
    _Felt("epost", "E-post"),
    _Felt("adressebeskyttet", "Adressebeskyttet", _vis_ja_nei),
    _Felt("oppstartdato", "Oppstartdato", _vis_dato),
    _Felt("sluttdato", "Sluttdato", _vis_dato),
    _Felt("soknadsdato", "Søkt inn", _vis_dato),
    _Felt("bestilling_fra_nav", "Bestilling fra NAV"),
    _Felt("innsokende_nav_kontor", "NAV-kontor"),
    _Felt("veileder_nav", "NAV-veileder", _vis_veileder_nav),
    _Felt("deltakelsesprosent", "Deltakelsesprosent", _vis_prosent),
    _Felt("dager_per_uke", "Dager per uke", _vis_desimal),
)


@dataclass
class _Endring:
    felt: str
    fra: str | None
    til: str | None

    def som_data(self) -> dict[str, Any]:
        # A last guard: a text from NAV (a bestilling) might hold a fødselsnummer.
        return {
            "felt": self.felt,
            "fra": None if self.fra is None else mask_person_idents(self.fra),
            "til": None if self.til is None else mask_person_idents(self.til),
        }


@dataclass
class _Rad:
    """One row's plan: the stored deltaker (None: new), the column values to set, the new
    status (None: unchanged), the new veileder (None: unchanged) and the changes shown."""

    inn: Importrad
    rad: Deltaker | None
    verdier: dict[str, Any] = field(default_factory=dict)
    status: tuple[str, str | None, str | None, dt.date] | None = None
    veileder: Bruker | None = None
    endringer: list[_Endring] = field(default_factory=list)


@dataclass
class _Plan:
    nye: list[_Rad] = field(default_factory=list)
    endrede: list[_Rad] = field(default_factory=list)
    uendrede: list[_Rad] = field(default_factory=list)
    mangler: list[Deltaker] = field(default_factory=list)
    feil: list[Radfeil] = field(default_factory=list)


def importer(
    deps: Deps,
    aktor: Aktor,
    *,
    gjennomforing_id: int,
    innhold: bytes,
    mediatype: str,
    forhandsvis: bool,
) -> dict[str, Any]:
    """Preview or commit a deltaker list for one gjennomføring.

    Args:
        gjennomforing_id: the organisation's gjennomføring the file's deltakere are in.
        innhold: the file as uploaded (or pasted text, UTF-8).
        mediatype: ``application/json``, ``text/csv`` or ``text/tab-separated-values``
            (``text/plain``: the content decides).
        forhandsvis: True: only say what a commit would do; False: write it.

    Returns:
        ``nye`` (radnr, navn; nr and deltaker_id once written), ``endrede`` (radnr,
        deltaker_id, nr, navn, endringer [{felt, fra, til}]), ``uendrede`` (radnr,
        deltaker_id, nr, navn), ``mangler_i_filen`` (deltaker_id, nr, navn: kept), ``feil``
        (radnr, felt, melding) and ``skrevet``.

    Raises:
        AccessDeniedError: the caller may not change deltakere.
        RecordNotFoundError: no such gjennomføring in the organisation.
        PayloadTooLargeError, InputUnreadableError: the file cannot be read.
        InputInvalidError: the file's shape is wrong, or (commit) any row has an error: each
            as ``rad {radnr}.{felt}``; nothing is written.
    """
    aktor.krev("deltaker.skriv")
    resultat = importformat.les(
        innhold, mediatype, tillat_syntetiske=deps.settings.tillat_syntetiske
    )
    idag = deps.clock().date()
    if forhandsvis:
        with deps.sessions() as session:
            gjennomforing = gjennomforing_rad(session, aktor, gjennomforing_id)
            plan = _planlegg(session, aktor, gjennomforing, resultat, idag)
            svar = _svar(plan, skrevet=False)
        deps.read_audit.write(aktor, "forhandsvis_import", "deltakere", str(gjennomforing_id))
        return svar
    with deps.sessions.begin() as session:
        _las(session, aktor)
        gjennomforing = gjennomforing_rad(session, aktor, gjennomforing_id)
        plan = _planlegg(session, aktor, gjennomforing, resultat, idag)
        if plan.feil:
            raise InputInvalidError(
                [FieldError(f"rad {f.radnr}.{f.felt}", f.melding) for f in plan.feil]
            )
        _skriv(session, aktor, gjennomforing, plan, idag)
        detalj = (
            f"{len(plan.nye)} nye, {len(plan.endrede)} endret, {len(plan.uendrede)} uendret, "
            f"{len(plan.mangler)} mangler i filen"
        )
        logg(session, aktor, "importer", "deltakere", str(gjennomforing_id), detalj)
        return _svar(plan, skrevet=True)


def _planlegg(
    session: Session,
    aktor: Aktor,
    gjennomforing: Gjennomforing,
    resultat: Importresultat,
    idag: dt.date,
) -> _Plan:
    """Sort the file's rows against the register (three queries, whatever the size)."""
    alle = session.scalars(
        select(Deltaker)
        .where(Deltaker.org_id == aktor.org_id)
        .options(selectinload(Deltaker.veiledere).selectinload(Deltakerveileder.bruker))
    ).all()
    synlig = set(session.scalars(select(Deltaker.id).where(synlige(aktor))))
    etter_fnr = {d.fodselsnummer: d for d in alle}
    brukere: dict[str, list[Bruker]] = {}
    etter_id: dict[int, Bruker] = {}
    for b in session.scalars(
        select(Bruker).where(Bruker.org_id == aktor.org_id, Bruker.aktiv).order_by(Bruker.id)
    ):
        brukere.setdefault(_brett(b.navn), []).append(b)
        etter_id[b.id] = b
    kolonne = _KOLONNE_JSON if resultat.format == importformat.FORMAT_JSON else _KOLONNE_TABELL
    fnr_felt = kolonne["fodselsnummer"]
    plan = _Plan(feil=list(resultat.feil))
    i_filen: set[int] = set()
    for inn in resultat.rader:
        rad = etter_fnr.get(inn.fodselsnummer)
        feil_for = len(plan.feil)
        if rad is not None:
            i_filen.add(rad.id)
            if rad.id not in synlig:
                melding = "kan ikke importeres: kontakt en administrator"
                plan.feil.append(Radfeil(inn.radnr, fnr_felt, melding))
                continue
            if rad.gjennomforing_id != gjennomforing.id:
                melding = (
                    f"deltakeren er registrert i en annen gjennomføring ({rad.nr}): importer "
                    "raden der, eller flytt deltakeren først"
                )
                plan.feil.append(Radfeil(inn.radnr, fnr_felt, melding))
                continue
        steg = _Rad(inn, rad)
        plan.feil += _sammenlign(steg, resultat.felter, brukere, idag, kolonne)
        if len(plan.feil) > feil_for:
            continue
        if rad is None:
            if steg.veileder is None and steg.verdier.get("adressebeskyttet"):
                steg.veileder = _selv(aktor, etter_id)
            plan.nye.append(steg)
        elif steg.endringer:
            plan.endrede.append(steg)
        else:
            plan.uendrede.append(steg)
    plan.feil.sort(key=lambda f: f.radnr)
    plan.mangler = sorted(
        (
            d
            for d in alle
            if d.gjennomforing_id == gjennomforing.id
            and d.id in synlig
            and d.id not in i_filen
            and d.fodselsnummer not in resultat.fodselsnumre  # a row with errors names them
        ),
        key=lambda d: d.nr,
    )
    return plan


def _selv(aktor: Aktor, etter_id: dict[int, Bruker]) -> Bruker | None:
    """Return the importing user as the veileder of a new protected deltaker: a non-admin
    would otherwise create someone they may not see (nor import again)."""
    if aktor.rolle == "admin" or aktor.bruker_id is None:
        return None
    return etter_id.get(aktor.bruker_id)


def _brett(tekst: str) -> str:
    return " ".join(tekst.split()).casefold()


def _lengdefeil(inn: Importrad, kolonne: dict[str, str]) -> list[Radfeil]:
    feil = []
    for felt, hoyst in _LENGDER.items():
        verdi = getattr(inn, felt)
        if verdi is not None and len(verdi) > hoyst:
            melding = f"er for lang: høyst {hoyst} tegn"
            feil.append(Radfeil(inn.radnr, kolonne.get(felt, felt), melding))
    return feil


def _tall(inn: Importrad) -> tuple[dict[str, Any], list[Radfeil]]:
    verdier: dict[str, Any] = {}
    feil = []
    prosent = inn.deltakelsesprosent
    if prosent is not None and prosent != prosent.to_integral_value():
        melding = "deltakelsesprosenten må være et helt tall"
        feil.append(Radfeil(inn.radnr, "deltakelseProsent", melding))
    verdier["deltakelsesprosent"] = None if prosent is None else int(prosent)
    dager = inn.dager_per_uke
    if dager is not None and dager != dager.quantize(Decimal("0.1")):
        feil.append(Radfeil(inn.radnr, "dagerPerUke", "dager per uke skrives med én desimal"))
    verdier["dager_per_uke"] = None if dager is None else str(dager.normalize())
    return verdier, feil


def _ny_verdi(inn: Importrad, felt: str, tall: dict[str, Any]) -> Any:
    if felt in tall:
        return tall[felt]
    if felt == "veileder_nav":
        v = inn.veileder_nav
        return None if v is None else {"navn": v.navn, "telefon": v.telefon, "epost": v.epost}
    return getattr(inn, felt)


def _lik(felt: str, gammel: Any, ny: Any) -> bool:
    if felt == "dager_per_uke" and gammel is not None and ny is not None:
        return Decimal(gammel) == Decimal(ny)
    return bool(gammel == ny)


def _sammenlign(
    steg: _Rad,
    felter: frozenset[str],
    brukere: dict[str, list[Bruker]],
    idag: dt.date,
    kolonne: dict[str, str],
) -> list[Radfeil]:
    """Fill in what the row sets and what changes; return the row's errors."""
    inn, rad = steg.inn, steg.rad
    tall, feil = _tall(inn)
    feil += _lengdefeil(inn, kolonne)
    verdier, endringer = steg.verdier, steg.endringer
    # Names: the given names together, as the list writes them ("Berg, Jon Erik").
    fornavn = " ".join(d for d in (inn.fornavn, inn.mellomnavn) if d)
    gamle = " ".join(d for d in (rad.fornavn, rad.mellomnavn) if d) if rad else None
    if fornavn != gamle:
        verdier |= {"fornavn": inn.fornavn, "mellomnavn": inn.mellomnavn}
        endringer.append(_Endring("Fornavn", gamle, fornavn))
    if rad is None or inn.etternavn != rad.etternavn:
        verdier["etternavn"] = inn.etternavn
        endringer.append(_Endring("Etternavn", rad.etternavn if rad else None, inn.etternavn))
    for f in _FELTER:
        if f.navn not in felter:
            continue
        ny = _ny_verdi(inn, f.navn, tall)
        gammel = getattr(rad, f.navn) if rad else None
        if rad is None or not _lik(f.navn, gammel, ny):
            verdier[f.navn] = ny
            if rad is None and ny is None:
                continue
            endringer.append(_Endring(f.tittel, f.vis(gammel) if rad else None, f.vis(ny)))
    _adresse(steg, felter)
    _status(steg, felter, idag)
    feil += _veileder(steg, felter, brukere)
    if rad is None:
        steg.endringer = []  # a new deltaker is listed by name, not field by field
    return feil


def _adresse(steg: _Rad, felter: frozenset[str]) -> None:
    inn, rad = steg.inn, steg.rad
    beskyttet = steg.verdier.get("adressebeskyttet", rad.adressebeskyttet if rad else False)
    if "adressebeskyttet" in felter and inn.adressebeskyttet is not None:
        beskyttet = inn.adressebeskyttet
    gammel = rad.adresse if rad else None
    if beskyttet:
        ny = None  # never stored, whatever the file holds
    elif "adresse" in felter:
        a = inn.adresse
        ny = None if a is None else vars(a) | {"land": "NO"}
    else:
        return
    if rad is not None and gammel == ny:
        return
    steg.verdier["adresse"] = ny
    if rad is None:
        return
    skjult = beskyttet or rad.adressebeskyttet
    fra = "registrert" if skjult and gammel else _vis_adresse(gammel)
    til = "ingen (adressebeskyttet)" if beskyttet else _vis_adresse(ny)
    steg.endringer.append(_Endring("Adresse", fra, til))


def _vis_status(type_: str, aarsak: str | None, beskrivelse: str | None) -> str:
    grunn = arsak_ord(aarsak, beskrivelse)
    return f"{status_ord(type_)} ({grunn})" if grunn else status_ord(type_)


def _status(steg: _Rad, felter: frozenset[str], idag: dt.date) -> None:
    inn, rad = steg.inn, steg.rad
    if rad is None or "aarsak" in felter:
        ny = (inn.status, inn.aarsak, inn.beskrivelse)
    elif inn.status == rad.status:  # a list without årsak keeps the stored one
        ny = (rad.status, rad.status_aarsak, rad.status_beskrivelse)
    else:
        ny = (inn.status, None, None)
    gammel = (rad.status, rad.status_aarsak, rad.status_beskrivelse) if rad else None
    if ny == gammel:
        return
    gyldig_fra = (inn.gyldig_fra if "gyldig_fra" in felter else None) or idag
    steg.status = (*ny, gyldig_fra)
    steg.endringer.append(
        _Endring("Status", _vis_status(*gammel) if gammel else None, _vis_status(*ny))
    )


def _veileder(
    steg: _Rad, felter: frozenset[str], brukere: dict[str, list[Bruker]]
) -> list[Radfeil]:
    inn, rad = steg.inn, steg.rad
    if "veileder_arrangor_navn" not in felter or not inn.veileder_arrangor_navn:
        return []  # an empty cell leaves the veiledere as they are
    navn_ = inn.veileder_arrangor_navn
    treff = brukere.get(_brett(navn_), [])
    sitat = f" «{navn_}»" if len(navn_) <= 60 and not any(c.isdigit() for c in navn_) else ""
    if not treff:
        melding = (
            f"ingen aktiv bruker heter{sitat}: skriv navnet slik det står under Brukere, "
            "eller la cellen stå tom"
        )
        return [Radfeil(inn.radnr, "Veileder", melding)]
    if len(treff) > 1:
        melding = (
            f"flere brukere heter{sitat}: gi dem ulike navn under Brukere, eller la cellen "
            "stå tom og velg veileder på deltakerens side"
        )
        return [Radfeil(inn.radnr, "Veileder", melding)]
    ny = treff[0]
    gammel = next((v.bruker for v in rad.veiledere if v.type == "veileder"), None) if rad else None
    if gammel is not None and gammel.id == ny.id:
        return []
    steg.veileder = ny
    steg.endringer.append(_Endring("Veileder", gammel.navn if gammel else None, ny.navn))
    return []


def _skriv(
    session: Session, aktor: Aktor, gjennomforing: Gjennomforing, plan: _Plan, idag: dt.date
) -> None:
    """Write the plan: new deltakere with the next numbers, changed ones in the changed
    fields only; one audit line per deltaker written."""
    org = session.get(Organisasjon, aktor.org_id)
    if org is None:
        raise RecordNotFoundError("fant ikke organisasjonen")
    tatt = set(session.scalars(select(Deltaker.nr).where(Deltaker.org_id == aktor.org_id)))
    for steg in plan.nye:
        nr = _neste_nr(org, tatt)
        rad = Deltaker(
            org_id=aktor.org_id,
            gjennomforing_id=gjennomforing.id,
            nr=nr,
            fodselsnummer=steg.inn.fodselsnummer,
            historikk=[],
            veiledere=[],
            **steg.verdier,
        )
        _sett_status(session, aktor, rad, steg, ny=True)
        if steg.veileder is not None:
            rad.veiledere.append(Deltakerveileder(bruker_id=steg.veileder.id, type="veileder"))
        session.add(rad)
        steg.rad = rad
    endrede = [_lagret(steg).id for steg in plan.endrede]
    koblet = set(
        session.scalars(
            select(Fristkobling.deltaker_id).where(Fristkobling.deltaker_id.in_(endrede))
        )
    )
    for steg in plan.endrede:
        rad = _lagret(steg)
        datoer = (rad.oppstartdato, rad.sluttdato)
        for navn_, verdi in steg.verdier.items():
            setattr(rad, navn_, verdi)
        if rad.id in koblet:
            deltakere.flytt_koblinger(session, rad, *datoer, idag=idag)
        _sett_status(session, aktor, rad, steg, ny=False)
        if steg.veileder is not None:
            _sett_veileder(rad, steg.veileder)
    session.flush()
    foreld_frister(session, deltaker_ids=endrede)  # once for all, not a statement each
    linjer = [
        audit_row(aktor, handling, "deltaker", str(_lagret(steg).id))
        for handling, rader in (("opprett", plan.nye), ("endre", plan.endrede))
        for steg in rader
    ]
    if linjer:  # one statement, not one unit of work per line
        session.execute(insert(Revisjon), linjer)


def _lagret(steg: _Rad) -> Deltaker:
    if steg.rad is None:  # only a new row before it is written
        raise RuntimeError("raden er ikke skrevet")
    return steg.rad


def _neste_nr(org: Organisasjon, tatt: set[str]) -> str:
    while True:
        nr = f"D-{org.neste_deltakernummer:04d}"
        org.neste_deltakernummer += 1
        if nr not in tatt:
            tatt.add(nr)
            return nr


def _sett_status(session: Session, aktor: Aktor, rad: Deltaker, steg: _Rad, *, ny: bool) -> None:
    if steg.status is None:
        return
    type_, aarsak, beskrivelse, gyldig_fra = steg.status
    rad.status, rad.status_aarsak = type_, aarsak
    rad.status_beskrivelse, rad.status_gyldig_fra = beskrivelse, gyldig_fra
    historikk = Deltakerstatus(
        type=type_,
        aarsak=aarsak,
        beskrivelse=beskrivelse,
        gyldig_fra=gyldig_fra,
        registrert_av=aktor.navn,
        kilde=KILDE,
    )
    if ny:
        rad.historikk.append(historikk)
    else:  # not through rad.historikk: that would load each deltaker's history
        historikk.deltaker_id = rad.id
        session.add(historikk)


def _sett_veileder(rad: Deltaker, bruker: Bruker) -> None:
    """Make ``bruker`` the deltaker's veileder; the former one goes, medveiledere stay."""
    for v in list(rad.veiledere):
        if v.bruker_id == bruker.id:
            v.type = "veileder"
        elif v.type == "veileder":
            rad.veiledere.remove(v)
    if all(v.bruker_id != bruker.id for v in rad.veiledere):
        rad.veiledere.append(Deltakerveileder(bruker_id=bruker.id, type="veileder"))


def _svar(plan: _Plan, *, skrevet: bool) -> dict[str, Any]:
    def kjent(steg: _Rad) -> dict[str, Any]:
        rad = _lagret(steg)
        return {
            "radnr": steg.inn.radnr,
            "deltaker_id": rad.id,
            "nr": rad.nr,
            "navn": _radnavn(steg.inn),
        }

    nye = []
    for steg in plan.nye:
        ny: dict[str, Any] = {"radnr": steg.inn.radnr, "navn": _radnavn(steg.inn)}
        if skrevet and steg.rad is not None:
            ny |= {"nr": steg.rad.nr, "deltaker_id": steg.rad.id}
        nye.append(ny)
    return {
        "nye": nye,
        "endrede": [
            kjent(s) | {"endringer": [e.som_data() for e in s.endringer]} for s in plan.endrede
        ],
        "uendrede": [kjent(s) for s in plan.uendrede],
        "mangler_i_filen": [
            {"deltaker_id": d.id, "nr": d.nr, "navn": navn(d)} for d in plan.mangler
        ],
        "feil": [{"radnr": f.radnr, "felt": f.felt, "melding": f.melding} for f in plan.feil],
        "skrevet": skrevet,
    }


def _radnavn(inn: Importrad) -> str:
    return " ".join(d for d in (inn.fornavn, inn.mellomnavn, inn.etternavn) if d)
