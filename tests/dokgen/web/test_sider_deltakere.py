"""The register's pages through Flask's test client: the start page's own frister, the
Deltakere list and a deltaker's page, the forms with bad input, protected deltakere,
gjennomføringer, the Frister page with its CSV, the calendar feed and the import."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.documents.models.eksempler import demo_path
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import deltakere, gjennomforinger
from dokgen.storage.db import (
    Deltaker,
    Deltakerstatus,
    Dokument,
    Gjennomforing,
    Organisasjon,
    foreld_frister,
)
from tests.dokgen.conftest import ORGNR
from tests.dokgen.register import FNR_JON, FNR_KARI, aktor_for, kontrakt
from tests.dokgen.web.sider_hjelp import antall, logg_inn, som_skjema, token

pytestmark = pytest.mark.integration

FNR_PER = "01819010001"  # synthetic (Tenor: month +80), born 1 January 1990
# On this day Kari's plan (due 23 March) is overdue and her first statusrapport (8 June) soon.
DAG = datetime(2026, 6, 5, 10, tzinfo=UTC)


@dataclass
class Register:
    """A gjennomføring with Kari (followed by the veileder) and Jon (protected, followed by
    nobody: only admins see him), and the users' names."""

    gjennomforing_id: int
    kari: int
    jon: int
    veileder: str
    admin: str
    leser: str


@pytest.fixture
def register(deps: Deps, org: Organisasjon, bruker: Callable[..., str]) -> Register:
    deps.clock = lambda: DAG
    navn = {rolle: bruker(rolle) for rolle in ("veileder", "admin", "leser")}
    admin = aktor_for(deps, org, navn["admin"])
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json"))
    gid = int(gjennomforinger.opprett(deps, admin, inn)["id"])
    kari = kontrakt("deltaker.json") | {"gjennomforing_id": gid}
    kari["veiledere_arrangor"] = [{"brukernavn": navn["veileder"], "type": "veileder"}]
    jon = kari | {
        "nr": "D-0018", "fornavn": "Jon", "etternavn": "Beskyttet", "fodselsnummer": FNR_JON,
        "adressebeskyttet": True, "adresse": None, "veiledere_arrangor": [],
        "status": {"type": "HAR_SLUTTET", "aarsak": "FATT_JOBB"}, "sluttdato": "2026-05-29",
    }  # fmt: skip
    ider = [
        deltakere.opprett(deps, admin, les(DeltakerInn, d, tillat_syntetiske=True))["id"]
        for d in (kari, jon)
    ]
    return Register(gid, ider[0], ider[1], navn["veileder"], navn["admin"], navn["leser"])


