"""The one hardened XML parser: no DTD, no entities, no network, no huge trees."""

from __future__ import annotations

import re

from lxml import etree

from ehf.errors import XmlUnsafeError

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML bytes, refusing a DTD, entity declarations or references.

    Raises:
        XmlUnsafeError: the bytes declare a DTD or entities, or are not well-formed XML.
    """
    head = data.lstrip(b"\xef\xbb\xbf")
    if _DOCTYPE.search(head):
        raise XmlUnsafeError("XML med DTD eller entiteter er ikke tillatt")
    try:
        root = etree.fromstring(head, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlUnsafeError(f"XML er ikke velformet: {exc.msg}") from None
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise XmlUnsafeError("XML med entitetsreferanser er ikke tillatt")
    return root
