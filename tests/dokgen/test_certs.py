"""Opening PKCS#12 files: what a key derivation may cost is checked before any of it runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from dokgen.documents.pdf import certs
from dokgen.documents.pdf.certs import MAX_KDF_ROUNDS, MAX_SIZE, les_sertifikat, load_signer
from dokgen.errors import CertificateRefusedError, SigningFailedError

PASSORD = "p12-passord"
CN = "Eksempel Arbeidsinkludering AS segl"


def certificate(
    subject: x509.Name,
    key: Any,
    issuer: x509.Name,
    issuer_key: Any,
    days: tuple[int, int] = (-1, 365),
) -> x509.Certificate:
    """Return a certificate of ``key`` for ``subject``, signed by ``issuer_key``, valid from
    ``days[0]`` to ``days[1]`` days from now."""
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0]))
        .not_valid_after(now + timedelta(days=days[1]))
        .sign(issuer_key, hashes.SHA256())
    )


def make_p12(rounds: int = 2048) -> bytes:
    """Return a PKCS#12 file (PBES2, AES-256) whose key and certificates take ``rounds``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CN)])
    cert = certificate(name, key, name, key, days=(-1, 30))
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(rounds)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(PASSORD.encode())
    )
    return pkcs12.serialize_key_and_certificates(b"segl", key, cert, None, encryption)


def with_mac_rounds(data: bytes, rounds: int) -> bytes:
    """Return the file with its MacData's iteration count changed (the MAC no longer fits)."""
    pfx = asn1_pkcs12.Pfx.load(data)
    pfx["mac_data"]["iterations"] = rounds
    result: bytes = pfx.dump(force=True)
    return result


def _refused(data: bytes) -> tuple[str, list[str]]:
    """Return the refusal's text and how often the file was opened meanwhile (a key
    derivation round runs only when it is opened)."""
    apnet: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(certs.render_process, "run", lambda *a, **k: apnet.append("barn"))
        mp.setattr(certs, "_open_here", lambda *a, **k: apnet.append("her"))
        with pytest.raises(CertificateRefusedError) as caught:
            les_sertifikat(data, PASSORD)
    return str(caught.value), apnet


def test_a_mac_iteration_count_of_two_to_the_31_is_refused_before_any_round_runs() -> None:
    """2³¹−1 MAC rounds are ~110 s of CPU when opened: refused from the count, at once."""
    melding, apnet = _refused(with_mac_rounds(make_p12(), 2**31 - 1))
    assert melding == (
        "sertifikatfilen krever 2 147 483 647 runder nøkkelavledning; høyst 1 000 000 godtas"
    )
    assert apnet == []  # not opened: no key derivation ran


def test_a_key_encrypted_with_too_many_pbkdf2_rounds_is_refused_before_opening() -> None:
    """The key bag's PBKDF2 count is checked as well as the MAC's."""
    melding, apnet = _refused(make_p12(rounds=MAX_KDF_ROUNDS + 1))
    assert "krever 1 000 001 runder nøkkelavledning" in melding
    assert apnet == []


def test_a_file_larger_than_the_limit_is_refused_unread() -> None:
    melding, _ = _refused(make_p12() + b"\0" * MAX_SIZE)
    assert melding.startswith("sertifikatfilen er for stor (")
    assert melding.endswith("høyst 1024 kB)")


def test_files_with_the_counts_real_tools_use_open_as_before() -> None:
    """OpenSSL's 2,048 and Java keytool's 10,000 rounds open; the wrong password still fails."""
    for rounds in (2048, 10_000):
        data = make_p12(rounds)
        assert les_sertifikat(data, PASSORD).emne == f"CN={CN}"
        signing_cert = load_signer(data, PASSORD).signing_cert
        assert signing_cert is not None
        assert signing_cert.subject.native["common_name"] == CN
    with pytest.raises(SigningFailedError, match="feil passord eller skadet fil"):
        les_sertifikat(make_p12(), "feil-passord")


def test_something_that_is_not_pkcs12_is_unreadable() -> None:
    with pytest.raises(SigningFailedError, match="er ikke en lesbar PKCS#12-fil"):
        les_sertifikat(b"-----BEGIN CERTIFICATE-----\n", PASSORD)