def _tekst(html: str) -> str:
    """Return a page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rader(html: str, etter: str = "") -> list[str]:
    """Return the text of each body row of the first table after ``etter``."""
    tabell = html.split(etter, 1)[1] if etter else html
    kropp = tabell.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [_tekst(r) for r in re.findall(r"<tr>(.*?)</tr>", kropp, re.S)]


def _post(client: FlaskClient, url: str, data: Any, side: str | None = None) -> Any:
    data["csrf_token"] = token(client, side or url)
    return client.post(url, data=data)


def test_the_menu_has_deltakere_frister_for_admin_and_leser_and_admins_gjennomforinger(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.veileder)
    meny = client.get("/dokumenter").text
    assert ">Deltakere</a>" in meny
    assert ">Frister</a>" not in meny  # the whole organisation's: admin and leser
    assert "Gjennomføringer" not in meny
    assert client.get("/gjennomforinger").status_code == 403
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, register.leser)
    assert ">Frister</a>" in client.get("/dokumenter").text
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, register.admin)
    meny = client.get("/dokumenter").text
    assert ">Gjennomføringer</a>" in meny
    assert ">Frister</a>" in meny


def test_the_start_page_shows_my_frister_overdue_first_with_a_start_button(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.veileder)
    side = client.get(client.get("/").location)
    tekst = _tekst(side.text)
    assert "Mine frister" in tekst
    assert _rader(side.text, 'id="mine-frister"') == [
        "D-0017 Kari Nordmann Plan for tiltaket 23.03.2026 Forfalt "
        "Start plan for tiltaket for D-0017, frist 23.03.2026",
        "D-0017 Kari Nordmann Statusrapport 08.06.2026 Snart "
        "Start statusrapport for D-0017, frist 08.06.2026",
    ]
    assert f'href="/dokumenter/ny/plan?deltaker={register.kari}"' in side.text
    assert "DELTAR" not in side.text
    assert FNR_KARI not in side.text


def test_the_start_button_opens_the_prefilled_form_and_the_document_is_the_deltakers(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    url = f"/dokumenter/ny/statusrapport?deltaker={register.kari}"
    side = client.get(url)
    assert side.status_code == 200
    assert f'action="/dokumenter/ny/statusrapport?deltaker={register.kari}"' in side.text
    assert 'value="Kari Nordmann"' in side.text
    # What the register cannot know is listed, each linked to its field.
    assert "Fylt ut fra deltakerregisteret" in side.text
    assert 'href="#f-status_og_progresjon"' in side.text
    assert 'href="#f-deltaker-navn"' not in side.text
    form = som_skjema(kontrakt("statusrapport.json"))
    svar = _post(client, url, form)
    assert svar.status_code == 302, _tekst(svar.text)[:500]
    with deps.sessions() as s:
        dok = s.scalars(select(Dokument)).one()
        assert (dok.deltaker_id, dok.gjennomforing_id) == (register.kari, register.gjennomforing_id)
    deltaker = client.get(f"/deltakere/{register.kari}").text
    [rad] = _rader(deltaker, ">Dokumenter</h2>")
    assert re.fullmatch(
        r"Statusrapport 02\.06\.2026 – 01\.09\.2026 (Lager forhåndsvisning|Utkast) "
        r"\d\d\.\d\d\.\d{4} av Test Veileder",
        rad,
    ), rad


def test_the_list_shows_birth_dates_never_the_number_and_filters_and_sorts(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.admin)
    side = client.get("/deltakere")
    assert _rader(side.text) == [
        "Beskyttet, Jon D-0018 15.10.1990 02.03.2026 29.05.2026 Har sluttet — "
        "Plan for tiltaket 23.03.2026 Forfalt",
        "Nordmann, Kari D-0017 15.05.1985 02.03.2026 — Deltar Test Veileder "
        "Plan for tiltaket 23.03.2026 Forfalt",
    ]
    assert 'aria-sort="ascending"' in side.text
    for url in ("/deltakere", "/deltakere?sorter=status&retning=synkende", "/deltakere?sok=nord"):
        html = client.get(url).text
        assert FNR_KARI not in html
        assert FNR_JON not in html
        assert "DELTAR" not in _tekst(html)
        assert "HAR_SLUTTET" not in _tekst(html)
    synkende = client.get("/deltakere?sorter=navn&retning=synkende").text
    assert synkende.index("Nordmann, Kari") < synkende.index("Beskyttet, Jon")
    assert 'aria-sort="descending"' in synkende
    assert "Beskyttet, Jon" not in client.get("/deltakere?status=DELTAR").text
    assert "Nordmann, Kari" not in client.get("/deltakere?sok=D-0018").text
    fulgt = client.get("/deltakere?veileder=1").text
    assert "Nordmann, Kari" in fulgt
    assert "Beskyttet, Jon" not in fulgt
    assert '<option value="1" selected>Test Veileder</option>' in fulgt
    gid = register.gjennomforing_id
    assert "Treff (2)" in _tekst(client.get(f"/deltakere?gjennomforing={gid}").text)
    assert "Treff (0)" in _tekst(client.get(f"/deltakere?gjennomforing={gid + 1}").text)


def test_a_new_deltaker_with_bad_fields_shows_each_error_and_writes_nothing(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    data = kontrakt("deltaker.json") | {"gjennomforing_id": register.gjennomforing_id}
    data |= {"nr": None, "fodselsnummer": "12345678901", "telefon": "12"}
    data["veiledere_arrangor"] = []
    svar = _post(client, "/deltakere/ny", som_skjema(data))
    assert svar.status_code == 422
    assert "Skjemaet har 2 feil" in svar.text
    assert 'id="f-fodselsnummer-feil"' in svar.text
    assert 'id="f-telefon-feil"' in svar.text
    assert "ugyldig fødselsnummer: kontrollsifrene stemmer ikke" in svar.text
    assert 'value="Storgata 1"' in svar.text  # what was typed is kept
    data |= {"fodselsnummer": FNR_PER, "telefon": None, "sluttdato": "2026-01-01"}
    svar = _post(client, "/deltakere/ny", som_skjema(data))
    assert svar.status_code == 422
    assert 'id="f-sluttdato-feil"' in svar.text
    assert "sluttdato kan ikke være før oppstartdato" in svar.text
    assert antall(deps, Deltaker) == 2
    data |= {"fodselsnummer": FNR_KARI, "sluttdato": None}
    svar = _post(client, "/deltakere/ny", som_skjema(data))
    assert svar.status_code == 422  # Kari is registered already: the service says so
    assert "det finnes allerede en deltaker med dette fødselsnummeret (D-0017)" in svar.text
    assert antall(deps, Deltaker) == 2


def test_a_new_deltaker_is_stored_with_the_next_number(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    ny = _tekst(client.get("/deltakere/ny").text)
    assert "Ny deltaker" in ny
    assert "Gjennomføring" in ny
    assert "Jobbmestrende oppfølging Oslo 2026" in ny
    data = kontrakt("deltaker.json") | {"gjennomforing_id": register.gjennomforing_id}
    data |= {"nr": None, "fodselsnummer": FNR_PER, "fornavn": "Per"}
    data["veiledere_arrangor"] = [{"brukernavn": register.veileder, "type": "veileder"}]
    svar = _post(client, "/deltakere/ny", som_skjema(data))
    assert svar.status_code == 302
    side = client.get(svar.location)
    assert "Per Nordmann er registrert som deltaker D-0001." in side.text
    with deps.sessions() as s:
        rad = s.scalars(select(Deltaker).where(Deltaker.fornavn == "Per")).one()
        assert (rad.nr, rad.status, rad.historikk[0].kilde) == ("D-0001", "DELTAR", "skjema")


def test_the_deltaker_page_shows_details_history_documents_and_frister(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.veileder)
    side = client.get(f"/deltakere/{register.kari}")
    tekst = _tekst(side.text)
    assert "Kari Nordmann (D-0017)" in tekst
    assert "Fødselsdato 15.05.1985" in tekst
    assert "Storgata 1, 0155 Oslo" in tekst
    assert FNR_KARI not in side.text
    frister = _rader(side.text, ">Frister</h2>")
    assert frister[0] == (
        "23.03.2026 Plan for tiltaket Forfalt Start plan for tiltaket for D-0017, frist 23.03.2026"
    )
    assert frister[1].startswith("08.06.2026 Statusrapport (02.03.2026 – 01.06.2026) Snart Start")
    assert "Ingen dokumenter om deltakeren ennå." in tekst
    [historikk] = _rader(side.text, ">Statushistorikk</h2>")
    assert historikk.startswith("02.03.2026 Deltar — Test Admin, ")
    assert "DELTAR" not in tekst


def test_a_status_change_with_a_description_without_annet_is_refused(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    url = f"/deltakere/{register.kari}/status"
    side = f"/deltakere/{register.kari}"
    data = {"type": "HAR_SLUTTET", "aarsak": "SYK", "beskrivelse": "Lang historie"}
    svar = _post(client, url, data, side)
    assert svar.status_code == 422
    assert "Statusen ble ikke endret" in svar.text
    assert 'id="status-beskrivelse-feil"' in svar.text
    assert "velg Annet" in svar.text
    assert '<option value="HAR_SLUTTET" selected>Har sluttet</option>' in svar.text
    assert antall(deps, Deltakerstatus) == 2
    data = {"type": "HAR_SLUTTET", "aarsak": "FATT_JOBB", "gyldig_fra": "2026-06-01"}
    svar = _post(client, url, data, side)
    assert svar.status_code == 302
    historikk = _rader(client.get(side).text, ">Statushistorikk</h2>")
    assert historikk[-1].startswith("01.06.2026 Har sluttet Fått jobb Test Veileder, ")


def test_the_edit_form_is_filled_and_a_bad_post_changes_nothing(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    url = f"/deltakere/{register.kari}/endre"
    side = client.get(url)
    assert 'value="Kari"' in side.text
    assert 'value="D-0017"' in side.text
    assert f'<option value="{register.veileder}" selected>' not in side.text  # a text field
    data = kontrakt("deltaker.json") | {"gjennomforing_id": register.gjennomforing_id}
    data["veiledere_arrangor"] = [{"brukernavn": "finnes-ikke", "type": "veileder"}]
    svar = _post(client, url, som_skjema(data | {"telefon": "12"}))
    assert svar.status_code == 422
    assert 'id="f-telefon-feil"' in svar.text
    svar = _post(client, url, som_skjema(data))
    assert svar.status_code == 422
    assert "ingen aktiv bruker heter «finnes-ikke»" in svar.text
    data["veiledere_arrangor"] = [{"brukernavn": register.veileder, "type": "veileder"}]
    svar = _post(client, url, som_skjema(data | {"telefon": "40000018"}))
    assert svar.status_code == 302
    with deps.sessions() as s:
        assert s.get(Deltaker, register.kari).telefon == "40000018"  # type: ignore[union-attr]


def test_a_protected_deltaker_is_not_found_by_a_veileder_who_does_not_follow_them(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    for url in (f"/deltakere/{register.jon}", f"/deltakere/{register.jon}/endre",
                f"/dokumenter/ny/statusrapport?deltaker={register.jon}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    svar = _post(client, f"/deltakere/{register.jon}/status", {"type": "DELTAR"}, "/deltakere")
    assert svar.status_code == 404
    liste = client.get("/deltakere").text
    assert "Beskyttet" not in liste
    assert "D-0018" not in liste
    client.post("/logg-ut", data={"csrf_token": token(client, "/deltakere")})
    logg_inn(client, register.admin)
    side = _tekst(client.get(f"/deltakere/{register.jon}").text)
    assert "Jon Beskyttet (D-0018)" in side
    assert "Adresse Adressebeskyttet" in side
    assert "Storgata" not in side


def test_admins_create_and_change_gjennomforinger_with_every_field(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.admin)
    liste = _rader(client.get("/gjennomforinger").text)
    assert liste == [
        "Jobbmestrende oppfølging Oslo 2026 jobbmestrende_oppfolging 20/20129 "
        "Jobbmestrende oppfølging, NAV Oslo (Bilag 8: rapportering) EHF-faktura "
        "01.01.2026 – løpende"
    ]
    data = kontrakt("gjennomforing.json") | {"sluttdato": "2025-12-31", "timepris": "1150,50"}
    svar = _post(client, "/gjennomforinger/ny", som_skjema(data))
    assert svar.status_code == 422
    assert "sluttdato kan ikke være før startdato" in svar.text
    assert antall(deps, Gjennomforing) == 1
    data |= {"navn": "AMB 2027", "regelsett": "amb", "sluttdato": "2027-06-30"}
    svar = _post(client, "/gjennomforinger/ny", som_skjema(data))
    assert svar.status_code == 302
    with deps.sessions() as s:
        ny = s.scalars(select(Gjennomforing).where(Gjennomforing.navn == "AMB 2027")).one()
        assert (ny.timepris, ny.kjoper["orgnr"], ny.regelsett) == ("1150.50", "889640782", "amb")
    url = f"/gjennomforinger/{ny.id}"
    skjema = client.get(url).text
    assert 'value="1150,50"' in skjema
    assert '<option value="amb" selected>' in skjema
    svar = _post(client, url, som_skjema(data | {"evaluering_dager": "30"}))
    assert svar.status_code == 302
    with deps.sessions() as s:
        assert s.get(Gjennomforing, ny.id).evaluering_dager == 30  # type: ignore[union-attr]


def test_the_frister_page_filters_the_whole_organisation_and_downloads_csv(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.leser)
    side = client.get("/frister")
    assert side.status_code == 200
    alle = _rader(side.text, "Frister etter dato")
    # The month's resultatrapport (JMO §9.2) leads to its page, which a leser may see.
    assert (
        "10.06.2026 Resultatrapport (01.05.2026 – 31.05.2026) Hele gjennomføringen Snart "
        "Lag resultatrapport for mai 2026, frist 10.06.2026" in alle
    )
    rader = [r for r in alle if "Resultatrapport" not in r]
    # A leser starts no document; Jon (protected, followed by nobody) is not there.
    assert rader == [
        "23.03.2026 Plan for tiltaket D-0017 Kari Nordmann Forfalt —",
        "08.06.2026 Statusrapport (02.03.2026 – 01.06.2026) D-0017 Kari Nordmann Snart —",
        "14.07.2026 Evalueringsrapport (01.01.2026 – 30.06.2026) Hele gjennomføringen Kommende —",
        "08.09.2026 Statusrapport (02.06.2026 – 01.09.2026) D-0017 Kari Nordmann Kommende —",
    ]
    snart = _rader(client.get("/frister?status=snart&type=statusrapport").text, "Frister etter")
    assert snart == [rader[1]]
    juli = client.get("/frister?fra=2026-06-09&til=2026-09-01&type=evalueringsrapport").text
    assert _rader(juli, "Frister etter dato") == [rader[2]]
    tom = client.get("/frister?fra=2026-09-09&til=2026-10-01&type=statusrapport").text
    assert "Ingen frister passer med søket." in tom
    feil = client.get("/frister?fra=2026-13-01")
    assert feil.status_code == 422
    assert "Skriv datoen som dd.mm.åååå, f.eks. 01.10.2026" in feil.text
    assert (
        'href="/frister.csv?status=snart&amp;type=statusrapport"'
        in client.get("/frister?status=snart&type=statusrapport").text
    )
    csv = client.get("/frister.csv?status=snart")
    assert csv.headers["Content-Disposition"] == 'attachment; filename="frister.csv"'
    assert csv.mimetype == "text/csv"
    linjer = csv.text.splitlines()
    assert linjer[0].startswith("Frist;Status;Dokument;Deltakernr;Deltaker")
    assert linjer[1].startswith("2026-06-08;Snart;Statusrapport;D-0017;Kari Nordmann;")
    assert FNR_KARI not in csv.text
    assert FNR_JON not in csv.text


def test_my_calendar_address_is_made_on_request_and_the_feed_names_the_nr_only(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.veileder)
    side = client.get("/frister/kalender")
    assert "Lag ny lenke" in side.text
    assert "/kalender/" not in side.text
    form = {"csrf_token": token(client, "/frister/kalender"), "skjema": "skjema-1"}
    svar = client.post("/frister/kalender", data=form)
    assert svar.status_code == 200, svar.location
    assert svar.headers["Cache-Control"] == "no-store"
    adresse = re.search(r'value="(http://localhost/kalender/[^"]+\.ics)"', svar.text)
    assert adresse, svar.text
    igjen = client.post("/frister/kalender", data=form)  # the browser reloading the answer
    assert igjen.status_code == 303
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    ics = client.get(adresse.group(1).removeprefix("http://localhost"))
    assert ics.status_code == 200
    assert ics.mimetype == "text/calendar"
    assert "BEGIN:VCALENDAR" in ics.text
    assert "D-0017" in ics.text
    assert "Kari" not in ics.text
    assert "Nordmann" not in ics.text
    assert FNR_KARI not in ics.text
    assert client.get("/kalender/ukjent-lenke.ics").status_code == 404


CSV_LIM = (
    "Navn;Fødselsnummer;Søkt inn;Oppstart;Slutt;Status;Veileder\n"
    f"Nordmann, Kari;{FNR_KARI};10.02.2026;02.03.2026;30.05.2026;Har sluttet;\n"
    f"Hansen, Per;{FNR_PER};01.05.2026;01.06.2026;;Deltar;\n"
)


def test_the_import_preview_shows_every_row_error_and_offers_no_save(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.admin)
    tom = _post(client, "/deltakere/import", {"tekst": " "}, "/deltakere/import")
    assert tom.status_code == 422
    assert "velg gjennomføringen" in tom.text
    assert "lim inn listen eller velg en fil" in tom.text
    feil = CSV_LIM + "Feil, Rad;12345678901;;01.06.2026;;Deltar;\n"
    data = {"gjennomforing_id": str(register.gjennomforing_id), "tekst": feil}
    svar = _post(client, "/deltakere/import", data, "/deltakere/import")
    assert svar.status_code == 200
    tekst = _tekst(svar.text)
    assert "1 feil i listen" in tekst
    assert "Rad 4" in tekst
    assert ">Lagre</button>" not in svar.text
    assert "12345678901" not in svar.text
    assert antall(deps, Deltaker) == 2


def test_the_import_preview_shows_changes_field_by_field_and_lagre_stores_all(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.admin)
    data = {"gjennomforing_id": str(register.gjennomforing_id), "tekst": CSV_LIM}
    svar = _post(client, "/deltakere/import", data, "/deltakere/import")
    assert svar.status_code == 200
    tekst = _tekst(svar.text)
    assert "Nye (1) Per Hansen (rad 3)" in tekst
    assert "Endrede (1)" in tekst
    assert "D-0017 Kari Nordmann (rad 2)" in tekst
    assert "Status Deltar Har sluttet" in tekst
    assert "Ikke i listen (1)" in tekst
    assert "D-0018 Jon Beskyttet" in tekst
    assert antall(deps, Deltaker) == 2  # a preview writes nothing
    assert FNR_KARI not in svar.text
    assert FNR_PER not in svar.text
    skjult = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', svar.text))
    lagre = client.post("/deltakere/import/lagre", data=skjult)
    assert lagre.status_code == 302
    assert "Importen er lagret: 1 nye og 1 endrede deltakere." in client.get(lagre.location).text
    with deps.sessions() as s:
        assert s.get(Deltaker, register.kari).status == "HAR_SLUTTET"  # type: ignore[union-attr]
    assert antall(deps, Deltaker) == 3


def test_a_file_upload_is_previewed_like_pasted_text(
    client: FlaskClient, register: Register
) -> None:
    logg_inn(client, register.veileder)
    import io

    data = {
        "gjennomforing_id": str(register.gjennomforing_id),
        "fil": (io.BytesIO(CSV_LIM.encode("utf-8")), "deltakere.csv", "text/csv"),
        "csrf_token": token(client, "/deltakere/import"),
    }
    svar = client.post("/deltakere/import", data=data, content_type="multipart/form-data")
    assert svar.status_code == 200
    assert "Nye (1) Per Hansen (rad 3)" in _tekst(svar.text)
    assert '<input type="hidden" name="mediatype" value="text/csv">' in svar.text


def test_a_document_linked_by_hand_meets_its_frist_once_finalised(
    client: FlaskClient, deps: Deps, org: Organisasjon, register: Register
) -> None:
    """A statusrapport for another period, linked to the first period's frist on the
    deltaker's page: delivered once finalised; a form without choices says what to choose."""
    from dokgen.storage.db import Versjon

    with deps.sessions.begin() as s:
        dok = Dokument(
            org_id=org.id, type="statusrapport", deltaker="Kari Nordmann",
            periode_fra="2026-01-01", periode_til="2026-02-01", opprettet_av="test",
            deltaker_id=register.kari, gjennomforing_id=register.gjennomforing_id,
            versjoner=[Versjon(nummer=1, data={}, data_sha256="0" * 64, status="utkast")],
        )  # fmt: skip
        s.add(dok)
        s.flush()
        dok_id = dok.id
    logg_inn(client, register.veileder)
    url = f"/deltakere/{register.kari}"
    side = client.get(url).text
    assert "Koble et dokument til en frist" in side
    tom = _post(client, f"{url}/kobling", {}, side=url)
    assert tom.status_code == 422
    assert "velg fristen dokumentet gjelder" in tom.text
    assert "velg dokumentet som skal kobles" in tom.text
    svar = _post(
        client, f"{url}/kobling", {"nokkel": "statusrapport:2026-03-02", "dokument_id": dok_id}, url
    )
    assert svar.status_code == 302
    rad = next(r for r in _rader(client.get(url).text, "Deltakerens frister") if "08.06.2026" in r)
    assert "Snart" in rad  # linked, not finalised yet
    with deps.sessions.begin() as s:
        lagret = s.get(Dokument, dok_id)
        assert lagret is not None
        lagret.ferdig = DAG  # as the seal job finalises it, and marks its frister stale
        foreld_frister(s, deltaker_ids=[register.kari])
    rad = next(r for r in _rader(client.get(url).text, "Deltakerens frister") if "08.06.2026" in r)
    assert "Levert" in rad


