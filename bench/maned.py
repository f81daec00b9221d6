"""Benchmark the month's close against invoicing one timeliste at a time.

Builds, in one organisation on a fresh SQLite instance, 20 gjennomføringer (kravform
``ehf``) × 25 deltakere × 40 registered activities in the last whole month (20,000 rows,
inserted in bulk), then measures:

* **the month's close** (:func:`dokgen.services.manedsavslutning.avslutt`, as the pages,
  the API and ``dokgen maned avslutt`` call it): the checks, 20 invoices numbered and
  stored, and their jobs on 2 workers (the 1,000-row timeliste specification filled and
  converted to PDF/A by the warm LibreOffice pool, UBL built and validated by the official
  rules) until every invoice is ``validert``: the total wall time, the checks' share, the
  mean per gjennomføring, and where the time went (timed around each step, see
  :class:`_Steg`): checks, invoice rows, specification fill, specification PDF, UBL and
  validation, the rest of the jobs (leases, reads, store) and the workers' idle time;
* **the same work one file at a time, the old way**: per gjennomføring its timeliste CSV
  through ``dokgen ehf lag TIMELISTE.csv --innstillinger …`` in its own process, then the
  same specification filled by the same template code (:func:`lag_spesifikasjon`, timed)
  from the lines the close stored, and converted by a new ``soffice --headless
  --convert-to pdf`` process (PDF/A-2b, tagged, as the pool exports), one after the other.
  The soffice processes share one profile made before the clock starts, so the baseline is
  if anything faster than a first run on a clean machine, and run at nice 10 as the pool's
  LibreOffice does. The CLI-only number (no timeliste
  PDF: less work than the close) is printed too, labelled;
* **the floor**: one specification PDF through the warm pool the close used (median of
  ``--gulv`` conversions), × 20 / 2 workers — the least wall time any close that makes
  those PDFs with LibreOffice can take on this machine — beside the 5 s target.

Prints the numbers, the ratio, and the targets (≤ 5 s in all, ≥ 5× the one-file path).
Asserts nothing. With ``--filer N`` only the first N gjennomføringer go through the old
path and its total is extrapolated to 20 (the bench says so). Other load on the machine
shows in every number: LibreOffice runs at nice 10.

Run: ``.venv/bin/python bench/maned.py [--filer 20] [--gulv 3] [--jobbmodus traad|prosess]``
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
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


class _Steg:
    """Wall time summed per step over every thread, timed by wrapping the step's function
    in the module the caller looks it up in (thread mode only: a worker process has its own
    modules)."""

    def __init__(self) -> None:
        self.sekunder: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()
        self._tilbake: list[tuple[Any, str, Any]] = []

    def pakk(self, eier: Any, navn: str, steg: str) -> None:
        """Time every call of ``eier.navn`` as ``steg`` until :meth:`losne`."""
        original = getattr(eier, navn)

        @functools.wraps(original)
        def tatt_tid(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                with self._lock:
                    self.sekunder[steg] += time.perf_counter() - start

        self._tilbake.append((eier, navn, original))
        setattr(eier, navn, tatt_tid)

    def losne(self) -> None:
        """Put every wrapped function back."""
        for eier, navn, original in reversed(self._tilbake):
            setattr(eier, navn, original)
        self._tilbake.clear()


def _maned_lukking(deps: Any, org_id: int, maned: str, jobbmodus: str) -> dict[str, Any]:
    from sqlalchemy import select

    import ehf.service
    from dokgen.access import Aktor
    from dokgen.documents import spesifikasjon
    from dokgen.services import fakturajobber, manedsavslutning
    from dokgen.storage.db import Faktura

    aktor = Aktor(org_id, "Bench Regnskap", "regnskap")
    start = time.perf_counter()
    forhand = manedsavslutning.forhandsvis(deps, aktor, maned)
    kontroll = time.perf_counter() - start
    if forhand.avvist:
        raise SystemExit(f"kontrollene stanset avslutningen: {forhand.som_json()['funn']}")
    steg = _Steg()
    steg.pakk(manedsavslutning, "_vurder", "kontroller")
    steg.pakk(manedsavslutning, "_lag", "fakturarader")
    if jobbmodus == "traad":
        steg.pakk(fakturajobber, "bygg", "jobb")
        steg.pakk(spesifikasjon, "fill", "fyll")
        steg.pakk(deps.converter, "convert", "pdf")
        steg.pakk(ehf.service, "lag_faktura", "ubl")
    try:
        start = time.perf_counter()
        avslutning = manedsavslutning.avslutt(deps, aktor, maned, bekreftet=True)
        lagret = time.perf_counter() - start
        if not avslutning.laget:
            raise SystemExit("månedsavslutningen laget ingenting")
        if not deps.jobs.wait_idle(1800):
            raise SystemExit("jobbene ble ikke ferdige på 30 minutter")
        total = time.perf_counter() - start
    finally:
        steg.losne()
    status = manedsavslutning.status(deps, aktor, maned)
    feilet = [s for s in status if s.status != manedsavslutning.KLAR]
    if feilet or len(status) != GJENNOMFORINGER:
        raise SystemExit(f"{len(feilet)} av {len(status)} fakturaer ble ikke validert")
    with deps.sessions() as s:
        fakturaer = {
            f.gjennomforing_id: {"nummer": f.nummer, "grunnlag": f.grunnlag, "linjer": f.linjer}
            for f in s.scalars(
                select(Faktura).where(Faktura.org_id == org_id, Faktura.maned == maned)
            )
        }
    return {"kontroll": kontroll, "lagret": lagret, "total": total,
            "steg": dict(steg.sekunder), "fakturaer": fakturaer}  # fmt: skip


def _gulv(deps: Any, faktura: dict[str, Any], ganger: int) -> float:
    """Return the median seconds of one specification PDF through the close's warm pool."""
    from dokgen.documents.render import fill
    from dokgen.documents.spesifikasjon import MAL, kontekst

    docx = fill(deps.settings.maler_dir / f"{MAL}.docx",
                kontekst(faktura["nummer"], faktura["grunnlag"], faktura["linjer"]),
                tittel=f"Timeliste – faktura {faktura['nummer']}")  # fmt: skip
    tider = []
    for _ in range(ganger):
        start = time.perf_counter()
        deps.converter.convert(docx)
        tider.append(time.perf_counter() - start)
    return statistics.median(tider)


