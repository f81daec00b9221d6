"""The Timer pages through Flask's test client: the deltaker page's section (the month's
activities with the adjustment in words, add with dd.mm.åååå, change, delete, an error
shown on its field), "NAV er varslet" on a no-show's frist, the week view saved at once
(an error on its cell, nothing stored), and the timeliste upload previewed then saved."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere
from dokgen.storage.db import Aktivitet, Organisasjon
from tests.conftest import KONTRAKT
from tests.dokgen.register import FNR_JON, aktor_for, kontrakt
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

IDAG = datetime(2026, 10, 23, 10, tzinfo=UTC)  # a Friday in week 43


@pytest.fixture
def oppsett(
    deps: Deps, org: Organisasjon, bruker: Callable[..., str], gjennomforing_id: int
) -> dict[str, int | str]:
    deps.clock = lambda: IDAG
    veileder, admin = bruker("veileder"), bruker("admin")
    a = aktor_for(deps, org, admin)
    kari = kontrakt("deltaker.json") | {"gjennomforing_id": gjennomforing_id}
    kari["veiledere_arrangor"] = [{"brukernavn": veileder, "type": "veileder"}]
    jon = kari | {"nr": "D-0023", "fornavn": "Jon", "etternavn": "Berg", "fodselsnummer": FNR_JON,
                  "oppstartdato": "2026-10-21", "veiledere_arrangor": []}  # fmt: skip
    ider = [
        int(deltakere.opprett(deps, a, les(DeltakerInn, d, tillat_syntetiske=True))["id"])
        for d in (kari, jon)
    ]
    return {"kari": ider[0], "jon": ider[1], "veileder": veileder}


def test_an_activity_is_added_changed_and_deleted_on_the_deltakers_page(
    client: FlaskClient, deps: Deps, oppsett: dict[str, int | str]
) -> None:
    logg_inn(client, str(oppsett["veileder"]))
    side = f"/deltakere/{oppsett['kari']}"
    skjema = {"csrf_token": token(client, side), "dato": "09.10.2026", "aktivitet": "ikke_mott",
              "minutter": "60"}  # fmt: skip

    r = client.post(f"{side}/timer", data=skjema)
    assert r.status_code == 302
    tekst = client.get(r.location).text
    assert "Deltaker møtte ikke" in tekst
    assert "maks 0,25 t når deltakeren ikke møter" in tekst
    assert "ikke_mott</td>" not in tekst
    assert '<option value="ikke_mott">Deltaker møtte ikke</option>' in tekst
    assert "Varsle NAV samme dag" in tekst
    assert "NAV er varslet" in tekst

    r = client.post(f"{side}/varslet", data={"csrf_token": skjema["csrf_token"],
                                             "nokkel": "varsle_nav:2026-10-09"})  # fmt: skip
    assert r.status_code == 302
    assert "NAV er varslet<span" not in client.get(side).text

    with deps.sessions() as s:
        aktivitet_id = s.scalars(select(Aktivitet.id)).one()
    endre = f"/timer/{aktivitet_id}/endre"
    assert 'value="09.10.2026"' in client.get(endre).text
    r = client.post(endre, data=skjema | {"aktivitet": "oppfolging", "minutter": "50"})
    assert r.status_code == 302
    assert "Oppfølging med deltaker til stede" in client.get(r.location).text
    assert "rundet opp til nærmeste kvarter" in client.get(r.location).text

    r = client.post(f"/timer/{aktivitet_id}/slett", data={"csrf_token": skjema["csrf_token"]})
    assert r.status_code == 302
    assert antall(deps, Aktivitet) == 0


def test_a_refused_activity_shows_the_form_again_with_the_error_on_its_field(
    client: FlaskClient, deps: Deps, oppsett: dict[str, int | str]
) -> None:
    logg_inn(client, str(oppsett["veileder"]))
    side = f"/deltakere/{oppsett['kari']}"
    skjema = {"csrf_token": token(client, side), "dato": "01.03.2026", "aktivitet": "gruppe",
              "minutter": "90"}  # fmt: skip

    r = client.post(f"{side}/timer", data=skjema)

    assert r.status_code == 422
    assert "Aktiviteten ble ikke registrert" in r.text
    assert "før deltakerens oppstart 02.03.2026" in r.text
    assert "oppgi hvor mange som var med på «Gruppeaktivitet», f.eks. 4" in r.text
    assert (
        'id="timer-dato" name="dato" class="kort" autocomplete="off" value="01.03.2026"' in r.text
    )
    assert antall(deps, Aktivitet) == 0


def test_the_week_view_saves_every_cell_or_none(
    client: FlaskClient, deps: Deps, oppsett: dict[str, int | str]
) -> None:
    logg_inn(client, str(oppsett["veileder"]))
    side = client.get("/timer/uke?uke=2026-W43")
    assert side.status_code == 200
    assert "Timer uke 43" in side.text
    assert 'href="/timer/uke?uke=2026-W42"' in side.text
    assert 'href="/timer/uke?uke=2026-W44"' in side.text
    kari, jon = oppsett["kari"], oppsett["jon"]
    # The veileder follows Kari only: Jon is not a row.
    assert f'name="m-{kari}-2026-10-19"' in side.text
    assert f"m-{jon}-" not in side.text
    csrf = token(client, "/timer/uke?uke=2026-W43")
    skjema = {"csrf_token": csrf, "uke": "2026-W43", "aktivitet": "oppfolging",
              f"m-{kari}-2026-10-19": "45", f"m-{kari}-2026-10-24": "30"}  # fmt: skip

    r = client.post("/timer/uke", data=skjema)
    assert r.status_code == 422
    assert "fram i tid" in r.text
    assert f'aria-describedby="m-{kari}-2026-10-24-feil"' in r.text
    assert antall(deps, Aktivitet) == 0

    r = client.post("/timer/uke", data=skjema | {f"m-{kari}-2026-10-24": ""})
    assert r.status_code == 302
    assert antall(deps, Aktivitet) == 1
    assert "Oppfølging med deltaker til stede: 45 min" in client.get(r.location).text


def test_the_timeliste_is_previewed_with_row_errors_then_saved(
    client: FlaskClient, deps: Deps, oppsett: dict[str, int | str]
) -> None:
    logg_inn(client, str(oppsett["veileder"]))
    csrf = token(client, "/timer/import")
    tekst = (KONTRAKT / "timeliste.csv").read_text(encoding="utf-8")

    r = client.post("/timer/import", data={"csrf_token": csrf, "tekst": tekst})
    assert r.status_code == 200
    # Jon starts on 21 October: his rows are fine; row 8 is 22 October, also fine.
    assert "Rad " not in r.text
    assert "maks 1 t per møte" in r.text
    assert "Reisetid til oppfølgingsmøte" in r.text
    assert antall(deps, Aktivitet) == 0
    innhold = re.search(r'name="innhold" value="([^"]+)"', r.text)
    assert innhold is not None
    assert base64.b64decode(innhold.group(1)).decode() == tekst

    r = client.post("/timer/import/lagre", data={"csrf_token": csrf,
                                                 "innhold": innhold.group(1)})  # fmt: skip
    assert r.status_code == 302
    assert antall(deps, Aktivitet) == 8

    feil = tekst.replace("D-0023;Jon Berg;video_telefon", "D-0099;Ukjent;video_telefon")
    r = client.post("/timer/import", data={"csrf_token": csrf, "tekst": feil})
    assert "Rad 7, deltakernr: ingen deltaker med nr «D-0099»" in r.text
    assert 'action="/timer/import/lagre"' not in r.text
