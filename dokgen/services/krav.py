"""The NAV claims (``Manedskrav`` of ``art`` ``nav_refusjonskrav``): list, read, download the
Timedokumentasjon, record NAV's answer, try a failed package again.

The claim itself is typed into NAV's arrangørflate by a person (NAV offers arrangører no API
for it); dokgen makes the package (:mod:`dokgen.services.kravpakke`) and keeps what NAV
answered, with NAV's own status names, so the difference between what was claimed and what
was paid shows. No view here carries a fødselsnummer: it lives in the ``grunnlag`` and the
PDF only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError, StateConflictError
from dokgen.runtime import leases
from dokgen.services import kravpakke
from dokgen.services.audit import logg
from dokgen.storage.db import Gjennomforing, Manedskrav, lock_for_update
from ehf.translate import MANEDER

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from dokgen.deps import Deps

PER_SIDE = 50
STATUSTEKST = {
    kravpakke.BEHANDLES: "Lages",
    kravpakke.KLAR: "Klar til innsending",  # NAV's own words: "Klar for innsending"
    kravpakke.FEILET: "Feilet",
}
# NAV's statuses of an utbetaling in the arrangørflate, with the words NAV shows for them
# (navikt/mulighetsrommet: ``ArrangorflateUtbetalingStatus`` and the frontend's
# ``UtbetalingStatusTag``), in the order a claim passes through them. KLAR_FOR_GODKJENNING
# and BLOKKERT_FOR_INNSENDING are states before the arrangør sends, so not answers to record.
NAV_STATUSER = {
    "BEHANDLES_AV_NAV": "Behandles av NAV",
    "OVERFORT_TIL_UTBETALING": "Overført til utbetaling",
    "DELVIS_UTBETALT": "Delvis utbetalt",
    "UTBETALT": "Utbetalt",
    "AVBRUTT_AV_NAV": "Avbrutt av NAV",
    "AVBRUTT_AV_ARRANGOR": "Avbrutt av arrangør",
}
MED_BELOP = ("DELVIS_UTBETALT", "UTBETALT")  # an answer that must say what was paid
MAKS_KOMMENTAR = 500
_MANED = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def maned_tekst(maned: str) -> str:
    """Return a month in words: ``2026-10`` → ``oktober 2026``."""
    ar, mnd = maned.split("-")
    return f"{MANEDER[int(mnd) - 1]} {ar}"


def kroner(belop: int | Decimal) -> str:
    """Return an amount in whole kroner grouped the Norwegian way: ``11788`` → ``11 788``."""
    return f"{int(belop):,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Deltakersum:
    """One deltaker's part of a claim as the pages show it: no fødselsnummer."""

    nr: str
    navn: str
    timer: str
    belop: str


@dataclass(frozen=True)
class Fil:
    """One file of the package."""

    nr: int
    filnavn: str
    bytes: int


@dataclass(frozen=True)
class Krav:
    """A NAV claim as the pages and the API show it."""

    id: str
    maned: str
    lopenr: int
    gjennomforing_id: int
    gjennomforing_navn: str
    tiltaksnummer: str | None
    status: str
    feil: str | None
    belop: Decimal
    belop_kroner: int
    timepris: str | None
    kid: str | None
    begrunnelse: str | None
    korrigerer_id: str | None
    nav_status: str | None
    utbetalt: Decimal | None
    nav_kommentar: str | None
    nav_registrert: datetime | None
    nav_registrert_av: str | None
    opprettet: datetime
    opprettet_av: str
    filer: tuple[Fil, ...] = ()
    deltakere: tuple[Deltakersum, ...] = ()
    stanset: bool = False

    @property
    def status_tekst(self) -> str:
        """Return the package's status in words."""
        return STATUSTEKST.get(self.status, self.status)

    @property
    def nav_status_tekst(self) -> str | None:
        """Return NAV's status in NAV's words, or None before an answer is recorded."""
        return NAV_STATUSER.get(self.nav_status, self.nav_status) if self.nav_status else None

    @property
    def maned_tekst(self) -> str:
        """Return the month in words."""
        return maned_tekst(self.maned)

    @property
    def kroner(self) -> str:
        """Return the amount to type in NAV's form, in whole kroner, grouped."""
        return kroner(self.belop_kroner)

    @property
    def differanse(self) -> Decimal | None:
        """Return what NAV paid minus the whole-krone amount claimed (None before an answer)."""
        return None if self.utbetalt is None else self.utbetalt - self.belop_kroner