# PDF/A-2b, tagged, PDF/UA and bookmarks: the export the converter pool asks for.
PDFA = ("pdf:writer_pdf_Export:{"
        '"SelectPdfVersion":{"type":"long","value":"2"},'
        '"UseTaggedPDF":{"type":"boolean","value":"true"},'
        '"PDFUACompliance":{"type":"boolean","value":"true"},'
        '"ExportBookmarks":{"type":"boolean","value":"true"}}')  # fmt: skip


class _NySoffice:
    """A converter the old way: a new ``soffice --headless --convert-to pdf`` per document."""

    def __init__(self, mappe: Path) -> None:
        self.mappe = mappe
        self.profil = (mappe / "profil").as_uri()
        self.sekunder = 0.0
        # The profile is made once, before the clock starts (a warm-up, not timed).
        self._soffice("--terminate_after_init")

    def _soffice(self, *args: str) -> None:
        kjort = subprocess.run(
            # At the pool's priority (nice 10, dokgen.documents.pdf.convert): under other
            # load, the two paths' LibreOffice then get the same share of the cores.
            ["nice", "-n", "10", "soffice", f"-env:UserInstallation={self.profil}",
             "--headless", *args],
            check=False, capture_output=True, timeout=600,
        )  # fmt: skip
        if kjort.returncode != 0:
            raise SystemExit(f"soffice feilet ({kjort.returncode}): {kjort.stderr[-2000:]!r}")

    def convert(self, docx: bytes) -> bytes:
        """Convert through a new soffice process; count its seconds."""
        start = time.perf_counter()
        kilde = self.mappe / "timeliste.docx"
        kilde.write_bytes(docx)
        self._soffice("--convert-to", PDFA, "--outdir", str(self.mappe), str(kilde))
        pdf = (self.mappe / "timeliste.pdf").read_bytes()
        self.sekunder += time.perf_counter() - start
        return pdf


