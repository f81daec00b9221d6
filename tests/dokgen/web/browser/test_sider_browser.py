"""The pages in a real browser: login per role, a statusrapport filled, approved and sealed
through the form with the keyboard, the signature checked with pdfsig, and axe-core
(WCAG 2.1 A/AA) on every page with zero violations."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.documents.models import DOKUMENTTYPER
from dokgen.services import brukere
from dokgen.services import innloggingssperre as sperre
from dokgen.storage.db import Organisasjon, now
from ehf.sbdh import unwrap
from tests.conftest import KONTRAKT, PEPPOL, require_command
from tests.dokgen.conftest import ORGNR, PASSORD, org_innstillinger
from tests.dokgen.web.sider_hjelp import som_skjema

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def _brukere(app: Flask) -> dict[str, str]:
    """Add the organisation and one user per role; return role → user name."""
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions.begin() as s:
        org: Organisasjon = brukere.opprett_org(s, ORGNR, "Eksempel AS", org_innstillinger())
        for rolle in ("veileder", "leser", "admin", "regnskap"):
            brukere.opprett_bruker(s, org, f"b.{rolle}", f"Test {rolle.title()}", rolle, PASSORD)
    return {r: f"b.{r}" for r in ("veileder", "leser", "admin", "regnskap")}


def _logg_inn(page: Any, brukernavn: str, passord: str = PASSORD, til: Any = None) -> None:
    """Log in with the keyboard only: type, Tab, type, Enter; wait for the page ``til``
    matches (the document list unless given)."""
    page.goto("/logg-inn")
    page.get_by_label("Brukernavn").focus()
    page.keyboard.type(brukernavn)
    page.keyboard.press("Tab")
    page.keyboard.type(passord)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dokumenter") if til is None else til)


def _logg_ut(page: Any) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(re.compile(r"/logg-inn"))


def _ren(page: Any, axe: Axe) -> None:
    """Assert axe finds no WCAG 2.1 A/AA violation and the CSP blocked nothing."""
    assert axe(page) == [], page.url
    assert page.csp_brudd == [], page.url


def test_every_role_logs_in_and_sees_only_its_menu(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """Each role's menu has its own entries; every page it reaches passes axe."""
    navn = _brukere(live[1])
    page.goto("/logg-inn")
    _ren(page, axe)
    # The scanner itself works: an unlabelled input on a page without a language is caught.
    page.set_content("<title>x</title><main><input type=text></main>")
    assert {v["id"] for v in axe(page)} >= {"html-has-lang", "label"}
    page.goto("/logg-inn")
    page.get_by_label("Brukernavn").fill("finnes-ikke")
    page.get_by_label("Passord").fill("feil-passord-123")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").inner_text().endswith("Feil brukernavn eller passord.")
    _ren(page, axe)
    menyer = {
        "veileder": ["Dokumenter", "Nytt dokument", "Deltakere", "Praksisplasser", "Timer"],
        "leser": ["Dokumenter", "Deltakere", "Praksisplasser", "Frister", "Krav til NAV"],
        "admin": [
            "Dokumenter",
            "Deltakere",
            "Praksisplasser",
            "Timer",
            "Frister",
            "Månedsavslutning",
            "Fakturaer",
            "Krav til NAV",
            "Gjennomføringer",
            "Brukere",
            "API-tokener",
            "Maler",
            "Revisjonslogg",
            "Innstillinger",
            "Sertifikat",
        ],
    }
    for rolle, meny in menyer.items():
        _logg_inn(page, navn[rolle])
        lenker = page.get_by_role("navigation", name="Hovedmeny").get_by_role("link")
        assert lenker.all_inner_texts() == meny
        _ren(page, axe)
        for lenke in meny[1:]:
            page.get_by_role("navigation").get_by_role("link", name=lenke, exact=True).click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text()
            _ren(page, axe)
        _logg_ut(page)
    _logg_inn(page, navn["leser"])
    page.goto("/dokumenter/ny")
    assert page.locator("h1").inner_text() == "Ingen tilgang"
    _ren(page, axe)
    page.goto("/dokumenter/00000000-0000-0000-0000-000000000000")
    assert page.locator("h1").inner_text() == "Finnes ikke"
    _ren(page, axe)


