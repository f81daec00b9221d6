"""The one hardened XML parser: no DTD, no entities, no network, no huge trees.

The DTD rule holds whatever the encoding: the text is decoded as the parser will decode it
(UTF-8 or UTF-16, any other encoding refused) and checked before parsing, and the parsed
tree is checked again for a document type declaration or an entity.
"""

from __future__ import annotations

import re

from lxml import etree

from ehf.errors import XmlUnsafeError

_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DECLARED = re.compile(r"""<\?xml\s[^>]*?\bencoding\s*=\s*(["'])(.*?)\1""")
# (leading bytes, Python codec, the encoding names a declaration may give with them)
_UTF8 = frozenset({"utf-8", "utf8"})
_BOMS: tuple[tuple[bytes, str | None, frozenset[str]], ...] = (
    (b"\x00\x00\xfe\xff", None, frozenset()),  # UTF-32: refused
    (b"\xff\xfe\x00\x00", None, frozenset()),
    (b"\xef\xbb\xbf", "utf-8-sig", _UTF8),
    (b"\xff\xfe", "utf-16", frozenset({"utf-16", "utf16", "utf-16le"})),
    (b"\xfe\xff", "utf-16", frozenset({"utf-16", "utf16", "utf-16be"})),
    (b"<\x00", "utf-16-le", frozenset({"utf-16", "utf16", "utf-16le"})),
    (b"\x00<", "utf-16-be", frozenset({"utf-16", "utf16", "utf-16be"})),
)
_ENCODING_REFUSED = "XML må være kodet som UTF-8 eller UTF-16"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _text(data: bytes) -> str:
    """Decode the bytes as the parser will, refusing UTF-7, UTF-32 and every other encoding."""
    codec, allowed = "utf-8", _UTF8
    for bom, bom_codec, bom_allowed in _BOMS:
        if data.startswith(bom):
            if bom_codec is None:
                raise XmlUnsafeError(_ENCODING_REFUSED)
            codec, allowed = bom_codec, bom_allowed
            break
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise XmlUnsafeError(f"{_ENCODING_REFUSED} (filen har ugyldige tegn)") from None
    if "\x00" in text:  # never legal in XML; a sign of UTF-32 or another wide encoding
        raise XmlUnsafeError(_ENCODING_REFUSED)
    declared = _DECLARED.match(text.lstrip("\ufeff"))
    if declared is not None and declared.group(2).strip().lower() not in allowed:
        raise XmlUnsafeError(_ENCODING_REFUSED)
    return text


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML bytes, refusing a DTD, entity declarations or references.

    Raises:
        XmlUnsafeError: the bytes are not UTF-8 or UTF-16, declare a DTD or entities, or are
            not well-formed XML.
    """
    if _DOCTYPE.search(_text(data)):
        raise XmlUnsafeError("XML med DTD eller entiteter er ikke tillatt")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        # The position only: libxml2's message repeats names from the input (an entity's
        # name can be a fødselsnummer).
        line, column = exc.position
        raise XmlUnsafeError(f"XML er ikke velformet (linje {line}, kolonne {column})") from None
    docinfo = root.getroottree().docinfo
    # libxml2 keeps every <!DOCTYPE …>, with or without an internal subset, as internalDTD.
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlUnsafeError("XML med DTD eller entiteter er ikke tillatt")
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise XmlUnsafeError("XML med entitetsreferanser er ikke tillatt")
    return root
