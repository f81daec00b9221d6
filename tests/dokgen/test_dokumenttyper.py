"""Each registered document type has every piece it needs, and describes itself in its class."""

from __future__ import annotations

import runpy
from typing import Any

import pytest

from dokgen.documents.models import DOKUMENTTYPER, ETIKETTER, PARTNAVN, TITLER, TYPER
from dokgen.documents.models.eksempler import demo_path
from dokgen.services.dokumenter import parter
from tests.conftest import FIXTURES, REPO, kontrakt_fil


def _missing_pieces(type_navn: str, builders: dict[str, Any]) -> list[str]:
    """Return, in words, each piece of a type that is not there yet."""
    files = {
        f"maler/{type_navn}.docx": REPO / "maler" / f"{type_navn}.docx",
        f"kontrakt/{type_navn}.json": kontrakt_fil(f"{type_navn}.json"),
        f"schemas/{type_navn}.schema.json": REPO / "schemas" / f"{type_navn}.schema.json",
        f"schemas/{type_navn}.xsd": REPO / "schemas" / f"{type_navn}.xsd",
        f"tests/fixtures/models/{type_navn}.xml": FIXTURES / "models" / f"{type_navn}.xml",
    }
    missing = [f"the file {name}" for name, path in files.items() if not path.is_file()]
    if not demo_path(type_navn).is_file():
        missing.append(f"the demo data dokgen/data/demo/{type_navn}.json")
    if not callable(builders.get(type_navn)):
        missing.append(f"the builder {type_navn}() in scripts/lag_maler.py")
    if "tittel" not in vars(DOKUMENTTYPER[type_navn]):
        missing.append(f"the class variable tittel of {DOKUMENTTYPER[type_navn].__name__}")
    return missing


def test_every_registered_type_has_all_its_pieces() -> None:
    """Name, per type, what a new type still lacks: template, builder, demo data, contract
    example, generated schemas and XML example (scripts/lag_skjema.py), title."""
    builders = runpy.run_path(str(REPO / "scripts" / "lag_maler.py"))
    missing = {name: _missing_pieces(name, builders) for name in DOKUMENTTYPER}
    assert missing == {name: [] for name in DOKUMENTTYPER}


def test_the_registry_is_built_from_the_classes() -> None:
    assert list(DOKUMENTTYPER) == [cls.model_fields["type"].default for cls in TYPER]
    assert TITLER["evalueringsrapport"] == "Evalueringsrapport"
    assert PARTNAVN["arrangor"] == ETIKETTER["arrangor"] == "Tiltaksarrangør"
    assert PARTNAVN["leverandor"] == "Leverandør"
    assert ETIKETTER["ikke_i_arbeid"] == "Ikke i arbeid"
    assert ETIKETTER["arbeid_uten_tilskudd"] == "Arbeid uten tilskudd (1. formidlet)"


@pytest.mark.parametrize(
    ("type_navn", "expected"),
    [
        ("statusrapport", ("arrangor",)),
        ("sluttrapport", ("arrangor",)),
        ("evalueringsrapport", ("arrangor",)),
        ("arbeidspraksisavtale", ("arbeidsgiver", "deltaker", "arrangor")),
        ("endringsavtale", ("kunde", "leverandor")),
        ("plan", ("arrangor",)),
        ("sluttrapport_kvalifisering", ("deltaker", "arrangor")),
        ("motereferat", ("arrangor",)),
        ("tilretteleggingsgaranti", ("arbeidsgiver", "deltaker", "arrangor")),
        ("oppfolgingsplan", ("arbeidsgiver", "deltaker", "arrangor")),
    ],
)
def test_each_type_names_the_parties_that_approve_it(
    type_navn: str, expected: tuple[str, ...], kontrakt: Any
) -> None:
    assert parter(kontrakt(type_navn)) == expected


def test_an_arbeidspraksisavtale_is_approved_by_the_parties_it_lists(kontrakt: Any) -> None:
    data = {**kontrakt("arbeidspraksisavtale"), "parter_som_signerer": ["deltaker", "arrangor"]}
    assert parter(data) == ("deltaker", "arrangor")


@pytest.mark.parametrize(
    ("type_navn", "deltaker", "fra", "til"),
    [
        ("statusrapport", "deltaker.navn", "rapporteringsperiode.fra", "rapporteringsperiode.til"),
        ("sluttrapport", "deltaker.navn", "dato", "dato"),
        ("evalueringsrapport", None, "periode.fra", "periode.til"),
        ("arbeidspraksisavtale", "deltaker.navn", "varighet.fra", "varighet.til"),
        ("endringsavtale", None, None, None),
        ("plan", "deltaker.navn", "planperiode.fra", "planperiode.til"),
        ("sluttrapport_kvalifisering", "deltaker.navn", "dato", "dato"),
        ("motereferat", None, "motedato", "motedato"),
        ("tilretteleggingsgaranti", "deltaker.navn", "dato", "dato"),
        ("oppfolgingsplan", "deltaker.navn", "dato", "dato"),
    ],
)
def test_each_type_summarises_itself_for_the_list(
    type_navn: str, deltaker: str | None, fra: str | None, til: str | None, kontrakt: Any
) -> None:
    data = kontrakt(type_navn)

    def at(sti: str | None) -> Any:
        if sti is None:
            return None
        first, _, rest = sti.partition(".")
        return data[first][rest] if rest else data[first]

    assert DOKUMENTTYPER[type_navn].summarise(data) == (at(deltaker) or "", at(fra), at(til))