def test_the_list_shows_fifty_deltakere_a_page_with_links_to_the_next_and_previous(
    client: FlaskClient, deps: Deps, org: Organisasjon, register: Register
) -> None:
    import datetime as dt

    from ehf.identifiers import synthetic_person_ident

    admin = aktor_for(deps, org, register.admin)
    for i in range(55):
        data = kontrakt("deltaker.json") | {
            "gjennomforing_id": register.gjennomforing_id,
            "nr": None,
            "etternavn": f"Side{i:02d}",
            "fodselsnummer": synthetic_person_ident(dt.date(1970 + i % 30, 1 + i % 12, 1), i),
            "veiledere_arrangor": [],
        }
        deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))
    logg_inn(client, register.admin)
    forste = client.get("/deltakere").text
    assert "Treff (1–50)" in forste
    assert forste.count("<tr>") - 1 == 50
    assert "Neste side" in forste
    assert "Forrige side" not in forste
    andre = client.get("/deltakere?side=2").text
    assert "Treff (51–57)" in andre  # 55 and Kari and Jon
    assert "Forrige side" in andre
    assert "Neste side" not in andre


def _datofelt(html: str, felt_id: str) -> str:
    """Return the ``<input>`` tag of a date field."""
    return re.search(rf'<input [^>]*id="{felt_id}"[^>]*>', html).group(0)  # type: ignore[union-attr]


