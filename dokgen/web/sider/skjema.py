"""HTML forms generated from a document type's JSON Schema, and form data back to contract data.

A field's form name is its dotted contract path (``arbeidsgivere.0.navn``), so the service's
error paths land on the field they are about. Lists are repeated row groups; a row with every
field empty is left out, and the form is shown again from the compacted data, so the error
paths and the rows stay in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from dokgen.errors import FieldError
from dokgen.schemas import json_schema, kind_of, resolve

# A textarea instead of a one-line input above this many characters.
LANG_TEKST = 200
# Empty rows offered for an optional list (the user can add more with "Legg til rad").
TOMME_RADER = 1


Skjemadata = MultiDict[str, str]


@dataclass
class Felt:
    """One input: a leaf of the schema."""

    navn: str
    etikett: str
    art: str  # text, textarea, date, integer, decimal, boolean, select, checkboxes
    pakrevd: bool
    hjelp: str | None = None
    maks: int | None = None
    valg: list[tuple[str, str]] = field(default_factory=list)
    verdi: Any = None
    feil: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the HTML id (dots are awkward in CSS selectors and URL fragments)."""
        return "f-" + self.navn.replace(".", "-")

    @property
    def er_gruppe(self) -> bool:
        """Tell the template this is a single input."""
        return False


@dataclass
class Gruppe:
    """An object of the schema (a fieldset), or one row of a list."""

    navn: str
    etikett: str
    pakrevd: bool
    deler: list[Felt | Gruppe | Liste] = field(default_factory=list)
    hjelp: str | None = None
    feil: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the HTML id of the fieldset."""
        return "g-" + self.navn.replace(".", "-")

    @property
    def er_gruppe(self) -> bool:
        """Tell the template this is a group."""
        return True


@dataclass
class Liste:
    """A list of objects: repeated row groups with a "Legg til rad" button."""

    navn: str
    etikett: str
    pakrevd: bool
    rader: list[Gruppe] = field(default_factory=list)
    minst: int = 0
    maks: int | None = None
    hjelp: str | None = None
    feil: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the HTML id of the list's fieldset."""
        return "g-" + self.navn.replace(".", "-")

    @property
    def er_gruppe(self) -> bool:
        """Tell the template this is a group."""
        return True

    @property
    def kan_legge_til(self) -> bool:
        """Return whether another row is allowed."""
        return self.maks is None or len(self.rader) < self.maks


ETIKETTER = {
    "lonnet_arbeid": "Lønnet arbeid",
    "delvis_arbeid": "Delvis arbeid",
    "annet_tiltak": "Annet tiltak",
    "ikke_i_arbeid": "Ikke i arbeid",
    "arrangor": "Tiltaksarrangør",
    "leverandor": "Leverandør",
}


def _valg(koder: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(k), ETIKETTER.get(str(k), str(k).replace("_", " ").capitalize())) for k in koder]


def _hjelp(node: dict[str, Any], art: str) -> str | None:
    parts = [node["description"]] if node.get("description") else []
    if art == "decimal":
        parts.append("Tall, f.eks. 14,25")
    if art in ("text", "textarea") and node.get("maxLength"):
        parts.append(f"Maks {node['maxLength']} tegn")
    return ". ".join(parts) or None


def _art(node: dict[str, Any]) -> str:
    kind = kind_of(node)
    if "enum" in node:
        return "select"
    if kind in ("date", "integer", "decimal", "boolean"):
        return kind
    return "textarea" if (node.get("maxLength") or 0) > LANG_TEKST else "text"


class _Bygger:
    """Builds the field tree of one type from its schema, given values and errors."""

    def __init__(self, type_navn: str, rader: dict[str, int]) -> None:
        self.schema = json_schema(type_navn)
        self.defs = self.schema.get("$defs", {})
        self.rader = rader

    def node(self, navn: str, etikett: str, raw: dict[str, Any], pakrevd: bool, verdi: Any) -> Any:
        node, _ = resolve(raw, self.defs)
        kind = kind_of(node)
        if kind == "object":
            return self.gruppe(navn, etikett, node, pakrevd, verdi)
        if kind == "array":
            items, _ = resolve(node.get("items", {}), self.defs)
            if kind_of(items) != "object":
                return Felt(
                    navn, etikett, "checkboxes", pakrevd, node.get("description"),
                    valg=_valg(items.get("enum", [])), verdi=list(verdi or []),
                )  # fmt: skip
            return self.liste(navn, etikett, node, items, verdi)
        art = _art(node)
        return Felt(
            navn, etikett, art, pakrevd, _hjelp(node, art), node.get("maxLength"),
            _valg(node.get("enum", [])), visning(verdi, art),
        )  # fmt: skip

    def gruppe(
        self, navn: str, etikett: str, node: dict[str, Any], pakrevd: bool, verdi: Any
    ) -> Gruppe:
        verdi = verdi if isinstance(verdi, dict) else {}
        required = set(node.get("required", ()))
        gruppe = Gruppe(navn, etikett, pakrevd, hjelp=node.get("description"))
        for key, sub in node.get("properties", {}).items():
            if key == "type":
                continue
            path = f"{navn}.{key}" if navn else key
            title = sub.get("title") or key
            gruppe.deler.append(self.node(path, title, sub, key in required, verdi.get(key)))
        return gruppe

    def liste(
        self, navn: str, etikett: str, node: dict[str, Any], items: dict[str, Any], verdi: Any
    ) -> Liste:
        verdier = list(verdi or [])
        minst, maks = node.get("minItems", 0), node.get("maxItems")
        antall = max(self.rader.get(navn, 0), len(verdier) + TOMME_RADER, minst, 1)
        if maks is not None:
            antall = min(antall, maks)
        liste = Liste(navn, etikett, minst > 0, minst=minst, maks=maks)
        for i in range(antall):
            rad_verdi = verdier[i] if i < len(verdier) else {}
            rad = self.gruppe(f"{navn}.{i}", f"Rad {i + 1}", items, False, rad_verdi)
            liste.rader.append(rad)
        return liste