@dataclass(frozen=True)
class Manedssum:
    """A month's totals over the claims found (all pages)."""

    maned: str
    antall: int
    belop: Decimal
    belop_kroner: int
    utbetalt: Decimal

    @property
    def maned_tekst(self) -> str:
        """Return the month in words."""
        return maned_tekst(self.maned)

    @property
    def kroner(self) -> str:
        """Return the whole-krone amounts' sum, grouped."""
        return kroner(self.belop_kroner)


@dataclass(frozen=True)
class Kravliste:
    """One page of claims, the totals per month over every claim found, and the paging."""

    rader: list[Krav]
    totaler: list[Manedssum]
    antall: int
    side: int
    sider: int
    per_side: int = PER_SIDE
    filtre: dict[str, Any] = field(default_factory=dict)


def _vis(rad: Manedskrav, navn: str, tiltaksnummer: str | None, *, detaljer: bool) -> Krav:
    """Return the claim's view; the gjennomføring's name and tiltaksnummer as claimed (the
    grunnlag's, as in the PDF), else as the register has them now."""
    grunnlag = rad.grunnlag or {}
    gjennomforing = grunnlag.get("gjennomforing") or {}
    navn = gjennomforing.get("navn") or navn
    tiltaksnummer = gjennomforing.get("tiltaksnummer") or tiltaksnummer
    deltakere: tuple[Deltakersum, ...] = ()
    if detaljer:
        deltakere = tuple(
            Deltakersum(str(d.get("nr", "")), str(d["navn"]), str(d["timer"]), str(d["belop"]))
            for d in grunnlag.get("deltakere", ())
        )
    return Krav(
        id=rad.id,
        maned=rad.maned,
        lopenr=rad.lopenr,
        gjennomforing_id=rad.gjennomforing_id,
        gjennomforing_navn=navn,
        tiltaksnummer=tiltaksnummer,
        status=rad.status,
        feil=rad.feil,
        belop=Decimal(rad.belop),
        belop_kroner=rad.belop_kroner,
        timepris=rad.timepris,
        kid=grunnlag.get("kid"),
        begrunnelse=rad.begrunnelse,
        korrigerer_id=rad.korrigerer_id,
        nav_status=rad.nav_status,
        utbetalt=Decimal(rad.utbetalt) if rad.utbetalt is not None else None,
        nav_kommentar=rad.nav_kommentar,
        nav_registrert=rad.nav_registrert,
        nav_registrert_av=rad.nav_registrert_av,
        opprettet=rad.opprettet,
        opprettet_av=rad.opprettet_av,
        filer=tuple(
            Fil(nr, f["filnavn"], int(f["bytes"])) for nr, f in enumerate(rad.filer or [], start=1)
        ),
        deltakere=deltakere,
    )


def _utvalg(aktor: Aktor, maned: str | None, gjennomforing_id: int | None) -> list[Any]:
    vilkar = [Manedskrav.org_id == aktor.org_id, Manedskrav.art == kravpakke.NAV_REFUSJONSKRAV]
    if maned:
        vilkar.append(Manedskrav.maned == maned)
    if gjennomforing_id is not None:
        vilkar.append(Manedskrav.gjennomforing_id == gjennomforing_id)
    return vilkar


def _sjekk_filtre(maned: str | None, side: int) -> None:
    errors = []
    if maned and not _MANED.match(maned):
        errors.append(FieldError("maned", "skriv måneden som ÅÅÅÅ-MM, f.eks. 2026-10"))
    if side < 1:
        errors.append(FieldError("side", "må være 1 eller mer"))
    if errors:
        raise InputInvalidError(errors)


