"""Inspect a PDF: PDF/A and PDF/UA claims, structure tree, fonts, language, signatures, text.

Uses pyHanko's reader for the catalog and XMP, and poppler's command-line tools (pdffonts,
pdfsig, pdftotext) for what they report best. poppler reads files, so each call writes the
PDF to a private temporary file.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader

from ehf.xmlsafe import parse_xml

_PDFAID = "http://www.aiim.org/pdfa/ns/id/"
_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"


def _run(tool: str, pdf: bytes, *args: str) -> str:
    """Run a poppler tool on ``pdf`` and return its standard output as text."""
    with tempfile.TemporaryDirectory(prefix="dokgen-pdfinfo-") as tmp:
        path = Path(tmp) / "dokument.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=False,
            timeout=60,
        )
    return result.stdout.decode("utf-8", "replace")


def _root(pdf: bytes) -> Any:
    """Return the document catalog, read with pyHanko."""
    return PdfFileReader(io.BytesIO(pdf), strict=False).root


def _xmp(pdf: bytes) -> Any:
    """Return the catalog's XMP packet parsed (its root element), or None."""
    metadata = _root(pdf).get("/Metadata")
    return None if metadata is None else parse_xml(metadata.get_object().data)


def _xmp_value(xmp: Any, namespace: str, name: str) -> str | None:
    """Return a simple XMP property as element text or attribute (XMP allows both forms)."""
    element = xmp.find(f".//{{{namespace}}}{name}")
    if element is not None and element.text:
        return str(element.text).strip()
    tag = f"{{{namespace}}}{name}"
    return next((str(d.get(tag)).strip() for d in xmp.iter() if d.get(tag)), None)


def pdfa_claim(pdf: bytes) -> tuple[str, str] | None:
    """Return the XMP ``pdfaid`` (part, conformance), e.g. ``("2", "B")``, or None.

    Args:
        pdf: The PDF's bytes.

    Returns:
        The claimed part and conformance level, or None when the file claims no PDF/A.
    """
    xmp = _xmp(pdf)
    if xmp is None:
        return None
    part, conformance = (_xmp_value(xmp, _PDFAID, n) for n in ("part", "conformance"))
    if not part or not conformance:
        return None
    return part, conformance


def pdfua_claim(pdf: bytes) -> str | None:
    """Return the XMP ``pdfuaid:part`` (``"1"`` for PDF/UA-1), or None."""
    xmp = _xmp(pdf)
    return None if xmp is None else _xmp_value(xmp, _PDFUAID, "part")


def xmp_extension_schemas(pdf: bytes) -> dict[str, str]:
    """Return the PDF/A extension schemas the XMP declares: prefix → namespace URI.

    A schema's fields may be elements or attributes, and the URI text or ``rdf:resource``:
    XMP's equivalent forms (LibreOffice writes one, pyHanko re-writes it as another).
    """
    xmp = _xmp(pdf)
    found: dict[str, str] = {}
    for node in [] if xmp is None else xmp.iter(f"{{{_RDF}}}Description", f"{{{_RDF}}}li"):
        prefix, uri = _schema_field(node, "prefix"), _schema_field(node, "namespaceURI")
        if prefix and uri:
            found[prefix] = uri
    return found


def _schema_field(node: Any, name: str) -> str | None:
    """Return a ``pdfaSchema`` field of a schema node in any of its XMP forms."""
    tag = f"{{{_PDFA_SCHEMA}}}{name}"
    child = node.find(tag)
    value = node.get(tag) or (
        None if child is None else child.text or child.get(f"{{{_RDF}}}resource")
    )
    return str(value).strip() if value else None