def visning(verdi: Any, art: str) -> Any:
    """Return a stored value as the form shows it (decimal comma, empty for none)."""
    if verdi is None:
        return False if art == "boolean" else ""
    if art == "decimal":
        return str(verdi).replace(".", ",")
    return verdi


def bygg(
    type_navn: str,
    verdier: dict[str, Any] | None = None,
    feil: list[FieldError] | None = None,
    rader: dict[str, int] | None = None,
) -> tuple[Gruppe, list[tuple[str, str, str]]]:
    """Return the form of a type filled with values, and the error summary.

    Args:
        verdier: contract data (as stored or as read from a post).
        feil: the service's field errors; each lands on the field (or group) it names.
        rader: rows wanted per list path (after "Legg til rad").

    Returns:
        The root group and the summary as (anchor id, label, message) per error.
    """
    bygger = _Bygger(type_navn, rader or {})
    rot = bygger.gruppe("", "", bygger.schema, True, verdier or {})
    return rot, _fest_feil(rot, feil or [])


def _alle(gruppe: Gruppe | Liste, spor: tuple[str, ...] = ()) -> Iterable[tuple[Any, str]]:
    deler = gruppe.rader if isinstance(gruppe, Liste) else gruppe.deler
    for del_ in deler:
        etikett = " › ".join((*spor, del_.etikett)) if del_.etikett else ""
        yield del_, etikett
        if isinstance(del_, Gruppe | Liste):
            yield from _alle(del_, (*spor, del_.etikett))


def _fest_feil(rot: Gruppe, feil: list[FieldError]) -> list[tuple[str, str, str]]:
    deler = list(_alle(rot))
    by_name = {d.navn: (d, etikett) for d, etikett in deler}
    summary = []
    for f in feil:
        hit = by_name.get(f.path)
        if hit is None:
            # An unknown path (a list too long, the whole document): report it at the top.
            summary.append(("skjema", f.path or "Dokumentet", f.message))
            continue
        del_, etikett = hit
        del_.feil.append(f.message)
        anker = del_.id
        if not isinstance(del_, Felt):
            first = next((d for d, _ in _alle(del_) if isinstance(d, Felt)), None)
            anker = first.id if first else del_.id
        summary.append((anker, etikett, f.message))
    return summary


def _tom(verdi: Any) -> bool:
    if isinstance(verdi, dict):
        return all(_tom(v) for v in verdi.values())
    if isinstance(verdi, list):
        return not verdi
    return verdi is None or verdi is False


def fra_skjema(type_navn: str, form: Skjemadata) -> dict[str, Any]:
    """Return the contract data of a form post (empty fields left out, empty rows dropped)."""
    schema = json_schema(type_navn)
    defs = schema.get("$defs", {})

    def walk(navn: str, raw: dict[str, Any]) -> Any:
        node, _ = resolve(raw, defs)
        kind = kind_of(node)
        if kind == "object":
            out = {}
            for key, sub in node.get("properties", {}).items():
                if key == "type":
                    continue
                verdi = walk(f"{navn}.{key}" if navn else key, sub)
                if verdi is not None and (not isinstance(verdi, dict) or not _tom(verdi)):
                    out[key] = verdi
                elif isinstance(verdi, dict) and key in node.get("required", ()):
                    out[key] = verdi  # so the errors name its fields, not the object
            return out
        if kind == "array":
            items, _ = resolve(node.get("items", {}), defs)
            if kind_of(items) != "object":
                return [v for v in form.getlist(navn) if v] or None
            rows = [walk(f"{navn}.{i}", items) for i in range(antall_rader(form, navn))]
            return [r for r in rows if not _tom(r)]
        return _les(form, navn, kind)

    data = walk("", schema)
    data["type"] = type_navn
    return data


def antall_rader(form: Skjemadata, navn: str) -> int:
    """Return how many rows of a list the posted form had (at most 200)."""
    try:
        return max(0, min(int(form.get(f"_rader.{navn}", "0")), 200))
    except ValueError:
        return 0


def rader_i(form: Skjemadata, type_navn: str, legg_til: str | None) -> dict[str, int]:
    """Return the rows wanted per list: as posted, plus one in the list named by the button."""
    wanted: dict[str, int] = {}
    for key in _liste_navn(form):
        wanted[key] = antall_rader(form, key)
    if legg_til:
        wanted[legg_til] = wanted.get(legg_til, 0) + 1
    return wanted


def _liste_navn(form: Skjemadata) -> list[str]:
    return [k.removeprefix("_rader.") for k in form if k.startswith("_rader.")]


def _les(form: Skjemadata, navn: str, kind: str) -> Any:
    if kind == "boolean":
        return form.get(navn) == "ja"
    verdi = (form.get(navn) or "").strip()
    if not verdi:
        return None
    if kind == "decimal":
        return verdi.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return verdi
