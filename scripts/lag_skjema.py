"""Regenerate schemas/: the JSON Schema and XSD of every document type, from the models."""

from __future__ import annotations

from pathlib import Path

from dokgen.schemas import write_all

if __name__ == "__main__":
    for path in write_all(Path(__file__).resolve().parent.parent / "schemas"):
        print(path)
