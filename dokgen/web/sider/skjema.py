"""HTML forms generated from a document type's JSON Schema, and form data back to contract data.

A field's form name is its dotted contract path (``arbeidsgivere.0.navn``), so the service's
error paths land on the field they are about. Lists are repeated row groups; a row with every
field empty is left out, and the form is shown again from the compacted data, so the error
paths and the rows stay in step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from dokgen.documents.context import etikett
from dokgen.documents.schemas import json_schema, kind_of, resolve
from dokgen.errors import FieldError

# A textarea instead of a one-line input above this many characters.
LONG_TEXT = 200
# Empty rows offered for an optional list (the user can add more with "Legg til rad").
EMPTY_ROWS = 1


FormData = MultiDict[str, str]


@dataclass
class Field:
    """One input: a leaf of the schema."""

    name: str
    label: str
    kind: str  # text, textarea, date, integer, decimal, boolean, select, checkboxes
    required: bool
    help: str | None = None
    limit: int | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    value: Any = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the HTML id (dots are awkward in CSS selectors and URL fragments)."""
        return "f-" + self.name.replace(".", "-")

    @property
    def is_group(self) -> bool:
        """Tell the template this is a single input."""
        return False


@dataclass
class Group:
    """An object of the schema (a fieldset), or one row of a list."""

    name: str
    label: str
    required: bool
    parts: list[Field | Group | RowList] = field(default_factory=list)
    help: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the HTML id of the fieldset."""
        return "g-" + self.name.replace(".", "-")

    @property
    def is_group(self) -> bool:
        """Tell the template this is a group."""
        return True


@dataclass
class RowList:
    """A list of objects: repeated row groups with a "Legg til rad" button."""

    name: str
    label: str
    required: bool
    rows: list[Group] = field(default_factory=list)
    min_rows: int = 0
    limit: int | None = None
    help: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the HTML id of the list's fieldset."""
        return "g-" + self.name.replace(".", "-")

    @property
    def is_group(self) -> bool:
        """Tell the template this is a group."""
        return True

    @property
    def can_add_row(self) -> bool:
        """Return whether another row is allowed."""
        return self.limit is None or len(self.rows) < self.limit


def _options(codes: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(k), etikett(str(k))) for k in codes]


def _help(node: dict[str, Any], field_kind: str) -> str | None:
    parts = [node["description"]] if node.get("description") else []
    if field_kind == "decimal":
        parts.append("Tall, f.eks. 14,25")
    if field_kind in ("text", "textarea") and node.get("maxLength"):
        parts.append(f"Maks {node['maxLength']} tegn")
    return ". ".join(parts) or None


def _kind(node: dict[str, Any]) -> str:
    kind = kind_of(node)
    if "enum" in node:
        return "select"
    if kind in ("date", "integer", "decimal", "boolean"):
        return kind
    return "textarea" if (node.get("maxLength") or 0) > LONG_TEXT else "text"


class _Builder:
    """Builds the field tree of one type from its schema, given values and errors."""

    def __init__(self, schema: dict[str, Any], rows: dict[str, int]) -> None:
        self.schema = schema
        self.defs = self.schema.get("$defs", {})
        self.rows = rows

    def node(self, name: str, label: str, raw: dict[str, Any], required: bool, value: Any) -> Any:
        node, _ = resolve(raw, self.defs)
        kind = kind_of(node)
        if kind == "object":
            return self.group(name, label, node, required, value)
        if kind == "array":
            items, _ = resolve(node.get("items", {}), self.defs)
            if kind_of(items) != "object":
                return Field(
                    name, label, "checkboxes", required, node.get("description"),
                    options=_options(items.get("enum", [])), value=list(value or []),
                )  # fmt: skip
            return self.row_list(name, label, node, items, value)
        field_kind = _kind(node)
        return Field(
            name, label, field_kind, required, _help(node, field_kind), node.get("maxLength"),
            _options(node.get("enum", [])), display_value(value, field_kind),
        )  # fmt: skip

    def group(
        self, name: str, label: str, node: dict[str, Any], required: bool, value: Any
    ) -> Group:
        value = value if isinstance(value, dict) else {}
        required_keys = set(node.get("required", ()))
        group = Group(name, label, required, help=node.get("description"))
        for key, sub in node.get("properties", {}).items():
            if key == "type" and not name:
                continue  # the document's type: the URL names it
            path = f"{name}.{key}" if name else key
            title = sub.get("title") or key
            group.parts.append(self.node(path, title, sub, key in required_keys, value.get(key)))
        return group

    def row_list(
        self, name: str, label: str, node: dict[str, Any], items: dict[str, Any], value: Any
    ) -> RowList:
        values = list(value or [])
        min_rows, limit = node.get("minItems", 0), node.get("maxItems")
        count = max(self.rows.get(name, 0), len(values) + EMPTY_ROWS, min_rows, 1)
        if limit is not None:
            count = min(count, limit)
        row_list = RowList(name, label, min_rows > 0, min_rows=min_rows, limit=limit)
        for i in range(count):
            row_value = values[i] if i < len(values) else {}
            row = self.group(f"{name}.{i}", f"Rad {i + 1}", items, False, row_value)
            row_list.rows.append(row)
        return row_list


def display_value(value: Any, field_kind: str) -> Any:
    """Return a stored value as the form shows it (decimal comma, empty for none)."""
    if value is None:
        return False if field_kind == "boolean" else ""
    if field_kind == "decimal":
        return str(value).replace(".", ",")
    return value


