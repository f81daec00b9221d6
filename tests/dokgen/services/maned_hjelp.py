"""Helpers of the month's close's tests: a gjennomføring set up for claiming, deltakere and
registered hours written straight to the register (synthetic identities only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dokgen.bootstrap import Deps
from dokgen.storage.db import Aktivitet, Deltaker, Gjennomforing
from ehf.identifiers import synthetic_person_ident
from tests.dokgen.register import FNR_JON, FNR_KARI, kontrakt

# A fixed day in November 2026: October is a whole month past, November is not over.
IDAG = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


def med_dag(deps: Deps, dag: datetime = IDAG) -> Deps:
    """Return the collaborators with the clock standing on ``dag``."""
    return replace(deps, clock=lambda: dag)


def lag_gjennomforing(deps: Deps, org_id: int, **felter: Any) -> int:
    """Store the contract's gjennomføring in ``org_id`` with ``felter`` changed; return its id."""
    data = kontrakt("gjennomforing.json")
    verdier: dict[str, Any] = {
        "navn": data["navn"],
        "tiltakstype": data["tiltakstype"],
        "avtalenummer": data["avtalenummer"],
        "tiltaksnummer": data["tiltaksnummer"],
        "regelsett": data["regelsett"],
        "startdato": date(2026, 1, 1),
        "timepris": data["timepris"],
        "kjoper": data["kjoper"],
        "deres_referanse": data["deres_referanse"],
        "kravform": "ehf",
    }
    verdier.update(felter)
    with deps.sessions.begin() as s:
        g = Gjennomforing(org_id=org_id, **verdier)
        s.add(g)
        s.flush()
        return g.id


def lag_deltaker(
    deps: Deps,
    org_id: int,
    gjennomforing_id: int,
    nr: str,
    *,
    fnr: str = FNR_KARI,
    fornavn: str = "Kari",
    etternavn: str = "Nordmann",
    oppstart: date | None = date(2026, 3, 2),
    slutt: date | None = None,
    status: str = "DELTAR",
) -> int:
    """Store a deltaker; return the id."""
    with deps.sessions.begin() as s:
        d = Deltaker(
            org_id=org_id,
            gjennomforing_id=gjennomforing_id,
            nr=nr,
            fornavn=fornavn,
            etternavn=etternavn,
            fodselsnummer=fnr,
            oppstartdato=oppstart,
            sluttdato=slutt,
            status=status,
        )
        s.add(d)
        s.flush()
        return d.id


def timer(
    deps: Deps,
    org_id: int,
    gjennomforing_id: int,
    deltaker_id: int,
    rader: list[tuple[date, str, int]],
    **felter: Any,
) -> None:
    """Register activities (dato, aktivitet, minutter) for a deltaker."""
    with deps.sessions.begin() as s:
        for dato, aktivitet, minutter in rader:
            s.add(
                Aktivitet(
                    org_id=org_id,
                    gjennomforing_id=gjennomforing_id,
                    deltaker_id=deltaker_id,
                    dato=dato,
                    aktivitet=aktivitet,
                    minutter=minutter,
                    kilde="skjema",
                    registrert_av="Test",
                    **felter,
                )
            )


def fnr(i: int) -> str:
    """Return a distinct synthetic fødselsnummer per index (a birth date per index from 1950)."""
    return synthetic_person_ident(date(1950, 1, 1) + timedelta(days=i), 100 + i % 300)


def standard(deps: Deps, org_id: int, *, serie: int = 0, **felter: Any) -> tuple[int, int, int]:
    """Return (gjennomføring, Kari, Jon): two deltakere with ordinary October hours; another
    ``serie`` gives other numbers and fødselsnumre."""
    gid = lag_gjennomforing(deps, org_id, **felter)
    nr = f"D-{serie}0" if serie else "D-00"
    fnr_kari, fnr_jon = (fnr(2 * serie), fnr(2 * serie + 1)) if serie else (FNR_KARI, FNR_JON)
    kari = lag_deltaker(deps, org_id, gid, f"{nr}17", fnr=fnr_kari)
    jon = lag_deltaker(deps, org_id, gid, f"{nr}18", fnr=fnr_jon, fornavn="Jon", etternavn="Hansen")
    timer(deps, org_id, gid, kari, [(date(2026, 10, 6), "oppfolging", 60),
                                    (date(2026, 10, 13), "oppfolging", 50)])  # fmt: skip
    timer(deps, org_id, gid, jon, [(date(2026, 10, 7), "video_telefon", 45),
                                   (date(2026, 10, 20), "ikke_mott", 60)])  # fmt: skip
    return gid, kari, jon
