"""The XML form of a document: same field names as the JSON, checked against the type's XSD."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree

from dokgen.errors import FieldError, InputInvalidError, InputUnreadableError
from ehf.errors import XmlUnsafeError
from ehf.xmlsafe import parse_xml

ITEM = "element"


def _add(parent: etree._Element, name: str, value: Any) -> None:
    if value is None:
        return
    el = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, sub in value.items():
            _add(el, key, sub)
    elif isinstance(value, list):
        for sub in value:
            _add(el, ITEM, sub)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = str(value)


def to_xml(data: dict[str, Any]) -> bytes:
    """Return the XML form of a document given as contract JSON (``type`` names the root)."""
    root = etree.Element(str(data["type"]))
    for key, value in data.items():
        if key != "type":
            _add(root, key, value)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


@cache
def _schema(type_navn: str) -> etree.XMLSchema:
    from dokgen.documents.schemas import xsd

    return etree.XMLSchema(etree.fromstring(xsd(type_navn).encode()))


def _value(el: etree._Element, node: dict[str, Any], defs: dict[str, Any]) -> Any:
    from dokgen.documents.schemas import kind_of, resolve

    node, _ = resolve(node, defs)
    kind = kind_of(node)
    # Comments and processing instructions are legal between elements; only elements count.
    children = list(el.iterchildren(etree.Element))
    if kind == "object":
        props = node.get("properties", {})
        return {str(c.tag): _value(c, props.get(str(c.tag), {}), defs) for c in children}
    if kind == "array":
        return [_value(child, node.get("items", {}), defs) for child in children]
    text = "".join(str(part) for part in el.itertext())
    return text if kind == "string" else text.strip()


def from_xml(data: bytes, *, type_navn: str | None = None) -> dict[str, Any]:
    """Parse and schema-check the XML form and return the same dict the JSON would give.

    Raises:
        InputUnreadableError: unsafe (DTD, entities) or malformed XML.
        InputInvalidError: the XML breaks the type's XSD; each error with its element path.
        DocumentTypeUnknownError: the root element names no known type.
    """
    from dokgen.documents.models.registry import modell_for
    from dokgen.documents.schemas import json_schema

    try:
        root = parse_xml(data)
    except XmlUnsafeError as exc:
        raise InputUnreadableError(str(exc)) from None
    name = type_navn or str(root.tag)
    modell_for(name)
    if root.tag != name:
        raise InputInvalidError([FieldError("type", f"rotelementet må være <{name}>")])
    schema = _schema(name)
    if not schema.validate(root):
        raise InputInvalidError(
            [FieldError(_xml_path(e.path), _bokmal(e.message)) for e in _log(schema)]
        )
    full = json_schema(name)
    return {"type": name, **_value(root, full, full.get("$defs", {}))}


def _log(schema: etree.XMLSchema) -> list[Any]:
    return list(schema.error_log)  # type: ignore[call-overload]


def _xml_path(xpath: str | None) -> str:
    """Turn ``/statusrapport/arbeidsgivere/element[2]/navn`` into ``arbeidsgivere.1.navn``."""
    parts = []
    for step in (xpath or "").strip("/").split("/")[1:]:
        if step.startswith(f"{ITEM}["):
            parts.append(str(int(step[len(ITEM) + 1 : -1]) - 1))
        elif step == ITEM:
            parts.append("0")
        else:
            parts.append(step)
    return ".".join(parts)


_XSD_MESSAGES = [
    (
        re.compile(r"greater than the maximum value allowed \('([^']*)'\)"),
        "kan ikke være mer enn {0}",
    ),
    (re.compile(r"less than the minimum value allowed \('([^']*)'\)"), "må være minst {0}"),
    (
        re.compile(r"has a length of '\d+'; this exceeds the allowed maximum length of '(\d+)'"),
        "for lang tekst (maks {0} tegn)",
    ),
    (re.compile(r"length of '0'; this underruns"), "kan ikke være tom"),
    (
        re.compile(r"Missing child element\(s\)\. Expected is.*?\( ?(\w+)"),
        "mangler påkrevd felt «{0}»",
    ),
    (re.compile(r"This element is not expected"), "ukjent eller uventet felt"),
    (re.compile(r"\[facet 'pattern'\]"), "har feil format"),
    (re.compile(r"\[facet 'enumeration'\]"), "ugyldig verdi"),
    (re.compile(r"'xs:date'|atomic type|'xs:integer'|'xs:decimal'|'xs:boolean'"), "ugyldig verdi"),
]


def _bokmal(message: str) -> str:
    """Translate libxml2's schema messages into short bokmål ones."""
    for pattern, text in _XSD_MESSAGES:
        if m := pattern.search(message):
            return text.format(*m.groups())
    return "følger ikke skjemaet"