@pytest.mark.parametrize("side", ["/frister", "/dokumenter"])
def test_search_dates_are_text_fields_typed_as_dd_mm_aaaa_and_iso_links_still_work(
    client: FlaskClient, register: Register, side: str
) -> None:
    logg_inn(client, register.admin)
    skjema = client.get(side).text
    assert 'type="date"' not in skjema
    felt = _datofelt(skjema, "sok-fra")
    assert 'type="text"' in felt
    assert 'inputmode="numeric"' in felt
    assert 'aria-describedby="sok-fra-hjelp"' in felt
    assert '<p class="hjelp" id="sok-fra-hjelp">dd.mm.åååå</p>' in skjema
    norsk = client.get(f"{side}?fra=09.06.2026&til=1.9.2026")
    iso = client.get(f"{side}?fra=2026-06-09&til=2026-09-01")
    assert norsk.status_code == iso.status_code == 200
    assert 'value="09.06.2026"' in _datofelt(iso.text, "sok-fra")  # ISO is shown as typed here

    def treff(html: str) -> list[str]:
        return re.findall(r"<tr>(.*?)</tr>", html.split("<h2>Treff", 1)[1], re.S)

    assert treff(norsk.text) == treff(iso.text)
    assert treff(norsk.text) != treff(client.get(side).text) or side == "/dokumenter"
    feil = client.get(f"{side}?fra=06/09/2026")
    assert feil.status_code == 422
    assert "Søket har 1 feil" in feil.text
    assert '<a href="#sok-fra">Skriv datoen som dd.mm.åååå, f.eks. 01.10.2026</a>' in feil.text
    felt = _datofelt(feil.text, "sok-fra")
    assert 'value="06/09/2026"' in felt
    assert 'aria-invalid="true"' in felt
    assert 'aria-describedby="sok-fra-hjelp sok-fra-feil"' in felt
    assert "Treff (" not in feil.text


