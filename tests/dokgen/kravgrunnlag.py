"""A NAV claim as the month's close stores it, for the claim package's tests: a
``Manedskrav`` with a realistic ``grunnlag`` (synthetic identities from ../shared/kontrakt:
Tenor numbers, +80 on the month), inserted directly.

Two price cases: 1 150,00 kr × 10,25 t = 11 787,50 kr (→ 11 788 kr, HALF_UP rounds the ,50
up) and 1 099,96 kr × 12,75 t = 14 024,49 kr (→ 14 024 kr).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dokgen.bootstrap import Deps
from dokgen.oppfolging.timepriser import hele_kroner
from dokgen.storage.db import Manedskrav

FNR_KARI = "15858545606"
FNR_OLA = "15909099169"
FNR_TREDJE = "01818012345"  # only in the split test's third deltaker (never validated here)

_REGEL = "rundet opp til nærmeste kvarter"
_TEKST = {
    "oppfolging": "Oppfølging med deltaker til stede",
    "video_telefon": "Oppfølging på video eller telefon",
    "rapportskriving": "Skriving av statusrapport eller sluttrapport",
}


def _aktiviteter(kvarter: int, antall: int = 0) -> list[dict[str, Any]]:
    """Activities in October 2026 adding up to ``kvarter`` quarter hours (the first carries
    the rest); ``antall`` extra quarter-hour rows make a long list for the split test."""
    rader = []
    forste = kvarter - antall
    for i in range(antall + 1):
        q = forste if i == 0 else 1
        kode = ("oppfolging", "video_telefon", "rapportskriving")[i % 3]
        rader.append(
            {
                "dato": (date(2026, 10, 1) + timedelta(days=i % 31)).isoformat(),
                "aktivitet": kode,
                "aktivitet_tekst": _TEKST[kode],
                "minutter": str(q * 15 - (7 if i == 0 else 0)),
                "antall_deltakere": 1,
                "regel": _REGEL if i == 0 else None,
                "timer": str(Decimal(q) / 4),
            }
        )
    return rader


def _deltaker(
    nr: str, navn: str, fnr: str, kvarter: int, timepris: Decimal, antall: int
) -> dict[str, Any]:
    timer = Decimal(kvarter) / 4
    return {
        "nr": nr,
        "navn": navn,
        "fodselsnummer": fnr,
        "oppstartdato": "2026-03-02",
        "sluttdato": None,
        "start_i_perioden": "2026-10-01",
        "slutt_i_perioden": "2026-10-31",
        "aktiviteter": _aktiviteter(kvarter, antall),
        "timer": str(timer.quantize(Decimal("0.01"))),
        "belop": str((timer * timepris).quantize(Decimal("0.01"))),
    }


def grunnlag(
    timepris: str = "1150.00",
    kvarter: tuple[int, ...] = (10, 31),
    *,
    kid: str | None = None,
    ekstra_rader: int = 0,
) -> dict[str, Any]:
    """Return a claim's grunnlag for October 2026: one deltaker per entry of ``kvarter``."""
    pris = Decimal(timepris)
    personer = [
        ("D-0017", "Kari Nordmann", FNR_KARI),
        ("D-0018", "Ola Testesen", FNR_OLA),
        ("D-0019", "Tredje Deltaker", FNR_TREDJE),
    ]
    deltakere = [
        _deltaker(nr, navn, fnr, q, pris, ekstra_rader)
        for (nr, navn, fnr), q in zip(personer, kvarter, strict=False)
    ]
    timer = sum((Decimal(d["timer"]) for d in deltakere), Decimal(0))
    belop = sum((Decimal(d["belop"]) for d in deltakere), Decimal(0))
    return {
        "maned": "2026-10",
        "periode": {"fra": "2026-10-01", "til": "2026-10-31"},
        "arrangor": {"navn": "Eksempel Arbeidsinkludering AS", "orgnr": "998877660"},
        "gjennomforing": {
            "id": 1,
            "navn": "Jobbmestrende oppfølging Oslo",
            "tiltakstype": "Jobbmestrende oppfølging",
            "avtalenummer": "2020/0042",
            "tiltaksnummer": "2026/123456",
            "regelsett": "jmo-oslo-2020",
        },
        "timepris": timepris,
        "kid": kid,
        "deltakere": deltakere,
        "timer": str(timer),
        "belop": str(belop),
        "belop_kroner": hele_kroner(belop),
    }


def lag_krav(
    deps: Deps,
    org_id: int,
    gjennomforing_id: int,
    data: dict[str, Any] | None = None,
    *,
    lopenr: int = 0,
    begrunnelse: str | None = None,
    status: str = "behandles",
) -> str:
    """Insert a NAV claim as the month's close does (status behandles) and return its id."""
    data = data or grunnlag()
    data["gjennomforing"]["id"] = gjennomforing_id
    with deps.sessions.begin() as s:
        krav = Manedskrav(
            org_id=org_id,
            gjennomforing_id=gjennomforing_id,
            maned=data["maned"],
            lopenr=lopenr,
            art="nav_refusjonskrav",
            status=status,
            belop=data["belop"],
            belop_kroner=data["belop_kroner"],
            timepris=data["timepris"],
            begrunnelse=begrunnelse,
            grunnlag=data,
            opprettet_av="Regn Skap",
        )
        s.add(krav)
        s.flush()
        return krav.id
