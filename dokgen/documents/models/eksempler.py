"""Complete examples with every optional field filled: the demo data plus what it leaves out.

The demo data is ``dokgen/data/demo/<type>.json``; what it leaves out is the type's
``utfylling``. The template check renders these to learn which fields a template may show.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from dokgen.documents.models.common import Dokumentmodell
from dokgen.documents.models.registry import TYPER


def _fill_nulls(node: Any) -> Any:
    """Give list items' null fields a value so every optional field is exercised."""
    if isinstance(node, dict):
        return {k: _fill_nulls(v if v is not None else _standin(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_nulls(v) for v in node]
    return node


def _standin(key: str) -> Any:
    return {"dager": 1, "timer": "2.5", "epost": "post@eksempel.no"}.get(key)


def demo_path(type_navn: str) -> Traversable:
    """Return where the demo data of a type is shipped."""
    return resources.files("dokgen.data").joinpath("demo", f"{type_navn}.json")


def _example(cls: type[Dokumentmodell]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(demo_path(cls.type_navn()).read_text("utf-8"))
    for dotted, value in cls.utfylling.items():
        *parents, leaf = dotted.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    return _fill_nulls(data)


EKSEMPLER: dict[str, dict[str, Any]] = {cls.type_navn(): _example(cls) for cls in TYPER}
