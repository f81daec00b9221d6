"""The hardened parser refuses DTDs, entities and broken XML before anything reads it."""

from __future__ import annotations

import pytest

from ehf.errors import XmlUnsafeError
from ehf.xmlsafe import parse_xml


def test_plain_xml_parses_with_escapes_kept() -> None:
    root = parse_xml("\ufeff<a>Æ &amp; &lt;ø&gt;</a>".encode())
    assert root.text == "Æ & <ø>"


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
        b'<?xml version="1.0"?>\n<!doctype a SYSTEM "file:///etc/passwd"><a/>',
        b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1/x">%p;]><a/>',
    ],
)
def test_dtd_and_entities_refused(data: bytes) -> None:
    with pytest.raises(XmlUnsafeError, match="DTD"):
        parse_xml(data)


@pytest.mark.parametrize("data", [b"<a>", b"<a>&ukjent;</a>", b"", b"ikke xml"])
def test_malformed_refused(data: bytes) -> None:
    with pytest.raises(XmlUnsafeError, match="velformet"):
        parse_xml(data)
