"""Templates that would run for ever: refused at upload within the time limit, or, when the
check cannot see them, the document's job fails with the reason and frees its worker while
other organisations' documents keep flowing. Real app, real job pool (threads), LibreOffice."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.storage.db import Malversjon, Organisasjon, Versjon
from tests.conftest import wait_for
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

MALER = Path(__file__).resolve().parents[3] / "maler"
TIME_LIMIT = 2.0
# Only the clock stops it: 100,000 rounds of one C call each (~1 ms), small output.
C_LOOP = "{% for a in range(10**5) %}{{ range(10**5)|sum }}{% endfor %}"
TYV = "Tor Tidstyv"


def _statusrapport_with(*paragraphs: str) -> bytes:
    """Return the real statusrapport template with paragraphs added at its end."""
    document = docx.Document(str(MALER / "statusrapport.docx"))
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client: FlaskClient, data: bytes) -> Any:
    form = {
        "csrf_token": token(client, "/admin/maler"),
        "type": "statusrapport",
        "fil": (io.BytesIO(data), "statusrapport.docx"),
    }
    return client.post("/admin/maler", data=form, content_type="multipart/form-data")


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app with a short template time limit (two workers, threads)."""
    return make_app(mal_tidsgrense=TIME_LIMIT)


def test_a_template_bomb_is_refused_at_upload_within_the_time_limit(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The check runs the template: nested loops stop at the round limit, a loop the
    counters cannot see is killed at DOKGEN_MAL_TIDSGRENSE; 422 with the reason, nothing
    stored, and the web process answers the next upload."""
    logg_inn(client, bruker("admin"))
    assert _upload(client, _statusrapport_with("{{ deltaker.navn }}")).status_code == 302
    cases = [
        (
            "{% for a in range(10**5) %}{% for b in range(10**5) %}x{% endfor %}{% endfor %}",
            "malen gikk mer enn 1 000 000 runder i løkker og kall og ble stoppet",
        ),
        (
            "{% for a in 'x' * 10**5 %}{% for b in 'y' * 10**5 %}{% endfor %}{% endfor %}",
            "malen gikk mer enn 1 000 000 runder i løkker og kall og ble stoppet",
        ),
        (C_LOOP, "malen brukte for lang tid (over 2 sekunder) og ble stoppet"),
    ]
    for bomb, reason in cases:
        start = time.monotonic()
        r = _upload(client, _statusrapport_with(bomb))
        tid = time.monotonic() - start
        assert r.status_code == 422
        assert "Malen ble avvist" in r.text
        assert reason in r.text
        assert tid < TIME_LIMIT + 2.0  # the check's own time, plus the page around it
    assert antall(deps, Malversjon) == 1
    assert _upload(client, _statusrapport_with("{{ deltaker.navn }}")).status_code == 302
    assert antall(deps, Malversjon) == 2


def _post(client: FlaskClient, headers: dict[str, str], data: dict[str, Any]) -> str:
    r = client.post("/api/v1/dokumenter", json=data, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json is not None
    return str(r.json["id"])


def _status(deps: Deps, dokument_id: str) -> tuple[str, str | None]:
    with deps.sessions() as s:
        versjon = s.query(Versjon).filter_by(dokument_id=dokument_id).one()
        return versjon.status, versjon.feil


def _wait_until_done(deps: Deps, ids: list[str], frist: float) -> dict[str, tuple[str, Any]]:
    """Return each document's (status, feil) once none is behandles, or when ``frist`` is up."""
    return wait_for(
        lambda: {i: _status(deps, i) for i in ids},
        lambda found: all(s != "behandles" for s, _ in found.values()),
        frist,
    )


def test_a_bomb_behind_a_condition_fails_its_job_and_frees_the_workers(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]],
    org: Organisasjon,
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """The loop runs only for one deltaker, so the check (with the example's) passes it.
    Two such documents hold both workers; each is killed at the time limit, its version
    feilet with the reason, and the other organisation's document, queued behind them, is
    made. The same organisation's next document, with another deltaker, is made too."""
    logg_inn(client, bruker("admin"))
    mal = _statusrapport_with(f'{{% if deltaker.navn == "{TYV}" %}}{C_LOOP}{{% endif %}}')
    assert _upload(client, mal).status_code == 302  # the check did not see the loop
    egen = auth("veileder")
    annen = auth("veileder", annen_org)
    tyv = kontrakt("statusrapport")
    tyv["deltaker"]["navn"] = TYV

    start = time.monotonic()
    bomber = [_post(client, egen, tyv), _post(client, egen, tyv)]
    andre = _post(client, annen, som_arrangor(kontrakt("statusrapport"), annen_org))
    done = _wait_until_done(deps, [*bomber, andre], frist=120)
    tid = time.monotonic() - start

    feil = (
        "Malen brukte for lang tid (over 2 sekunder) og ble stoppet. "
        "En administrator må rette malen."
    )
    assert [done[i] for i in bomber] == [("feilet", feil), ("feilet", feil)]
    assert done[andre] == ("utkast", None)
    # Both bombs ran side by side and were killed at the limit; the rest is the other
    # document's fill and conversion. Without the limit neither ever ends.
    assert tid < 2 * TIME_LIMIT + 60
    neste = _post(client, egen, kontrakt("statusrapport"))
    assert _wait_until_done(deps, [neste], frist=120)[neste] == ("utkast", None)
    pdf = client.get(f"/api/v1/dokumenter/{neste}/pdf", headers=egen)
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