def test_a_status_gjelder_fra_is_typed_as_dd_mm_aaaa_and_a_wrong_one_is_explained(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    logg_inn(client, register.veileder)
    url = f"/deltakere/{register.kari}/status"
    side = f"/deltakere/{register.kari}"
    felt = _datofelt(client.get(side).text, "status-gyldig_fra")
    assert 'type="text"' in felt
    assert 'inputmode="numeric"' in felt
    data = {"type": "HAR_SLUTTET", "aarsak": "SYK", "beskrivelse": "Lang", "gyldig_fra": "1/6/26"}
    svar = _post(client, url, data, side)
    assert svar.status_code == 422
    assert "Skriv datoen som dd.mm.åååå, f.eks. 01.10.2026" in svar.text
    assert 'id="status-beskrivelse-feil"' in svar.text  # every error of the form at once
    assert 'value="1/6/26"' in _datofelt(svar.text, "status-gyldig_fra")
    assert antall(deps, Deltakerstatus) == 2
    data = {"type": "HAR_SLUTTET", "aarsak": "FATT_JOBB", "gyldig_fra": "02.06.2026"}
    assert _post(client, url, data, side).status_code == 302
    historikk = _rader(client.get(side).text, ">Statushistorikk</h2>")
    assert historikk[-1].startswith("02.06.2026 Har sluttet Fått jobb Test Veileder, ")


def test_a_samtalereferat_started_from_the_deltaker_is_prefilled_and_dated_by_the_conversation(
    client: FlaskClient, deps: Deps, register: Register
) -> None:
    """The AMB referat fra oppfølgingssamtale: the deltaker, their veileder as medvirkende and
    today as the day of the conversation come from the register; the saved document is the
    deltaker's, listed under the day of the conversation (what its frist is judged by)."""
    logg_inn(client, register.veileder)
    url = f"/dokumenter/ny/samtalereferat?deltaker={register.kari}"
    side = client.get(url)
    assert side.status_code == 200
    assert 'value="Kari Nordmann"' in side.text
    assert 'value="Test Veileder"' in side.text
    assert 'value="05.06.2026"' in side.text
    assert 'href="#f-temaer-0-tema"' in side.text  # left for the person to write
    eksempel = json.loads(demo_path("samtalereferat").read_text("utf-8"))
    data = eksempel | {
        "tiltak": eksempel["tiltak"] | {"arrangor": {"navn": "x", "orgnr": ORGNR}},
        "deltaker": {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI},
        "samtaledato": "2026-06-05",
        "dato": "2026-06-05",
    }
    svar = _post(client, url, som_skjema(data))
    assert svar.status_code == 302, _tekst(svar.text)[:500]
    with deps.sessions() as s:
        dok = s.scalars(select(Dokument)).one()
        assert (dok.type, dok.deltaker_id) == ("samtalereferat", register.kari)
        assert (dok.periode_fra, dok.periode_til) == ("2026-06-05", "2026-06-05")
