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


BOMB = '<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]>'
EKSTERN = '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
UTF16_HEAD = '<?xml version="1.0" encoding="UTF-16"?>'


def _utf16(text: str, codec: str) -> bytes:
    return ("\ufeff" + text).encode(codec)  # with the byte order mark


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        f'{UTF16_HEAD}{BOMB}<a b="&y;">&y;</a>',
        f'{BOMB}<a b="&y;"/>',  # an entity in an attribute is expanded by the parser itself
        f"{EKSTERN}<a>&e;</a>",
        '<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>',
        "<!doctype a><a/>",
    ],
)
def test_dtd_in_utf16_refused(text: str, codec: str) -> None:
    """The DTD rule holds in UTF-16 (either byte order, with the BOM), not only in UTF-8."""
    with pytest.raises(XmlUnsafeError, match="DTD eller entiteter er ikke tillatt"):
        parse_xml(_utf16(text, codec))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_plain_utf16_parses(codec: str) -> None:
    root = parse_xml(_utf16(f"{UTF16_HEAD}<a>Æ &amp; ø</a>", codec))
    assert (root.tag, root.text) == ("a", "Æ & ø")


@pytest.mark.parametrize(
    "data",
    [
        # UTF-7 spells "<!DOCTYPE" as "+ADw-!DOCTYPE": no raw "<!DOCTYPE" in the bytes.
        b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE a SYSTEM +ACI-file:///etc/passwd'
        b"+ACI-+AD4-+ADw-a/+AD4-",
        b'<?xml version="1.0" encoding="UTF-7"?><a>+ACY-e;</a>',
        b"<?xml version='1.0' encoding='utf-7'?><a/>",
        '<?xml version="1.0" encoding="ISO-8859-1"?><a>Æ</a>'.encode("latin-1"),
        b'<?xml version="1.0" encoding="ISO-8859-1"?><a>ascii</a>',
        '<?xml version="1.0"?><a/>'.encode("utf-32"),
        # A UTF-16 byte order mark with a declaration that asks to switch encodings.
        _utf16('<?xml version="1.0" encoding="UTF-7"?><a/>', "utf-16-le"),
        _utf16('<?xml version="1.0" encoding="UTF-8"?><a/>', "utf-16-be"),
    ],
)
def test_other_encodings_refused(data: bytes) -> None:
    """Only UTF-8 and UTF-16 are read; UTF-7, Latin-1, UTF-32 are refused outright."""
    with pytest.raises(XmlUnsafeError, match="UTF-8 eller UTF-16"):
        parse_xml(data)


def test_malformed_message_names_the_place_not_the_input() -> None:
    """libxml2 repeats an undefined entity's name; the message gives line and column only."""
    with pytest.raises(XmlUnsafeError) as info:
        parse_xml(b"<a>\n  &x15858545606;</a>")
    assert str(info.value) == "XML er ikke velformet (linje 2, kolonne 17)"
