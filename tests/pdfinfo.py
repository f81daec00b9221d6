"""Inspect a PDF: PDF/A claim, fonts, language, signatures and text (tests, CLI, checks).

Uses pyHanko's reader for the catalog and XMP, and poppler's command-line tools (pdffonts,
pdfsig, pdftotext) for what they report best. poppler reads files, so each call writes the
PDF to a private temporary file.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader

from ehf.xmlsafe import parse_xml

_PDFAID = "http://www.aiim.org/pdfa/ns/id/"


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


def pdfa_claim(pdf: bytes) -> tuple[str, str] | None:
    """Return the XMP ``pdfaid`` (part, conformance), e.g. ``("2", "B")``, or None.

    Args:
        pdf: The PDF's bytes.

    Returns:
        The claimed part and conformance level, or None when the file claims no PDF/A.
    """
    metadata = _root(pdf).get("/Metadata")
    if metadata is None:
        return None
    xmp = parse_xml(metadata.get_object().data)
    values: dict[str, str | None] = {}
    for name in ("part", "conformance"):
        element = xmp.find(f".//{{{_PDFAID}}}{name}")
        # XMP allows both <pdfaid:part>2</pdfaid:part> and pdfaid:part="2".
        attribute = next(
            (d.get(f"{{{_PDFAID}}}{name}") for d in xmp.iter() if d.get(f"{{{_PDFAID}}}{name}")),
            None,
        )
        values[name] = element.text if element is not None else attribute
    if not values["part"] or not values["conformance"]:
        return None
    return str(values["part"]).strip(), str(values["conformance"]).strip()


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


def word_boxes(pdf: bytes) -> list[list[tuple[str, float, float]]]:
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
