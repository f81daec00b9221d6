"""Data shipped with dokgen: the demo inputs in ``demo/`` (synthetic identities only)."""

from __future__ import annotations

from importlib import resources


def demo_data(name: str) -> bytes:
    """Return a demo file shipped in ``dokgen/data/demo`` (synthetic identities only)."""
    return resources.files("dokgen.data").joinpath("demo", name).read_bytes()
