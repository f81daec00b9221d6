"""A samarbeidsavtale through the pages: written in the form, approved by the bedrift and then
on NAV lokal's behalf, sealed with both approvals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.web.sider_hjelp import logg_inn, som_skjema, token


@pytest.mark.integration
def test_a_samarbeidsavtale_is_final_when_the_bedrift_and_nav_lokal_have_approved(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The bedrift's approval alone leaves it partly approved; NAV lokal's, registered on its
    behalf with a name and a reason, seals it, and the PDF names both."""
    require_command("soffice", "pdftotext", "pdfsig")
    logg_inn(client, bruker("veileder"))
    form = som_skjema(kontrakt("samarbeidsavtale"))
    form["csrf_token"] = token(client, "/dokumenter/ny/samarbeidsavtale")
    url = client.post("/dokumenter/ny/samarbeidsavtale", data=form).location
    assert deps.jobs.wait_idle(timeout=120)
    egen = {"csrf_token": token(client, url), "part": "arrangor"}
    assert client.post(f"{url}/godkjenn", data=egen).status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    page = client.get(url).text
    assert "Delvis godkjent" in page
    assert "NAV lokal" in page
    nav = {
        "csrf_token": token(client, url),
        "part": "nav_lokal",
        "navn": "Ola Hansen",
        "begrunnelse": "Signert på papir i møtet 15.01.2026.",
    }
    assert client.post(f"{url}/godkjenn", data=nav).status_code == 302
    assert deps.jobs.wait_idle(timeout=120)
    assert "Delvis godkjent" not in client.get(url).text
    pdf = client.get(f"{url}/pdf")
    assert pdf.status_code == 200
    assert pdfinfo.pdfsig_report(pdf.data)[0]["valid"] is True
    text = " ".join(pdfinfo.text(pdf.data, layout=False).split())
    assert "(Tiltaksarrangør)" in text
    assert "Ola Hansen (NAV lokal)" in text
    assert "1.5 Ventelister, frister, inntakskritererier mv." in text