def titles(pdf: bytes) -> tuple[str | None, str | None]:
    """Return the document title of the Info dictionary and of the XMP's ``dc:title``."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    info = reader.trailer_view.get("/Info")
    info_title = info.get_object().get("/Title") if info is not None else None
    xmp = _xmp(pdf)
    element = None if xmp is None else xmp.find(f".//{{{_DC}}}title//{{{_RDF}}}li")
    return (
        str(info_title) if info_title is not None else None,
        str(element.text) if element is not None else None,
    )


def catalog_flags(pdf: bytes) -> dict[str, bool]:
    """Return what the catalog says for accessibility: ``marked`` (/MarkInfo /Marked),
    ``display_doc_title`` (/ViewerPreferences /DisplayDocTitle) and ``outline`` (/Outlines)."""
    root = _root(pdf)
    mark_info = root.get("/MarkInfo")
    viewer = root.get("/ViewerPreferences")
    return {
        "marked": bool(mark_info and mark_info.get_object().get("/Marked")),
        "display_doc_title": bool(viewer and viewer.get_object().get("/DisplayDocTitle")),
        "outline": "/Outlines" in root,
    }


def structure_types(pdf: bytes) -> Counter[str]:
    """Count the structure elements of the tagged PDF by standard type (``H1``, ``TH``, ``P``).

    Custom types are mapped through the StructTreeRoot's /RoleMap, as a screen reader does.

    Args:
        pdf: The PDF's bytes.

    Returns:
        How many elements of each type the structure tree holds (empty when untagged).
    """
    tree = _root(pdf).get("/StructTreeRoot")
    if tree is None:
        return Counter()
    tree = tree.get_object()
    role_map = tree.get("/RoleMap")
    roles = {str(k): str(v) for k, v in role_map.get_object().items()} if role_map else {}
    counts: Counter[str] = Counter()
    todo = [tree.get("/K")]
    while todo:
        kids = todo.pop()
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        if isinstance(kids, list):
            todo.extend(kids)
        elif isinstance(kids, dict) and "/S" in kids:  # a structure element (not an MCR/OBJR)
            kind = str(kids["/S"])
            for _ in range(10):  # role maps may chain; a cycle stops here
                if kind not in roles:
                    break
                kind = roles[kind]
            counts[kind.lstrip("/")] += 1
            if "/K" in kids:
                todo.append(kids.raw_get("/K"))
    return counts


def lang(pdf: bytes) -> str | None:
    """Return the catalog's ``/Lang`` (e.g. ``nb-NO``), or None."""
    value = _root(pdf).get("/Lang")
    return str(value) if value is not None else None


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Return the names of fonts pdffonts reports as not embedded (empty when all are).

    Args:
        pdf: The PDF's bytes.

    Returns:
        Font names whose ``emb`` column says ``no``.
    """
    lines = _run("pdffonts", pdf).splitlines()
    if len(lines) < 2 or not lines[1].startswith("---"):
        raise ValueError("pdffonts could not read the PDF")
    # Columns are fixed-width, delimited by the dashes under the header.
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    emb = next(i for i, (a, b) in enumerate(spans) if lines[0][a:b].strip() == "emb")
    missing = []
    for line in lines[2:]:
        start = spans[emb][0]
        if line[start : start + 3].strip() == "no":
            missing.append(line[: spans[0][1]].strip())
    return missing


def pdfsig_report(pdf: bytes) -> list[dict[str, Any]]:
    """Parse ``pdfsig``'s text output: one dict per signature.

    pdfsig's exit code says little (it exits 0 for a file edited after signing), so this reads
    what it prints. Keys: ``number``, ``valid`` (True only for "Signature is Valid."),
    ``validation`` (its text), ``signer`` (common name), ``total_document_signed``, ``fields``.

    Args:
        pdf: The PDF's bytes.

    Returns:
        The signatures, in pdfsig's order; empty when there are none.
    """
    return parse_pdfsig(_run("pdfsig", pdf, "-nocert"))


def parse_pdfsig(output: str) -> list[dict[str, Any]]:
    """Parse the text ``pdfsig`` prints into one dict per signature (see :func:`pdfsig_report`).

    Args:
        output: pdfsig's standard output.

    Returns:
        The signatures, in pdfsig's order.
    """
    signatures: list[dict[str, Any]] = []
    for line in output.splitlines():
        header = re.match(r"^Signature #(\d+):", line)
        if header:
            signatures.append({"number": int(header.group(1)), "fields": {}, "valid": False})
            signatures[-1].update(signer=None, validation=None, total_document_signed=False)
            continue
        if not signatures or not line.strip().startswith("- "):
            continue
        _add_field(signatures[-1], line.strip()[2:])
    return signatures


def _add_field(signature: dict[str, Any], item: str) -> None:
    """Record one ``- Key: value`` line of pdfsig output in ``signature``."""
    if item == "Total document signed":
        signature["total_document_signed"] = True
        return
    key, _, value = item.partition(": ")
    signature["fields"][key] = value
    if key == "Signature Validation":
        signature["validation"] = value
        signature["valid"] = value == "Signature is Valid."
    elif key == "Signer Certificate Common Name":
        signature["signer"] = value


def text(pdf: bytes, *, layout: bool = True) -> str:
    """Return the PDF's text, laid out as on the page or (``layout=False``) in reading order."""
    return _run("pdftotext", pdf, *(["-layout"] if layout else []), "-enc", "UTF-8")


