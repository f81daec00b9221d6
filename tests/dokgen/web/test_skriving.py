"""Writing a document on the pages: kladd, dates, field kinds, prefill, messages, rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from dokgen.bootstrap import Deps
from dokgen.services import dokumenter as dokumenter_service
from dokgen.storage.db import Bruker, Dokument, Organisasjon, Revisjon, Versjon
from dokgen.web.sider import skjema
from tests.dokgen.web.sider_hjelp import logg_inn, som_skjema, token
from tests.dokgen.web.test_sider_deltakere import Register, register  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

NY = "/dokumenter/ny/statusrapport"


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Return the version ids the preview job runs for, one entry per run."""
    runs: list[int] = []
    real = dokumenter_service.lag_utkast

    def counted(d: Deps, versjon_id: int) -> None:
        runs.append(versjon_id)
        real(d, versjon_id)

    monkeypatch.setattr(dokumenter_service, "lag_utkast", counted)
    return runs


def _versjoner(deps: Deps) -> list[Versjon]:
    with deps.sessions() as s:
        rader = list(s.scalars(select(Versjon).order_by(Versjon.id)))
        s.expunge_all()
    return rader


def test_a_kladd_is_saved_invalid_listed_as_kladd_and_never_converted(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], previews: list[int]
) -> None:
    """ "Lagre som kladd" stores what was written (no preview job, no files), lists it as
    Kladd, audits it; the form goes on with it, and the ordinary submit validates it and
    makes its preview as version 1."""
    logg_inn(client, bruker("veileder"))
    form = {"csrf_token": token(client, NY), "deltaker.navn": "Kari Nordmann", "_kladd": "1"}
    form["oppstartdato"] = "02.03.2026"
    r = client.post(NY, data=form)
    assert r.status_code == 302
    assert r.location.endswith("/endre")
    [v] = _versjoner(deps)
    assert v.status == "kladd"
    assert v.data["deltaker"] == {"navn": "Kari Nordmann"}
    assert v.data["oppstartdato"] == "2026-03-02"
    canonical = json.dumps(v.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert v.data_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert (v.docx_sha256, v.utkast_pdf_sha256, v.pdf_sha256) == (None, None, None)
    assert deps.jobs.wait_idle(timeout=30)
    assert previews == []
    liste = client.get("/dokumenter").text
    assert 'status--kladd">Kladd<' in liste
    assert "Kari Nordmann" in liste
    with deps.sessions() as s:
        assert "lagre_kladd" in set(s.scalars(select(Revisjon.handling)))
    side = client.get(r.location).text
    assert "<h1>Kladd: statusrapport</h1>" in side
    assert 'value="02.03.2026"' in side
    assert "Lagre som kladd" in side
    dokument = client.get(r.location.removesuffix("/endre")).text
    assert "Dette er en kladd" in dokument
    assert "Skriv videre på kladden" in dokument

    # An invalid preview request keeps the kladd as it was and shows the errors.
    ugyldig = {"csrf_token": token(client, r.location), "deltaker.navn": "Kari Nordmann"}
    svar = client.post(r.location, data=ugyldig)
    assert svar.status_code == 422
    assert "Skjemaet har" in svar.text
    assert _versjoner(deps)[0].status == "kladd"
    assert previews == []


def test_asking_for_the_preview_validates_the_kladd_and_starts_it(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    kontrakt: Any,
    previews: list[int],
) -> None:
    """The kladd, now complete, becomes version 1 (behandles → utkast) with its files."""
    logg_inn(client, bruker("veileder"))
    form = {"csrf_token": token(client, NY), "deltaker.navn": "Kari", "_kladd": "1"}
    endre = client.post(NY, data=form).location
    fullt = som_skjema(kontrakt("statusrapport"))
    fullt["csrf_token"] = token(client, endre)
    r = client.post(endre, data=fullt)
    assert r.status_code == 302, r.text[:3000]
    assert deps.jobs.wait_idle(timeout=120)
    [v] = _versjoner(deps)
    assert (v.nummer, v.status) == (1, "utkast")
    assert v.utkast_pdf_sha256 is not None
    assert previews == [v.id]
    assert v.data["deltaker"]["navn"] == "Kari Nordmann"


def test_the_autosave_endpoint_makes_one_kladd_and_saves_over_it(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], previews: list[int]
) -> None:
    """The script's posts: the first makes the kladd and names its address, the next save
    over it (no new versions); a document that is no longer a kladd refuses them."""
    logg_inn(client, bruker("veileder"))
    csrf = token(client, NY)
    svar = client.post(f"{NY}/kladd", data={"csrf_token": csrf, "deltaker.navn": "Ka"})
    assert svar.status_code == 200
    body = svar.get_json()
    dokument_id = body["dokument_id"]
    assert body["kladd_url"] == f"/dokumenter/{dokument_id}/kladd"
    assert body["skjema_url"] == f"/dokumenter/{dokument_id}/endre"
    assert len(body["lagret"]) == 5  # HH:MM
    igjen = client.post(
        body["kladd_url"], data={"csrf_token": csrf, "deltaker.navn": "Kari", "sted": "Oslo"}
    )
    assert igjen.status_code == 200
    [v] = _versjoner(deps)
    assert (v.status, v.nummer, v.data["deltaker"]["navn"], v.data["sted"]) == (
        "kladd", 1, "Kari", "Oslo"
    )  # fmt: skip
    with deps.sessions() as s:
        assert s.scalar(select(Dokument.deltaker)) == "Kari"
        s.execute(update(Versjon).values(status="utkast"))
        s.commit()
    nekt = client.post(body["kladd_url"], data={"csrf_token": csrf, "sted": "Bergen"})
    assert nekt.status_code == 409
    assert previews == []


