"""Benchmark the month's close against invoicing one timeliste at a time.

Builds, in one organisation on a fresh SQLite instance, 20 gjennomføringer (kravform
``ehf``) × 25 deltakere × 40 registered activities in the last whole month (20,000 rows,
inserted in bulk), then measures:

* **the month's close** (:func:`dokgen.services.manedsavslutning.avslutt`, as the pages,
  the API and ``dokgen maned avslutt`` call it): the checks, 20 invoices numbered and
  stored, and their jobs on 2 workers (timeliste PDF by LibreOffice, UBL built and
  validated by the official rules) until every invoice is ``validert``: the total wall
  time, the checks' share, and the mean per gjennomføring;
* **one file at a time through the existing CLI**: the same 20 gjennomføringer's hours as
  20 timeliste CSVs, each through ``dokgen ehf lag TIMELISTE.csv --innstillinger …`` in its
  own process, one after the other (as accounting did before: one upload, one invoice).
  That path makes no timeliste PDF, so it does less work than the close.

Prints both, the ratio, and the targets (≤ 5 s in all, ≥ 5× the one-file path). Asserts
nothing. With ``--filer N`` only the first N timelister go through the CLI and its total is
extrapolated to 20 (the bench says so).

Run: ``.venv/bin/python bench/maned.py [--filer 20] [--jobbmodus traad|prosess]``
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ORGNR = "998877660"
GJENNOMFORINGER = 20
DELTAKERE = 25  # per gjennomføring
AKTIVITETER = 40  # per deltaker, in the month
ARBEIDERE = 2
MAL_S = 5.0
MAL_FAKTOR = 5.0
KONTRAKT = REPO.parent / "shared" / "kontrakt"
DOKGEN = Path(sys.executable).parent / "dokgen"  # the installed command, run as people do
# Kinds and minutes the rows cycle through (all billable under jmo-oslo-2020).
RADER = [("oppfolging", 45), ("video_telefon", 30), ("arbeidsgiveroppfolging", 20),
         ("oppfolging", 60)]  # fmt: skip


def _deps(tmp: Path, jobbmodus: str) -> Any:
    from dokgen.bootstrap import make_deps
    from dokgen.settings import Settings

    settings = Settings(
        instans=tmp / "instans",
        hemmelig_nokkel="bench-nokkel",
        jobbmodus=jobbmodus,
        arbeidere=ARBEIDERE,
        konverterere=ARBEIDERE,
        referanse_peppol=REPO.parent / "shared" / "reference" / "peppol",
    )
    return make_deps(settings)


def _grunnlag() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((KONTRAKT / "fakturagrunnlag.json").read_text("utf-8"))
    return data


def _bygg(deps: Any, fra: date) -> tuple[int, dict[int, list[dict[str, Any]]]]:
    """Insert the organisation, gjennomføringer, deltakere and activities; return the
    organisation's id and each gjennomføring's rows as a timeliste holds them."""
    from sqlalchemy import insert, select

    from dokgen.services import brukere
    from dokgen.storage.db import Aktivitet, Deltaker, Gjennomforing
    from ehf.identifiers import synthetic_person_ident

    g = _grunnlag()
    innstillinger = {k: g[k] for k in ("selger", "mva", "valuta", "regelsett", "timepris")}
    naa = datetime.now(UTC).replace(tzinfo=None)
    with deps.sessions.begin() as s:
        org_id = brukere.opprett_org(s, ORGNR, g["selger"]["navn"], innstillinger).id
        s.execute(
            insert(Gjennomforing),
            [
                {"org_id": org_id, "navn": f"Jobbmestrende oppfølging {n:02d}",
                 "tiltakstype": "jobbmestrende_oppfolging", "regelsett": "jmo-oslo-2020",
                 "startdato": fra - timedelta(days=400), "timepris": "1150.00",
                 "kjoper": g["kjoper"], "deres_referanse": f"REF{n:04d}", "kravform": "ehf",
                 "evaluering_dager": 14}
                for n in range(1, GJENNOMFORINGER + 1)
            ],
        )  # fmt: skip
        gider = list(s.scalars(select(Gjennomforing.id).order_by(Gjennomforing.id)))
        s.execute(
            insert(Deltaker),
            [
                {"org_id": org_id, "gjennomforing_id": gid, "nr": f"D-{i:02d}{j:02d}",
                 "fornavn": "Deltaker", "etternavn": f"Nummer{'abcdefghijklmnopqrstuvwxy'[j]}",
                 "fodselsnummer": synthetic_person_ident(
                     date(1960, 1, 1) + timedelta(days=i * DELTAKERE + j), 100 + j),
                 "oppstartdato": fra - timedelta(days=200), "status": "DELTAR"}
                for i, gid in enumerate(gider)
                for j in range(DELTAKERE)
            ],
        )  # fmt: skip
        deltakere = s.execute(select(Deltaker.id, Deltaker.gjennomforing_id, Deltaker.nr,
                                     Deltaker.etternavn).order_by(Deltaker.id)).all()  # fmt: skip
        aktiviteter, lister = [], {gid: [] for gid in gider}  # type: ignore[var-annotated]
        for did, gid, nr, etternavn in deltakere:
            for k in range(AKTIVITETER):
                aktivitet, minutter = RADER[k % len(RADER)]
                dato = fra + timedelta(days=k % 28)
                aktiviteter.append(
                    {"org_id": org_id, "gjennomforing_id": gid, "deltaker_id": did,
                     "dato": dato, "aktivitet": aktivitet, "minutter": minutter,
                     "kilde": "api", "registrert": naa, "registrert_av": "bench",
                     "endret": naa}
                )  # fmt: skip
                lister[gid].append({"dato": dato.isoformat(), "deltaker_nr": nr,
                                    "deltaker_navn": f"Deltaker {etternavn}",
                                    "aktivitet": aktivitet, "minutter": minutter})  # fmt: skip
        s.execute(insert(Aktivitet), aktiviteter)
    return org_id, lister


def _maned_lukking(deps: Any, org_id: int, maned: str) -> dict[str, float]:
    from dokgen.access import Aktor
    from dokgen.services import manedsavslutning

    aktor = Aktor(org_id, "Bench Regnskap", "regnskap")
    start = time.perf_counter()
    forhand = manedsavslutning.forhandsvis(deps, aktor, maned)
    kontroll = time.perf_counter() - start
    if forhand.avvist:
        raise SystemExit(f"kontrollene stanset avslutningen: {forhand.som_json()['funn']}")
    start = time.perf_counter()
    avslutning = manedsavslutning.avslutt(deps, aktor, maned, bekreftet=True)
    lagret = time.perf_counter() - start
    if not avslutning.laget:
        raise SystemExit("månedsavslutningen laget ingenting")
    if not deps.jobs.wait_idle(600):
        raise SystemExit("jobbene ble ikke ferdige på 10 minutter")
    total = time.perf_counter() - start
    status = manedsavslutning.status(deps, aktor, maned)
    feilet = [s for s in status if s.status != manedsavslutning.KLAR]
    if feilet or len(status) != GJENNOMFORINGER:
        raise SystemExit(f"{len(feilet)} av {len(status)} fakturaer ble ikke validert")
    return {"kontroll": kontroll, "lagret": lagret, "total": total}


def _en_om_gangen(
    tmp: Path, lister: dict[int, list[dict[str, Any]]], fra: date, til: date, filer: int
) -> tuple[float, int]:
    """Run ``dokgen ehf lag`` once per timeliste, one after the other; return the seconds
    and how many ran."""
    mappe = tmp / "timelister"
    mappe.mkdir()
    felter = ["dato", "deltaker_nr", "deltaker_navn", "aktivitet", "minutter",
              "antall_deltakere", "mote", "rapport", "kommentar"]  # fmt: skip
    jobber = []
    for n, (gid, rader) in enumerate(sorted(lister.items())[:filer], start=1):
        ut = io.StringIO()
        skriver = csv.DictWriter(ut, fieldnames=felter, delimiter=";", restval="")
        skriver.writeheader()
        skriver.writerows(rader)
        (mappe / f"timeliste-{gid}.csv").write_text(ut.getvalue(), encoding="utf-8")
        innstillinger = {k: v for k, v in _grunnlag().items() if k not in ("aktiviteter",)}
        innstillinger |= {
            "fakturanummer": f"2026-{n:04d}",
            "fakturadato": date.today().isoformat(),
            "forfallsdato": (date.today() + timedelta(days=30)).isoformat(),
            "periode": {"fra": fra.isoformat(), "til": til.isoformat()},
            "vedlegg": [],
        }
        (mappe / f"innstillinger-{gid}.json").write_text(json.dumps(innstillinger), "utf-8")
        jobber.append(gid)
    start = time.perf_counter()
    for gid in jobber:
        kjort = subprocess.run(
            [str(DOKGEN), "ehf", "lag", str(mappe / f"timeliste-{gid}.csv"),
             "--innstillinger", str(mappe / f"innstillinger-{gid}.json"),
             "-o", str(mappe / f"faktura-{gid}.xml")],
            check=False, capture_output=True, cwd=REPO, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        if kjort.returncode != 0:
            raise SystemExit(f"dokgen ehf lag feilet ({kjort.returncode}):\n"
                             f"{kjort.stdout[-2000:]}{kjort.stderr[-2000:]}")  # fmt: skip
    return time.perf_counter() - start, len(jobber)


def main() -> None:
    """Build the month, close it, run the one-file path, print the numbers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--filer", type=int, default=GJENNOMFORINGER,
                        help="timelister gjennom CLI-en (resten regnes ut)")  # fmt: skip
    parser.add_argument("--jobbmodus", choices=["traad", "prosess"], default="traad")
    args = parser.parse_args()
    from dokgen.oppfolging.timepriser import maned_periode
    from dokgen.services.manedsavslutning import forrige_maned

    maned = forrige_maned(date.today())
    fra, til = maned_periode(maned)
    with tempfile.TemporaryDirectory() as tmp_navn:
        tmp = Path(tmp_navn)
        deps = _deps(tmp, args.jobbmodus)
        try:
            org_id, lister = _bygg(deps, fra)
            print(f"Bygget {GJENNOMFORINGER} gjennomføringer × {DELTAKERE} deltakere × "
                  f"{AKTIVITETER} aktiviteter i {maned} ({args.jobbmodus}, "
                  f"{ARBEIDERE} arbeidere).")  # fmt: skip
            tider = _maned_lukking(deps, org_id, maned)
        finally:
            deps.jobs.close()
            close = getattr(deps.converter, "close", None)
            if close is not None:
                close()
        cli_s, antall = _en_om_gangen(tmp, lister, fra, til, args.filer)
    cli_total = cli_s / antall * GJENNOMFORINGER
    per = tider["total"] / GJENNOMFORINGER
    print(f"Månedsavslutning, kontroller alene (forhåndsvisning): {tider['kontroll']:.2f} s")
    print(f"Månedsavslutning, kontroller + {GJENNOMFORINGER} fakturaer lagret: "
          f"{tider['lagret']:.2f} s")  # fmt: skip
    print(f"Månedsavslutning til alle er validert: {tider['total']:.2f} s "
          f"({per:.2f} s per gjennomføring; mål ≤ {MAL_S:.0f} s i alt)")  # fmt: skip
    anslag = "" if antall == GJENNOMFORINGER else f" (målt {antall}, regnet opp)"
    print(f"Én fil om gangen med dokgen ehf lag: {cli_total:.2f} s{anslag} "
          f"({cli_total / GJENNOMFORINGER:.2f} s per timeliste)")  # fmt: skip
    print(f"Forhold: {cli_total / tider['total']:.1f}× (mål ≥ {MAL_FAKTOR:.0f}×)")


if __name__ == "__main__":
    main()