def page_texts(pdf: bytes, *, layout: bool = True) -> list[str]:
    """Return the text of each page (split at form feeds)."""
    pages = text(pdf, layout=layout).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Run:
    """Text shown in one font: the font's name, its size (Tf, times any scaling of the stream
    and its form's /Matrix) and the character codes (2 bytes each for a Type0 font)."""

    font: str
    size: float
    codes: bytes
    type0: bool


_TOKEN = re.compile(
    rb"/([^\s/<>\[\]()]+)\s+(-?[\d.]+)\s+Tf"  # font and size
    rb"|(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+-?[\d.]+\s+-?[\d.]+\s+cm"
    rb"|\[((?:<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ"
    rb"|(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))\s*(?:Tj|'|\")",
    re.S,
)
_STRING = re.compile(rb"<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)", re.S)


def _string_bytes(hex_part: bytes | None, literal: bytes | None) -> bytes:
    if hex_part is not None:
        digits = re.sub(rb"\s", b"", hex_part)
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    out, raw, i = bytearray(), literal or b"", 0
    while i < len(raw):
        if raw[i] == 0x5C and i + 1 < len(raw):  # backslash escape
            nxt = raw[i + 1 : i + 4]
            octal = re.match(rb"[0-7]{1,3}", nxt)
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(
                raw[i + 1 : i + 2], raw[i + 1 : i + 2]
            )
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def _runs_in(stream: Any, scale: float, seen: set[int], runs: list[Run]) -> None:
    """Collect the text runs of one content stream and of the forms it paints."""
    resources = _obj(stream.get("/Resources")) or {}
    fonts = {str(k)[1:]: _obj(v) for k, v in (_obj(resources.get("/Font")) or {}).items()}
    matrix = _obj(stream.get("/Matrix"))
    if matrix is not None:
        scale *= min(abs(float(matrix[0])), abs(float(matrix[3])))
    data = stream.data if hasattr(stream, "data") else b""
    font: Any = None
    size = 0.0
    local = scale
    for m in _TOKEN.finditer(data):
        if m.group(1) is not None:
            font, size = fonts.get(m.group(1).decode("latin-1")), float(m.group(2))
        elif m.group(3) is not None:
            local *= min(abs(float(m.group(3))), abs(float(m.group(6))))
        else:
            body = m.group(7) if m.group(7) is not None else m.group(8)
            codes = b"".join(_string_bytes(s.group(1), s.group(2)) for s in _STRING.finditer(body))
            name = str(font.get("/BaseFont", "?"))[1:] if font is not None else "?"
            type0 = font is not None and str(font.get("/Subtype")) == "/Type0"
            runs.append(Run(name, size * local, codes, type0))
    for ref in (_obj(resources.get("/XObject")) or {}).values():
        xobject = _obj(ref)
        key = id(xobject)
        if key in seen or str(xobject.get("/Subtype")) != "/Form":
            continue
        seen.add(key)
        _runs_in(xobject, scale, seen, runs)


