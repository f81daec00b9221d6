"""Seal a PDF/A with a visible PAdES signature (pyHanko) and verify sealed files.

PAdES baseline B-B, or B-T when a timestamp service is configured. The key is parsed once per
:class:`Sealer`; the stamp font is a subset of Liberation Sans made once per process, embedded
so the file stays PDF/A. Sealing only appends an incremental update.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from dokgen.documents.pdf.certs import DEV_SUBJECT, dev_certificate, load_signer
from dokgen.errors import SigningFailedError

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
_FIELD = "Forsegling"
# Bottom-left of the last page, inside A4's lower margin strip.
_BOX = (42, 8, 242, 56)
_STAMP_TEXT = (
    "Elektronisk forseglet\n"
    "Godkjent av: %(godkjent_av)s\n"
    "Tidspunkt: %(tid)s\n"
    "Dokument-ID: %(dokument_id)s\n"
    "SHA-256: %(sha256)s"
)
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
# Characters the stamp can show: Latin-1 covers Norwegian names; the rest would be dropped.
_SUBSET = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "–—‘’“”…€"
)


@dataclass(frozen=True)
class Verifisering:
    """The verdict on a sealed PDF: valid or not, why, by whom and when."""

    gyldig: bool
    grunn: str
    signert_av: str | None
    tidspunkt: datetime | None


class Sealer:
    """Seal PDFs with one certificate, parsed once."""

    def __init__(
        self,
        *,
        pkcs12: Path | bytes | None,
        passord: str | None,
        tidsstempel_url: str | None = None,
        dev_cert_dir: Path | None = None,
        produksjon: bool = False,
    ) -> None:
        """Load the sealing certificate, or make a development certificate outside production.

        Args:
            pkcs12: PKCS#12 file (or its bytes) with key and certificate; None for a
                development certificate.
            passord: The PKCS#12 password.
            tidsstempel_url: RFC 3161 timestamp service; gives PAdES B-T instead of B-B.
            dev_cert_dir: Where the development certificate is kept between runs.
            produksjon: True in production, where a real certificate is required.

        Raises:
            SigningFailedError: No certificate in production, or an unreadable PKCS#12 file.
        """
        if pkcs12 is None:
            if produksjon:
                raise SigningFailedError(
                    "produksjon krever et virksomhetssertifikat (DOKGEN_SERTIFIKAT er ikke satt)"
                )
            pkcs12 = dev_certificate(dev_cert_dir or Path(tempfile.gettempdir()) / "dokgen")
            passord = None
        self._signer = load_signer(pkcs12, passord)
        _stamp_font()  # fail here, not on the first document, when the font is missing
        self._timestamper = timestamps.HTTPTimeStamper(tidsstempel_url) if tidsstempel_url else None
        self._style = TextStampStyle(
            stamp_text=_STAMP_TEXT,
            text_box_style=TextBoxStyle(
                font=_MemoryFontFactory(font_file="stempel.ttf"), font_size=7, leading=8
            ),
            border_width=1,
        )

    def seal(
        self, pdf: bytes, *, godkjent_av: str, dokument_id: str, tidspunkt: datetime | None = None
    ) -> bytes:
        """Add a visible PAdES seal to the last page as an incremental update.

        Args:
            pdf: The unsigned PDF/A.
            godkjent_av: Name of the approver, shown in the stamp.
            dokument_id: Document id, shown in the stamp.
            tidspunkt: Approval time (default now), shown in Europe/Oslo time.

        Returns:
            The sealed PDF.

        Raises:
            SigningFailedError: The PDF could not be read or signed.
        """
        params = stamp_params(
            pdf, godkjent_av=godkjent_av, dokument_id=dokument_id, tidspunkt=tidspunkt
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            _align_producer(writer)
            out = self._signer_for().sign_pdf(writer, appearance_text_params=params)
        except (SigningError, TimestampRequestError, PdfReadError, ValueError, OSError) as error:
            raise SigningFailedError(f"kunne ikke forsegle PDF-en: {error}") from error
        return bytes(out.getbuffer())

    def _signer_for(self) -> signers.PdfSigner:
        """Return a PdfSigner for one document (cheap: the key is already parsed)."""
        meta = signers.PdfSignatureMetadata(
            field_name=_FIELD,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason="Godkjent og forseglet av dokgen",
            location="Norge",
        )
        return signers.PdfSigner(
            meta,
            signer=self._signer,
            timestamper=self._timestamper,
            stamp_style=self._style,
            new_field_spec=fields.SigFieldSpec(_FIELD, on_page=-1, box=_BOX),
        )


def stamp_params(
    pdf: bytes, *, godkjent_av: str, dokument_id: str, tidspunkt: datetime | None = None
) -> dict[str, str]:
    """Return the values the visible stamp shows.

    Args:
        pdf: The unsigned PDF (its SHA-256 is shown, first 16 hex digits).
        godkjent_av: Name of the approver.
        dokument_id: Document id.
        tidspunkt: Approval time, default now; shown as dd.mm.åååå HH:MM in Europe/Oslo.

    Returns:
        The stamp's text parameters.
    """
    when = (tidspunkt or datetime.now(UTC)).astimezone(OSLO)
    return {
        "godkjent_av": godkjent_av,
        "tid": when.strftime("%d.%m.%Y %H:%M"),
        "dokument_id": dokument_id,
        "sha256": hashlib.sha256(pdf).hexdigest()[:16],
    }


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Set Info /Producer to what pyHanko writes into the XMP, as PDF/A requires them equal."""
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        return
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)


