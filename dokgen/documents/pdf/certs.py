"""Sealing certificates: reading a PKCS#12 file once into a signer that keeps its key, and the
self-signed development certificate used outside production."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import algos as asn1_algos
from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dokgen.documents import render_process
from dokgen.errors import CertificateRefusedError, SigningFailedError, TemplateLimitError
from dokgen.storage.files import create_once

log = logging.getLogger(__name__)

DEV_SUBJECT = "dokgen UTVIKLINGSSERTIFIKAT – ikke for produksjon"
_DEV_FILE = "utviklingssertifikat.p12"
MAX_SIZE = 1 << 20  # bytes of a PKCS#12 file; a key with its chain is a few kB
MAX_KDF_ROUNDS = 1_000_000  # rounds of one key derivation (see _check_cost)
OPEN_TIME_LIMIT = 10.0  # seconds opening a PKCS#12 file may take


@dataclass(frozen=True)
class Sertifikat:
    """What a PKCS#12 file holds, as shown to an admin."""

    emne: str
    utsteder: str
    gyldig_fra: datetime
    gyldig_til: datetime
    selvsignert: bool = False  # issued by itself: nobody vouches for whom it names
    emneverdier: tuple[str, ...] = ()  # every value of the subject (CN, O, serialNumber …)


def _open_pkcs12(
    data: bytes, passord: str | None, name: str, *, trusted: bool = False
) -> tuple[Any, Any, list[Any]]:
    """Open a PKCS#12 file whose cost is bounded: refused when large or asking for many key
    derivation rounds, and opened in a child process killed after :data:`OPEN_TIME_LIMIT`.

    Args:
        trusted: the file is the instance operator's (``DOKGEN_SERTIFIKAT``, or the
            development certificate), trusted like the rest of the configuration: opened in
            this process, without starting a child for it.

    Raises:
        CertificateRefusedError: too large, or too costly to open.
        SigningFailedError: wrong password, damaged, or no key or certificate in it.
    """
    _check_cost(data, name)
    try:
        if trusted:
            key_der, cert_der, extra_der = _open_here(data, passord)
        else:
            key_der, cert_der, extra_der = render_process.run(
                _open_here, data, passord, timeout=OPEN_TIME_LIMIT
            )
    except TemplateLimitError:
        raise CertificateRefusedError(f"{_file_text(name)} tok for lang tid å åpne") from None
    except ValueError as error:
        raise SigningFailedError(
            f"kunne ikke åpne sertifikatfilen {name}: feil passord eller skadet fil"
        ) from error
    if key_der is None or cert_der is None:
        raise SigningFailedError(f"sertifikatfilen {name} mangler nøkkel eller sertifikat")
    key = serialization.load_der_private_key(key_der, None)
    certs = [x509.load_der_x509_certificate(der) for der in (cert_der, *extra_der)]
    return key, certs[0], certs[1:]


def _file_text(name: str) -> str:
    return f"sertifikatfilen {name}" if name else "sertifikatfilen"


def _open_here(data: bytes, passord: str | None) -> tuple[bytes | None, bytes | None, list[bytes]]:
    """Open a PKCS#12 file in this process; return its key (PKCS#8) and certificates as DER."""
    key, cert, extra = pkcs12.load_key_and_certificates(
        data, passord.encode("utf-8") if passord else None
    )
    der = serialization.Encoding.DER
    key_der = (
        key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        if key is not None
        else None
    )
    return key_der, cert.public_bytes(der) if cert else None, [c.public_bytes(der) for c in extra]


def _check_cost(data: bytes, name: str) -> None:
    """Refuse a PKCS#12 file that would be costly to open, before any key derivation runs.

    Opening runs each key derivation for the count the file names: 2³¹−1 MAC rounds is about
    110 s of CPU. Real files use 2,000 (Windows), 2,048 (OpenSSL's default) or 10,000 (Java's
    keytool); :data:`MAX_KDF_ROUNDS` allows a hundred times that (PBKDF2-HMAC-SHA256 at a
    million rounds: 0.35 s here). Counts inside encrypted parts are not visible before
    decryption: the child process's time limit bounds those.

    Raises:
        CertificateRefusedError: too large, or a count above the limit.
        SigningFailedError: not PKCS#12.
    """
    if len(data) > MAX_SIZE:
        raise CertificateRefusedError(
            f"{_file_text(name)} er for stor ({len(data) // 1024} kB; høyst {MAX_SIZE // 1024} kB)"
        )
    try:
        counts = _kdf_rounds(asn1_pkcs12.Pfx.load(data))
    except (ValueError, TypeError, KeyError) as error:
        raise SigningFailedError(f"{_file_text(name)} er ikke en lesbar PKCS#12-fil") from error
    if max(counts, default=0) > MAX_KDF_ROUNDS:
        raise CertificateRefusedError(
            f"{_file_text(name)} krever {max(counts):,} runder nøkkelavledning; høyst "
            f"{MAX_KDF_ROUNDS:,} godtas".replace(",", " ")
        )


