"""PAdES sealing and verification: pdfsig and pyHanko verdicts, tampering, PDF/A kept, certs."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper

from dokgen.documents.pdf.seal import (
    DEV_SUBJECT,
    Godkjenningslinje,
    Sealer,
    tid_tekst,
    verify,
)
from dokgen.errors import SigningFailedError
from tests import pdfinfo
from tests.conftest import FIXTURES, require_command

PDFA = FIXTURES / "pdf" / "pdfa2b.pdf"
WHEN = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)


def en(navn: str = "B") -> list[Godkjenningslinje]:
    """One approval by a logged-in user."""
    return [Godkjenningslinje(navn, "Tiltaksarrangør", "innlogget bruker", WHEN)]


@pytest.fixture(scope="module")
def sealer(tmp_path_factory: pytest.TempPathFactory) -> Sealer:
    """One sealer with a development certificate for the module (RSA-3072 takes a moment)."""
    return Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path_factory.mktemp("cert"))


@pytest.fixture(scope="module")
def sealed(sealer: Sealer) -> bytes:
    """The LibreOffice PDF/A fixture, sealed once."""
    return sealer.seal(
        PDFA.read_bytes(), godkjenninger=en("Kari Nordmann Ærlig"), dokument_id="SR-2026-0042"
    )


def appended_annotation(pdf: bytes) -> bytes:
    """Return ``pdf`` with a text annotation added in an incremental update after the seal."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    note = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
            generic.pdf_name("/Rect"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (100, 100, 120, 120)]
            ),
            generic.pdf_name("/Contents"): generic.TextStringObject("endret etterpå"),
        }
    )
    annots = page.get("/Annots")
    page["/Annots"] = generic.ArrayObject([*(annots or []), writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_pkcs12(path: Path, passord: bytes, common_name: str) -> None:
    """Write a PKCS#12 file with a fresh RSA-2048 key and a self-signed certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    encryption = serialization.BestAvailableEncryption(passord)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"test", key, cert, None, encryption))


@pytest.mark.integration
def test_pdfsig_sees_one_valid_signature(sealed: bytes) -> None:
    """poppler's pdfsig reports exactly one signature, valid, covering the whole file."""
    require_command("pdfsig")
    (signature,) = pdfinfo.pdfsig_report(sealed)
    assert signature["valid"] is True
    assert signature["validation"] == "Signature is Valid."
    assert signature["total_document_signed"] is True
    assert signature["signer"] == DEV_SUBJECT
    assert signature["fields"]["Signature Field Name"] == "Forsegling"
    assert signature["fields"]["Signature Type"] == "ETSI.CAdES.detached"


def test_verify_accepts_the_seal_and_names_the_dev_certificate(sealed: bytes) -> None:
    """pyHanko: intact, whole file; the untrusted development chain is stated in grunn."""
    result = verify(sealed)
    assert result.gyldig is True
    assert result.signert_av == DEV_SUBJECT
    assert "UTVIKLINGSSERTIFIKAT" in result.signert_av
    assert "dekker hele filen" in result.grunn
    assert "utviklingssertifikat" in result.grunn
    assert result.tidspunkt is not None


def test_sealing_is_an_incremental_update(sealed: bytes) -> None:
    """The original bytes are an unchanged prefix of the sealed file."""
    original = PDFA.read_bytes()
    assert sealed.startswith(original)
    assert len(sealed) > len(original)


@pytest.mark.integration
def test_flipped_byte_is_invalid_for_pyhanko_and_pdfsig(sealed: bytes) -> None:
    """One changed byte inside the signed range fails both verifiers."""
    require_command("pdfsig")
    tampered = bytearray(sealed)
    at = len(PDFA.read_bytes()) // 3  # inside the first signed range: the original content
    tampered[at] ^= 0x01
    result = verify(bytes(tampered))
    assert result.gyldig is False
    signatures = pdfinfo.pdfsig_report(bytes(tampered))
    assert len(signatures) == 1
    assert signatures[0]["valid"] is False
    assert signatures[0]["validation"] != "Signature is Valid."


@pytest.mark.integration
def test_update_appended_after_sealing_is_invalid(sealed: bytes) -> None:
    """An annotation appended after the seal: pyHanko says invalid; pdfsig only notices coverage."""
    require_command("pdfsig")
    edited = appended_annotation(sealed)
    result = verify(edited)
    assert result.gyldig is False
    assert "endret etter forseglingen" in result.grunn
    (signature,) = pdfinfo.pdfsig_report(edited)
    # pdfsig still prints "Signature is Valid." here; its coverage line is what tells.
    assert signature["total_document_signed"] is False


@pytest.mark.integration
def test_sealed_file_stays_pdfa_with_embedded_fonts(sealed: bytes) -> None:
    """PDF/A-2B claim, nb-NO and embedded fonts survive; Info and XMP producers agree."""
    require_command("pdffonts")
    assert pdfinfo.pdfa_claim(sealed) == ("2", "B")
    assert pdfinfo.unembedded_fonts(sealed) == []
    assert pdfinfo.lang(sealed) == "nb-NO"
    reader = PdfFileReader(io.BytesIO(sealed), strict=False)
    producer = str(reader.trailer_view["/Info"]["/Producer"])
    xmp = reader.root["/Metadata"].data.decode("utf-8")
    assert f'pdf:Producer="{producer}"' in xmp or f"<pdf:Producer>{producer}<" in xmp


def test_time_is_oslo_time_with_its_offset() -> None:
    """Summer and winter times convert from UTC to Europe/Oslo and say which offset."""
    assert tid_tekst(WHEN - timedelta(180)) == "01.01.2026 kl. 23:30 (norsk tid, UTC+01:00)"
    assert tid_tekst(WHEN) == "01.07.2026 kl. 00:30 (norsk tid, UTC+02:00)"


def test_unsigned_and_unreadable_files_are_not_valid() -> None:
    """No signature, or no PDF at all, gives gyldig False with a reason."""
    unsigned = verify(PDFA.read_bytes())
    assert unsigned.gyldig is False
    assert "fant 0 signaturer" in unsigned.grunn
    junk = verify(b"ikke en pdf")
    assert junk.gyldig is False
    assert junk.signert_av is None


def test_sealing_junk_raises_signing_failed(sealer: Sealer) -> None:
    """Bytes that are no PDF cannot be sealed."""
    with pytest.raises(SigningFailedError, match="kunne ikke forsegle"):
        sealer.seal(b"ikke en pdf", godkjenninger=en(), dokument_id="1")


def test_production_without_certificate_is_refused(tmp_path: Path) -> None:
    """In production a missing certificate fails at construction, and no dev cert is made."""
    with pytest.raises(SigningFailedError, match="produksjon krever"):
        Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path, produksjon=True)
    assert list(tmp_path.iterdir()) == []


def test_wrong_pkcs12_password_gives_a_norwegian_error(tmp_path: Path) -> None:
    """A wrong PKCS#12 password raises SigningFailedError with a bokmål message."""
    path = tmp_path / "virksomhet.p12"
    make_pkcs12(path, b"riktig-passord", "Testvirksomhet AS")
    with pytest.raises(SigningFailedError, match="feil passord eller skadet fil"):
        Sealer(pkcs12=path, passord="feil-passord")
    with pytest.raises(SigningFailedError, match="fant ikke sertifikatfilen"):
        Sealer(pkcs12=tmp_path / "mangler.p12", passord="x")


def test_pkcs12_certificate_seals_under_its_own_name(tmp_path: Path) -> None:
    """A real PKCS#12 file with the right password seals; verify names its subject."""
    path = tmp_path / "virksomhet.p12"
    make_pkcs12(path, b"riktig-passord", "Testvirksomhet AS")
    sealer = Sealer(pkcs12=path, passord="riktig-passord", produksjon=True)
    result = verify(sealer.seal(PDFA.read_bytes(), godkjenninger=en(), dokument_id="2"))
    assert result.gyldig is True
    assert result.signert_av == "Testvirksomhet AS"
    assert "utviklingssertifikat" not in result.grunn


def test_development_certificate_is_made_once_and_reused(tmp_path: Path) -> None:
    """The dev certificate is cached in dev_cert_dir: a second sealer reuses the same file."""
    Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path)
    (cert_file,) = tmp_path.iterdir()
    first = cert_file.read_bytes()
    Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path)
    assert cert_file.read_bytes() == first
    _, cert, _ = pkcs12.load_key_and_certificates(first, None)
    assert cert is not None
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == DEV_SUBJECT
    assert cert.public_key().key_size == 3072  # type: ignore[union-attr]


@pytest.fixture
def tsa_url() -> Iterator[str]:
    """Run a local RFC 3161 timestamp service (pyHanko's test TSA over real HTTP)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-TSA dokgen")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    tsa = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = tsa.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()


def test_timestamp_url_gives_a_timestamped_seal(tsa_url: str, tmp_path: Path) -> None:
    """With tidsstempel_url the seal carries a signature timestamp (PAdES B-T) and verifies."""
    sealer = Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path, tidsstempel_url=tsa_url)
    pdf = sealer.seal(PDFA.read_bytes(), godkjenninger=en(), dokument_id="3")
    assert verify(pdf).gyldig is True
    (signature,) = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    unsigned = [a["type"].native for a in signature.signer_info["unsigned_attrs"]]
    assert "signature_time_stamp_token" in unsigned


def test_unreachable_timestamp_service_fails_sealing(tmp_path: Path) -> None:
    """A timestamp service that does not answer makes sealing fail, not silently B-B."""
    sealer = Sealer(
        pkcs12=None, passord=None, dev_cert_dir=tmp_path, tidsstempel_url="http://127.0.0.1:9/"
    )
    with pytest.raises(SigningFailedError):
        sealer.seal(PDFA.read_bytes(), godkjenninger=en(), dokument_id="4")