def build(
    type_navn: str,
    values: dict[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    rows: dict[str, int] | None = None,
    *,
    schema: dict[str, Any] | None = None,
    choices: dict[str, list[tuple[str, str]]] | None = None,
) -> tuple[Group, list[tuple[str, str, str]]]:
    """Return the form of a type filled with values, and the error summary.

    Args:
        values: contract data (as stored or as read from a post).
        errors: the service's field errors; each lands on the field (or group) it names.
        rows: rows wanted per list path (after "Legg til rad").
        schema: another model's schema (:func:`~dokgen.documents.schemas.model_schema`)
            instead of the document type's.
        choices: fields shown as a select of (value, words): by path, a list's row
            index written ``*`` (``veiledere_arrangor.*.brukernavn``).

    Returns:
        The root group and the summary as (anchor id, label, message) per error.
    """
    builder = _Builder(schema or json_schema(type_navn), rows or {})
    root = builder.group("", "", builder.schema, True, values or {})
    if choices:
        _set_choices(root, choices)
    return root, _attach_errors(root, errors or [])


_ROW_INDEX = re.compile(r"\.\d+(?=\.|$)")


def _set_choices(root: Group, choices: dict[str, list[tuple[str, str]]]) -> None:
    for part, _ in _walk_parts(root):
        options = choices.get(_ROW_INDEX.sub(".*", part.name))
        if isinstance(part, Field) and options is not None:
            part.kind, part.options = "select", options
            part.value = "" if part.value is None else str(part.value)


def _walk_parts(group: Group | RowList, trail: tuple[str, ...] = ()) -> Iterable[tuple[Any, str]]:
    parts = group.rows if isinstance(group, RowList) else group.parts
    for part in parts:
        label = " › ".join((*trail, part.label)) if part.label else ""
        yield part, label
        if isinstance(part, Group | RowList):
            yield from _walk_parts(part, (*trail, part.label))


def _attach_errors(root: Group, errors: list[FieldError]) -> list[tuple[str, str, str]]:
    parts = list(_walk_parts(root))
    by_name = {d.name: (d, label) for d, label in parts}
    summary = []
    for f in errors:
        hit = by_name.get(f.path)
        if hit is None:
            # An unknown path (a list too long, the whole document): report it at the top.
            summary.append(("skjema", f.path or "Dokumentet", f.message))
            continue
        part, label = hit
        part.errors.append(f.message)
        anchor = part.id
        if not isinstance(part, Field):
            first = next((d for d, _ in _walk_parts(part) if isinstance(d, Field)), None)
            anchor = first.id if first else part.id
        summary.append((anchor, label, f.message))
    return summary


def _is_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_empty(v) for v in value.values())
    if isinstance(value, list):
        return not value
    return value is None or value is False


def from_form(
    type_navn: str, form: FormData, *, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the contract data of a form post (empty fields left out, empty rows dropped).

    Args:
        schema: another model's schema; the data then has no ``type``.
    """
    typed = schema is None
    schema = schema or json_schema(type_navn)
    defs = schema.get("$defs", {})

    def walk(name: str, raw: dict[str, Any]) -> Any:
        node, _ = resolve(raw, defs)
        kind = kind_of(node)
        if kind == "object":
            out = {}
            for key, sub in node.get("properties", {}).items():
                if key == "type" and not name:
                    continue
                value = walk(f"{name}.{key}" if name else key, sub)
                if value is not None and (not isinstance(value, dict) or not _is_empty(value)):
                    out[key] = value
                elif isinstance(value, dict) and key in node.get("required", ()):
                    out[key] = value  # so the errors name its fields, not the object
            return out
        if kind == "array":
            items, _ = resolve(node.get("items", {}), defs)
            if kind_of(items) != "object":
                return [v for v in form.getlist(name) if v] or None
            rows = [walk(f"{name}.{i}", items) for i in range(posted_rows(form, name))]
            return [r for r in rows if not _is_empty(r)]
        return _read(form, name, kind)

    data = walk("", schema)
    if typed:
        data["type"] = type_navn
    return data


def posted_rows(form: FormData, name: str) -> int:
    """Return how many rows of a list the posted form had (at most 200)."""
    try:
        return max(0, min(int(form.get(f"_rows.{name}", "0")), 200))
    except ValueError:
        return 0


def rows_wanted(form: FormData, add_row: str | None) -> dict[str, int]:
    """Return the rows wanted per list: as posted, plus one in the list named by the button."""
    wanted: dict[str, int] = {}
    for key in _posted_lists(form):
        wanted[key] = posted_rows(form, key)
    if add_row:
        wanted[add_row] = wanted.get(add_row, 0) + 1
    return wanted


def _posted_lists(form: FormData) -> list[str]:
    return [k.removeprefix("_rows.") for k in form if k.startswith("_rows.")]


def _read(form: FormData, name: str, kind: str) -> Any:
    if kind == "boolean":
        return form.get(name) == "ja"
    value = (form.get(name) or "").strip()
    if not value:
        return None
    if kind == "decimal":
        return value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return value


def field_labels(root: Group) -> dict[str, tuple[str, str]]:
    """Return each input's dotted name → (HTML id, its label with its groups' labels)."""
    found: dict[str, tuple[str, str]] = {}

    def walk(node: Field | Group | RowList, above: tuple[str, ...]) -> None:
        if isinstance(node, Field):
            found[node.name] = (node.id, " – ".join((*above, node.label)))
        elif isinstance(node, RowList):
            for row in node.rows:
                walk(row, (*above, node.label))
        else:
            for part in node.parts:
                walk(part, (*above, node.label) if node is not root else above)

    walk(root, ())
    return found
