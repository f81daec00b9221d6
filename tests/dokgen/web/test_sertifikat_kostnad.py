"""A sealing certificate whose opening would cost minutes of CPU is refused at the admin's
upload at once, with the reason, and nothing is stored."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.documents.pdf import certs
from dokgen.storage.db import Organisasjon
from tests.dokgen.test_certs import PASSORD, make_p12, with_mac_rounds
from tests.dokgen.web.sider_hjelp import logg_inn, token

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        (
            with_mac_rounds(make_p12(), 2**31 - 1),
            "sertifikatfilen krever 2 147 483 647 runder nøkkelavledning; høyst 1 000 000 godtas",
        ),
        (
            make_p12(rounds=5_000_000),
            "sertifikatfilen krever 5 000 000 runder nøkkelavledning; høyst 1 000 000 godtas",
        ),
    ],
    ids=["mac-2^31", "pbkdf2-5M"],
)
def test_a_costly_certificate_is_refused_at_upload_before_any_round_runs(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    bruker: Callable[..., str],
    data: bytes,
    melding: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    apnet: list[str] = []  # the file is never opened: no key derivation round runs
    monkeypatch.setattr(certs.render_process, "run", lambda *a, **k: apnet.append("barn"))
    monkeypatch.setattr(certs, "_open_here", lambda *a, **k: apnet.append("her"))
    logg_inn(client, bruker("admin"))
    form = {
        "csrf_token": token(client, "/admin/sertifikat"),
        "passord": PASSORD,
        "fil": (io.BytesIO(data), "segl.p12"),
    }
    r = client.post("/admin/sertifikat", data=form, content_type="multipart/form-data")
    assert r.status_code == 422
    assert melding in r.text
    assert apnet == []  # old code opened it: ~110 s for the MAC (issue 15), ~3.5 s for PBKDF2
    with deps.sessions() as s:
        row = s.get(Organisasjon, org.id)
        assert row is not None
        assert "sertifikat" not in (row.innstillinger or {})