class _MemoryFontFactory(GlyphAccumulatorFactory):
    """Give pyHanko the cached stamp font from memory.

    pyHanko's own factory opens the font file per document and never closes it.
    """

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        """Return a glyph accumulator over the in-memory stamp font."""
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_stamp_font()),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


@functools.cache
def _stamp_font() -> bytes:
    """Return a Latin-1 subset of Liberation Sans, made once per process (fast to load)."""
    from fontTools import subset
    from fontTools.ttLib.scaleUpem import scale_upem

    source = _find_font()
    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamp table: fontTools cannot subset it
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=_SUBSET)
    subsetter.subset(font)
    # pyHanko writes the glyph widths (/W) in font units; PDF wants 1/1000 em, and PDF/A wants
    # /W to match the font program. Scaling the subset to 1000 units per em makes both true.
    scale_upem(font, 1000)
    target = io.BytesIO()
    subset.save_font(font, target, options)
    font.close()
    return target.getvalue()


def _find_font() -> Path:
    """Locate Liberation Sans on this machine (never committed to the repository)."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    fc_match = shutil.which("fc-match")
    if fc_match:
        found = subprocess.run(  # noqa: S603 - fixed argv
            [fc_match, "-f", "%{file}", "Liberation Sans:style=Regular"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if found.endswith(".ttf") and Path(found).is_file():
            return Path(found)
    raise SigningFailedError("fant ikke skrifttypen Liberation Sans til forseglingsstempelet")


def verify(pdf: bytes) -> Verifisering:
    """Check that a PDF carries one intact seal covering the whole file.

    The chain is not required to be trusted (a development certificate is self-signed): the
    verdict is about integrity, and ``grunn`` says when the chain is untrusted. An update
    appended after sealing makes the seal cover less than the file: invalid.

    Args:
        pdf: The sealed PDF's bytes.

    Returns:
        The verdict.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # any parse failure means "not a valid seal"
        return Verifisering(False, f"PDF-en kan ikke leses: {error}", None, None)
    if len(signatures) != 1:
        return Verifisering(False, f"fant {len(signatures)} signaturer, ventet én", None, None)
    return _verify_one(signatures[0])


def _verify_one(signature: Any) -> Verifisering:
    """Validate one embedded signature with pyHanko and translate the outcome."""
    # Trust the signer's own certificate: the verdict is about integrity and coverage; whether
    # the chain leads to a trusted CA is not checked here (and said so in ``grunn``).
    context = ValidationContext(
        trust_roots=[signature.signer_cert], allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as error:  # a broken signature is reported, not raised
        return Verifisering(False, f"signaturen kan ikke valideres: {error}", None, None)
    signer = status.signing_cert.subject.native.get("common_name") if status.signing_cert else None
    when = status.signer_reported_dt
    if not (status.intact and status.valid):
        return Verifisering(False, "innholdet er endret etter forseglingen", signer, when)
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return Verifisering(
            False, "filen er endret etter forseglingen (tillegg etter signaturen)", signer, when
        )
    grunn = "forseglingen er intakt og dekker hele filen; sertifikatkjeden er ikke kontrollert"
    if signer == DEV_SUBJECT:
        grunn += " (selvsignert utviklingssertifikat – ikke for produksjon)"
    return Verifisering(True, grunn, signer, when)
