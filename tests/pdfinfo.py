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
