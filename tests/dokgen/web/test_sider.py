"""The HTML pages through Flask's test client: login, CSRF, forms, roles, organisations, admin."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.services import dokumenter as dokumenter_service
from dokgen.storage.db import Bruker, Dokument, Malversjon, Organisasjon, Revisjon, Versjon, now
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.web.sider_hjelp import antall, logg_inn, som_skjema, token

pytestmark = pytest.mark.integration

MALER = Path(__file__).resolve().parents[3] / "maler"
# Every type but the statusrapport, whose form the tests above post.
UTENOM_STATUSRAPPORT = sorted(t for t in DOKUMENTTYPER if t != "statusrapport")


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("rolle", "start"),
    [("veileder", "/dokumenter"), ("leser", "/dokumenter"), ("admin", "/dokumenter")],
)
def test_each_role_logs_in_and_lands_on_its_start_page(
    client: FlaskClient, bruker: Callable[..., str], rolle: str, start: str
) -> None:
    """A correct login starts a session and the front page sends the role to its page."""
    navn = bruker(rolle)
    r = logg_inn(client, navn)
    assert (r.status_code, r.location) == (302, "/")
    assert client.get("/").location == start
    page = client.get(start)
    assert page.status_code == 200
    assert f"Test {rolle.title()}" in page.text
    assert '<html lang="nb">' in page.text


def test_login_refuses_wrong_password_and_unknown_user_alike(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """Wrong password and unknown name give the same message, and no session."""
    navn = bruker("veileder")
    wrong = logg_inn(client, navn, "feil-passord-123")
    unknown = logg_inn(client, "finnes-ikke", "feil-passord-123")
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert "Feil brukernavn eller passord." in r.text
    assert client.get("/dokumenter").status_code == 302


def test_login_starts_a_fresh_session_and_logout_ends_it(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """Session fixation: what was in the session before login is gone after it."""
    navn = bruker("veileder")
    with client.session_transaction() as s:
        s["plantet"] = "av-angriper"
    logg_inn(client, navn)
    with client.session_transaction() as s:
        assert "plantet" not in s
        assert "bruker_id" in s
    r = client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    assert r.location == "/logg-inn"
    assert client.get("/dokumenter").status_code == 302


def test_pages_need_login_and_return_there_afterwards(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """An anonymous visitor is sent to the login page, and back after it; never off-site."""
    r = client.get("/dokumenter?type=statusrapport")
    assert r.status_code == 302
    assert r.location.startswith("/logg-inn?neste=")
    navn = bruker("leser")
    data = {"brukernavn": navn, "passord": "riktig-hest-batteri-99"}
    data["csrf_token"] = token(client, "/logg-inn")
    data["neste"] = "/dokumenter?type=statusrapport"
    assert client.post("/logg-inn", data=data).location == "/dokumenter?type=statusrapport"
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    data.update(csrf_token=token(client, "/logg-inn"), neste="//ondsinnet.example/")
    assert client.post("/logg-inn", data=data).location == "/"


def test_forms_without_csrf_token_are_refused(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """A post without the CSRF token is refused with 400 and writes nothing."""
    navn = bruker("veileder")
    r = client.post("/logg-inn", data={"brukernavn": navn, "passord": "riktig-hest-batteri-99"})
    assert r.status_code == 400
    assert "sikkerhetsnøkkel" in r.text
    logg_inn(client, navn)
    form = som_skjema(kontrakt("statusrapport"))
    r = client.post("/dokumenter/ny/statusrapport", data=form)
    assert r.status_code == 400
    assert antall(deps, Dokument) == 0


def test_invalid_form_is_shown_again_with_every_error_and_nothing_is_written(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """Every service error appears in the summary (linked) and at its field; no rows."""
    logg_inn(client, bruker("veileder"))
    data = kontrakt("statusrapport")
    data["rapporteringsperiode"] = {"fra": "2026-09-01", "til": "2026-06-01"}
    data["arbeidsgivere"][0]["stillingsprosent"] = "sekstí"
    data["fravaer"] = [{"arsak": "Sykdom"}]
    del data["sted"]
    form = som_skjema(data)
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    before = antall(deps, Revisjon)
    r = client.post("/dokumenter/ny/statusrapport", data=form)
    assert r.status_code == 422
    page = r.text
    assert "Skjemaet har 4 feil" in page
    assert 'href="#f-rapporteringsperiode-fra"' in page
    assert "til-datoen kan ikke være før fra-datoen" in page
    assert 'href="#f-arbeidsgivere-0-stillingsprosent"' in page
    assert 'id="f-arbeidsgivere-0-stillingsprosent-feil"' in page
    assert 'aria-describedby="f-arbeidsgivere-0-stillingsprosent-feil"' in page
    assert "oppgi dager eller timer" in page
    assert 'href="#f-sted">Sted: mangler: skriv sted, f.eks. «Oslo»' in page
    # The values come back, so nothing typed is lost.
    assert 'value="Kari Nordmann"' in page
    assert "Deltaker har gjennomført arbeidspraksis i butikk" in page
    assert (antall(deps, Dokument), antall(deps, Versjon)) == (0, 0)
    assert antall(deps, Revisjon) == before


def test_add_row_button_adds_a_row_and_saves_nothing(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The "Legg til rad" submit button shows one more row, keeps the values, saves nothing."""
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    form["_add_row"] = "fravaer"
    r = client.post("/dokumenter/ny/statusrapport", data=form)
    assert r.status_code == 200
    assert 'id="f-fravaer-2-arsak"' in r.text
    assert 'id="f-fravaer-3-arsak"' not in r.text
    assert 'value="Legetime"' in r.text
    assert antall(deps, Dokument) == 0


