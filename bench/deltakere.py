"""Benchmark the deltaker register and the frister at the size of a large arrangør.

Builds, in one organisation on a fresh instance, 5,000 deltakere in 20 gjennomføringer and
50,000 documents (rows inserted in bulk with SQLAlchemy Core: each document one ``Dokument``
row with its deltaker, type, period and ``ferdig``, and one ``Versjon`` row), then measures
with one client through the real Flask app (its test client, so no network in the numbers):

* ``GET /api/v1/frister?til=<today + 30 d>`` for the whole organisation (admin token);
* a veileder's start page ``/`` (logged in through the form), and ``frister.mine`` for that
  veileder through the service (what the start page shows of the frister);
* the Deltakere list ``GET /api/v1/deltakere`` (admin token);
* importing 2,000 rows of NAV's deltaker JSON into one gjennomføring: preview, then commit
  (``dokgen.services.deltakerimport``), once.

A route the app does not have yet is measured through its service function instead, and the
bench says so. Each request is timed ``--runder`` times after one warm-up; the p95 is
printed against the target (p95 ≤ 100 ms; the import ≤ 3 s). With ``--profil`` the slowest
measurement is run once more under cProfile and its top functions printed. Asserts
nothing.

Run: ``.venv/bin/python bench/deltakere.py [--runder 30] [--profil]
[--postgres postgresql+psycopg://user@127.0.0.1:5432/tom_database]`` (the PostgreSQL
database must be empty: the bench migrates it, and runs ``ANALYZE`` after the bulk insert,
as autovacuum soon would).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.common import ms, p95, timed  # noqa: E402 - after the path fix

ORGNR = "998877660"
PASSORD = "riktig-hest-batteri-99"
GJENNOMFORINGER = 20
DELTAKERE = 5_000
DOKUMENTER = 50_000
VEILEDERE = 200  # users; each follows DELTAKERE / VEILEDERE deltakere
IMPORTRADER = 2_000
MAL_MS = 100.0
MAL_IMPORT_S = 3.0


def _deps(tmp: Path, database_url: str | None) -> Any:
    from dokgen.bootstrap import make_deps
    from dokgen.settings import Settings

    settings = Settings(
        instans=tmp / "instans",
        database_url=database_url,
        hemmelig_nokkel="bench-nokkel",
        jobbmodus="traad",
        arbeidere=1,
    )
    return make_deps(settings)


def _bygg(deps: Any, idag: date) -> dict[str, Any]:
    """Insert the organisation, users, gjennomføringer, deltakere and documents; return the
    ids and tokens the measurements need."""
    from sqlalchemy import insert, select

    from dokgen.services import brukere
    from dokgen.storage.db import (
        Bruker,
        Deltaker,
        Deltakerstatus,
        Deltakerveileder,
        Dokument,
        Gjennomforing,
        Versjon,
        new_id,
    )
    from ehf.identifiers import synthetic_person_ident

    rng = random.Random(12)
    naa = datetime.now(UTC).replace(tzinfo=None)
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, ORGNR, "Stor Arrangør AS")
        admin = brukere.opprett_bruker(s, org, "admin", "Arne Admin", "admin", PASSORD)
        forste = brukere.opprett_bruker(s, org, "veileder1", "Veileder 1", "veileder", PASSORD)
        s.flush()
        org_id, passord_hash = org.id, forste.passord_hash
        s.execute(
            insert(Bruker),
            [
                {
                    "org_id": org_id,
                    "brukernavn": f"veileder{n}",
                    "navn": f"Veileder {n}",
                    "rolle": "veileder",
                    "passord_hash": passord_hash,
                }
                for n in range(2, VEILEDERE + 1)
            ],
        )
        veileder_ider = list(
            s.scalars(select(Bruker.id).where(Bruker.rolle == "veileder").order_by(Bruker.id))
        )
        admin_token = brukere.lag_token(s, org, "admin", "bench")
        s.execute(
            insert(Gjennomforing),
            [
                {
                    "org_id": org_id,
                    "navn": f"Jobbmestrende oppfølging Oslo {n:02d}",
                    "tiltakstype": "jobbmestrende_oppfolging",
                    "regelsett": "jmo-oslo-2020",
                    "startdato": idag - timedelta(days=900),
                    "evaluering_dager": 14,
                }
                for n in range(1, GJENNOMFORINGER + 1)
            ],
        )
        g_ider = list(s.scalars(select(Gjennomforing.id).order_by(Gjennomforing.id)))
        deltakere = []
        for i in range(DELTAKERE):
            oppstart = idag - timedelta(days=rng.randrange(0, 720))
            status = rng.choices(
                ("DELTAR", "HAR_SLUTTET", "VENTER_PA_OPPSTART", "IKKE_AKTUELL", "FULLFORT"),
                (70, 12, 8, 5, 5),
            )[0]
            slutt = None
            if status in ("HAR_SLUTTET", "FULLFORT"):
                slutt = min(idag, oppstart + timedelta(days=rng.randrange(30, 400)))
            if status == "VENTER_PA_OPPSTART":
                oppstart = idag + timedelta(days=rng.randrange(1, 60))
            deltakere.append(
                {
                    "org_id": org_id,
                    "gjennomforing_id": g_ider[i % GJENNOMFORINGER],
                    "nr": f"D-{i + 1:05d}",
                    "fornavn": _navn("Kari", i),
                    "etternavn": _navn("Nordmann", i % 997),
                    "fodselsnummer": _fnr(synthetic_person_ident, i),
                    "adressebeskyttet": i % 250 == 0,
                    "oppstartdato": oppstart,
                    "sluttdato": slutt,
                    "status": status,
                    "status_gyldig_fra": oppstart,
                }
            )
        s.execute(insert(Deltaker), deltakere)
        d_ider = list(s.scalars(select(Deltaker.id).order_by(Deltaker.id)))
        s.execute(
            insert(Deltakerstatus),
            [
                {
                    "deltaker_id": d_id,
                    "type": d["status"],
                    "gyldig_fra": d["oppstartdato"],
                    "registrert_av": "bench",
                    "kilde": "import",
                }
                for d_id, d in zip(d_ider, deltakere, strict=True)
            ],
        )
        s.execute(
            insert(Deltakerveileder),
            [
                {"deltaker_id": d_id, "bruker_id": veileder_ider[n % VEILEDERE], "type": "veileder"}
                for n, d_id in enumerate(d_ider)
            ],
        )
        dokumenter, versjoner = [], []
        typer = ("statusrapport", "statusrapport", "statusrapport", "plan", "timeliste")
        for n in range(DOKUMENTER):
            i = n % DELTAKERE
            d = deltakere[i]
            fra = d["oppstartdato"] + timedelta(days=91 * (n // DELTAKERE % 8))
            til = fra + timedelta(days=90)
            ferdig = naa - timedelta(days=rng.randrange(0, 700)) if rng.random() < 0.7 else None
            dok_id = new_id()
            dokumenter.append(
                {
                    "id": dok_id,
                    "org_id": org_id,
                    "type": typer[n % len(typer)],
                    "deltaker": f"{d['fornavn']} {d['etternavn']}",
                    "deltaker_id": d_ider[i],
                    "gjennomforing_id": d["gjennomforing_id"],
                    "ferdig": ferdig,
                    "periode_fra": fra.isoformat(),
                    "periode_til": til.isoformat(),
                    "opprettet_av": "bench",
                }
            )
            data = {"type": typer[n % len(typer)], "n": n}
            versjoner.append(
                {
                    "dokument_id": dok_id,
                    "nummer": 1,
                    "data": data,
                    "data_sha256": hashlib.sha256(json.dumps(data).encode()).hexdigest(),
                    "status": "godkjent" if ferdig else "utkast",
                }
            )
        for start in range(0, DOKUMENTER, 5_000):
            s.execute(insert(Dokument), dokumenter[start : start + 5_000])
            s.execute(insert(Versjon), versjoner[start : start + 5_000])
        org.neste_deltakernummer = DELTAKERE + 1
    return {
        "org_id": org_id,
        "admin_id": admin.id,
        "veileder_id": veileder_ider[0],
        "admin_token": admin_token,
        "gjennomforing_id": g_ider[0],
        "deltakere": deltakere,
    }


def _navn(stamme: str, i: int) -> str:
    """A name without digits (the import refuses those), distinct per index."""
    bokstaver = ""
    while True:
        i, rest = divmod(i, 26)
        bokstaver += "abcdefghijklmnopqrstuvwxyz"[rest]
        if i == 0:
            return stamme + bokstaver


def _fnr(lag: Callable[[date, int], str], i: int) -> str:
    """A distinct synthetic number per deltaker: a birth date per index from 1950."""
    return lag(date(1950, 1, 1) + timedelta(days=i), 100 + i % 300)


def _nav_json(oppsett: dict[str, Any], idag: date) -> bytes:
    """2,000 rows of NAV's deltaker JSON for the first gjennomføring: its deltakere (some with
    a new status) and new ones."""
    from ehf.identifiers import synthetic_person_ident

    kontrakt = REPO.parent / "shared" / "kontrakt" / "deltakere-nav.json"
    eksempel = json.loads(kontrakt.read_text(encoding="utf-8"))
    mal = eksempel["deltakere"][0]
    egne = [d for d in oppsett["deltakere"] if d["gjennomforing_id"] == oppsett["gjennomforing_id"]]
    rader = []
    for n in range(IMPORTRADER):
        if n < len(egne):
            d = egne[n]
            fornavn, etternavn, fnr = d["fornavn"], d["etternavn"], d["fodselsnummer"]
            start, status = d["oppstartdato"], d["status"]
            if n % 10 == 0 and status == "DELTAR":
                status = "VENTER_PA_OPPSTART"
        else:
            fornavn, etternavn = _navn("Ny", n), _navn("Importert", n % 501)
            fnr = _fnr(synthetic_person_ident, DELTAKERE + n)
            start, status = idag - timedelta(days=n % 300), "DELTAR"
        rad = json.loads(json.dumps(mal))
        rad |= {
            "fornavn": fornavn,
            "mellomnavn": None,
            "etternavn": etternavn,
            "fodselsnummer": fnr,
            "startDato": start.isoformat(),
            "sluttDato": None,
            "status": {
                "type": status,
                "endretDato": f"{start.isoformat()}T08:00:00",
                "aarsak": None,
            },
        }
        rader.append(rad)
    return json.dumps({**eksempel, "deltakere": rader}, ensure_ascii=False).encode()


def _rute(app: Any, path: str) -> bool:
    """Whether the app has a GET route for ``path``."""
    from werkzeug.exceptions import NotFound

    try:
        app.url_map.bind("localhost").match(path, method="GET")
    except NotFound:
        return False
    return True


def _logg_inn(client: Any, brukernavn: str) -> None:
    import re

    side = client.get("/logg-inn").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', side)
    assert token, "fant ikke CSRF-token på innloggingssiden"
    svar = client.post(
        "/logg-inn",
        data={"brukernavn": brukernavn, "passord": PASSORD, "csrf_token": token.group(1)},
    )
    assert svar.status_code in (302, 303), f"innlogging: {svar.status_code}"


Resultat = tuple[str, list[float], float]


def _linje(navn: str, samples: list[float], mal_s: float) -> Resultat:
    verdi = p95(samples)
    ok = "OK " if verdi <= mal_s else "FOR SAKTE"
    print(
        f"  {navn:<58} median {ms(statistics.median(samples))}  p95 {ms(verdi)}"
        f"  (mål ≤ {mal_s * 1000:.0f} ms) {ok}"
    )
    return navn, samples, verdi


def _mal(deps: Any, oppsett: dict[str, Any], runder: int, idag: date) -> list[Any]:
    """Run every measurement; return (name, samples, p95, callable) for each."""
    from dokgen.access import Aktor
    from dokgen.services import deltakere, frister
    from dokgen.services.frister import Fristutvalg
    from dokgen.web.app import create_app

    app = create_app(deps=deps, resume=False)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {oppsett['admin_token']}"}
    admin = Aktor(oppsett["org_id"], "Arne Admin", "admin", "bench", None, oppsett["admin_id"])
    veileder = Aktor(
        oppsett["org_id"], "Veileder 1", "veileder", "bench", None, oppsett["veileder_id"]
    )
    til = (idag + timedelta(days=30)).isoformat()
    malinger: list[Any] = []

    def maal(navn: str, fn: Callable[[], object]) -> None:
        samples = timed(fn, runder)
        malinger.append((*_linje(navn, samples, MAL_MS / 1000), fn))

    def get(path: str, klient: Any, **kw: Any) -> Callable[[], object]:
        def kall() -> object:
            svar = klient.get(path, follow_redirects=True, **kw)
            assert svar.status_code == 200, f"{path}: {svar.status_code}"
            return svar

        return kall

    if _rute(app, "/api/v1/frister"):
        # The next 30 days: the frister due from today to 30 days on.
        neste = f"/api/v1/frister?fra={idag.isoformat()}&til={til}"
        svar: Any = api.get(neste, headers=headers).json
        maal(
            f"GET /api/v1/frister?fra=i dag&til=+30 d ({len(svar['frister'])} frister)",
            get(neste, api, headers=headers),
        )
        # For comparison: everything due until 30 days on, the past included.
        svar = api.get(f"/api/v1/frister?til={til}", headers=headers).json
        maal(
            f"GET /api/v1/frister?til=+30 d, med alt tidligere ({len(svar['frister'])} frister)",
            get(f"/api/v1/frister?til={til}", api, headers=headers),
        )
    else:
        print("  (ruten GET /api/v1/frister finnes ikke ennå: måler frister.liste direkte)")
        u = Fristutvalg(til=date.fromisoformat(til))
        antall = len(frister.liste(deps, admin, u))
        maal(
            f"frister.liste(til=+30 d) hele org. ({antall} frister)",
            lambda: frister.liste(deps, admin, u),
        )

    side = app.test_client()
    _logg_inn(side, "veileder1")
    forside = side.get("/", follow_redirects=True)
    viser = "frist" in forside.text.lower()
    hvor = forside.request.path
    maal(
        f"GET / → {hvor} (startsiden"
        + (", med frister)" if viser else ", viser ikke frister ennå)"),
        get("/", side),
    )
    mine = len(frister.mine(deps, veileder))
    maal(f"frister.mine (veileder, {mine} åpne frister)", lambda: frister.mine(deps, veileder))

    if _rute(app, "/api/v1/deltakere"):
        maal("GET /api/v1/deltakere", get("/api/v1/deltakere", api, headers=headers))
    if _rute(app, "/deltakere"):
        maal("GET /deltakere (siden, veileder)", get("/deltakere", side))
    else:
        print("  (ruten GET /api/v1/deltakere finnes ikke ennå: måler deltakere.liste direkte)")
        antall = len(deltakere.liste(deps, admin))
        maal(
            f"deltakere.liste (admin, {antall} av {DELTAKERE})",
            lambda: deltakere.liste(deps, admin),
        )
    return malinger


def _import(deps: Any, oppsett: dict[str, Any], idag: date) -> Callable[[], object] | None:
    try:
        from dokgen.services import deltakerimport
    except ImportError:
        print("  import av 2 000 rader NAV-JSON: not built yet (dokgen/services/deltakerimport.py)")
        return None
    from dokgen.access import Aktor

    admin = Aktor(oppsett["org_id"], "Arne Admin", "admin", "bench", None, oppsett["admin_id"])
    innhold = _nav_json(oppsett, idag)

    def kjor() -> object:
        felles = {
            "gjennomforing_id": oppsett["gjennomforing_id"],
            "innhold": innhold,
            "mediatype": "application/json",
        }
        deltakerimport.importer(deps, admin, forhandsvis=True, **felles)
        return deltakerimport.importer(deps, admin, forhandsvis=False, **felles)

    from dokgen.errors import InputInvalidError

    start = time.perf_counter()
    try:
        svar = kjor()
    except InputInvalidError as exc:
        print(
            f"  import av {IMPORTRADER} rader: avvist med {len(exc.errors)} feil, f.eks. "
            f"{exc.errors[0].path}: {exc.errors[0].message}"
        )
        return None
    tid = time.perf_counter() - start
    ok = "OK " if tid <= MAL_IMPORT_S else "FOR SAKTE"
    nye = len(svar.get("nye", [])) if isinstance(svar, dict) else "?"
    endrede = len(svar.get("endrede", [])) if isinstance(svar, dict) else "?"
    print(
        f"  import av {IMPORTRADER} rader NAV-JSON (forhåndsvisning + lagring; {nye} nye, "
        f"{endrede} endrede)  {tid:6.2f} s  (mål ≤ {MAL_IMPORT_S:.0f} s) {ok}"
    )
    return kjor if tid > MAL_IMPORT_S else None


def _profil(navn: str, fn: Callable[[], object]) -> None:
    print(f"\ncProfile av «{navn}» (én kjøring, de 15 dyreste etter kumulativ tid):")
    profil = cProfile.Profile()
    profil.runcall(fn)
    ut = io.StringIO()
    pstats.Stats(profil, stream=ut).sort_stats("cumulative").print_stats(15)
    print(ut.getvalue())


def main() -> None:
    """Build the register, measure, print the numbers against the targets."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runder", type=int, default=30, help="målinger per forespørsel")
    parser.add_argument("--postgres", metavar="URL", help="en tom PostgreSQL-database")
    parser.add_argument("--profil", action="store_true", help="cProfile av det tregeste")
    args = parser.parse_args()
    idag = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        deps = _deps(Path(tmp), args.postgres)
        try:
            database = "PostgreSQL" if args.postgres else "SQLite (innebygd)"
            print(
                f"{database}: bygger {DELTAKERE} deltakere i {GJENNOMFORINGER} gjennomføringer "
                f"og {DOKUMENTER} dokumenter ..."
            )
            start = time.perf_counter()
            oppsett = _bygg(deps, idag)
            if args.postgres:  # as autovacuum would soon after such an insert
                from sqlalchemy import text

                with deps.sessions.begin() as s:
                    s.execute(text("ANALYZE"))
            # The bench's own build rows are not a server's heap: keep them out of the
            # garbage collector's full passes, which would otherwise show as spikes.
            gc.collect()
            gc.freeze()
            print(
                f"  bygget på {time.perf_counter() - start:.1f} s; {args.runder} runder per måling"
            )
            malinger = _mal(deps, oppsett, args.runder, idag)
            tregt_import = _import(deps, oppsett, idag)
            if args.profil:
                navn, _, verdi, fn = max(malinger, key=lambda m: m[2])
                if verdi > MAL_MS / 1000:
                    _profil(navn, fn)
                if tregt_import is not None:
                    _profil("import", tregt_import)
        finally:
            deps.jobs.close()
            deps.sessions.kw["bind"].dispose()


if __name__ == "__main__":
    main()