def text_runs(pdf: bytes) -> list[Run]:
    """Return every text run of the file: page contents, the forms they paint, and the
    appearance streams of annotations (a signature's visible stamp).

    The size is the Tf size times the scaling of ``cm`` and form matrices met before it in
    the same stream (enough for what dokgen and LibreOffice write; not a full PDF renderer).
    """
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    runs: list[Run] = []
    seen: set[int] = set()
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        contents = _obj(page.get("/Contents"))
        streams = contents if isinstance(contents, list) else [contents] if contents else []
        data = b"\n".join(_obj(s).data for s in streams)
        resources = _obj(page.get("/Resources"))
        node = page
        while resources is None and "/Parent" in node:
            node = node["/Parent"]
            resources = _obj(node.get("/Resources"))
        _runs_in(_Content(data, resources or {}), 1.0, seen, runs)
        for annot in _obj(page.get("/Annots")) or []:
            appearance = _obj((_obj(_obj(annot).get("/AP")) or {}).get("/N"))
            if appearance is not None and hasattr(appearance, "data"):
                _runs_in(appearance, 1.0, seen, runs)
    return runs


def _obj(value: Any) -> Any:
    """Resolve an indirect reference (pyHanko's ``get`` does not)."""
    return value.get_object() if hasattr(value, "get_object") else value


@dataclass(frozen=True)
class _Content:
    """A page's joined content streams with the page's resources, read like a form."""

    data: bytes
    resources: Any

    def get(self, key: str, default: Any = None) -> Any:
        return self.resources if key == "/Resources" else default


def notdef_runs(pdf: bytes) -> list[Run]:
    """Return the runs that draw glyph 0 (.notdef): CID 0 in a Type0 (Identity-H) font, code
    0 in a simple font (LibreOffice's subsets number their glyphs from 1)."""
    bad = []
    for run in text_runs(pdf):
        width = 2 if run.type0 else 1
        codes = [run.codes[i : i + width] for i in range(0, len(run.codes), width)]
        if any(code == b"\0" * width for code in codes):
            bad.append(run)
    return bad


def page_count(pdf: bytes) -> int:
    """Return the number of pages."""
    return int(_root(pdf)["/Pages"]["/Count"])


