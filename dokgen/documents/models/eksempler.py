"""Complete examples with every optional field filled: the demo data plus what it leaves out.

The template check renders these to learn which fields a template may show.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_UTFYLLING: dict[str, dict[str, Any]] = {
    "statusrapport": {
        "deltakers_kommentar": "Jeg er enig i rapporten.",
        "tiltak.tiltaksnummer": "T-4411",
    },
    "sluttrapport": {
        "arbeidsgiver_ved_oppstart": "Matbutikken Grünerløkka AS",
        "tiltak.tiltaksnummer": "T-4411",
    },
    "evalueringsrapport": {"andre_forhold": "Ingen andre forhold."},
    "arbeidspraksisavtale": {"tiltak.tiltaksnummer": "T-4411"},
    "endringsavtale": {
        "vederlagsjustering": "Ingen endring i timepris.",
        "tidsplanjustering": "Ingen endring i tidsplan.",
    },
}


def _fill_nulls(node: Any) -> Any:
    """Give list items' null fields a value so every optional field is exercised."""
    if isinstance(node, dict):
        return {k: _fill_nulls(v if v is not None else _standin(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_nulls(v) for v in node]
    return node


def _standin(key: str) -> Any:
    return {"dager": 1, "timer": "2.5", "epost": "post@eksempel.no"}.get(key)


def _example(type_navn: str) -> dict[str, Any]:
    raw = resources.files("dokgen.data").joinpath("demo", f"{type_navn}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    for dotted, value in _UTFYLLING[type_navn].items():
        *parents, leaf = dotted.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    return _fill_nulls(data)


EKSEMPLER: dict[str, dict[str, Any]] = {name: _example(name) for name in _UTFYLLING}
