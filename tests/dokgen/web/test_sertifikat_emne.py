"""The subject of an uploaded seal certificate: shown, audited, and warned about when the
certificate is self-signed or does not name the organisation (issue 15, Low)."""

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
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.certs import advarsler, les_sertifikat
from dokgen.storage.db import Organisasjon, Revisjon
from tests.dokgen.conftest import ORGNR
from tests.dokgen.test_certs import certificate
from tests.dokgen.web.sider_hjelp import logg_inn, token

pytestmark = pytest.mark.integration
PASSORD = "sertifikat-passord-1"
NAVN = "Eksempel Arbeidsinkludering AS"
SELVSIGNERT = "Sertifikatet er selvsignert"
NEVNER_IKKE = f"nevner verken organisasjonsnummeret {ORGNR} eller navnet «{NAVN}»"


def _name(**attrs: str) -> x509.Name:
    oids = {"cn": NameOID.COMMON_NAME, "o": NameOID.ORGANIZATION_NAME}
    oids["serial"] = NameOID.SERIAL_NUMBER
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in attrs.items()])


def _p12(subject: x509.Name, *, ca: bool) -> bytes:
    """Return a PKCS#12 file whose certificate has ``subject``: issued by a test CA (in the
    chain) when ``ca``, else self-signed."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if ca:
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = _name(cn="Test-CA for virksomhetssertifikater")
        ca_cert = certificate(ca_name, ca_key, ca_name, ca_key)
        cert, chain = certificate(subject, key, ca_name, ca_key), [ca_cert]
    else:
        cert, chain = certificate(subject, key, subject, key), []
    return pkcs12.serialize_key_and_certificates(
        b"segl", key, cert, chain, BestAvailableEncryption(PASSORD.encode())
    )


def _upload(client: FlaskClient, data: bytes) -> Any:
    form = {
        "csrf_token": token(client, "/admin/sertifikat"),
        "passord": PASSORD,
        "fil": (io.BytesIO(data), "segl.p12"),
    }
    return client.post("/admin/sertifikat", data=form, content_type="multipart/form-data")


def _audit(deps: Deps, org: Organisasjon) -> list[str | None]:
    with deps.sessions() as s:
        query = select(Revisjon.detalj).where(
            Revisjon.org_id == org.id, Revisjon.handling == "endre_sertifikat"
        )
        return list(s.scalars(query.order_by(Revisjon.id)))


def test_a_ca_issued_certificate_naming_the_orgnr_is_shown_and_audited_without_warning(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    """Subject O=<name>, serialNumber=<orgnr>, issued by a CA: stored with no warning; the
    page shows the subject; the audit line holds subject and issuer."""
    logg_inn(client, bruker("admin"))
    r = _upload(client, _p12(_name(o="Annet Navn AS", serial=ORGNR), ca=True))
    assert r.status_code == 302
    side = client.get("/admin/sertifikat").text
    assert "Advarsel om sertifikatet" not in side
    assert "O=Annet Navn AS" in side
    [detalj] = _audit(deps, org)
    assert detalj is not None
    assert detalj.startswith("emne: ")
    assert ORGNR in detalj
    assert "utsteder: CN=Test-CA for virksomhetssertifikater" in detalj
    assert "selvsignert" not in detalj
    assert "nevner ikke" not in detalj


def test_a_self_signed_certificate_naming_someone_else_is_stored_with_both_warnings(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    """Self-signed, CN of another company: the page warns twice (self-signed; names neither
    orgnr nor name), the audit line says so, and the audit page shows it."""
    logg_inn(client, bruker("admin"))
    r = _upload(client, _p12(_name(cn="Ukjent Firma AS"), ca=False))
    assert r.status_code == 302
    side = client.get("/admin/sertifikat").text
    assert "Les advarslene under." in side
    assert "Advarsel om sertifikatet" in side
    assert SELVSIGNERT in side
    assert NEVNER_IKKE in side
    assert "CN=Ukjent Firma AS" in side
    [detalj] = _audit(deps, org)
    assert detalj == (
        "emne: CN=Ukjent Firma AS; utsteder: CN=Ukjent Firma AS; selvsignert; "
        "nevner ikke organisasjonen"
    )
    assert detalj in client.get("/admin/revisjonslogg").text


def test_warnings_follow_the_subject_and_the_issuer() -> None:
    """The name matches whatever its case and spacing, inside CN or O; the orgnr inside any
    value (organizationIdentifier style NTRNO-…); a CA-issued one is not self-signed."""
    cases = [
        (_name(cn="eksempel  arbeidsinkludering as – segl"), False, [SELVSIGNERT]),
        (_name(o="Noe AS", cn=f"NTRNO-{ORGNR}"), True, []),
        (_name(cn="Noe AS"), True, [NEVNER_IKKE]),
    ]
    for subject, ca, expected in cases:
        info = les_sertifikat(_p12(subject, ca=ca), PASSORD)
        found = advarsler(info, NAVN, ORGNR)
        assert [next(e for e in expected if e in f) for f in found] == expected, subject
        assert info.selvsignert is not ca