def word_boxes(pdf: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """Return the words of page ``page`` (1-based) as (x1, y1, x2, y2, text) in PDF units
    (origin at the bottom left), from pdftotext's -bbox output."""
    html = _run("pdftotext", pdf, "-bbox", "-f", str(page), "-l", str(page))
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    words = []
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    for m in re.finditer(pattern, html):
        x1, top, x2, bottom = (float(v) for v in m.groups()[:4])
        words.append((x1, height - bottom, x2, height - top, m.group(5)))
    return words


def signature_rect(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """Return the page (1-based) and /Rect of the file's one signature widget."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if str(annot.get("/FT")) == "/Sig" or (
                "/Parent" in annot and str(annot["/Parent"].get("/FT")) == "/Sig"
            ):
                x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
                return index + 1, (x1, y1, x2, y2)
    raise ValueError("no signature widget")


def unsigned_revision(pdf: bytes) -> bytes:
    """Return the file as it was before its first incremental update (up to its first %%EOF)."""
    end = pdf.index(b"%%EOF") + len(b"%%EOF")
    while end < len(pdf) and pdf[end : end + 1] in b"\r\n":
        end += 1
    return pdf[:end]


def word_heights(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Return each page's words with their box's top and height, in points (pdftotext -bbox).

    A word's box is as tall as its font is large, so two words' heights compare their sizes.
    """
    html = _run("pdftotext", pdf, "-bbox", "-enc", "UTF-8")
    pages: list[list[tuple[str, float, float]]] = []
    for page in re.split(r"<page ", html)[1:]:
        words = re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            page,
        )
        pages.append([(w, float(y0), float(y1) - float(y0)) for y0, y1, w in words])
    return pages


def struct_text(pdf: bytes) -> str:
    """Return the structure tree with each element's text, as poppler's
    ``pdfinfo -struct-text`` prints it (indented by depth; text quoted under its element)."""
    return _run("pdfinfo", pdf, "-struct-text")


def _number_tree(node: Any) -> dict[int, Any]:
    """Return a number tree's entries (its /Nums and its /Kids', recursively)."""
    node = _obj(node)
    found: dict[int, Any] = {}
    nums = _obj(node.get("/Nums")) or []
    for i in range(0, len(nums) - 1, 2):
        found[int(nums[i])] = nums.raw_get(i + 1)
    for kid in _obj(node.get("/Kids")) or []:
        found.update(_number_tree(kid))
    return found


def annotation_tags(pdf: bytes) -> list[dict[str, Any]]:
    """Return how each annotation is tagged, as a PDF/UA-1 checker reads it.

    Keys: ``page`` (1-based), ``subtype``, ``tu`` (/TU, for a form field), ``tabs`` (the
    page's /Tabs), ``element`` (the standard type of the element the ParentTree maps the
    annotation's /StructParent to, or None), ``objr`` (that element holds an /OBJR to this
    annotation) and ``in_tree`` (the element is a kid of its parent, up to the root).
    """
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    tree = _obj(reader.root.get("/StructTreeRoot"))
    nums = _number_tree(tree["/ParentTree"]) if tree is not None else {}
    role_map = _obj(tree.get("/RoleMap")) if tree is not None else None
    roles = {str(k): str(v) for k, v in (role_map or {}).items()}
    found = []
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        annots = _obj(page.get("/Annots")) or []
        for i in range(len(annots)):
            ref = annots.raw_get(i)
            annot = _obj(ref)
            key = annot.get("/StructParent")
            element_ref = nums.get(int(key)) if key is not None else None
            element = _obj(element_ref)
            kind = str(element["/S"]) if element is not None else None
            while kind in roles:
                kind = roles[kind]
            kids = _obj(element.get("/K")) if element is not None else None
            kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
            objr = any(
                isinstance(_obj(k), dict)
                and str(_obj(k).get("/Type")) == "/OBJR"
                and _obj(k).raw_get("/Obj").idnum == ref.idnum
                for k in kids
            )
            tu = annot.get("/TU")
            found.append(
                {
                    "page": index + 1,
                    "subtype": str(annot.get("/Subtype")),
                    "tu": str(tu) if tu is not None else None,
                    "tabs": str(page.get("/Tabs")) if "/Tabs" in page else None,
                    "element": kind.lstrip("/") if kind else None,
                    "objr": objr,
                    "in_tree": element_ref is not None and _reaches_root(element_ref),
                }
            )
    return found


def _reaches_root(ref: Any) -> bool:
    """Tell whether a structure element is a kid of its /P, and so on up to the root."""
    for _ in range(50):
        element = _obj(ref)
        if str(element.get("/Type")) == "/StructTreeRoot":
            return True
        parent_ref = element.raw_get("/P")
        kids = _obj(_obj(parent_ref).get("/K"))
        kids = kids if isinstance(kids, list) else [kids]
        raw = (
            [k for k in (kids.raw_get(i) for i in range(len(kids)))]
            if hasattr(kids, "raw_get")
            else kids
        )
        if not any(getattr(k, "idnum", None) == ref.idnum for k in raw):
            return False
        ref = parent_ref
    return False
