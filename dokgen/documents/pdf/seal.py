"""Seal a PDF/A with a PAdES signature (pyHanko) and verify sealed files.

PAdES baseline B-B, or B-T when a timestamp service is configured. The key is parsed once per
:class:`Sealer`. The sealed revision (one incremental update, nothing rewritten) adds a
readable approvals block: one entry per approval with name, role, method and time (Oslo time
with its UTC offset), who registered an approval on someone's behalf and why, the document id
and how to check the seal. It goes below the last page's content when it fits there, else on
pages added in the same revision, each headed by the document's title and "Tillegg:
godkjenninger" and footed by its page of the addition (the document's own pages keep the
"Side X av Y" LibreOffice wrote); its text is 8 pt and never smaller (the block grows, the
text does not shrink). The font is an embedded subset of a free font (Liberation Sans by
default, ``DOKGEN_SEGL_SKRIFT``) covering the characters :mod:`dokgen.documents.charset`
lets a document hold, so the file stays PDF/A and no missing-glyph box is drawn.

For PDF/UA-1 the block is page content tagged in the structure tree (a /Sect with a heading
and a /P per entry; its border and the added pages' header and footer are artifacts), not
the signature's appearance, which no structure element can reach. The signature widget lies
over the block's last part with an empty appearance, a /TU ("Elektronisk segl fra …") and a
/Form element; every page with annotations gets /Tabs /S. All of it is in the revision the
seal signs.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
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
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import BaseStamp, BaseStampStyle
from pyhanko_certvalidator import ValidationContext

from dokgen.documents.charset import RANGES
from dokgen.documents.pdf.certs import DEV_SUBJECT, dev_certificate, load_signer
from dokgen.documents.pdf.tagging import Structure, set_tab_order
from dokgen.errors import SigningFailedError

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
_FIELD = "Forsegling"
FONT_SIZE = 8  # pt, the approvals block's text; MIN_FONT_SIZE is the floor tests hold it to
MIN_FONT_SIZE = 7.0
_LEADING = 10  # pt between baselines
_PADDING = 6  # pt between the block's border and its text
_GAP = 12.0  # pt kept free between the page's own content (or footer) and the block
_FOOTER_ZONE = 72.0  # pt at the page's foot where a footer ("Side 1 av 2") may stand
_MARGIN = 56.0  # pt, the block's side and top margin on an added page
DEFAULT_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")
_FONT_CANDIDATES = (
    DEFAULT_FONT,
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
_HEADING_SIZE = 10  # pt, the block's heading
_HEADING_LEADING = 14
_FONT_RESOURCE = "/DokgenSegl"
OVERSKRIFT = "Godkjenninger"
TILLEGG = "Tillegg: godkjenninger"
UTVIKLING_TEKST = "Utviklingssertifikat – ikke gyldig som segl"
KONTROLL_TEKST = "Kontroller seglet med «dokgen pdf verifiser FIL» eller en PAdES-validator."


@dataclass(frozen=True)
class Godkjenningslinje:
    """One approval as the seal shows it.

    Attributes:
        navn: Who approved (the party's person).
        rolle: The party, in words (e.g. "Arbeidsgiver").
        metode: How the approval was given, in words (e.g. "e-postlenke med engangskode").
        tidspunkt: When (timezone-aware; shown in Europe/Oslo time with its UTC offset).
        registrert_av: Who registered it, for an approval registered on someone's behalf.
        begrunnelse: Why it was registered on someone's behalf.
    """

    navn: str
    rolle: str
    metode: str
    tidspunkt: datetime
    registrert_av: str | None = None
    begrunnelse: str | None = None


@dataclass(frozen=True)
class Verifisering:
    """The verdict on a sealed PDF: valid or not, why, by whom and when."""

    gyldig: bool
    grunn: str
    signert_av: str | None
    tidspunkt: datetime | None


@dataclass(frozen=True)
class _Plass:
    """The free band on the last page: left x, top y, lowest y and width (PDF units)."""

    x: float
    topp: float
    bunn: float
    bredde: float


@dataclass(frozen=True)
class _Del:
    """The part of the approvals block on one page.

    Attributes:
        side: The page's index.
        box: The block's border (x1, y1, x2, y2, PDF units).
        overskrift: The heading, tagged (on the part that starts the block).
        topptekst: A running header repeating the heading (an artifact), on added pages
            after the first.
        bunntekst: The footer of an added page ("Tillegg: godkjenninger, side 1 av 2").
        linjer: (entry index, line) per line of text.
    """

    side: int
    box: tuple[float, float, float, float]
    overskrift: str | None
    topptekst: str | None
    bunntekst: str | None
    linjer: list[tuple[int, str]]


class Sealer:
    """Seal PDFs with one certificate, parsed once.

    Attributes:
        utvikling: The development certificate seals (no PKCS#12 file given, never in
            production); the approvals block then says it is no valid seal.
    """

    def __init__(
        self,
        *,
        pkcs12: Path | bytes | None,
        passord: str | None,
        tidsstempel_url: str | None = None,
        dev_cert_dir: Path | None = None,
        dev_cert: bytes | None = None,
        produksjon: bool = False,
        skrift: Path | None = None,
    ) -> None:
        """Load the sealing certificate, or make a development certificate outside production.

        Args:
            pkcs12: PKCS#12 file (or its bytes) with key and certificate; None for a
                development certificate, which the approvals block then names as such.
            passord: The PKCS#12 password.
            tidsstempel_url: RFC 3161 timestamp service; gives PAdES B-T instead of B-B.
            dev_cert_dir: Where the development certificate is kept between runs.
            dev_cert: The development certificate's PKCS#12 bytes, when it is kept elsewhere
                (in the database, on PostgreSQL); then ``dev_cert_dir`` is not used.
            produksjon: True in production, where a real certificate is required.
            skrift: The block's TrueType font file; default Liberation Sans from Debian.

        Raises:
            SigningFailedError: No certificate in production, an unreadable PKCS#12 file, or
                the font is missing or lacks characters a document may hold.
        """
        self.utvikling = pkcs12 is None
        egen = False
        if pkcs12 is None:
            if produksjon:
                raise SigningFailedError(
                    "produksjon krever et virksomhetssertifikat (DOKGEN_SERTIFIKAT er ikke satt)"
                )
            pkcs12 = dev_cert or dev_certificate(
                dev_cert_dir or Path(tempfile.gettempdir()) / "dokgen"
            )
            passord, egen = None, True
        self._signer_key = load_signer(pkcs12, passord, egen=egen)
        self._font_path = find_font(skrift)
        self._metrics = _font_metrics(self._font_path)  # fail here, not on the first document
        self._timestamper = timestamps.HTTPTimeStamper(tidsstempel_url) if tidsstempel_url else None
        self._segl_fra = _organisation(self._signer_key)

    @property
    def sertifikat(self) -> bytes:
        """Return the sealing certificate (DER)."""
        cert = self._signer_key.signing_cert
        if cert is None:  # load_signer always sets it
            raise SigningFailedError("seglet har ikke noe sertifikat")
        der: bytes = cert.dump()
        return der

    def seal(
        self, pdf: bytes, *, godkjenninger: Sequence[Godkjenningslinje], dokument_id: str
    ) -> bytes:
        """Add the approvals block and a PAdES seal as one incremental update.

        The block is page content, tagged in the structure tree (a /Sect with a heading and
        a /P per entry) so a screen reader reads it; the signature field's widget lies over
        the block's last part with an empty appearance, has a /TU and is tagged as /Form.
        All of it is in the revision the seal signs.

        Args:
            pdf: The unsigned PDF/A.
            godkjenninger: Every approval, in order; at least one.
            dokument_id: The document's id, shown in the block.

        Returns:
            The sealed PDF.

        Raises:
            SigningFailedError: No approvals, or the PDF could not be read or signed.
        """
        if not godkjenninger:
            raise SigningFailedError("kan ikke forsegle uten minst én godkjenning")
        entries = block_lines(
            godkjenninger, dokument_id=dokument_id, utvikling=self.utvikling, naa=None
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            _align_producer(writer)
            plass = _free_space(writer)
            deler = self._layout(writer, entries, plass)
            structure = Structure.of(writer)
            self._draw(writer, deler, structure)
            self._add_field(writer, deler[-1], structure)
            if structure is not None:
                structure.finish()
            set_tab_order(writer)
            out = self._signer().sign_pdf(writer)
        except (SigningError, TimestampRequestError, PdfReadError, ValueError, OSError) as error:
            raise SigningFailedError(f"kunne ikke forsegle PDF-en: {error}") from error
        return bytes(out.getbuffer())

    def _layout(
        self, writer: IncrementalPdfFileWriter, entries: list[str], plass: _Plass | None
    ) -> list[_Del]:
        """Wrap the entries and place them: on the last page when they fit below its content,
        else on as many pages appended after it as they need.

        Returns:
            The block's parts, one per page, in order.
        """
        pages = writer.root["/Pages"]
        last = int(pages["/Count"]) - 1
        page_w, page_h = _page_size(writer, last)
        if plass is not None:
            lines = self._wrap(entries, plass.bredde - 2 * _PADDING)
            height = _height(len(lines))
            if plass.topp - height >= plass.bunn:
                box = (plass.x, plass.topp - height, plass.x + plass.bredde, plass.topp)
                return [_Del(last, box, OVERSKRIFT, None, None, lines)]
        title = _document_title(writer)
        heading = f"{title} – {TILLEGG}" if title else TILLEGG
        width = page_w - 2 * _MARGIN
        lines = self._wrap(entries, width - 2 * _PADDING)
        heading_lines = [
            line for _, line in self._wrap([heading], width - 2 * _PADDING, _HEADING_SIZE)
        ]
        room = page_h - 2 * _MARGIN - 2 * _PADDING - 2 - len(heading_lines) * _HEADING_LEADING
        per_page = max(1, int(room // _LEADING))
        starts = range(0, len(lines), per_page)
        deler = []
        for number, start in enumerate(starts, start=1):
            part = lines[start : start + per_page]
            side = _add_page(writer, page_w, page_h)
            top = page_h - _MARGIN
            box = (_MARGIN, top - _height(len(part), len(heading_lines)), _MARGIN + width, top)
            footer = f"{TILLEGG}, side {number} av {len(starts)}"
            if number == 1:
                deler.append(_Del(side, box, "\n".join(heading_lines), None, footer, part))
            else:
                running = "\n".join(heading_lines) + " (fortsatt)"
                deler.append(_Del(side, box, None, running, footer, part))
        return deler

    def _wrap(
        self, entries: list[str], width: float, size: float = FONT_SIZE
    ) -> list[tuple[int, str]]:
        """Break each entry into lines no wider than ``width`` pt at ``size``.

        Returns:
            (the entry's index, the line) per line; a line the entry goes on after ends in
            a space.
        """
        cmap, advances = self._metrics
        lines: list[tuple[int, str]] = []
        for number, entry in enumerate(entries):
            text = _drawable(" ".join(entry.split()), cmap)
            measure = functools.partial(_width, cmap=cmap, advances=advances, size=size)
            wrapped = _wrap_line(text, width, measure)
            # A line the entry goes on after keeps its space at the end, so that text read
            # from the tags (a screen reader, a copy) keeps the words apart.
            lines += [(number, f"{line} ") for line in wrapped[:-1]]
            lines.append((number, wrapped[-1]))
        return lines

    def _draw(
        self, writer: IncrementalPdfFileWriter, deler: list[_Del], structure: Structure | None
    ) -> None:
        """Draw each part of the block into its page's content, tagged when the PDF is.

        The border and the added pages' running header and footer are artifacts; the
        heading and each entry are marked content of their structure elements, an entry
        split over two pages one element with content on both.
        """
        font = _MemoryFontFactory(font_file=str(self._font_path), font_size=FONT_SIZE)
        engine = font.create_font_engine(writer)
        section = heading_ref = None
        heading_kind = "/H1"
        elements: dict[int, Any] = {}
        if structure is not None:
            section = structure.element("/Sect", structure.document_ref)
            heading_kind = structure.heading_type()
        for part in deler:
            ops = [b"q", b"/Artifact BMC q 0 G 1 w %s re S Q EMC" % _rect(part.box)]
            x = part.box[0] + _PADDING + 1
            y = part.box[3] - _PADDING - 1
            if part.overskrift or part.topptekst:
                text = part.overskrift or part.topptekst or ""
                tag = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC"
                if part.overskrift and structure is not None:
                    if heading_ref is None:
                        heading_ref = structure.element(heading_kind, section)
                    mcid = structure.mark(heading_ref, part.side)
                    tag = b"%s <</MCID %d>> BDC" % (heading_kind.encode(), mcid)
                elif part.overskrift:
                    tag = b""
                body = []
                for line in text.split("\n"):
                    body.append(_text(engine, line, x, y - _HEADING_SIZE, _HEADING_SIZE))
                    y -= _HEADING_LEADING
                ops.append(_marked(tag, b" ".join(body)))
            by_entry: dict[int, list[bytes]] = {}
            for number, line in part.linjer:
                by_entry.setdefault(number, []).append(_text(engine, line, x, y - FONT_SIZE))
                y -= _LEADING
            for number, body in by_entry.items():
                tag = b""
                if structure is not None:
                    if number not in elements:
                        elements[number] = structure.element("/P", section)
                    mcid = structure.mark(elements[number], part.side)
                    tag = b"/P <</MCID %d>> BDC" % mcid
                ops.append(_marked(tag, b" ".join(body)))
            if part.bunntekst:
                footer = _text(engine, part.bunntekst, _MARGIN, _MARGIN / 2, FONT_SIZE)
                tag = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
                ops.append(_marked(tag, footer))
            ops.append(b"Q")
            resources = generic.DictionaryObject(
                {
                    generic.pdf_name("/Font"): generic.DictionaryObject(
                        {generic.pdf_name(_FONT_RESOURCE): engine.as_resource()}
                    )
                }
            )
            _wrap_page_content(writer, part.side)
            stream = writer.add_object(generic.StreamObject(stream_data=b"\n".join(ops)))
            writer.add_stream_to_page(part.side, stream, resources)

    def _add_field(
        self, writer: IncrementalPdfFileWriter, part: _Del, structure: Structure | None
    ) -> Any:
        """Add the empty signature field over the block's last part: its widget has an
        empty appearance (the block is page content), a /TU and a /Form element."""
        description = f"Elektronisk segl fra {self._segl_fra}"
        box = part.box
        spec = fields.SigFieldSpec(
            _FIELD,
            on_page=part.side,
            box=(round(box[0]), round(box[1]), round(box[2]), round(box[3])),
            readable_field_name=description,
            empty_field_appearance=False,
        )
        fields.append_signature_field(writer, spec)
        field_ref = next(
            ref
            for ref in writer.root["/AcroForm"]["/Fields"]
            if str(ref.get_object().get("/T")) == _FIELD
        )
        if structure is not None:
            page_ref, _ = writer.find_page_for_modification(part.side)
            form = structure.element("/Form", structure.document_ref, alt=description)
            structure.annotation(form, field_ref, page_ref)
        return field_ref

    def _signer(self) -> signers.PdfSigner:
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
            signer=self._signer_key,
            timestamper=self._timestamper,
            stamp_style=_KeepAppearance(),
        )


def tid_tekst(tidspunkt: datetime) -> str:
    """Return a time as people read it, in Oslo time with its UTC offset.

    E.g. ``07.12.2026 kl. 15:05 (norsk tid, UTC+01:00)``; a naive time is taken as UTC.
    """
    if tidspunkt.tzinfo is None:
        tidspunkt = tidspunkt.replace(tzinfo=UTC)
    when = tidspunkt.astimezone(OSLO)
    offset = when.strftime("%z")
    return f"{when:%d.%m.%Y} kl. {when:%H:%M} (norsk tid, UTC{offset[:3]}:{offset[3:]})"


def godkjenning_tekst(nummer: int, g: Godkjenningslinje) -> str:
    """Return one approval's entry in the block: who, as what, when and how.

    An approval registered on someone's behalf says by whom and why.
    """
    if g.registrert_av:
        metode = f"registrert av {g.registrert_av} på vegne av {g.navn}"
    else:
        metode = g.metode
    text = f"{nummer}. {g.navn} ({g.rolle}) – {tid_tekst(g.tidspunkt)} – {metode}"
    if g.begrunnelse:
        text += f" – begrunnelse: {g.begrunnelse}"
    return text


def block_lines(
    godkjenninger: Sequence[Godkjenningslinje],
    *,
    dokument_id: str,
    utvikling: bool,
    naa: datetime | None = None,
) -> list[str]:
    """Return the approvals block's entries (each wrapped to lines when drawn).

    Args:
        godkjenninger: The approvals, in order.
        dokument_id: The document's id.
        utvikling: The seal is made with the development certificate: said first.
        naa: The sealing time, default now.
    """
    entries = [UTVIKLING_TEKST.upper()] if utvikling else []
    entries.append(f"Elektronisk forseglet {tid_tekst(naa or datetime.now(UTC))}. Godkjent av:")
    entries += [godkjenning_tekst(n, g) for n, g in enumerate(godkjenninger, start=1)]
    entries.append(f"Dokument-ID: {dokument_id}")
    entries.append(KONTROLL_TEKST)
    if utvikling:
        entries.append(UTVIKLING_TEKST + ".")
    return entries


def _drawable(text: str, cmap: dict[int, str]) -> str:
    """Replace what the font cannot draw by "?" (input validation refuses it first), so the
    block never shows a missing-glyph box."""
    return "".join(c if ord(c) in cmap else "?" for c in text)


def _height(lines: int, heading_lines: int = 1) -> float:
    """Return the block's height in pt for its heading and ``lines`` lines of text."""
    return heading_lines * _HEADING_LEADING + lines * _LEADING + 2 * _PADDING + 2


def _width(
    text: str, *, cmap: dict[int, str], advances: dict[str, int], size: float = FONT_SIZE
) -> float:
    """Return the width of ``text`` in pt at ``size`` (kerning ignored: never less)."""
    units = sum(advances.get(cmap.get(ord(c), ".notdef"), 1000) for c in text)
    return units / 1000 * size


def _rect(box: tuple[float, float, float, float]) -> bytes:
    """Return a box as the operands of ``re``: x y width height."""
    x1, y1, x2, y2 = box
    return b"%g %g %g %g" % (x1, y1, x2 - x1, y2 - y1)


def _text(
    engine: GlyphAccumulator, line: str, x: float, y: float, size: float = FONT_SIZE
) -> bytes:
    """Return the operators that show one line at baseline (x, y) in the block's font."""
    shaped = engine.shape(line, with_actual_text=False).graphics_ops
    return b"BT %s %g Tf 1 0 0 1 %g %g Tm %s ET" % (
        _FONT_RESOURCE.encode(),
        size,
        x,
        y,
        shaped,
    )


def _marked(tag: bytes, body: bytes) -> bytes:
    """Wrap ``body`` in a marked-content sequence opened by ``tag`` (none when empty)."""
    return b"%s %s EMC" % (tag, body) if tag else body


def _wrap_page_content(writer: IncrementalPdfFileWriter, side: int) -> None:
    """Enclose a page's own content in q … Q, so what is drawn after it starts from the
    default graphics state."""
    for data, prepend in ((b"q", True), (b"Q", False)):
        stream = writer.add_object(generic.StreamObject(stream_data=data))
        writer.add_stream_to_page(side, stream, prepend=prepend)


def _document_title(writer: IncrementalPdfFileWriter) -> str | None:
    """Return the document's title (the Info dictionary's), or None."""
    if "/Info" not in writer.trailer:
        return None
    title = writer.trailer["/Info"].get("/Title")
    return " ".join(str(title).split()) or None if title is not None else None


def _organisation(signer: signers.SimpleSigner) -> str:
    """Return who seals, as the certificate names them: organisation, else common name."""
    cert = signer.signing_cert
    subject = cert.subject.native if cert is not None else {}
    return str(subject.get("organization_name") or subject.get("common_name") or "dokgen")


class _KeepAppearance(BaseStampStyle):
    """A stamp style that leaves the widget's own (empty) appearance: the block is drawn
    on the page, where it can be tagged."""

    def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> BaseStamp | None:
        """Return no stamp: pyHanko then keeps the widget's appearance."""
        return None


def _wrap_line(text: str, width: float, measure: Any) -> list[str]:
    """Break ``text`` at spaces into lines at most ``width`` wide; a longer word is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while measure(word) > width:  # a word wider than the line: cut it where it must
            cut = max(1, next(i for i in range(len(word), 0, -1) if measure(word[:i]) <= width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _page_size(writer: IncrementalPdfFileWriter, index: int) -> tuple[float, float]:
    """Return the width and height of page ``index`` from its (possibly inherited) MediaBox."""
    page_ref, _ = writer.find_page_for_modification(index)
    node = page_ref.get_object()
    while "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"]
    x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
    return x2 - x1, y2 - y1


def _add_page(writer: IncrementalPdfFileWriter, width: float, height: float) -> int:
    """Append an empty page of the given size; return its index."""
    page = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (0, 0, width, height)]
            ),
            generic.pdf_name("/Resources"): generic.DictionaryObject(),
            generic.pdf_name("/Contents"): writer.add_object(generic.StreamObject(stream_data=b"")),
        }
    )
    writer.insert_page(page)
    return int(writer.root["/Pages"]["/Count"]) - 1


def _free_space(writer: IncrementalPdfFileWriter) -> _Plass | None:
    """Find the empty band below the last page's content and above its footer.

    The page's content stream is read for where it paints (text, lines, fills, images; see
    :func:`painted_boxes`). Returns None when it cannot be read: the block then goes on an
    added page.
    """
    last = int(writer.root["/Pages"]["/Count"]) - 1
    page_w, page_h = _page_size(writer, last)
    page_ref, _ = writer.find_page_for_modification(last)
    try:
        boxes = painted_boxes(page_ref.get_object())
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, PdfReadError):
        return None
    footer = [b for b in boxes if b[3] <= _FOOTER_ZONE]  # wholly in the foot: the footer
    body = [b for b in boxes if b[3] > _FOOTER_ZONE]
    body_bottom = min((b[1] for b in body), default=page_h - _MARGIN)
    footer_top = max((b[3] for b in footer), default=_GAP)
    left = min((b[0] for b in boxes), default=_MARGIN)
    left = min(max(28.0, left), page_w / 4)
    return _Plass(x=left, topp=body_bottom - _GAP, bunn=footer_top + _GAP, bredde=page_w - 2 * left)


_TOKENS = re.compile(
    rb"\((?:\\.|[^\\()])*\)"  # literal string (unnested)
    rb"|<<|>>|<[0-9A-Fa-f\s]*>"  # dictionary brackets, hex string
    rb"|/[^\s/<>\[\]()]*"  # name
    rb"|[-+]?(?:\d+\.?\d*|\.\d+)"  # number
    rb"|[A-Za-z'\"*]+"  # operator
    rb"|[\[\]]",
    re.S,
)
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """Return m × n (PDF's row-vector convention: apply m, then n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _bbox(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _resolved(value: Any) -> Any:
    """Follow an indirect reference (a dictionary's ``get`` returns it unresolved)."""
    return value.get_object() if hasattr(value, "get_object") else value


def _xobject_box(xobject: Any, ctm: _Matrix) -> tuple[float, float, float, float]:
    """Return where a painted image (unit square) or form (its /BBox) lands on the page."""
    x1, y1, x2, y2 = (float(v) for v in _resolved(xobject.get("/BBox", (0, 0, 1, 1))))
    matrix = tuple(float(v) for v in _resolved(xobject.get("/Matrix", _IDENTITY)))
    m = _mul(matrix, ctm)  # type: ignore[arg-type]
    return _bbox([_apply(m, x1, y1), _apply(m, x2, y2), _apply(m, x1, y2), _apply(m, x2, y1)])


def painted_boxes(page: Any) -> list[tuple[float, float, float, float]]:
    """Return the boxes (x1, y1, x2, y2, PDF units) a page's content stream paints in.

    A small reading of the operators LibreOffice writes: the graphics state (q, Q, cm),
    text positioning and showing (BT, Td, TD, Tm, T*, Tf, TL, Tj, TJ, ', "), paths that are
    stroked or filled (not white fills, not clipping paths) and painted XObjects. A text
    run's box spans the font size from a quarter below its baseline.

    Raises:
        ValueError: the stream holds something this reading does not know (inline images).
    """
    if "/Contents" not in page:
        return []
    contents = page["/Contents"]
    streams = contents if isinstance(contents, list) else [contents]
    data = b"\n".join(s.get_object().data for s in streams)
    resources = page["/Resources"] if "/Resources" in page else generic.DictionaryObject()
    xobjects = resources["/XObject"] if "/XObject" in resources else generic.DictionaryObject()
    boxes: list[tuple[float, float, float, float]] = []
    stack: list[_Matrix] = []
    ctm, tm, tlm = _IDENTITY, _IDENTITY, _IDENTITY
    size, leading = 0.0, 0.0
    path: list[tuple[float, float]] = []
    white = False
    nums: list[float] = []
    last_name = ""

    def text_box() -> None:
        m = _mul(tm, ctm)
        corners = [_apply(m, 0, -0.25 * size), _apply(m, 0, size)]
        boxes.append(_bbox(corners))

    def next_line(tx: float, ty: float) -> None:
        nonlocal tm, tlm
        tlm = _mul((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
        tm = tlm

    for match in _TOKENS.finditer(data):
        token = match.group()
        first = token[:1]
        if first in b"-+.0123456789":
            nums.append(float(token))
            continue
        if first == b"/":
            last_name = token.decode("latin-1")
            continue
        if first in b"([<>]":
            continue
        op = token.decode("latin-1")
        if op == "BI":
            raise ValueError("inline image")
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else _IDENTITY
        elif op == "cm" and len(nums) >= 6:
            ctm = _mul(tuple(nums[-6:]), ctm)  # type: ignore[arg-type]
        elif op == "BT":
            tm = tlm = _IDENTITY
        elif op in ("Td", "TD") and len(nums) >= 2:
            if op == "TD":
                leading = -nums[-1]
            next_line(nums[-2], nums[-1])
        elif op == "Tm" and len(nums) >= 6:
            tm = tlm = tuple(nums[-6:])  # type: ignore[assignment]
        elif op == "T*":
            next_line(0, -leading)
        elif op == "TL" and nums:
            leading = nums[-1]
        elif op == "Tf" and nums:
            size = nums[-1]
        elif op in ("Tj", "TJ"):
            text_box()
        elif op in ("'", '"'):
            next_line(0, -leading)
            text_box()
        elif op in ("g", "rg", "k"):
            white = bool(nums) and (
                all(v >= 0.99 for v in nums[-3:])
                if op != "k"
                else all(v <= 0.01 for v in nums[-4:])
            )
        elif op in ("m", "l") and len(nums) >= 2:
            path.append(_apply(ctm, nums[-2], nums[-1]))
        elif op in ("c", "v", "y") and len(nums) >= 4:
            path += [_apply(ctm, nums[i], nums[i + 1]) for i in range(len(nums) - 2, -1, -2)][:3]
        elif op == "re" and len(nums) >= 4:
            x, y, w, h = nums[-4:]
            path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h)]
            path += [_apply(ctm, x + w, y), _apply(ctm, x, y + h)]
        elif op in ("S", "s", "B", "B*", "b", "b*") and path:
            boxes.append(_bbox(path))
            path = []
        elif op in ("f", "F", "f*") and path:
            if not white:
                boxes.append(_bbox(path))
            path = []
        elif op == "n":
            path = []
        elif op == "Do" and last_name in xobjects:
            boxes.append(_xobject_box(xobjects[last_name], ctm))
        nums = []
    return boxes


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Set Info /Producer to what pyHanko writes into the XMP, as PDF/A requires them equal."""
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None:
        return
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)


class _MemoryFontFactory(GlyphAccumulatorFactory):
    """Give pyHanko the cached subset of the block's font from memory.

    pyHanko's own factory opens the font file per document and never closes it.
    """

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        """Return a glyph accumulator over the in-memory font subset."""
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_stamp_font(Path(self.font_file))),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


def _printable_text() -> str:
    """Return every character a document may hold (:mod:`dokgen.documents.charset`)."""
    return "".join(chr(c) for low, high in RANGES for c in range(low, high + 1))


@functools.cache
def _stamp_font(source: Path) -> bytes:
    """Return the font's subset for the printable characters, made once per process.

    Raises:
        SigningFailedError: the font cannot draw a character a document may hold.
    """
    from fontTools import subset
    from fontTools.ttLib.scaleUpem import scale_upem

    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamp table: fontTools cannot subset it
    font = subset.load_font(str(source), options)
    cmap = font.getBestCmap()
    missing = [c for c in _printable_text() if ord(c) not in cmap and c.isprintable()]
    if missing:
        font.close()
        raise SigningFailedError(
            f"skrifttypen {source.name} mangler {len(missing)} tegn et dokument kan inneholde "
            f"(f.eks. «{missing[0]}»): velg en annen med DOKGEN_SEGL_SKRIFT"
        )
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=_printable_text())
    subsetter.subset(font)
    # pyHanko writes the glyph widths (/W) in font units; PDF wants 1/1000 em, and PDF/A wants
    # /W to match the font program. Scaling the subset to 1000 units per em makes both true.
    scale_upem(font, 1000)
    target = io.BytesIO()
    subset.save_font(font, target, options)
    font.close()
    return target.getvalue()


@functools.cache
def _font_metrics(source: Path) -> tuple[dict[int, str], dict[str, int]]:
    """Return the subset's character map and advance widths (1/1000 em), to wrap lines."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_stamp_font(source)))
    cmap = dict(font.getBestCmap())
    advances = {name: width for name, (width, _) in font["hmtx"].metrics.items()}
    font.close()
    return cmap, advances


def find_font(setting: Path | None = None) -> Path:
    """Locate the block's font: the setting's file, else Liberation Sans or DejaVu Sans from
    Debian (never committed to the repository).

    Raises:
        SigningFailedError: the configured file, or every default, is missing.
    """
    if setting is not None:
        if not setting.is_file():
            raise SigningFailedError(f"fant ikke skrifttypen {setting} (DOKGEN_SEGL_SKRIFT)")
        return setting
    for candidate in _FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
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
    raise SigningFailedError("fant ikke skrifttypen Liberation Sans til seglet (fonts-liberation2)")


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