def _en_om_gangen(
    tmp: Path,
    lister: dict[int, list[dict[str, Any]]],
    fakturaer: dict[int, dict[str, Any]],
    fra: date,
    til: date,
    filer: int,
) -> dict[str, float]:
    """Per gjennomføring, one after the other: ``dokgen ehf lag`` on its timeliste, then its
    specification filled and converted by a new soffice; return the seconds of each part
    and how many ran."""
    from dokgen.documents.spesifikasjon import lag_spesifikasjon

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
    soffice = _NySoffice(mappe)
    cli = spesifikasjon = 0.0
    for gid in jobber:
        start = time.perf_counter()
        kjort = subprocess.run(
            [str(DOKGEN), "ehf", "lag", str(mappe / f"timeliste-{gid}.csv"),
             "--innstillinger", str(mappe / f"innstillinger-{gid}.json"),
             "-o", str(mappe / f"faktura-{gid}.xml")],
            check=False, capture_output=True, cwd=REPO, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        midt = time.perf_counter()
        if kjort.returncode != 0:
            raise SystemExit(f"dokgen ehf lag feilet ({kjort.returncode}):\n"
                             f"{kjort.stdout[-2000:]}{kjort.stderr[-2000:]}")  # fmt: skip
        f = fakturaer[gid]
        lag_spesifikasjon(f["nummer"], f["grunnlag"], f["linjer"], converter=soffice,
                          maler_dir=REPO / "maler", timeout=600)  # fmt: skip
        cli += midt - start
        spesifikasjon += time.perf_counter() - midt
    return {"cli": cli, "fyll": spesifikasjon - soffice.sekunder, "soffice": soffice.sekunder,
            "antall": len(jobber)}  # fmt: skip


def _skriv_steg(tider: dict[str, Any]) -> None:
    """Print where the close's time went."""
    s, total = tider["steg"], tider["total"]
    if "jobb" not in s:
        print("  (fordelingen på steg måles bare med --jobbmodus traad)")
        return
    jobbfase = total - tider["lagret"]
    ledig = ARBEIDERE * jobbfase - s["jobb"]
    resten = s["jobb"] - s["fyll"] - s["pdf"] - s["ubl"]
    commit = tider["lagret"] - s["kontroller"] - s["fakturarader"]
    print(f"  Veggtid: kontroller {s['kontroller']:.2f} s, fakturarader lagret "
          f"{s['fakturarader']:.2f} s, commit og logg {commit:.2f} s, "
          f"jobbene {jobbfase:.2f} s")  # fmt: skip
    print(f"  Jobbene på {ARBEIDERE} arbeidere ({ARBEIDERE * jobbfase:.2f} arbeider-s): "
          f"spesifikasjon fylt {s['fyll']:.2f} s, spesifikasjon-PDF (LibreOffice) "
          f"{s['pdf']:.2f} s, UBL + validering {s['ubl']:.2f} s, resten av jobbene "
          f"{resten:.2f} s, venting (ledig arbeider) {ledig:.2f} s")  # fmt: skip


def main() -> None:
    """Build the month, close it, measure the floor, run the one-file path, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--filer", type=int, default=GJENNOMFORINGER,
                        help="gjennomføringer den gamle veien (resten regnes ut)")  # fmt: skip
    parser.add_argument("--gulv", type=int, default=3,
                        help="spesifikasjon-PDF-er i den varme poolen (gulvet)")  # fmt: skip
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
            tider = _maned_lukking(deps, org_id, maned, args.jobbmodus)
            forste = tider["fakturaer"][min(tider["fakturaer"])]
            # In process mode the pool here is the web side's, warmed by this call's first.
            if args.jobbmodus == "prosess":
                _gulv(deps, forste, 1)
            en_pdf = _gulv(deps, forste, args.gulv)
        finally:
            deps.jobs.close()
            close = getattr(deps.converter, "close", None)
            if close is not None:
                close()
        gammel = _en_om_gangen(tmp, lister, tider["fakturaer"], fra, til, args.filer)
    antall = gammel["antall"]
    skala = GJENNOMFORINGER / antall
    cli_total = gammel["cli"] * skala
    gammel_total = (gammel["cli"] + gammel["fyll"] + gammel["soffice"]) * skala
    per = tider["total"] / GJENNOMFORINGER
    gulv = en_pdf * GJENNOMFORINGER / ARBEIDERE
    print(f"Månedsavslutning, kontroller alene (forhåndsvisning): {tider['kontroll']:.2f} s")
    print(f"Månedsavslutning, kontroller + {GJENNOMFORINGER} fakturaer lagret: "
          f"{tider['lagret']:.2f} s")  # fmt: skip
    print(f"Månedsavslutning til alle er validert: {tider['total']:.2f} s "
          f"({per:.2f} s per gjennomføring; mål ≤ {MAL_S:.0f} s i alt)")  # fmt: skip
    _skriv_steg(tider)
    anslag = f" (målt {antall}, regnet opp til {GJENNOMFORINGER})" if skala != 1 else ""
    print(f"Én fil om gangen, samme arbeid (dokgen ehf lag + spesifikasjonen fylt + ny soffice "
          f"--convert-to per fil): {gammel_total:.2f} s{anslag} "
          f"({gammel_total / GJENNOMFORINGER:.2f} s per gjennomføring: dokgen ehf lag "
          f"{gammel['cli'] / antall:.2f} s, fylt {gammel['fyll'] / antall:.2f} s, soffice "
          f"{gammel['soffice'] / antall:.2f} s)")  # fmt: skip
    print(f"Forhold, samme arbeid: {gammel_total / tider['total']:.1f}× (mål ≥ {MAL_FAKTOR:.0f}×)")
    print(f"Bare dokgen ehf lag, uten timeliste-PDF (mindre arbeid enn avslutningen): "
          f"{cli_total:.2f} s{anslag}; forhold {cli_total / tider['total']:.1f}×")  # fmt: skip
    print(f"Gulv: én spesifikasjon-PDF ({DELTAKERE * AKTIVITETER} rader) med varm LibreOffice "
          f"{en_pdf:.2f} s (median av {args.gulv}) × {GJENNOMFORINGER} / {ARBEIDERE} arbeidere "
          f"= {gulv:.2f} s; mål ≤ {MAL_S:.0f} s: "
          + ("nåelig på denne maskinen" if gulv <= MAL_S else
             f"ikke nåelig på denne maskinen så lenge PDF-ene lages med LibreOffice "
             f"(gulvet er {gulv / MAL_S:.1f}× målet)"))  # fmt: skip
    print(f"Avslutningen over gulvet: {tider['total'] - gulv:.2f} s; høyeste forhold gulvet "
          f"tillater mot samme arbeid én fil om gangen: {gammel_total / gulv:.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