def liste(
    deps: Deps,
    aktor: Aktor,
    *,
    maned: str | None = None,
    gjennomforing_id: int | None = None,
    side: int = 1,
    per_side: int = PER_SIDE,
) -> Kravliste:
    """Return one page of the organisation's NAV claims, newest month first, with the totals
    per month over every claim the filters find.

    Args:
        maned: only this month (YYYY-MM).
        gjennomforing_id: only this gjennomføring's claims.
        side: the page, from 1.

    Raises:
        InputInvalidError: a month not written YYYY-MM, or a page below 1.
    """
    aktor.krev("krav.les")
    _sjekk_filtre(maned, side)
    vilkar = _utvalg(aktor, maned, gjennomforing_id)
    with deps.sessions() as session:
        antall = session.scalar(select(func.count()).select_from(Manedskrav).where(*vilkar)) or 0
        rader = session.execute(
            select(Manedskrav, Gjennomforing.navn, Gjennomforing.tiltaksnummer)
            .join(Gjennomforing, Gjennomforing.id == Manedskrav.gjennomforing_id)
            .where(*vilkar)
            .order_by(Manedskrav.maned.desc(), Gjennomforing.navn, Manedskrav.lopenr)
            .offset((side - 1) * per_side)
            .limit(per_side)
        ).all()
        synlige = [_vis(r, navn, tnr, detaljer=False) for r, navn, tnr in rader]
        belop = session.execute(
            select(
                Manedskrav.maned, Manedskrav.belop, Manedskrav.belop_kroner, Manedskrav.utbetalt
            ).where(*vilkar)
        ).all()
    deps.read_audit.write(aktor, "sok", "krav", None)
    return Kravliste(
        rader=synlige,
        totaler=_totaler(belop),
        antall=antall,
        side=side,
        sider=max(1, -(-antall // per_side)),
        per_side=per_side,
        filtre={"maned": maned, "gjennomforing_id": gjennomforing_id},
    )


def _totaler(rader: Sequence[Any]) -> list[Manedssum]:
    per: dict[str, list[Any]] = defaultdict(list)
    for maned, belop, kroner, utbetalt in rader:
        per[maned].append((Decimal(belop), kroner, Decimal(utbetalt or 0)))
    return [
        Manedssum(
            maned=m,
            antall=len(v),
            belop=sum((x[0] for x in v), Decimal(0)),
            belop_kroner=sum(x[1] for x in v),
            utbetalt=sum((x[2] for x in v), Decimal(0)),
        )
        for m, v in sorted(per.items(), reverse=True)
    ]


def gjennomforinger(deps: Deps, aktor: Aktor) -> list[tuple[int, str]]:
    """Return (id, name) of the gjennomføringer claimed through NAV's portal, or with claims,
    for the list's filter.

    Raises:
        AccessDeniedError: the role may not read claims.
    """
    aktor.krev("krav.les")
    med_krav = select(Manedskrav.gjennomforing_id).where(
        Manedskrav.org_id == aktor.org_id, Manedskrav.art == kravpakke.NAV_REFUSJONSKRAV
    )
    with deps.sessions() as session:
        rader = session.execute(
            select(Gjennomforing.id, Gjennomforing.navn)
            .where(Gjennomforing.org_id == aktor.org_id)
            .where(
                (Gjennomforing.kravform == kravpakke.NAV_REFUSJONSKRAV)
                | Gjennomforing.id.in_(med_krav)
            )
            .order_by(Gjennomforing.navn)
        ).all()
    return [(int(i), str(n)) for i, n in rader]


def _krav(session: Session, aktor: Aktor, krav_id: str, *, las: bool = False) -> Manedskrav:
    if las:  # a read-decide-write: see lock_for_update
        lock_for_update(
            session,
            select(Manedskrav.id).where(
                Manedskrav.id == krav_id, Manedskrav.org_id == aktor.org_id
            ),
        )
    rad = session.get(Manedskrav, krav_id)
    if rad is None or rad.org_id != aktor.org_id or rad.art != kravpakke.NAV_REFUSJONSKRAV:
        raise RecordNotFoundError("fant ikke kravet")
    return rad


def _les(deps: Deps, aktor: Aktor, krav_id: str) -> Krav:
    with deps.sessions() as session:
        rad = _krav(session, aktor, krav_id)
        g = session.get(Gjennomforing, rad.gjennomforing_id)
        krav = _vis(rad, g.navn if g else "", g.tiltaksnummer if g else None, detaljer=True)
        stanset = leases.stalled(deps, rad, (kravpakke.BEHANDLES,))
    return replace(krav, stanset=True) if stanset else krav


def hent(deps: Deps, aktor: Aktor, krav_id: str, *, logg_lesing: bool = True) -> Krav:
    """Return one NAV claim with its files, its deltakere's sums and NAV's answer.

    Raises:
        RecordNotFoundError: no such claim in the caller's organisation.
    """
    aktor.krev("krav.les")
    krav = _les(deps, aktor, krav_id)
    if logg_lesing:
        deps.read_audit.write(aktor, "les", "krav", krav_id)
    return krav


def pdf(deps: Deps, aktor: Aktor, krav_id: str, nr: int = 1) -> tuple[Iterator[bytes], str]:
    """Return the package's file ``nr`` (from 1), in chunks read from the file store as the
    download goes, and its download name (audited).

    Raises:
        RecordNotFoundError: no such claim, not made yet, or no file with that number.
        FileMissingError: the store does not have the file.
    """
    aktor.krev("krav.les")
    with deps.sessions.begin() as session:
        rad = _krav(session, aktor, krav_id)
        filer = rad.filer or []
        if not filer:
            raise RecordNotFoundError("timedokumentasjonen er ikke laget ennå")
        if not 1 <= nr <= len(filer):
            raise RecordNotFoundError(f"kravet har {len(filer)} fil(er); fil {nr} finnes ikke")
        fil = filer[nr - 1]
        logg(session, aktor, "last_ned_pdf", "krav", rad.id, f"fil {nr}")
    return deps.store.stream(fil["sha256"]), str(fil["filnavn"])


def _belop(tekst: str | None) -> Decimal | None:
    if tekst is None or not str(tekst).strip():
        return None
    try:
        verdi = Decimal(str(tekst).strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise InputInvalidError(
            [FieldError("utbetalt", "skriv beløpet NAV utbetalte, f.eks. 11788 eller 11788,00")]
        ) from None
    if not verdi.is_finite() or verdi < 0 or verdi != verdi.quantize(Decimal("0.01")):
        raise InputInvalidError(
            [FieldError("utbetalt", "må være et beløp på 0 eller mer, med høyst to desimaler")]
        )
    return verdi.quantize(Decimal("0.01"))


def _sjekk_svar(nav_status: str, utbetalt: Decimal | None, kommentar: str | None) -> None:
    errors = []
    if nav_status not in NAV_STATUSER:
        valg = ", ".join(NAV_STATUSER.values())
        errors.append(FieldError("nav_status", f"velg en av NAVs statuser: {valg}"))
    if nav_status in MED_BELOP and utbetalt is None:
        errors.append(FieldError("utbetalt", "skriv hvor mye NAV utbetalte"))
    if kommentar and len(kommentar) > MAKS_KOMMENTAR:
        errors.append(FieldError("kommentar", f"kan ha høyst {MAKS_KOMMENTAR} tegn"))
    if errors:
        raise InputInvalidError(errors)


def registrer_nav_svar(
    deps: Deps,
    aktor: Aktor,
    krav_id: str,
    nav_status: str,
    utbetalt: str | None = None,
    kommentar: str | None = None,
) -> Krav:
    """Record what NAV answered to the claim typed in its portal: NAV's status (its own
    name, see :data:`NAV_STATUSER`), the amount paid and a comment.

    Raises:
        InputInvalidError: an unknown status, a paid status with no amount, a bad amount or
            an over-long comment.
        RecordNotFoundError: no such claim.
        StateConflictError: the package is not made yet (nothing was sent to NAV).
    """
    aktor.krev("krav.skriv")
    belop = _belop(utbetalt)
    kommentar = (kommentar or "").strip() or None
    _sjekk_svar(nav_status, belop, kommentar)
    with deps.sessions.begin() as session:
        rad = _krav(session, aktor, krav_id, las=True)
        if rad.status != kravpakke.KLAR:
            raise StateConflictError(
                "kravpakken er ikke klar; NAVs svar kan registreres når den er laget"
            )
        rad.nav_status, rad.nav_kommentar = nav_status, kommentar
        rad.utbetalt = str(belop) if belop is not None else None
        rad.nav_registrert, rad.nav_registrert_av = deps.clock(), aktor.navn
        logg(session, aktor, "registrer_nav_svar", "krav", rad.id, nav_status)
    return hent(deps, aktor, krav_id, logg_lesing=False)


def prov_igjen(deps: Deps, aktor: Aktor, krav_id: str) -> Krav:
    """Make a failed (or stalled) package again.

    Raises:
        RecordNotFoundError: no such claim.
        StateConflictError: the package is made, or is being made.
    """
    aktor.krev("krav.skriv")
    with deps.sessions.begin() as session:
        rad = _krav(session, aktor, krav_id, las=True)
        stanset = leases.stalled(deps, rad, (kravpakke.BEHANDLES,))
        if rad.status != kravpakke.FEILET and not stanset:
            raise StateConflictError("kravpakken er ikke feilet; den lages eller er ferdig")
        rad.status, rad.feil = kravpakke.BEHANDLES, None
        rad.jobb_frist, rad.jobb_forsok = None, 0
        logg(session, aktor, "prov_igjen", "krav", rad.id)
    deps.jobs.submit(kravpakke.bygg, deps, krav_id)
    return hent(deps, aktor, krav_id, logg_lesing=False)
