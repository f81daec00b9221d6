"""Test data for the end-to-end document tests: the contract examples and their edge variants.

The base data is the contract in ``shared/kontrakt`` (synthetic identities only); variants
are derived from each type's JSON Schema, so a new field is covered without editing this file.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

from dokgen.documents.context import belop
from dokgen.documents.models import DOKUMENTTYPER, ETIKETTER
from ehf.translate import MANEDER
from tests.conftest import kontrakt_fil

VARIANTER = ("kontrakt", "tomme_valgfrie", "lang_tekst", "spesialtegn", "ti_arbeidsgivere")
# The layout's edge: 3,000-character free texts with line breaks, 15 rows in every list (or
# as many as the list allows), long names.
KANT = "kant"
KANT_RADER = 15
LANGT_NAVN = " Øvrebø-Sæther Langnavnsen Aaberg-Haugen"
SPESIAL = " & <b>\"sitat\"</b> 'x' > æøå ÆØÅ"

# NAV's labels from the source templates (Bilag 8, JMO §6, Bilag 6), as the PDF must show them.
LABELS: dict[str, tuple[str, ...]] = {name: cls.ledetekster for name, cls in DOKUMENTTYPER.items()}

_SKIP_KEYS = {"type", "parter_som_signerer", "part"}
# Lists the variants keep as the example has them: their rows add up to another field or are
# one per code (the årsrapport's årsverk per avdeling equal each programme's; one row per
# account, result or programme), so fewer or repeated rows would not be a valid document.
HELE_LISTER: dict[str, frozenset[str]] = {
    "samarbeidsavtale": frozenset({"resultatkrav"}),
    "arsrapport": frozenset(
        {"plasser", "avdelinger", "arsverk_per_avdeling", "resultater", "driftstilskudd_poster"}
    ),
}
_IDENTIFIERS = {"type", "orgnr", "fodselsnummer", "postnummer"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_CODE = re.compile(r"^[a-z_]+$")


def _schema(type_navn: str) -> dict[str, Any]:
    return DOKUMENTTYPER[type_navn].model_json_schema()


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(defs[node["$ref"].split("/")[-1]], defs)
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            if len(options) == 1:
                merged = {k: v for k, v in node.items() if k != key}
                return {**_resolve(options[0], defs), **merged}
    return node


def _walk_strings(data: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Iterator[tuple]:
    """Yield (container, key, string schema) for every string leaf with its schema."""
    schema = _resolve(schema, defs)
    if isinstance(data, dict):
        props = schema.get("properties", {})
        for key, value in data.items():
            if key in props:
                sub = _resolve(props[key], defs)
                if isinstance(value, str) and sub.get("type") == "string":
                    yield data, key, sub
                else:
                    yield from _walk_strings(value, sub, defs)
    elif isinstance(data, list):
        items = schema.get("items", {})
        for value in data:
            yield from _walk_strings(value, items, defs)


def _is_free_text(sub: dict[str, Any]) -> bool:
    return not ({"pattern", "format", "enum", "const"} & sub.keys()) and (
        sub.get("maxLength", 10_000) >= 40
    )


def _drop_optional(data: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    schema = _resolve(schema, defs)
    if isinstance(data, dict):
        required = set(schema.get("required", ()))
        props = schema.get("properties", {})
        return {
            k: _drop_optional(v, props.get(k, {}), defs)
            for k, v in data.items()
            if k in required or k == "type"
        }
    if isinstance(data, list):
        return [_drop_optional(v, schema.get("items", {}), defs) for v in data[:1]]
    return data


def lag_variant(type_navn: str, variant: str) -> dict[str, Any]:
    """Return the contract example of ``type_navn`` changed as ``variant`` says."""
    data = json.loads(kontrakt_fil(f"{type_navn}.json").read_text(encoding="utf-8"))
    schema = _schema(type_navn)
    defs = schema.get("$defs", {})
    if variant == "tomme_valgfrie":
        hele = {k: v for k, v in data.items() if k in HELE_LISTER.get(type_navn, ())}
        data = _drop_optional(data, schema, defs)
        for navn, rader in hele.items():  # every row, each without its optional fields
            items = _resolve(schema["properties"][navn], defs)["items"]
            data[navn] = [_drop_optional(rad, items, defs) for rad in rader]
        if data.get("status_ved_avslutning") in ("arbeid", "delvis_arbeid"):
            data["status_ved_avslutning"] = "ikke_i_arbeid"  # without tilbake_i_arbeid
        if type_navn == "oppfolgingsplan":  # an arbeidstrening needs its yrkesmål
            data["praksisplass"]["art"] = "aktivitetsplass"
        return data
    if variant == "lang_tekst":
        for container, key, sub in list(_walk_strings(data, schema, defs)):
            limit = sub.get("maxLength", 4000)
            # Top-level free texts only: a long text in a narrow list column splits its row
            # over pages, and reading order then interleaves the neighbouring cells.
            if container is data and _is_free_text(sub) and limit >= 1000:
                para = f"{container[key]} Avsnitt om {key} med mer tekst enn vanlig."
                text = "\n".join([para] * 30)
                container[key] = text[: min(limit, 2500)].rstrip()
        return data
    if variant == "spesialtegn":
        for container, key, sub in list(_walk_strings(data, schema, defs)):
            if _is_free_text(sub) and key not in _IDENTIFIERS:
                limit = sub.get("maxLength", 4000)
                container[key] = (container[key][: limit - len(SPESIAL)] + SPESIAL).strip()
        return data
    if variant == KANT:
        return _kant(data, schema, defs, HELE_LISTER.get(type_navn, frozenset()))
    if variant == "ti_arbeidsgivere":
        first = data["arbeidsgivere"][0]
        data["arbeidsgivere"] = [
            {**copy.deepcopy(first), "navn": f"Arbeidsgiver nummer {i} AS"} for i in range(1, 11)
        ]
        return data
    return data


def _kant(
    data: dict[str, Any], schema: dict[str, Any], defs: dict[str, Any], hele: frozenset[str]
) -> dict[str, Any]:
    """Return the edge variant of ``data`` (see :data:`KANT`)."""
    for container, key, sub in list(_walk_strings(data, schema, defs)):
        if container is data and _is_free_text(sub) and sub.get("maxLength", 0) >= 3000:
            para = f"{container[key]} Avsnitt om {key} med mer tekst enn vanlig, og så videre."
            container[key] = "\n".join([para] * 40)[:3000].rstrip()
        elif key == "navn" and sub.get("maxLength", 0) >= 100:
            container[key] = container[key] + LANGT_NAVN
    props = schema.get("properties", {})
    for key, value in data.items():
        items = _resolve(props.get(key, {}), defs)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            most = min(KANT_RADER, items.get("maxItems", KANT_RADER))
            if key == "signaturer" or "maned" in value[0] or key in hele:
                continue  # one per party; one per month of the period; kept whole
            data[key] = [copy.deepcopy(value[i % len(value)]) for i in range(most)]
    return data


def _leaf_texts(key: str, value: Any) -> tuple[str, ...]:
    """Return the acceptable printed forms of one value (any one must be in the text)."""
    if isinstance(value, bool):
        return ("Ja",) if value else ("Nei",)
    if isinstance(value, int):
        return (str(value),)
    text = str(value)
    if key.endswith("orgnr") and len(text) == 9:
        return (f"{text[0:3]} {text[3:6]} {text[6:9]}",)
    if key == "telefon" and len(digits := text.replace(" ", "")) == 8:
        return (" ".join(digits[i : i + 2] for i in range(0, 8, 2)),)
    if key == "fodselsnummer":
        return (text, f"{text[:6]} {text[6:]}")
    if m := _ISO_DATE.match(text):
        return (f"{m[3]}.{m[2]}.{m[1]}",)
    if m := _YEAR_MONTH.match(text):
        return (f"{MANEDER[int(m[2]) - 1]} {m[1]}", f"{m[2]}.{m[1]}", f"{m[2]}/{m[1]}")
    if _DECIMAL.match(text):
        return (text.replace(".", ","), belop(text))  # an amount in kroner: "4 800 000,00"
    if _CODE.match(text):
        forms = (text.replace("_", " ").capitalize(), text.replace("_", " "))
        return (ETIKETTER[text], *forms) if text in ETIKETTER else forms
    return (text,)


def expected_values(data: Any, key: str = "") -> Iterator[tuple[str, ...]]:
    """Yield, for every given value, the forms in which it may appear."""
    if key in _SKIP_KEYS:
        return
    if isinstance(data, dict):
        for k, v in data.items():
            yield from expected_values(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from expected_values(v, key)
    elif data is not None and data != "":
        yield _leaf_texts(key, data)


def expected_texts(data: Any) -> list[str]:
    """Return the first printed form of each given value (for simple containment checks)."""
    return [forms[0] for forms in expected_values(data)]


def deltaker_navn(data: dict[str, Any]) -> str | None:
    """Return the deltaker's name shown in the header, if the type has a deltaker."""
    deltaker = data.get("deltaker")
    return deltaker.get("navn") if isinstance(deltaker, dict) else None
