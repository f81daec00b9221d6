"""GLOSSARY.md lists each business term the code uses, once, in the form the code writes it.

The terms are found by introspection, not listed here: the fields of the document types
and of the fakturagrunnlag (the Norwegian input models), their code values (``StrEnum``
and ``Literal``), dokgen's other code lists (``StrEnum`` in the settings) and the business
modules of ``dokgen/services/``.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import re
import typing
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pydantic

import dokgen.documents.models
import dokgen.services
import dokgen.settings
import ehf.grunnlag

GLOSSARY = Path(__file__).resolve().parents[1] / "GLOSSARY.md"
TERM = re.compile(r"[a-z][a-z0-9_]*")  # æ→ae, ø→o, å→a: the form an identifier writes

# Service modules named for a mechanic, not a business thing. Each has the business word
# it serves in the glossary: audit writes the revisjonslogg, demo seeds the demo data
# through the use cases, oidc speaks the OpenID Connect protocol for innlogging.
MECHANIC_MODULES = {"audit", "demo", "oidc"}


def glossary_rows() -> list[list[str]]:
    """Return each table row's terms: its first cell, the forms separated by " / "."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith(("| term", "|---")):
            continue
        rows.append([form.strip() for form in line.split("|")[1].split(" / ")])
    return rows


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"{package.__name__}.{info.name}")


def _classes(modules: list[ModuleType], base: type) -> set[type]:
    return {
        obj
        for module in modules
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, base) and obj.__module__ == module.__name__
    }


def _code_values(annotation: object) -> Iterator[str]:
    """Yield the values of the Literals and StrEnums inside a field's annotation."""
    if inspect.isclass(annotation) and issubclass(annotation, enum.StrEnum):
        yield from (member.value for member in annotation)
    elif typing.get_origin(annotation) is typing.Literal:
        yield from (str(value) for value in typing.get_args(annotation))
    else:
        for arg in typing.get_args(annotation):
            yield from _code_values(arg)


def input_models() -> set[type[pydantic.BaseModel]]:
    """Return the document types' models and their parts, and the fakturagrunnlag's."""
    modules = [*_modules(dokgen.documents.models), ehf.grunnlag]
    return _classes(modules, pydantic.BaseModel)


def used_terms() -> dict[str, str]:
    """Return each business name the code uses, with where it was found."""
    terms: dict[str, str] = {}
    for model in input_models():
        for name, field in model.model_fields.items():
            terms.setdefault(name, f"field of {model.__module__}.{model.__qualname__}")
            for value in _code_values(field.annotation):
                terms.setdefault(value, f"code value of {model.__qualname__}.{name}")
    for code_list in _classes([*_modules(dokgen.documents.models), dokgen.settings], enum.StrEnum):
        for member in code_list:
            terms.setdefault(member.value, f"code value of {code_list.__qualname__}")
    for info in pkgutil.iter_modules(dokgen.services.__path__):
        if info.name not in MECHANIC_MODULES:
            terms.setdefault(info.name, "module of dokgen.services")
    # Codes of outside code lists (UNCL5305's "S", "AE" …) are codes, not words.
    return {term: where for term, where in terms.items() if TERM.fullmatch(term)}


def test_every_business_name_the_code_uses_has_a_row() -> None:
    listed = {form for row in glossary_rows() for form in row}
    missing = {term: where for term, where in used_terms().items() if term not in listed}
    assert missing == {}, "add these to GLOSSARY.md (or rename them):\n" + "\n".join(
        f"  {term}: {where}" for term, where in sorted(missing.items())
    )


def test_each_term_has_one_row_in_the_form_of_an_identifier() -> None:
    forms = [form for row in glossary_rows() for form in row]
    assert [form for form, n in Counter(forms).items() if n > 1] == []
    assert [form for form in forms if not TERM.fullmatch(form)] == []


def test_the_introspection_finds_the_terms() -> None:
    """Guard against a vacuous pass: the sources above really yield the known terms."""
    terms = used_terms()
    assert {"deltaker", "rapporteringsperiode", "fritaksgrunn", "sats", "ikke_i_arbeid"} <= set(
        terms
    )
    assert {"fakturaer", "dokumenter", "produksjon", "statusrapport"} <= set(terms)
    assert "audit" not in terms
    assert len(glossary_rows()) > 100
