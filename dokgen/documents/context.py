"""Turn a validated document into display values: Norwegian formats, "—" for what is empty.

The walk follows the type's JSON Schema, so an absent optional object still offers its
fields (each "—") to the template, and a new field needs no code here; the sums a type
prints are named in its class (``Dokumentmodell.summer``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from dokgen.documents.models.registry import ETIKETTER, modell_for
from dokgen.documents.schemas import json_schema, kind_of, resolve
from ehf.translate import MANEDER

TOM = "—"
_KONTROLLTEGN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_RAA_KODER = {"part"}  # kept as codes: templates compare them


def etikett(code: str) -> str:
    """Return a code's label in bokmål ("lonnet_arbeid" → "Lønnet arbeid").

    The labels are the types' own (``Dokumentmodell.etiketter`` and their parties' names); a
    code's own spelling is the fallback ("fast" → "Fast").
    """
    return ETIKETTER.get(code, code.replace("_", " ").capitalize())


def dato(iso: str) -> str:
    """Format an ISO date as dd.mm.åååå."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def maned(iso: str) -> str:
    """Format a year-month ``2026-06`` as ``juni 2026``."""
    year, month = iso.split("-")
    return f"{MANEDER[int(month) - 1]} {year}"


def orgnr(value: str) -> str:
    """Format an organisasjonsnummer as ``NNN NNN NNN``."""
    return f"{value[0:3]} {value[3:6]} {value[6:9]}"


def desimal(value: str) -> str:
    """Format a decimal string the Norwegian way: ``14.25`` → ``14,25``."""
    return value.replace(".", ",")


def telefon(value: str) -> str:
    """Group a Norwegian phone number in pairs: ``40000017`` → ``40 00 00 17``.

    Eight digits, with or without ``+47``, are grouped the way Norwegian numbers are written;
    any other number is printed as it was given.
    """
    digits = value.replace(" ", "")
    land, nummer = ("+47 ", digits[3:]) if digits.startswith("+47") else ("", digits)
    if len(nummer) != 8 or not nummer.isdigit():
        return value
    return land + " ".join(nummer[i : i + 2] for i in range(0, 8, 2))


def belop(value: object) -> str:
    """Format an amount the Norwegian way: ``6325.5`` → ``6 325,50`` (no-break space)."""
    text = f"{Decimal(str(value)):,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _leaf(key: str, value: Any, node: dict[str, Any]) -> Any:
    if value is None or value == "":
        return TOM
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    kind = kind_of(node)
    if kind == "date":
        return dato(str(value))
    if kind == "decimal":
        return belop(value) if node.get("x-kroner") else desimal(str(value))
    if kind == "integer":
        return f"{value}\u00a0%" if key.endswith("prosent") else str(value)
    text = _KONTROLLTEGN.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if key == "maned":
        return maned(text)
    if key.endswith("orgnr"):
        return orgnr(text)
    if key == "telefon":
        return telefon(text)
    if ("enum" in node or "const" in node) and key not in _RAA_KODER and key != "type":
        return etikett(text)
    return text


def _walk(key: str, value: Any, node: dict[str, Any], defs: dict[str, Any]) -> Any:
    node, _ = resolve(node, defs)
    kind = kind_of(node)
    if kind == "object":
        props = node.get("properties", {})
        given = value if isinstance(value, dict) else {}
        return {k: _walk(k, given.get(k), sub, defs) for k, sub in props.items()}
    if kind == "array":
        return [_walk(key, item, node.get("items", {}), defs) for item in value or []]
    return _leaf(key, value, node)


def _sum(data: dict[str, Any], sti: str) -> Decimal:
    """Add up a field of a list's rows (``liste.felt``), exactly: the numbers are decimals."""
    liste, felt = sti.split(".")
    return sum((Decimal(str(rad[felt])) for rad in data.get(liste) or ()), Decimal(0))


def _i_kroner(schema: dict[str, Any], sti: str) -> bool:
    """Tell whether the field a sum adds up (``liste.felt``) is an amount in kroner."""
    liste, felt = sti.split(".")
    defs = schema.get("$defs", {})
    rader, _ = resolve(schema["properties"][liste], defs)
    rad, _ = resolve(rader.get("items", {}), defs)
    node, _ = resolve(rad.get("properties", {}).get(felt, {}), defs)
    return bool(node.get("x-kroner"))


def dokumenttittel(type_navn: str, data: dict[str, Any]) -> str:
    """Return a document's title as its PDF shows it: the type's title and its period or date.

    A PDF reader shows the title in its title bar and tabs (PDF/UA's DisplayDocTitle), so it
    names no person: neither the deltaker nor a fødselsnummer, whatever the template says.

    Args:
        type_navn: The document type.
        data: The document as ``model_dump(mode="json")``.

    Returns:
        E.g. ``Statusrapport 01.09.2026–30.11.2026`` or ``Sluttrapport 15.12.2026``.
    """
    modell = modell_for(type_navn)
    _, fra, til = modell.summarise(data)
    if not fra:
        return modell.tittel
    periode = dato(fra) if not til or til == fra else f"{dato(fra)}–{dato(til)}"
    return f"{modell.tittel} {periode}"


def build_context(type_navn: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the template context of a document given as ``model_dump(mode="json")``."""
    schema = json_schema(type_navn)
    context = _walk("", data, schema, schema.get("$defs", {}))
    assert isinstance(context, dict)  # noqa: S101 - the root schema is an object
    for navn, sti in modell_for(type_navn).summer.items():
        total = _sum(data, sti)
        context[navn] = belop(total) if _i_kroner(schema, sti) else desimal(str(total))
    context["type"] = type_navn
    return context