def _kdf_rounds(pfx: asn1_pkcs12.Pfx) -> list[int]:
    """Return the iteration count of every key derivation visible without the password."""
    counts = [pfx["mac_data"]["iterations"].native] if pfx["mac_data"].native else []
    for info in pfx.authenticated_safe:
        kind = info["content_type"].native
        if kind == "data":
            counts += _bag_rounds(asn1_pkcs12.SafeContents.load(info["content"].native))
        elif kind == "encrypted_data":
            algorithm = info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
            counts.append(_rounds(algorithm))
        else:
            raise ValueError(f"ukjent innhold i PKCS#12: {kind}")
    return counts


def _bag_rounds(bags: asn1_pkcs12.SafeContents) -> list[int]:
    counts: list[int] = []
    for bag in bags:
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag":
            counts.append(_rounds(bag["bag_value"]["encryption_algorithm"]))
        elif kind == "safe_contents":
            counts += _bag_rounds(bag["bag_value"])
    return counts


def _rounds(algorithm: asn1_algos.EncryptionAlgorithm) -> int:
    # Only the key derivations OpenSSL runs with a count alone; another (scrypt) is refused.
    if algorithm.kdf not in ("pbkdf2", "pbkdf1", "pkcs12_kdf"):
        raise ValueError(f"ukjent nøkkelavledning: {algorithm.kdf}")
    rounds: int = algorithm.kdf_iterations
    return rounds


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
        selvsignert=_selvsignert(cert),
        emneverdier=tuple(str(a.value) for a in cert.subject),
    )


def advarsler(info: Sertifikat, navn: str, orgnr: str) -> list[str]:
    """Return what an admin should know about a seal certificate for an organisation (bokmål):
    that it is self-signed, or that its subject names neither the orgnr nor the name."""
    out = []
    if info.selvsignert:
        out.append(
            "Sertifikatet er selvsignert: ingen sertifiseringsinstans går god for hvem det "
            "tilhører, så mottakerne kan ikke stole på seglet. Bruk et virksomhetssertifikat "
            "fra en godkjent utsteder, f.eks. Buypass eller Commfides."
        )
    if not nevner_organisasjonen(info, navn, orgnr):
        out.append(
            f"Sertifikatets emne nevner verken organisasjonsnummeret {orgnr} eller navnet "
            f"«{navn}». Kontroller at det er organisasjonens eget sertifikat."
        )
    return out


def nevner_organisasjonen(info: Sertifikat, navn: str, orgnr: str) -> bool:
    """Tell whether the certificate's subject names the organisation: its orgnr in any
    value (serialNumber, or organizationIdentifier such as NTRNO-998877660, as a
    virksomhetssertifikat has), or its name inside one (O or CN), case and spaces aside."""
    navn = " ".join(navn.casefold().split())
    for verdi in info.emneverdier:
        if orgnr in re.sub(r"\D", "", verdi) or (
            navn and navn in " ".join(verdi.casefold().split())
        ):
            return True
    return False


def _selvsignert(cert: x509.Certificate) -> bool:
    """Tell whether the certificate is signed by its own key (issuer = subject)."""
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def load_signer(
    source: Path | bytes, passord: str | None, *, egen: bool = False
) -> signers.SimpleSigner:
    """Parse a PKCS#12 file (or its bytes) once into a pyHanko signer.

    A path is the operator's file, opened here; bytes are an organisation's upload, opened
    in a child process with a time limit (see :func:`_open_pkcs12`), unless ``egen``: the
    instance's own development certificate, kept in the database.

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
    trusted = egen or not isinstance(source, bytes)
    key, cert, extra = _open_pkcs12(data, passord, name, trusted=trusted)
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
        create_once(path, dev_pkcs12)
    return path


def dev_pkcs12() -> bytes:
    """Make a self-signed development sealing certificate (RSA-3072) as PKCS#12 bytes."""
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