def test_form_post_becomes_the_contract_document(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The generated form posts exactly the contract's data (decimal comma accepted)."""
    logg_inn(client, bruker("veileder"))
    data = kontrakt("statusrapport")
    form = som_skjema(data)
    form["oppfolgingstimer_per_maned.0.timer"] = "14,25"
    form.add("_rows.fravaer", "4")  # empty rows are dropped
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    r = client.post("/dokumenter/ny/statusrapport", data=form)
    assert r.status_code == 302, r.text
    with deps.sessions() as s:
        versjon = s.scalars(select(Versjon)).one()
        stored = versjon.data
    expected = parse_dokument(data, tillat_syntetiske=True).model_dump(mode="json")
    assert stored == expected
    assert r.location.endswith(f"/dokumenter/{versjon.dokument_id}")


def test_every_type_has_a_form_that_round_trips_its_example(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """Each type's form shows every field of its example and posts it back unchanged."""
    logg_inn(client, bruker("veileder"))
    for type_navn in UTENOM_STATUSRAPPORT:
        data = kontrakt(type_navn)
        page = client.get(f"/dokumenter/ny/{type_navn}")
        assert page.status_code == 200
        assert "<label" in page.text
        assert 'value="998877660"' in page.text  # the organisation, suggested as arrangør
        form = som_skjema(data)
        form["csrf_token"] = token(client, f"/dokumenter/ny/{type_navn}")
        r = client.post(f"/dokumenter/ny/{type_navn}", data=form)
        assert r.status_code == 302, (type_navn, r.text[:2000])
    with deps.sessions() as s:
        types = sorted(s.scalars(select(Dokument.type)))
    assert types == UTENOM_STATUSRAPPORT


def test_document_is_previewed_approved_on_behalf_and_downloaded(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """Preview → approval error shown at the field → approval → sealed PDF, audited."""
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    url = client.post("/dokumenter/ny/statusrapport", data=form).location
    assert deps.jobs.wait_idle(timeout=120)
    page = client.get(url).text
    assert "Utkast" in page
    assert "Last ned forhåndsvisning (PDF, ikke godkjent)" in page
    godkjenn = {"csrf_token": token(client, url), "part": "arrangor", "paa_vegne_av": "Åse"}
    r = client.post(f"{url}/godkjenn", data=godkjenn)
    assert r.status_code == 422
    assert "oppgi hvorfor du godkjenner på vegne av" in r.text
    assert 'aria-invalid="true"' in r.text
    godkjenn["begrunnelse"] = "Åse Ødegård er på ferie; godkjent etter avtale."
    assert client.post(f"{url}/godkjenn", data=godkjenn).status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    page = client.get(url).text
    assert "Godkjent" in page
    assert "Åse Ødegård er på ferie" in page
    pdf = client.get(f"{url}/pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == (
        'attachment; filename="statusrapport-KN-2026-06-02_2026-09-01-v1.pdf"'
    )
    assert client.get(f"{url}/docx").data[:2] == b"PK"
    with deps.sessions() as s:
        handlinger = set(s.scalars(select(Revisjon.handling)))
    assert {"opprett", "godkjenn", "last_ned_pdf", "last_ned_docx", "logg_inn"} <= handlinger


def test_roles_without_the_right_get_403(
    client: FlaskClient, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """A leser cannot create or approve; a veileder cannot open the admin pages."""
    logg_inn(client, bruker("leser"))
    assert client.get("/dokumenter").status_code == 200
    assert client.get("/dokumenter/ny").status_code == 403
    assert client.get("/dokumenter/ny/statusrapport").status_code == 403
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"] = token(client, "/dokumenter")
    r = client.post("/dokumenter/ny/statusrapport", data=form)
    assert r.status_code == 403
    assert "Ingen tilgang" in r.text
    assert client.get("/admin/brukere").status_code == 403
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, bruker("veileder"))
    for url in ("/admin/brukere", "/admin/maler", "/admin/revisjonslogg", "/admin/innstillinger"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/revisjonslogg.csv").status_code == 403


def test_another_organisations_document_is_404(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """A record of another organisation answers 404 on every page, as if it did not exist."""
    andre = Aktor(annen_org.id, "Annen Veileder", "veileder")
    data = som_arrangor(kontrakt("statusrapport"), annen_org)
    rad = dokumenter_service.opprett(deps, andre, parse_dokument(data, tillat_syntetiske=True))
    deps.jobs.wait_idle(timeout=120)
    logg_inn(client, bruker("veileder"))
    for suffix in ("", "/pdf", "/docx", "/endre", "/status"):
        r = client.get(f"/dokumenter/{rad.id}{suffix}")
        assert r.status_code == 404, suffix
    r = client.post(
        f"/dokumenter/{rad.id}/godkjenn",
        data={"csrf_token": token(client, "/dokumenter"), "part": "arrangor"},
    )
    assert r.status_code == 404
    assert "Finnes ikke" in r.text
    assert "Kari Nordmann" not in client.get("/dokumenter").text


def _mal_opplasting(client: FlaskClient, data: bytes, filnavn: str) -> Any:
    form = {
        "csrf_token": token(client, "/admin/maler"),
        "type": "statusrapport",
        "fil": (io.BytesIO(data), filnavn),
    }
    return client.post("/admin/maler", data=form, content_type="multipart/form-data")


def _med_del(navn: str) -> bytes:
    """Return the shipped statusrapport template with one more zip member called ``navn``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(MALER / "statusrapport.docx") as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(zipfile.ZipInfo(navn), b"x")
    return out.getvalue()


def test_template_upload_refuses_unsafe_files_with_reasons_and_stores_nothing(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Not a DOCX, a zip bomb, a sandbox escape and an unsafe member name (in a template that
    otherwise fits) are refused with their reasons."""
    logg_inn(client, bruker("admin"))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    cases = [
        (b"%PDF-1.7 ikke docx", "filen er ikke en DOCX (ikke en zip-fil)"),
        (bomb.getvalue(), "DOCX-filen pakker seg ut til mistenkelig mye (zip-bombe?)"),
        (_docx("{{ ''.__class__.__mro__ }}"), "malen prøver å nå noe sandkassen ikke tillater"),
        (_docx("{{ deltaker.skonummer }}"), "malen bruker feltet «deltaker.skonummer»"),
        (_med_del("../../../tmp/dokgen.txt"), "DOCX-filen har en del med utrygt navn"),
        (_med_del("/etc/cron.d/dokgen"), "DOCX-filen har en del med utrygt navn"),
        (_med_del("..\\..\\dokgen.txt"), "DOCX-filen har en del med utrygt navn"),
    ]
    for data, reason in cases:
        r = _mal_opplasting(client, data, "mal.docx")
        assert r.status_code == 422
        assert "Malen ble avvist" in r.text
        assert reason in r.text
    assert antall(deps, Malversjon) == 0


def test_template_upload_stores_numbered_versions_under_a_safe_name(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """A fitting template is stored per org and type, numbered, its name stripped of paths."""
    logg_inn(client, bruker("admin"))
    data = (MALER / "statusrapport.docx").read_bytes()
    assert _mal_opplasting(client, data, "../../etc/statusrapport.docx").status_code == 302
    assert _mal_opplasting(client, data, "statusrapport.docx").status_code == 302
    with deps.sessions() as s:
        rader = s.scalars(select(Malversjon).order_by(Malversjon.nummer)).all()
        assert [(m.nummer, m.filnavn) for m in rader] == [
            (1, "etc_statusrapport.docx"),
            (2, "statusrapport.docx"),
        ]
        assert rader[0].sha256 in deps.store
    assert "versjon 2 av statusrapport" in client.get("/admin/maler").text


def test_admin_creates_changes_and_deactivates_users(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], make_app: Any
) -> None:
    """A user made on the page can log in; a deactivated one cannot; errors are shown."""
    logg_inn(client, bruker("admin"))
    form = {
        "csrf_token": token(client, "/admin/brukere"),
        "brukernavn": "ny.leser",
        "navn": "Ny Leser",
        "rolle": "leser",
        "passord": "kort",
    }
    r = client.post("/admin/brukere", data=form)
    assert r.status_code == 422
    assert "må ha minst 12 tegn" in r.text
    assert 'value="ny.leser"' in r.text
    form["passord"] = "et-langt-nok-passord"
    assert client.post("/admin/brukere", data=form).status_code == 302
    with deps.sessions() as s:
        ny = s.scalars(select(Bruker).where(Bruker.brukernavn == "ny.leser")).one()
    r = client.post(
        f"/admin/brukere/{ny.id}/rolle",
        data={"csrf_token": token(client, "/admin/brukere"), "rolle": "veileder"},
    )
    assert r.status_code == 302
    other = client.application.test_client()
    assert logg_inn(other, "ny.leser", "et-langt-nok-passord").status_code == 302
    assert other.get("/dokumenter/ny").status_code == 200  # now a veileder
    client.post(
        f"/admin/brukere/{ny.id}/deaktiver", data={"csrf_token": token(client, "/admin/brukere")}
    )
    assert other.get("/dokumenter").status_code == 302  # the session ends at once
    assert logg_inn(other, "ny.leser", "et-langt-nok-passord").status_code == 401


def test_admin_edits_org_settings_with_checked_numbers(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """A wrong kontonummer is refused at its field; a right one is stored, other keys kept."""
    logg_inn(client, bruker("admin"))
    form = {
        "csrf_token": token(client, "/admin/innstillinger"),
        "selger.kontonummer": "1503.12.34561",
        "transport": "katalog",
        "aksesspunkt_url": "",
    }
    r = client.post("/admin/innstillinger", data=form)
    assert r.status_code == 422
    assert "kontonummeret har feil kontrollsiffer" in r.text
    form["selger.kontonummer"] = "1503.12.34562"
    assert client.post("/admin/innstillinger", data=form).status_code == 302
    with deps.sessions() as s:
        stored = s.get(Organisasjon, org.id)
        assert stored is not None
        assert stored.innstillinger["selger"]["kontonummer"] == "15031234562"
        assert stored.innstillinger["regelsett"] == "jmo-oslo-2020"


def test_audit_log_page_and_csv_export_contain_the_lines(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """The admin sees the audit lines and exports them as semicolon CSV."""
    logg_inn(client, bruker("admin"))
    page = client.get("/admin/revisjonslogg")
    assert page.status_code == 200
    assert "logg_inn" in page.text
    r = client.get("/admin/revisjonslogg.csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    lines = r.text.splitlines()
    assert lines[0] == "tidspunkt;aktor;handling;objekt_type;objekt_id;fra;foresporsel;detalj"
    assert any(";Test Admin (admin);logg_inn;bruker;" in line for line in lines)
    assert any(";Test Admin (admin);les;revisjonslogg;" in line for line in lines)
    client.get("/admin/brukere")
    assert ";Test Admin (admin);les;brukere;" in client.get("/admin/revisjonslogg.csv").text


def test_upload_of_contract_xml_or_json_creates_a_document(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """A contract JSON file becomes a document; an unreadable file is a 400 page."""
    import json

    logg_inn(client, bruker("veileder"))
    body = json.dumps(kontrakt("evalueringsrapport")).encode()
    form = {"csrf_token": token(client, "/dokumenter/ny"), "fil": (io.BytesIO(body), "e.json")}
    r = client.post("/dokumenter/last-opp", data=form, content_type="multipart/form-data")
    assert r.status_code == 302
    form = {"csrf_token": token(client, "/dokumenter/ny"), "fil": (io.BytesIO(b"{nei"), "e.json")}
    r = client.post("/dokumenter/last-opp", data=form, content_type="multipart/form-data")
    assert r.status_code == 400
    assert antall(deps, Dokument) == 1


def test_new_version_is_prefilled_and_clears_the_approvals(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The new-version form shows the stored data; saving makes version 2, no approvals."""
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    url = client.post("/dokumenter/ny/statusrapport", data=form).location
    assert deps.jobs.wait_idle(timeout=120)
    page = client.get(f"{url}/endre")
    assert page.status_code == 200
    assert 'value="Kari Nordmann"' in page.text
    assert 'value="14,25"' in page.text  # decimal comma
    assert 'id="f-fravaer-2-arsak"' in page.text  # one empty row after the two stored
    form = som_skjema(kontrakt("statusrapport"))
    form["sted"] = "Bergen"
    form["csrf_token"] = token(client, f"{url}/endre")
    r = client.post(f"{url}/endre", data=form)
    assert r.status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    page = client.get(url).text
    assert "<dt>Versjon</dt><dd>2</dd>" in page
    assert "Tidligere versjoner" in page
    with deps.sessions() as s:
        versjoner = s.scalars(select(Versjon).order_by(Versjon.nummer)).all()
        assert [(v.nummer, v.status, v.data["sted"]) for v in versjoner] == [
            (1, "erstattet", "Oslo"),
            (2, "utkast", "Bergen"),
        ]


def test_agreement_offers_each_party_until_all_have_approved(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """An arbeidspraksisavtale lists its parties; an approved one is no longer offered."""
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("arbeidspraksisavtale"))
    form["csrf_token"] = token(client, "/dokumenter/ny/arbeidspraksisavtale")
    url = client.post("/dokumenter/ny/arbeidspraksisavtale", data=form).location
    assert deps.jobs.wait_idle(timeout=120)
    page = client.get(url).text
    for part in ("Arbeidsgiver", "Deltaker", "Tiltaksarrangør"):
        assert f">{part}</option>" in page
    godkjenn = {
        "csrf_token": token(client, url),
        "part": "deltaker",
        "paa_vegne_av": "Kari Nordmann",
        "begrunnelse": "Signert på papir 2026-09-05.",
    }
    assert client.post(f"{url}/godkjenn", data=godkjenn).status_code == 302
    page = client.get(url).text
    assert "Delvis godkjent" in page
    assert ">Deltaker</option>" not in page
    assert ">Arbeidsgiver</option>" in page
    assert "Signert på papir 2026-09-05." in page


def _lag(deps: Deps, org: Organisasjon, kontrakt: Any, type_navn: str = "statusrapport") -> str:
    veileder = Aktor(org.id, "Test Veileder", "veileder")
    dok = parse_dokument(kontrakt(type_navn), tillat_syntetiske=True)
    rad = dokumenter_service.opprett(deps, veileder, dok)
    assert deps.jobs.wait_idle(timeout=120)
    return f"/dokumenter/{rad.id}"


def test_failed_version_shows_the_reason_and_can_be_retried(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon, kontrakt: Any
) -> None:
    """A failed preview shows its reason and a "Prøv igjen" button that queues it again."""
    url = _lag(deps, org, kontrakt)
    with deps.sessions.begin() as s:
        versjon = s.scalars(select(Versjon)).one()
        versjon.status, versjon.feil = "feilet", "PDF-konverteringen feilet. Prøv igjen."
    logg_inn(client, bruker("veileder"))
    page = client.get(url).text
    assert "PDF-konverteringen feilet. Prøv igjen." in page
    assert ">Prøv igjen</button>" in page
    r = client.post(f"{url}/prov-igjen", data={"csrf_token": token(client, url)})
    assert r.status_code == 302
    assert "Dokumentet behandles på nytt." in client.get(url).text
    assert deps.jobs.wait_idle(timeout=120)
    assert '<span class="status status--utkast" id="status">Utkast</span>' in client.get(url).text


def test_leser_sees_and_downloads_but_cannot_change(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon, kontrakt: Any
) -> None:
    """The leser finds documents by search, downloads them (audited), and gets no forms."""
    url = _lag(deps, org, kontrakt)
    _lag(deps, org, kontrakt, "evalueringsrapport")
    logg_inn(client, bruker("leser"))
    liste = client.get("/dokumenter?type=statusrapport&deltaker=kari&fra=2026-08-01").text
    assert liste.count('href="/dokumenter/') == 1
    assert "02.06.2026 – 01.09.2026" in liste
    assert "Nytt dokument" not in liste
    assert client.get("/dokumenter?deltaker=ola").text.count('href="/dokumenter/') == 0
    page = client.get(url).text
    assert "Godkjenn versjon" not in page
    assert "Lag ny versjon" not in page
    assert client.get(f"{url}/pdf").data.startswith(b"%PDF")
    with deps.sessions() as s:
        linjer = s.execute(select(Revisjon.aktor, Revisjon.handling)).all()
    assert ("Test Leser (leser)", "last_ned_pdf") in linjer
    assert ("Test Leser (leser)", "les") in linjer


def test_a_stalled_or_unsealed_document_offers_a_retry_on_its_page(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """A version whose job died (its lease ran out) says so in words and offers «Prøv igjen»;
    one every party approved but nobody sealed offers «Forsegl nå», which seals it."""
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("statusrapport"))
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    url = client.post("/dokumenter/ny/statusrapport", data=form).location
    assert deps.jobs.wait_idle(timeout=120)
    dokument_id = url.rsplit("/", 1)[1]

    def sett(**values: Any) -> None:
        with deps.sessions.begin() as s:
            s.execute(update(Versjon).where(Versjon.dokument_id == dokument_id).values(**values))

    def prov_igjen() -> str:
        r = client.post(f"{url}/prov-igjen", data={"csrf_token": token(client, url)})
        assert r.status_code == 302
        assert deps.jobs.wait_idle(timeout=120)
        return client.get(url).text

    sett(status="behandles", jobb_frist=now() - timedelta(seconds=1), jobb_forsok=1)
    page = client.get(url).text
    assert "Behandlingen stoppet opp" in page
    page = prov_igjen()
    assert "Utkast" in page
    assert "Behandlingen stoppet opp" not in page

    godkjenn = {"csrf_token": token(client, url), "part": "arrangor"}
    assert client.post(f"{url}/godkjenn", data=godkjenn).status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    sett(status="utkast", pdf_sha256=None)  # approved by all, the seal never started
    page = client.get(url).text
    assert "Godkjent av alle, men ikke forseglet" in page
    assert ">Forsegl nå</button>" in page
    page = prov_igjen()
    assert "Last ned forseglet PDF" in page
    assert "Godkjent av alle" not in page
