"""HTML forms generated from a document type's JSON Schema, and form data back to contract data.

A field's form name is its dotted contract path (``arbeidsgivere.0.navn``), so the service's
error paths land on the field they are about. Lists are repeated row groups; a row with every
field empty is left out, and the form is shown again from the compacted data, so the error
paths and the rows stay in step.

Dates are typed as dd.mm.åååå in a text field (the same whatever the browser's language)
and read back as ISO dates; a date that cannot be read is kept as typed, so validation
names it. E-mail and phone fields are ``type=email``/``type=tel``. Every error on a field
says what to write there, with an example (:func:`explain`). A long form is shown in
sections (:func:`sections`) with a list of them at the top. Each list has a hidden row
template a small script clones to add a row without a reload; without the script the "Legg
til rad" and "Fjern rad" buttons post the form and it comes back at the list.
"""

from __future__ import annotations

import datetime as dt
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
    kind: str  # text, textarea, email, tel, date, integer, decimal, boolean, select, checkboxes
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
    template: Group | None = None  # a blank row named with ROW_SLOT, for the script to clone
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


# The row index in a list's row template; the script puts the next index in its place.
ROW_SLOT = "__rad__"
ROW_NUMBER_SLOT = "__nr__"  # its number as people count, in its heading
# How a date is typed, and the example every date message gives.
DATE_HINT = "dd.mm.åååå, f.eks. 02.03.2026"
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")

# What to write in a field of each kind, with an example: the missing and wrong-value
# messages of a form say it.
WHAT_TO_WRITE = {
    "date": "skriv datoen som " + DATE_HINT,
    "email": "skriv en e-postadresse, f.eks. navn@eksempel.no",
    "tel": "skriv 8 siffer, f.eks. 40000017",
    "integer": "skriv et heltall, f.eks. 3",
    "decimal": "skriv et tall, f.eks. 14,25",
    "select": "velg ett av valgene i listen",
    "checkboxes": "kryss av for minst ett valg",
    "boolean": "kryss av i boksen",
}


def _options(codes: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(k), etikett(str(k))) for k in codes]


def _help(node: dict[str, Any], field_kind: str) -> str | None:
    parts = [node["description"]] if node.get("description") else []
    if field_kind == "decimal":
        parts.append("Tall, f.eks. 14,25")
    if field_kind == "date":
        parts.append("Skriv " + DATE_HINT)
    if field_kind == "email":
        parts.append("F.eks. navn@eksempel.no")
    if field_kind == "tel":
        parts.append("8 siffer, f.eks. 40000017")
    if field_kind in ("text", "textarea") and node.get("maxLength"):
        parts.append(f"Maks {node['maxLength']} tegn")
    return ". ".join(parts) or None


def _kind(node: dict[str, Any]) -> str:
    kind = kind_of(node)
    if "enum" in node:
        return "select"
    if kind in ("date", "integer", "decimal", "boolean"):
        return kind
    pattern = node.get("pattern") or ""
    if "@" in pattern:
        return "email"
    if pattern.startswith(r"^\+?[0-9"):
        return "tel"
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
        row_list = RowList(
            name, label, min_rows > 0, min_rows=min_rows, limit=limit, help=node.get("description")
        )
        row_list.template = self.group(
            f"{name}.{ROW_SLOT}", f"Rad {ROW_NUMBER_SLOT}", items, False, {}
        )
        for i in range(count):
            row_value = values[i] if i < len(values) else {}
            row = self.group(f"{name}.{i}", f"Rad {i + 1}", items, False, row_value)
            row_list.rows.append(row)
        return row_list


def display_value(value: Any, field_kind: str) -> Any:
    """Return a stored value as the form shows it (decimal comma, empty for none)."""
    if value is None or value == "":
        return False if field_kind == "boolean" else ""
    if field_kind == "decimal":
        return str(value).replace(".", ",")
    if field_kind == "date":
        return norwegian_date(value)
    return value


def norwegian_date(value: Any) -> str:
    """Return an ISO date as dd.mm.åååå; anything else (a date as typed) as it is."""
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def parse_date(text: str) -> str:
    """Return a typed date (dd.mm.åååå, or ISO) as an ISO date, or the text as typed.

    One-digit days and months are read too (2.3.2026); a text that is no date stays as it
    is, for validation to refuse.
    """
    text = text.strip()
    match = _DATE.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


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
    templates = [p.template for p, _ in _walk_parts(root) if isinstance(p, RowList) and p.template]
    found = [*_walk_parts(root), *(x for t in templates for x in _walk_parts(t))]
    for part, _ in found:
        name = part.name.replace("." + ROW_SLOT, ".*")
        options = choices.get(_ROW_INDEX.sub(".*", name))
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
            summary.append(("skjema", human_path(f.path) or "Dokumentet", f.message))
            continue
        part, label = hit
        message = explain(part, f.message)
        part.errors.append(message)
        anchor = part.id
        if not isinstance(part, Field):
            first = next((d for d, _ in _walk_parts(part) if isinstance(d, Field)), None)
            anchor = first.id if first else part.id
        summary.append((anchor, label, message))
    return summary