def _fyll(page: Any, data: dict[str, Any]) -> None:
    """Fill the generated form with contract data, adding rows with "Legg til rad"."""
    rader = {k.removeprefix("_rows."): int(v) for k, v in som_skjema(data).items() if
             k.startswith("_rows.")}  # fmt: skip
    for liste, antall in rader.items():
        while page.locator(f'[name="_rows.{liste}"]').input_value() != str(max(antall, 1)):
            if int(page.locator(f'[name="_rows.{liste}"]').input_value()) > antall:
                break
            page.locator(f'button[name="_add_row"][value="{liste}"]').click()
            page.wait_for_load_state()
    for name, value in som_skjema(data).items(multi=True):
        if name.startswith("_rows."):
            continue
        felt = page.locator(f'[name="{name}"]')
        tag = felt.first.evaluate("e => e.tagName + ':' + (e.type || '')")
        if tag.startswith("SELECT"):
            felt.select_option(value)
        elif tag.endswith(":checkbox"):
            page.locator(f'[name="{name}"][value="{value}"]').check()
        else:
            felt.fill(value)


def test_veileder_fills_approves_and_downloads_a_sealed_statusrapport(
    page: Any, live: tuple[str, Flask], axe: Axe, kontrakt: Any, tmp_path: Path
) -> None:
    """Form → errors shown → fixed → preview → approval by keyboard → sealed PDF (pdfsig)."""
    require_command("pdfsig")
    navn = _brukere(live[1])
    _logg_inn(page, navn["veileder"])
    page.get_by_role("link", name="Nytt dokument").first.click()
    _ren(page, axe)
    page.get_by_role("link", name="Statusrapport").click()
    page.wait_for_url(re.compile(r"/dokumenter/ny/statusrapport$"))
    _ren(page, axe)

    # An empty post: the summary lists every error and links to the field.
    page.get_by_role("button", name="Lagre og lag forhåndsvisning").click()
    oppsummering = page.get_by_role("alert")
    assert "Skjemaet har" in oppsummering.inner_text()
    assert page.evaluate("document.activeElement.className") == "feiloppsummering"
    _ren(page, axe)
    # (Sted and dato are prefilled: the organisation's poststed and today.)
    oppsummering.get_by_role("link", name=re.compile(r"^Deltaker › Navn: mangler")).click()
    assert page.evaluate("document.activeElement.id") == "f-deltaker-navn"

    data = kontrakt("statusrapport")
    _fyll(page, data)
    _ren(page, axe)
    page.locator("#f-sted").focus()
    page.keyboard.press("Enter")  # Enter in a field saves (the form's default button)
    page.wait_for_url(re.compile(r"/dokumenter/[0-9a-f-]{36}$"))
    assert page.get_by_role("status").first.inner_text().startswith("Dokumentet er lagret")
    _ren(page, axe)

    # The page polls the status and reloads when the preview is ready.
    page.get_by_role("heading", name="Registrer godkjenning").wait_for(timeout=120_000)
    assert page.locator("#status").inner_text() == "Utkast"
    _ren(page, axe)
    parter = page.get_by_label("Part som godkjenner")
    assert parter.input_value() == ""  # no party is chosen for the person
    parter.select_option(label="Tiltaksarrangør")
    page.get_by_label("Navn på den som godkjenner").focus()
    page.keyboard.type("Åse Ødegård")
    godkjenn = page.get_by_role("button", name="Godkjenn versjon 1")
    godkjenn.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.locator("#status", has_text="Godkjent").wait_for(timeout=120_000)
    rad = page.get_by_role("listitem").filter(has_text="Åse Ødegård")
    assert "Godkjent av Åse Ødegård (Tiltaksarrangør) som innlogget bruker" in rad.inner_text()
    _ren(page, axe)

    with page.expect_download() as nedlasting:
        page.get_by_role("link", name="Last ned forseglet PDF").click()
    pdf = tmp_path / nedlasting.value.suggested_filename
    nedlasting.value.save_as(pdf)
    assert pdf.name == "statusrapport-KN-2026-06-02_2026-09-01-v1.pdf"
    report = subprocess.run(
        ["pdfsig", str(pdf)], capture_output=True, text=True, check=False, timeout=60
    ).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report

    page.get_by_role("link", name="Tilbake til dokumentene").click()
    assert page.get_by_role("link", name="Statusrapport").count() == 1
    _ren(page, axe)


