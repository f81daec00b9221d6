"""An organisation's own sealing certificate: uploaded by an admin, checked, its password
stored encrypted, and used for that organisation's seals only."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.storage.crypto import decrypt
from dokgen.storage.db import Organisasjon
from tests.conftest import require_command
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.test_certs import certificate
from tests.dokgen.web.sider_hjelp import logg_inn, token
from tests.pdfinfo import pdfsig_report

pytestmark = pytest.mark.integration
VENT = {"Prefer": "wait=120"}
CN = "Eksempel Arbeidsinkludering AS testsegl"
PASSORD = "sertifikat-passord-1"


def make_p12(*, days: tuple[int, int] = (-1, 365), passord: str = PASSORD) -> bytes:
    """Return a PKCS#12 file with a new RSA key and a self-signed certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CN)])
    cert = certificate(name, key, name, key, days=days)
    return pkcs12.serialize_key_and_certificates(
        b"segl", key, cert, None, BestAvailableEncryption(passord.encode())
    )


def _upload(client: FlaskClient, data: bytes, passord: str) -> Any:
    form = {
        "csrf_token": token(client, "/admin/sertifikat"),
        "passord": passord,
        "fil": (io.BytesIO(data), "segl.p12"),
    }
    return client.post("/admin/sertifikat", data=form, content_type="multipart/form-data")


def _sealed_by(
    client: FlaskClient, headers: dict[str, str], kontrakt: Any, org: Any | None = None
) -> str:
    data = kontrakt("statusrapport")
    data = som_arrangor(data, org) if org is not None else data
    doc = client.post("/api/v1/dokumenter", json=data, headers={**headers, **VENT}).json
    client.post(
        f"/api/v1/dokumenter/{doc['id']}/godkjenninger", json={}, headers={**headers, **VENT}
    )
    [signature] = pdfsig_report(client.get(doc["lenker"]["pdf"], headers=headers).data)
    assert signature["valid"]
    return str(signature["signer"])


def _cert(deps: Deps, org: Any) -> Any:
    with deps.sessions() as s:
        row = s.get(Organisasjon, org.id)
        assert row is not None
        return row.innstillinger.get("sertifikat")


def test_an_uploaded_certificate_seals_the_organisations_documents_only(
    client: FlaskClient,
    deps: Deps,
    org: Any,
    annen_org: Any,
    bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """The seal names the uploaded certificate; the password is stored encrypted; another
    organisation keeps the instance's certificate; removing it goes back."""
    require_command("pdfsig")
    logg_inn(client, bruker("admin"))
    r = _upload(client, make_p12(), PASSORD)
    assert r.status_code == 302
    page = client.get("/admin/sertifikat").text
    assert CN in page
    stored = _cert(deps, org)
    assert stored["passord"] != PASSORD
    assert decrypt(deps.settings, stored["passord"]) == PASSORD

    assert _sealed_by(client, auth("veileder"), kontrakt) == CN
    theirs = _sealed_by(client, auth("veileder", annen_org), kontrakt, annen_org)
    assert theirs.startswith("dokgen UTVIKLINGSSERTIFIKAT")

    form = {"csrf_token": token(client, "/admin/sertifikat")}
    assert client.post("/admin/sertifikat/fjern", data=form).status_code == 302
    assert _cert(deps, org) is None
    assert _sealed_by(client, auth("veileder"), kontrakt).startswith("dokgen UTVIKLINGSSERTIFIKAT")


@pytest.mark.parametrize(
    ("data", "passord", "melding"),
    [
        (make_p12(), "feil-passord", "kan ikke åpnes: feil passord eller ikke en .p12/.pfx-fil"),
        (b"%PDF-1.7 ikke et sertifikat", PASSORD, "kan ikke åpnes"),
        (make_p12(days=(-400, -10)), PASSORD, "sertifikatet gikk ut"),
        (make_p12(days=(10, 400)), PASSORD, "sertifikatet gjelder først fra"),
    ],
)
def test_a_certificate_that_cannot_be_used_is_refused_and_nothing_is_stored(
    client: FlaskClient,
    deps: Deps,
    org: Any,
    bruker: Callable[..., str],
    data: bytes,
    passord: str,
    melding: str,
) -> None:
    """Wrong password, not PKCS#12, expired or not yet valid: 422 with the reason, no change."""
    logg_inn(client, bruker("admin"))
    files_before = (
        sorted(deps.settings.filer_dir.rglob("*")) if deps.settings.filer_dir.exists() else []
    )
    r = _upload(client, data, passord)
    assert r.status_code == 422
    assert melding in r.text
    assert _cert(deps, org) is None
    files_after = (
        sorted(deps.settings.filer_dir.rglob("*")) if deps.settings.filer_dir.exists() else []
    )
    assert files_after == files_before


def test_only_an_admin_may_change_the_certificate(
    client: FlaskClient, deps: Deps, org: Any, bruker: Callable[..., str]
) -> None:
    """A veileder gets 403 on the page and on the upload."""
    logg_inn(client, bruker("veileder"))
    assert client.get("/admin/sertifikat").status_code == 403
    assert _cert(deps, org) is None