def explain(part: Field | Group | RowList, message: str) -> str:
    """Return a field's error message with what to write there and an example.

    The service's messages are the same for the API (ISO dates, decimal points); on the
    form a field's kind says how it is typed, so a missing or unreadable value gets the
    form's way of writing it.
    """
    if not isinstance(part, Field):
        return message
    what = WHAT_TO_WRITE.get(part.kind)
    if part.kind in ("text", "textarea"):
        # The service says what to write with the type's example where the field has one.
        _, _, service_what = message.partition(": ")
        what = (
            service_what
            if service_what.startswith("skriv ") and ", f.eks. " in service_what
            else f"skriv {part.label[:1].lower()}{part.label[1:]}"
        )
    if what is None:
        return message
    if message.startswith("mangler"):
        return f"mangler: {what}"
    if part.kind == "date" and message.startswith("ugyldig dato"):
        return f"ugyldig dato: {what}"
    if part.kind == "decimal" and message.startswith("må være et tall"):
        return f"må være et tall: {what}"
    return message


def human_path(path: str) -> str:
    """Return a dotted path as people count: list positions from 1 (``fravaer.0`` → rad 1)."""
    return " › ".join(f"rad {int(p) + 1}" if p.isdigit() else p for p in path.split(".") if p)


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


def rows_wanted(
    form: FormData, add_row: str | None, remove_row: str | None = None
) -> dict[str, int]:
    """Return the rows wanted per list: as posted, plus one in the list named by the add
    button, less one in the list of the row named by the remove button."""
    wanted: dict[str, int] = {}
    for key in _posted_lists(form):
        wanted[key] = posted_rows(form, key)
    if add_row:
        wanted[add_row] = wanted.get(add_row, 0) + 1
    if remove_row and "." in remove_row:
        list_name = remove_row.rsplit(".", 1)[0]
        wanted[list_name] = max(wanted.get(list_name, 1) - 1, 0)
    return wanted


def remove_row(data: dict[str, Any], row: str) -> str | None:
    """Remove the list row a "Fjern rad" button names (``fravaer.1``) from the data.

    Returns:
        The list's path, or None when the name is no row of the data.
    """
    *above, last = row.split(".")
    if not above or not last.isdigit():
        return None
    node: Any = data
    for key in above:
        node = (
            node[int(key)]
            if isinstance(node, list) and key.isdigit()
            else (node.get(key) if isinstance(node, dict) else None)
        )
    list_name = ".".join(above)
    if isinstance(node, list) and int(last) < len(node):
        del node[int(last)]
        return list_name
    return list_name if isinstance(node, list) else None


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
    if kind == "date":
        return parse_date(value)
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


@dataclass
class Section:
    """A part of a long form with its own heading: a top-level group, or a run of fields."""

    id: str
    title: str
    parts: list[Field | Group | RowList]

    @property
    def group(self) -> Group | RowList | None:
        """Return the section's one group, whose legend is the section's heading, or None."""
        only = self.parts[0] if len(self.parts) == 1 else None
        return only if isinstance(only, Group | RowList) else None


# Headings for runs of top-level fields, by the run's first field; another run is named
# by its first field's label.
_RUN_TITLES = {
    "oppstartdato": "Datoer",
    "innsokende_nav_kontor": "NAV-kontor",
    "bestilling_fra_nav": "Bestilling og status",
    "gjennomforte_aktiviteter": "Aktiviteter, oppfølging og kommentarer",
    "sted": "Sted og dato",
    "formal": "Innholdet i avtalen",
    "tilrettelegging": "Tilrettelegging og forsikring",
    "endring_nr": "Endringen",
    "beskrivelse": "Beskrivelse av endringen",
    "mottaker": "Mottaker",
    "erfaringer_etablering_arbeidsforhold": "Evalueringen",
    "anslatt_behov_timer_per_maned": "Anslått oppfølgingsbehov",
    "arbeidsgiver_ved_oppstart": "Arbeidsgiver, bestilling og oppsummering",
    "status_ved_avslutning": "Status ved avslutning og aktiviteter",
    "mal_for_tiltaket": "Mål for tiltaket",
    "arbeidsrettet_egenaktivitet": "Arbeidsrettet egenaktivitet",
    "oppfolging_etter_ansettelse": "Oppfølging etter ansettelse og kommentar",
    # sluttrapport_kvalifisering (AMB §14.1–14.4) and motereferat (§15)
    "formal_opplaeringsplan": "Faktiske forhold",
    "interesser_og_ressurser": "Vurdering av arbeidstakeren",
    "antall_sokte_jobber": "Yrkesveiledning og arbeidssøking",
    "resultat": "Resultat",
    "kommentar_forrige_referat": "Dagsorden og referat",
}


def sections(root: Group) -> list[Section]:
    """Return the root's parts as sections: each group or list alone, fields in runs."""
    out: list[Section] = []
    run: list[Field | Group | RowList] = []

    def close_run() -> None:
        if run:
            first = run[0]
            title = _RUN_TITLES.get(first.name, first.label)
            out.append(Section(f"s-{first.name}", title, list(run)))
            run.clear()

    for part in root.parts:
        if isinstance(part, Group | RowList):
            close_run()
            out.append(Section(part.id, part.label, [part]))
        else:
            if part.name in _RUN_TITLES:  # a run of its own begins here
                close_run()
            run.append(part)
    close_run()
    return out