def test_admin_pages_with_errors_pass_axe(
    page: Any, live: tuple[str, Flask], axe: Axe, tmp_path: Path
) -> None:
    """The admin's forms in their error states, a locked user, the refused template and the
    log pass axe."""
    navn = _brukere(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    for _ in range(sperre.MAKS_FEIL):  # the leser has mistyped the password five times
        sperre.registrer_feil(deps.sessions, navn["leser"], now(), fra=None, foresporsel=None)
    _logg_inn(page, navn["admin"])
    page.goto("/admin/brukere")
    rad = page.get_by_role("row", name=re.compile(navn["leser"]))
    assert "innlogging med passord sperret til" in rad.inner_text()
    _ren(page, axe)
    page.get_by_role("button", name=f"Opphev sperren for {navn['leser']}").click()
    assert "Sperren er opphevet." in page.locator("body").inner_text()
    assert "sperret til" not in page.get_by_role("table").inner_text()
    _ren(page, axe)
    page.get_by_label("Brukernavn").fill("ny.bruker")
    page.get_by_label("Fullt navn").fill("Ny Bruker")
    page.get_by_label("Passord").fill("kort")
    page.get_by_role("button", name="Opprett bruker").click()
    assert "må ha minst 12 tegn" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Passord").fill("et-langt-nok-passord")
    page.get_by_role("button", name="Opprett bruker").click()
    assert page.get_by_role("row", name=re.compile("ny.bruker")).count() == 1
    _ren(page, axe)
    page.get_by_role("link", name=f"Endre e-post og telefon for {navn['leser']}").click()
    page.get_by_label("Telefon").fill("12")
    page.get_by_role("button", name="Lagre").click()
    assert "må være et telefonnummer med 8 siffer" in page.get_by_role("alert").inner_text()
    _ren(page, axe)

    page.goto("/admin/maler")
    ikke_docx = tmp_path / "mal.docx"
    ikke_docx.write_bytes(b"%PDF-1.7 ikke docx")
    page.get_by_label("DOCX-fil").set_input_files(str(ikke_docx))
    page.get_by_role("button", name="Last opp og kontroller").click()
    assert "filen er ikke en DOCX" in page.get_by_role("alert").inner_text()
    _ren(page, axe)

    page.goto("/admin/innstillinger")
    page.get_by_label("Kontonummer").fill("1234")
    page.get_by_role("button", name="Lagre innstillinger").click()
    assert "kontonummer må være 11 siffer" in page.get_by_role("alert").inner_text()
    _ren(page, axe)

    page.goto("/admin/sertifikat")
    ikke_p12 = tmp_path / "segl.p12"
    ikke_p12.write_bytes(b"ikke et sertifikat")
    page.get_by_label("Sertifikatfil (.p12 eller .pfx)").set_input_files(str(ikke_p12))
    page.get_by_label("Passord").fill("feil")
    page.get_by_role("button", name="Last opp og kontroller").click()
    assert "kan ikke åpnes" in page.get_by_role("alert").inner_text()
    _ren(page, axe)

    page.goto("/admin/revisjonslogg")
    assert page.get_by_role("cell", name="opprett_bruker").count() == 1
    _ren(page, axe)
    with page.expect_download() as nedlasting:
        page.get_by_role("link", name="Last ned som CSV").click()
    assert nedlasting.value.suggested_filename == "revisjonslogg.csv"


def test_admin_makes_and_revokes_an_api_token_with_the_keyboard(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """The token page passes axe with errors, with the new token shown once, on the
    confirmation page and after revoking; every step is done with the keyboard."""
    navn = _brukere(live[1])
    _logg_inn(page, navn["admin"])
    page.goto("/admin/tokener")
    page.get_by_role("button", name="Lag token").focus()
    page.keyboard.press("Enter")
    assert "Navn: kan ikke være tom" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Navn").focus()
    page.keyboard.type("Fagsystem")
    page.keyboard.press("Tab")
    page.get_by_label("Rolle").select_option("leser")
    page.get_by_role("button", name="Lag token").focus()
    page.keyboard.press("Enter")
    nytt = page.get_by_label("Token for «Fagsystem» (Leser)").input_value()
    assert nytt.startswith("dg_")
    assert "Det vises ikke igjen" in page.get_by_role("status").inner_text()
    _ren(page, axe)
    page.get_by_role("link", name="Trekk tilbake tokenet «Fagsystem»").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Trekk tilbake tokenet «Fagsystem»").wait_for()
    _ren(page, axe)
    page.get_by_role("button", name="Trekk tilbake tokenet").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/tokener$"))
    assert page.get_by_role("row", name=re.compile("Fagsystem.*Tilbakekalt")).count() == 1
    assert nytt not in page.content()
    _ren(page, axe)


def test_regnskap_uploads_the_timeliste_and_sends_the_invoice(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """Contract timeliste → preview → invoice → validated → put in the outbox (said so)."""
    navn = _brukere(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    page.goto("/logg-inn")
    page.get_by_label("Brukernavn").fill(navn["regnskap"])
    page.get_by_label("Passord").fill(PASSORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"/fakturaer$"))
    _ren(page, axe)
    page.get_by_role("link", name="Ny faktura").click()
    _ren(page, axe)
    page.get_by_label("Timeliste (CSV) eller fakturagrunnlag (JSON)").set_input_files(
        str(KONTRAKT / "timeliste.csv")
    )
    page.get_by_label("Periode fra").fill("2026-10-01")
    page.get_by_label("Periode til").fill("2026-10-31")
    page.get_by_role("button", name="Forhåndsvis").click()
    page.get_by_role("heading", name="Forhåndsvisning av faktura").wait_for()
    assert page.get_by_role("row", name=re.compile("Kari Nordmann")).count() == 1
    assert page.locator(".forklaringer li").count() >= 1
    page.locator("summary", has_text="Aktiviteter for D-0017").click()  # open the details
    _ren(page, axe)
    page.get_by_role("button", name="Lag faktura").click()
    page.locator("#status", has_text="Validert").wait_for(timeout=180_000)
    assert re.fullmatch(r"Faktura \d{4}-\d{4}", page.locator("h1").inner_text())
    _ren(page, axe)
    page.get_by_role("button", name="Legg i utboksen").click()  # the test org uses the outbox
    page.locator("#status", has_text="Lagt i utboks – ikke sendt").wait_for(timeout=180_000)
    _ren(page, axe)
    utboks = [p for p in deps.settings.utboks_dir.rglob("*") if p.is_file()]
    assert len(utboks) == 1
    assert b"ABC1234" in utboks[0].read_bytes()
    with page.expect_download() as nedlasting:
        page.get_by_role("link", name="Last ned EHF (XML)").click()
    assert nedlasting.value.suggested_filename.endswith(".xml")
    # The answer form refusing a file, then the access point's MLS for this transmission.
    page.get_by_label("Svarfil (XML)").set_input_files(_svarfil(b"ikke xml"))
    page.get_by_role("button", name="Registrer svaret").click()
    page.locator(".feiloppsummering", has_text="XML er ikke velformet").wait_for()
    _ren(page, axe)
    instans = unwrap(utboks[0].read_bytes())[0]["instance_id"].encode()
    mls = (PEPPOL / "mls-1.0.1/example/MessageLevelStatus_Example_AB.xml").read_bytes()
    mls = mls.replace(b"90f14eff-3705-4869-ad3c-caae270a234e", instans)
    page.get_by_label("Svarfil (XML)").set_input_files(_svarfil(mls))
    page.get_by_role("button", name="Registrer svaret").click()
    page.get_by_role("cell", name="Meldingsstatus (MLS)").wait_for()
    _ren(page, axe)


def _svarfil(data: bytes) -> dict[str, Any]:
    return {"name": "svar.xml", "mimeType": "application/xml", "buffer": data}


def test_every_form_passes_axe_empty_and_with_errors(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """Each type's generated form (checkbox groups, yes/no, row lists) passes axe both ways."""
    navn = _brukere(live[1])
    _logg_inn(page, navn["veileder"])
    for type_navn in sorted(t for t in DOKUMENTTYPER if t != "statusrapport"):
        page.goto(f"/dokumenter/ny/{type_navn}")
        _ren(page, axe)
        page.get_by_role("button", name="Lagre og lag forhåndsvisning").click()
        assert "Skjemaet har" in page.get_by_role("alert").inner_text()
        _ren(page, axe)
    page.goto("/dokumenter/ny")
    page.get_by_label("JSON- eller XML-fil").set_input_files(
        files=[{"name": "d.json", "mimeType": "application/json", "buffer": b'{"type": "x"}'}]
    )
    page.get_by_role("button", name="Last opp").click()
    assert page.locator("h1").inner_text() == "Ukjent dokumenttype"
    _ren(page, axe)
