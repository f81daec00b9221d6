"""Regenerate schemas/ (JSON Schema + XSD of every type) and the XML examples of the tests.

The XML examples in tests/fixtures/models/ are the contract JSON (shared/kontrakt, or the
folder named by DOKGEN_KONTRAKT) in XML form; a test checks both stay in step with the code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.models.xmlform import to_xml
from dokgen.documents.schemas import write_all

REPO = Path(__file__).resolve().parent.parent


def write_xml_examples(kontrakt: Path, folder: Path) -> list[Path]:
    """Write ``<type>.xml`` for every contract example found in ``kontrakt``, or else in the
    repository's demo data (the AMB types' examples live only there)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(DOKUMENTTYPER):
        source = kontrakt / f"{name}.json"
        if not source.is_file():
            source = REPO / "dokgen" / "data" / "demo" / f"{name}.json"
        if source.is_file():
            target = folder / f"{name}.xml"
            target.write_bytes(to_xml(json.loads(source.read_text("utf-8"))))
            written.append(target)
    return written


if __name__ == "__main__":
    kontrakt = Path(os.environ.get("DOKGEN_KONTRAKT", REPO.parent / "shared" / "kontrakt"))
    for path in write_all(REPO / "schemas"):
        print(path)
    for path in write_xml_examples(kontrakt, REPO / "tests" / "fixtures" / "models"):
        print(path)
