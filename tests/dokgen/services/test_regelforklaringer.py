"""Validation findings in plain bokmål: the table's rules exist, each kind is explained with
what to do, and an unknown rule keeps its id and official text."""

from __future__ import annotations

import re

import pytest

from dokgen.services.regelforklaringer import FORKLARINGER, forklar, forklar_alle
from ehf import profiles
from tests.conftest import PEPPOL

OFFISIELLE = re.compile(r"^(BR-|PEPPOL-EN16931-R|NO-R-)")


def _regler_i_schematron() -> set[str]:
    ids: set[str] = set()
    for sch in PEPPOL.glob("**/*.sch"):
        ids |= set(re.findall(r'id="([A-Z][A-Z0-9-]+)"', sch.read_text(encoding="utf-8")))
    return ids


def test_every_official_rule_in_the_table_exists_in_the_rule_packs() -> None:
    """A typo in a rule id would leave a real finding unexplained: each official id of the
    table is an assert of the shipped EN 16931 / PEPPOL schematron."""
    kjente = _regler_i_schematron()
    offisielle = {r for r in FORKLARINGER if OFFISIELLE.match(r)}
    assert offisielle, "the table explains official rules"
    assert offisielle - kjente == set()


def test_every_rule_of_the_buyer_profiles_is_explained() -> None:
    """The profile rules (NAV-*, SELGER-*, PEPPOL-01) all come from our own checks."""
    kilde = profiles.__file__
    with open(kilde, encoding="utf-8") as f:
        egne = set(re.findall(r'RowError\("([A-Z]+-\d+)"', f.read()))
    assert egne
    assert egne - set(FORKLARINGER) == set()


@pytest.mark.parametrize(
    ("regel", "flagg", "ord"),
    [
        ("BR-CO-25", "fatal", "forfallsdato"),
        ("PEPPOL-EN16931-R003", "fatal", "Deres referanse"),
        ("NO-R-001", "fatal", "MVA-nummeret"),
        ("NO-R-002", "warning", "Foretaksregisteret"),
        ("NAV-02", "fatal", "bestillerreferansen"),
        ("SELGER-03", "fatal", "Kontonummeret"),
    ],
)
def test_a_finding_of_each_kind_is_explained_in_bokmal(regel: str, flagg: str, ord: str) -> None:
    """Each kind (EN 16931, PEPPOL, Norwegian, the buyer profile's) gets a bokmål explanation
    and a next step; the official text keeps its id out of the sentence."""
    funn = {
        "rule": regel,
        "flag": flagg,
        "message": f"[{regel}]-Some official English text.",
        "location": "/*:Invoice[namespace-uri()='urn:x'][1]/*:Foo[1]",
        "pack": "PEPPOL-BIS-3.0.21",
    }
    x = forklar(funn)
    assert x.kjent
    assert ord in x.forklaring
    assert x.hva_gjore
    assert x.hva_gjore != x.forklaring
    assert x.alvor == ("Advarsel" if flagg == "warning" else "Feil")
    assert x.offisiell_tekst == "Some official English text."
    assert x.sted == funn["location"]
    assert x.som_dict() == {"forklaring": x.forklaring, "hva_gjore": x.hva_gjore, "kjent": True}


def test_an_unknown_rule_keeps_its_id_and_official_text() -> None:
    """A rule the table lacks: the rule id and the official text, and a general next step."""
    x = forklar({"rule": "BR-DE-99", "flag": "fatal", "message": "[BR-DE-99]-Needs a thing."})
    assert (x.kjent, x.regel, x.forklaring) == (False, "BR-DE-99", "Needs a thing.")
    assert "ikke forklart her" in x.hva_gjore


def test_errors_come_before_warnings() -> None:
    """The page lists what stops the invoice first."""
    rapport = {
        "findings": [
            {"rule": "NO-R-002", "flag": "warning", "message": "x"},
            {"rule": "BR-16", "flag": "fatal", "message": "y"},
        ]
    }
    assert [x.regel for x in forklar_alle(rapport)] == ["BR-16", "NO-R-002"]
    assert forklar_alle(None) == []
