"""Sealing certificates: reading a PKCS#12 file once into a signer that keeps its key, and the
self-signed development certificate used outside production."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dokgen.errors import SigningFailedError
from dokgen.files import create_once

log = logging.getLogger(__name__)

DEV_SUBJECT = "dokgen UTVIKLINGSSERTIFIKAT – ikke for produksjon"
_DEV_FILE = "utviklingssertifikat.p12"


@dataclass(frozen=True)
class Sertifikat:
    """What a PKCS#12 file holds, as shown to an admin."""

    emne: str
    utsteder: str
    gyldig_fra: datetime
    gyldig_til: datetime


def _open_pkcs12(data: bytes, passord: str | None, name: str) -> tuple[Any, Any, list[Any]]:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, passord.encode("utf-8") if passord else None
        )
    except ValueError as error:
        raise SigningFailedError(
            f"kunne ikke åpne sertifikatfilen {name}: feil passord eller skadet fil"
        ) from error
    if key is None or cert is None:
        raise SigningFailedError(f"sertifikatfilen {name} mangler nøkkel eller sertifikat")
    return key, cert, list(extra)


def les_sertifikat(data: bytes, passord: str | None) -> Sertifikat:
    """Open a PKCS#12 file and describe its certificate.

    Raises:
        SigningFailedError: not PKCS#12, wrong password, or no key or certificate in it.
    """
    _, cert, _ = _open_pkcs12(data, passord, "")
    return Sertifikat(
        emne=cert.subject.rfc4514_string(),
        utsteder=cert.issuer.rfc4514_string(),
        gyldig_fra=cert.not_valid_before_utc,
        gyldig_til=cert.not_valid_after_utc,
    )


def load_signer(source: Path | bytes, passord: str | None) -> signers.SimpleSigner:
    """Parse a PKCS#12 file (or its bytes) once into a pyHanko signer.

    Raises:
        SigningFailedError: The file is missing, unreadable or the password is wrong.
    """
    if isinstance(source, bytes):
        data, name = source, "(lastet opp)"
    else:
        name = source.name
        try:
            data = source.read_bytes()
        except OSError as error:
            raise SigningFailedError(f"fant ikke sertifikatfilen {source}") from error
    key, cert, extra = _open_pkcs12(data, passord, name)
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signing_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in extra]
    signer = _KeptKeySigner(
        signing_cert=signing_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
    )
    signer.kept_key = key if isinstance(key, rsa.RSAPrivateKey) else None
    return signer


class _KeptKeySigner(signers.SimpleSigner):
    """A SimpleSigner that signs with the already parsed RSA key.

    pyHanko's SimpleSigner parses the DER key on every signature (≈ 115 ms for RSA-3072, twice
    per seal counting the size estimate); parsing once keeps a seal near 50 ms.
    """

    kept_key: rsa.RSAPrivateKey | None = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign with the kept key for RSA PKCS#1 v1.5; defer to pyHanko otherwise."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if self.kept_key is not None and mechanism.signature_algo == "rsassa_pkcs1v15":
            return self.kept_key.sign(
                data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        return super().sign_raw(data, digest_algorithm)


def dev_certificate(folder: Path) -> Path:
    """Return the cached development PKCS#12 file, creating it (RSA-3072) the first time.

    Workers that start at once may each make a key, but one file wins for all of them.
    """
    path = folder / _DEV_FILE
    if not path.is_file():
        create_once(path, _dev_pkcs12)
    return path


def _dev_pkcs12() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dokgen (utvikling)"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(), critical=True)
        .sign(key, hashes.SHA256())
    )
    log.warning("laget utviklingssertifikat – ikke for produksjon")
    return pkcs12.serialize_key_and_certificates(
        b"dokgen-dev", key, cert, None, serialization.NoEncryption()
    )


def _key_usage() -> x509.KeyUsage:
    """Return the key usage of a sealing certificate: signatures and non-repudiation."""
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
