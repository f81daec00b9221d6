"""JSON Schema and XSD of each document type, generated from the models (never hand-edited).

The XML form uses the same field names as the JSON: the root element is the type, objects
are nested elements (in any order: ``xs:all``), a list is a wrapper element with one
``<element>`` child per item, and an absent optional field is an absent element.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, get_args

from lxml import etree
from pydantic import BaseModel

from dokgen.documents.models.registry import DOKUMENTTYPER, modell_for

XS = "http://www.w3.org/2001/XMLSchema"
ITEM = "element"


@cache
def json_schema(type_navn: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a document type, every field with its label."""
    return _labelled(modell_for(type_navn))


@cache
def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return the JSON Schema of any input model for a form (the pages build the register's
    forms from it as they do the documents'): every field with its label, and without the
    models' docstrings (pydantic's descriptions of ``$defs``), which are written for
    developers while a form shows a description as help."""
    schema = _labelled(model)
    schema.pop("description", None)
    for node in schema.get("$defs", {}).values():
        node.pop("description", None)
    return schema


def _labelled(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    _label_refs(model, schema, schema.get("$defs", {}))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _label_refs(model: type[BaseModel], node: dict[str, Any], defs: dict[str, Any]) -> None:
    """Copy field titles and help texts onto ``$ref`` properties, which pydantic leaves bare."""
    props = node.get("properties", {})
    for name, field in model.model_fields.items():
        prop = props.get(name)
        if prop is None:
            continue
        if field.title and "title" not in prop:
            prop["title"] = field.title
        if field.description and "description" not in prop:
            prop["description"] = field.description
        for sub in _models_in(field.annotation):
            if sub.__name__ in defs:
                _label_refs(sub, defs[sub.__name__], defs)


def resolve(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Follow ``$ref``, unwrap ``anyOf [X, null]``; return the node and whether it is nullable."""
    if "$ref" in node:
        target, nullable = resolve(defs[node["$ref"].split("/")[-1]], defs)
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}, nullable
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        nullable = len(options) < len(node["anyOf"])
        if any(o.get("type") == "number" for o in options):
            number = next(o for o in options if o.get("type") == "number")
            kroner = {"x-kroner": True} if node.get("x-kroner") else {}
            return {**number, "title": node.get("title"), "x-decimal": True, **kroner}, nullable
        inner, _ = resolve(options[0], defs)
        return {**inner, **{k: v for k, v in node.items() if k != "anyOf"}}, nullable
    return node, False


def kind_of(node: dict[str, Any]) -> str:
    """Return the XML kind of a resolved schema node."""
    if node.get("x-decimal") or node.get("type") == "number":
        return "decimal"
    if node.get("type") == "string" and node.get("format") == "date":
        return "date"
    return str(node.get("type", "string"))


def _simple(parent: etree._Element, node: dict[str, Any]) -> None:
    kind = kind_of(node)
    base = {"date": "xs:date", "integer": "xs:integer", "decimal": "xs:decimal"}.get(
        kind, "xs:boolean" if kind == "boolean" else "xs:string"
    )
    simple = etree.SubElement(parent, f"{{{XS}}}simpleType")
    restriction = etree.SubElement(simple, f"{{{XS}}}restriction", base=base)
    facets: list[tuple[str, Any]] = [
        ("minLength", node.get("minLength")),
        ("maxLength", node.get("maxLength")),
        ("minInclusive", node.get("minimum")),
        ("maxInclusive", node.get("maximum")),
    ]
    if "pattern" in node:
        facets.append(("pattern", node["pattern"].removeprefix("^").removesuffix("$")))
    for value in node.get("enum", []) + ([node["const"]] if "const" in node else []):
        facets.append(("enumeration", value))
    for facet, value in facets:
        if value is not None:
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            etree.SubElement(restriction, f"{{{XS}}}{facet}", value=str(value))


def _element(
    parent: etree._Element, name: str, node: dict[str, Any], defs: dict, **occurs: str
) -> None:
    node, _ = resolve(node, defs)
    el = etree.SubElement(parent, f"{{{XS}}}element", attrib={"name": name, **occurs})
    kind = kind_of(node)
    if kind == "object":
        complex_ = etree.SubElement(el, f"{{{XS}}}complexType")
        group = etree.SubElement(complex_, f"{{{XS}}}all")
        required = set(node.get("required", ()))
        for key, sub in node.get("properties", {}).items():
            if key == "type":
                continue
            extra = {} if key in required else {"minOccurs": "0"}
            _element(group, key, sub, defs, **extra)
    elif kind == "array":
        complex_ = etree.SubElement(el, f"{{{XS}}}complexType")
        seq = etree.SubElement(complex_, f"{{{XS}}}sequence")
        bounds = {
            "minOccurs": str(node.get("minItems", 0)),
            "maxOccurs": str(node.get("maxItems", "unbounded")),
        }
        _element(seq, ITEM, node.get("items", {}), defs, **bounds)
    else:
        _simple(el, node)


@cache
def xsd(type_navn: str) -> str:
    """Return an XSD 1.0 describing the XML form of a document type."""
    schema = json_schema(type_navn)
    root = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS}, elementFormDefault="qualified")
    _element(root, type_navn, schema, schema.get("$defs", {}))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def write_all(folder: Path) -> list[Path]:
    """Write ``<type>.schema.json`` and ``<type>.xsd`` for every type into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(DOKUMENTTYPER):
        json_path = folder / f"{name}.schema.json"
        json_path.write_text(
            json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        xsd_path = folder / f"{name}.xsd"
        xsd_path.write_text(xsd(name), encoding="utf-8")
        written += [json_path, xsd_path]
    return written