def test_dates_are_typed_dd_mm_yyyy_in_text_fields_whatever_the_locale(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """No native date input; dd.mm.åååå is read as ISO, shown back as typed, and a date
    that cannot be read says how to write it, with an example."""
    assert skjema.parse_date("02.03.2026") == "2026-03-02"
    assert skjema.parse_date(" 2.3.2026 ") == "2026-03-02"
    assert skjema.parse_date("2026-03-02") == "2026-03-02"
    assert skjema.parse_date("31.02.2026") == "31.02.2026"
    assert skjema.parse_date("i morgen") == "i morgen"
    assert skjema.norwegian_date("2026-03-02") == "02.03.2026"
    assert skjema.norwegian_date("31.02.2026") == "31.02.2026"
    logg_inn(client, bruker("veileder"))
    side = client.get(NY).text
    assert 'type="date"' not in side
    assert 'inputmode="numeric" id="f-oppstartdato"' in side
    assert "Skriv dd.mm.åååå, f.eks. 02.03.2026" in side
    data = kontrakt("statusrapport")
    form = som_skjema(data)
    form["oppstartdato"] = "31.02.2026"
    form["dato"] = ""
    form["csrf_token"] = token(client, NY)
    r = client.post(NY, data=form)
    assert r.status_code == 422
    melding = "skriv datoen som dd.mm.åååå, f.eks. 02.03.2026"
    assert f"Oppstartdato: ugyldig dato: {melding}" in r.text
    assert f"mangler: {melding}" in r.text
    assert 'value="31.02.2026"' in r.text  # as typed, beside its error
    form["oppstartdato"], form["dato"] = "02.03.2026", "01.09.2026"
    assert client.post(NY, data=form).status_code == 302
    with deps.sessions() as s:
        lagret = s.scalar(select(Versjon.data))
    assert (lagret["oppstartdato"], lagret["dato"]) == ("2026-03-02", "2026-09-01")


def test_email_and_phone_fields_have_their_input_types_and_hints(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """E-mail is type=email (not a text area), phone type=tel, each with an example."""
    logg_inn(client, bruker("veileder"))
    side = client.get(NY).text
    assert '<input type="email" id="f-veileder_nav-epost"' in side
    assert '<input type="tel" id="f-veileder_nav-telefon"' in side
    assert '<textarea id="f-veileder_nav-epost"' not in side
    assert "F.eks. navn@eksempel.no" in side
    assert "8 siffer, f.eks. 40000017" in side


def test_nav_guidance_is_the_hint_of_its_field(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """The instruction the PDF prints under a label is the form field's hint."""
    logg_inn(client, bruker("veileder"))
    side = client.get(NY).text
    assert (
        'id="f-oppfolging_pa_arbeidsplassen-hjelp">Oppfølging av deltaker og arbeidsgiver; '
        "ev. tilrettelegging og tilpasning"
    ) in side
    assert '<p class="hjelp">Dager/timer – årsak. Tomme rader tas ikke med.' in side
    slutt = client.get("/dokumenter/ny/sluttrapport").text
    assert "Begrunn valg av aktiviteter, beskriv hva som ble gjennomført og hvordan" in slutt


def test_a_new_form_is_prefilled_with_the_veileder_sted_and_today(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """The signed-in user (name, phone, e-mail) as the arrangør's veileder and signer, the
    organisation's poststed as sted and today's date; a phone the model refuses is left out."""
    navn = bruker("veileder")
    with deps.sessions.begin() as s:
        s.execute(
            update(Bruker)
            .where(Bruker.brukernavn == navn)
            .values(telefon="40000017", epost="veileder@eksempel.no")
        )
        s.execute(
            update(Organisasjon)
            .where(Organisasjon.id == org.id)
            .values(innstillinger={"selger": {"adresse": {"poststed": "Tromsø"}}})
        )
    logg_inn(client, navn)
    idag = deps.clock().date().strftime("%d.%m.%Y")
    side = client.get(NY).text
    assert (
        'id="f-veiledere_arrangor-0-navn" name="veiledere_arrangor.0.navn" value="Test Veileder"'
        in side
    )
    assert 'name="veiledere_arrangor.0.telefon" value="40000017"' in side
    assert 'name="veiledere_arrangor.0.epost" value="veileder@eksempel.no"' in side
    assert 'name="underskriver.navn" value="Test Veileder"' in side
    assert 'name="sted" value="Tromsø"' in side
    assert f'name="dato" value="{idag}"' in side
    avtale = client.get("/dokumenter/ny/arbeidspraksisavtale").text
    assert 'name="veileder_arrangor.navn" value="Test Veileder"' in avtale
    with deps.sessions.begin() as s:
        s.execute(update(Bruker).where(Bruker.brukernavn == navn).values(telefon="12"))
    side = client.get(NY).text
    assert 'name="veiledere_arrangor.0.telefon" value=""' in side


def test_every_error_says_what_to_write_with_an_example_and_rows_count_from_1(
    client: FlaskClient, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """Phone, e-mail, decimal and missing fields name what to write; the summary counts
    rows from 1 ("Rad 1"), also for a path it has no field for."""
    logg_inn(client, bruker("veileder"))
    data = kontrakt("statusrapport")
    data["veileder_nav"]["telefon"] = "55"
    data["veileder_nav"]["epost"] = "ikke-en-adresse"
    data["anslatt_behov_timer_per_maned"] = "mange"
    data["fravaer"] = [{"arsak": "Sykdom"}]
    del data["arbeidsgivere"][0]["navn"]
    form = som_skjema(data)
    form["csrf_token"] = token(client, NY)
    side = client.post(NY, data=form).text
    assert "har feil format: skriv 8 siffer, f.eks. 40000017" in side
    assert "har feil format: skriv en e-postadresse, f.eks. navn@eksempel.no" in side
    assert "skriv et tall, f.eks. 14,25" in side
    assert "Fravær › Rad 1: oppgi dager eller timer" in side
    assert "Rad 0" not in side
    assert (
        "Arbeidsgiver i rapporteringsperioden › Rad 1 › Navnet på arbeidsgiver: "
        "mangler: skriv navnet på arbeidsgiver" in side
    )
    assert skjema.human_path("fravaer.3.timer") == "fravaer › rad 4 › timer"


def test_the_long_form_is_in_sections_with_a_list_of_them(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """A list of the form's parts links to each; each part has its own heading."""
    logg_inn(client, bruker("veileder"))
    side = client.get(NY).text
    assert '<h2 id="innhold-tittel">Deler av skjemaet</h2>' in side
    for anker in ("g-tiltak", "g-arbeidsgivere", "g-fravaer", "s-sted"):
        assert f'<a href="#{anker}">' in side
        assert f'id="{anker}"' in side
    assert '<h2 class="seksjon-tittel">Arbeidsgiver i rapporteringsperioden' in side
    assert '<h2 id="s-sted-tittel">Sted og dato</h2>' in side


def test_rows_are_added_and_removed_without_script_and_come_back_at_the_list(
    client: FlaskClient, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The posted buttons return to the list's anchor with the focus in its new row; a
    removed row is gone with its values; each list has a row template for the script."""
    logg_inn(client, bruker("veileder"))
    side = client.get(NY).text
    assert f'formaction="{NY}#g-fravaer"' in side
    assert '<template class="radmal" data-liste="fravaer"' in side
    assert 'name="fravaer.__rad__.arsak"' in side
    data = kontrakt("statusrapport")
    data["arbeidsgivere"].append(dict(data["arbeidsgivere"][0], navn="Andre AS"))
    form = som_skjema(data)
    form["csrf_token"] = token(client, NY)
    form["_add_row"] = "arbeidsgivere"
    lagt_til = client.post(NY, data=form).text
    assert 'name="_rows.arbeidsgivere" value="3"' in lagt_til
    assert (
        'id="f-arbeidsgivere-2-navn" name="arbeidsgivere.2.navn" value="" maxlength="200" autofocus'
        in lagt_til
    )
    del form["_add_row"]
    form["_remove_row"] = "arbeidsgivere.0"
    fjernet = client.post(NY, data=form).text
    assert 'name="_rows.arbeidsgivere" value="2"' in fjernet
    assert 'name="arbeidsgivere.0.navn" value="Andre AS"' in fjernet
    assert "Fjern rad 1" in fjernet


@pytest.mark.parametrize(
    ("deltaker", "nr", "fra", "til", "navn"),
    [
        ("Kari Nordmann", "D-0017", "2026-03-02", "2026-06-01",
         "statusrapport-D-0017-2026-03-02_2026-06-01-v1.pdf"),
        ("Kari Nordmann", None, "2026-03-02", "2026-06-01",
         "statusrapport-KN-2026-03-02_2026-06-01-v1.pdf"),
        ("Øystein Ålien Ærø", None, "2026-03-02", "2026-03-02",
         "statusrapport-OAA-2026-03-02-v1.pdf"),
        ("Łukasz Wąsowski", "15858545606", "2026-03-02", "2026-06-01",
         "statusrapport-LW-2026-03-02_2026-06-01-v1.pdf"),
        ("", None, None, None, "statusrapport-2026-12-01-v1.pdf"),
    ],
)  # fmt: skip
def test_download_names_carry_type_deltaker_and_period(
    deltaker: str, nr: str | None, fra: str | None, til: str | None, navn: str
) -> None:
    """Type, the deltaker's nr (else initials, never a fødselsnummer), period and version,
    in ASCII: two deltakere's reports do not collide."""
    from datetime import datetime

    rad = Dokument(
        type="statusrapport", deltaker=deltaker, periode_fra=fra, periode_til=til,
        opprettet=datetime(2026, 12, 1, 9, 0),
    )  # fmt: skip
    versjon = Versjon(nummer=1, pdf_sha256="a" * 64)
    assert dokumenter_service.filnavn(rad, versjon, "pdf", nr) == navn
    assert navn.isascii()
    utkast = Versjon(nummer=1)
    assert dokumenter_service.filnavn(rad, utkast, "pdf", nr) == navn.replace(
        "-v1.pdf", "-v1-utkast.pdf"
    )


def test_a_submit_racing_the_first_autosave_makes_one_document(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The new form carries its document id: the script's kladd and the submit (still to
    the new form's address) are the same document, its version 1."""
    logg_inn(client, bruker("veileder"))
    side = client.get(NY).text
    ny_id = side.split('name="_ny_id" value="')[1].split('"')[0]
    csrf = token(client, NY)
    kladd = client.post(f"{NY}/kladd", data={"csrf_token": csrf, "_ny_id": ny_id, "sted": "O"})
    assert kladd.get_json()["dokument_id"] == ny_id
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"], form["_ny_id"] = csrf, ny_id
    r = client.post(NY, data=form)
    assert r.location == f"/dokumenter/{ny_id}"
    assert deps.jobs.wait_idle(timeout=120)
    with deps.sessions() as s:
        assert list(s.scalars(select(Dokument.id))) == [ny_id]
    [v] = _versjoner(deps)
    assert (v.nummer, v.status) == (1, "utkast")


def test_a_form_id_of_another_organisations_document_is_refused(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    org: Organisasjon,
    kontrakt: Any,
) -> None:
    """Another organisation's document id in ``_ny_id``: nothing of theirs is touched."""
    from tests.dokgen.conftest import _org

    annen = _org(deps, "974760673", "Annen AS")
    logg_inn(client, bruker("veileder", annen))
    csrf = token(client, NY)
    fremmed = client.post(f"{NY}/kladd", data={"csrf_token": csrf, "sted": "Bergen"})
    fremmed_id = fremmed.get_json()["dokument_id"]
    client.post("/logg-ut", data={"csrf_token": csrf})
    logg_inn(client, bruker("veileder"))
    csrf = token(client, NY)
    svar = client.post(f"{NY}/kladd", data={"csrf_token": csrf, "_ny_id": fremmed_id})
    assert svar.status_code == 404
    [data] = [v.data for v in _versjoner(deps)]
    assert data["sted"] == "Bergen"


def test_a_deltakers_kladd_is_on_their_page_and_their_download_names_their_nr(
    client: FlaskClient,
    deps: Deps,
    register: Register,  # noqa: F811 (the fixture imported above)
    kontrakt: Any,
) -> None:
    """A kladd started from a deltaker is theirs and listed as Kladd on their page; their
    document's download is named with their nr and the period, not their name or number."""
    logg_inn(client, register.veileder)
    ny = f"{NY}?deltaker={register.kari}"
    form = {"csrf_token": token(client, ny), "_kladd": "1", "sted": "Oslo"}
    assert client.post(ny, data=form).status_code == 302
    side = client.get(f"/deltakere/{register.kari}").text
    assert 'status--kladd">Kladd<' in side
    fullt = som_skjema(kontrakt("statusrapport"))
    fullt["csrf_token"] = token(client, ny)
    url = client.post(ny, data=fullt).location
    assert deps.jobs.wait_idle(timeout=120)
    pdf = client.get(f"{url}/pdf")
    assert pdf.headers["Content-Disposition"] == (
        'attachment; filename="statusrapport-D-0017-2026-06-02_2026-09-01-v1-utkast.pdf"'
    )


def test_a_correction_of_a_sealed_document_is_saved_as_a_kladd_of_its_next_version(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    kontrakt: Any,
    previews: list[int],
) -> None:
    """ "Endre" on a sealed document saves the correction, valid or not, explicitly and by the
    script's autosave, as a kladd of version 2: listed as Kladd, never converted, the form
    opens with it; version 1 stays godkjent, sealed and downloadable until "Lagre ny
    versjon" makes the kladd version 2 and only then replaces it. A late autosave of a form
    already submitted makes no kladd; a kladd can be thrown away."""
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"] = token(client, NY)
    url = client.post(NY, data=form).location
    assert deps.jobs.wait_idle(timeout=120)
    godkjenn = {"csrf_token": token(client, url), "part": "arrangor"}
    assert client.post(f"{url}/godkjenn", data=godkjenn).status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    [v1] = _versjoner(deps)
    assert v1.status == "godkjent"
    forseglet = client.get(f"{url}/pdf").data
    endre = f"{url}/endre"

    skjemaside = client.get(endre).text
    assert f'data-kladd-url="{url}/kladd"' in skjemaside
    assert '<input type="hidden" name="_rettelse" value="1">' in skjemaside
    assert "lagres som en kladd til versjon 2 mens du skriver" in skjemaside
    assert "Lagre som kladd" in skjemaside

    ugyldig = {**form, "csrf_token": token(client, endre), "sted": "", "_rettelse": "1"}
    ugyldig["status_og_progresjon"] = "Rettet tekst"
    r = client.post(endre, data={**ugyldig, "_kladd": "1"})
    assert r.status_code == 302
    assert r.location == endre
    v1, v2 = _versjoner(deps)
    assert (v1.nummer, v1.status, v2.nummer, v2.status) == (1, "godkjent", 2, "kladd")
    assert (v2.data.get("sted"), v2.data["status_og_progresjon"]) == (None, "Rettet tekst")
    assert v2.utkast_pdf_sha256 is None

    autolagret = client.post(f"{url}/kladd", data={**ugyldig, "sted": "Bergen"})
    assert autolagret.status_code == 200
    assert autolagret.get_json()["kladd_url"] == f"{url}/kladd"
    assert [v.data.get("sted") for v in _versjoner(deps)] == ["Oslo", "Bergen"]
    uten = {k: v for k, v in ugyldig.items() if k != "_rettelse"}
    assert client.post(f"{url}/kladd", data=uten).status_code == 409

    assert 'value="Bergen"' in client.get(endre).text  # the form opens with the kladd
    dokumentside = client.get(url).text
    assert "Kladd til ny versjon" in dokumentside
    assert "Skriv videre på kladden til versjon 2" in dokumentside
    assert "Last ned forseglet PDF" in dokumentside
    assert client.get(f"{url}/pdf").data == forseglet
    liste = client.get("/dokumenter").text
    assert 'status--godkjent">Godkjent</span> <span class="status status--kladd">Kladd' in liste
    with deps.sessions() as s:
        rad = s.scalars(select(Dokument)).one()
        assert rad.ferdig is not None  # its frister stay met
    assert len(previews) == 1  # version 1's preview only

    ferdig = {**form, "csrf_token": token(client, endre), "_rettelse": "1", "sted": "Bergen"}
    assert client.post(endre, data=ferdig).status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    v1, v2 = _versjoner(deps)
    assert (v1.status, v2.status, v2.data["sted"]) == ("erstattet", "utkast", "Bergen")
    assert previews[1:] == [v2.id]
    sen = client.post(f"{url}/kladd", data={**ugyldig, "sted": "Moss"})
    assert sen.status_code == 409  # the form already submitted makes no new kladd
    assert len(_versjoner(deps)) == 2

    kladd = {**form, "csrf_token": token(client, endre), "_rettelse": "2", "_kladd": "1"}
    assert client.post(endre, data=kladd).status_code == 302
    assert [v.status for v in _versjoner(deps)] == ["erstattet", "utkast", "kladd"]
    forkast = {"csrf_token": token(client, url)}
    assert client.post(f"{url}/kladd/forkast", data=forkast).status_code == 302
    assert [v.status for v in _versjoner(deps)] == ["erstattet", "utkast"]
    assert "Kladd til ny versjon" not in client.get(url).text
