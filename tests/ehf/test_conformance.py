"""The official unit tests and examples, run through the project's validator.

Each unit-test file is a VEFA ``testSet``: a ``<scope>`` of rule ids, then ``<test>``s,
each with the expected ``<success>`` (rule must not fire), ``<error>`` (fires as fatal)
and ``<warning>`` (fires as a warning) ids — ``number="n"`` means exactly n times — and a
document fragment. Files are parametrised one by one (fast), every test case inside is
checked, and the totals (543 PEPPOL-side, 1,131 CEN) are asserted so a file that goes
missing fails the suite instead of vanishing from it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from ehf.svrl import FATAL, WARNING, Finding
from ehf.validation import Validator
from tests.conftest import PEPPOL

pytestmark = pytest.mark.integration

VEFA = "http://difi.no/xsd/vefa/validator/1.0"
# Which Schematron layers each VEFA configuration runs (the XSD is not part of the unit
# tests: their documents are deliberately incomplete fragments).
LAYERS = {
    "tc434-ubl": ("cen",),
    "peppolbis-en16931-base-3.0-ubl": ("peppol",),
    "peppolbis-en16931-01-3.0-ubl-invoice": ("cen", "peppol"),
}
PEPPOL_TESTS = 543
CEN_TESTS = 1131


@dataclass(frozen=True)
class Case:
    """One ``<test>``: its position, expectations and document bytes."""

    index: int
    success: tuple[str, ...]
    errors: tuple[tuple[str, int | None], ...]
    warnings: tuple[tuple[str, int | None], ...]
    document: bytes


def _v(tag: str) -> str:
    return f"{{{VEFA}}}{tag}"


def _expected(assert_el: etree._Element, tag: str) -> tuple[tuple[str, int | None], ...]:
    out = []
    for el in assert_el.iterfind(_v(tag)):
        number = el.get("number")
        out.append(((el.text or "").strip(), int(number) if number else None))
    return tuple(out)


def _case(index: int, test: etree._Element) -> Case:
    assert_el = test.find(_v("assert"))
    assert assert_el is not None, f"test {index} has no <assert>"
    docs = [c for c in test if isinstance(c.tag, str) and etree.QName(c).namespace != VEFA]
    assert len(docs) == 1, f"test {index} must hold one document"
    return Case(
        index=index,
        success=tuple(rule for rule, _ in _expected(assert_el, "success")),
        errors=_expected(assert_el, "error"),
        warnings=_expected(assert_el, "warning"),
        document=etree.tostring(docs[0]),
    )


def load_test_set(path: Path) -> tuple[str, frozenset[str], list[Case]]:
    """Return a unit-test file's configuration, scope and test cases."""
    root = etree.parse(str(path)).getroot()
    scope = frozenset(
        (s.text or "").strip() for s in root.iterfind(f"{_v('assert')}/{_v('scope')}")
    )
    cases = [_case(i, t) for i, t in enumerate(root.iterfind(_v("test")), start=1)]
    return root.get("configuration", ""), scope, cases


def mismatches(case: Case, findings: list[Finding], scope: frozenset[str]) -> list[str]:
    """Return what differs between a test case's expectations and the findings (VEFA)."""
    counted = [f for f in findings if not scope or f.rule in scope]
    fatal = Counter(f.rule for f in counted if f.flag == FATAL)
    warn = Counter(f.rule for f in counted if f.flag == WARNING)
    problems = [f"{r} fired, expected success" for r in case.success if fatal[r] or warn[r]]
    for kind, wanted, seen in (("error", case.errors, fatal), ("warning", case.warnings, warn)):
        for rule, number in wanted:
            if (seen[rule] == 0) if number is None else (seen[rule] != number):
                problems.append(f"{rule}: expected {kind} x{number or '≥1'}, fired {seen[rule]}")
    return [f"test {case.index}: {p}" for p in problems]


def run_file(validator: Validator, path: Path) -> list[str]:
    """Run one unit-test file and return its mismatches (empty when all cases pass)."""
    configuration, scope, cases = load_test_set(path)
    assert configuration in LAYERS, f"{path.name}: unknown configuration {configuration}"
    assert cases, f"{path.name} holds no tests"
    problems: list[str] = []
    for case in cases:
        findings = [
            f
            for which in LAYERS[configuration]
            for f in validator.run_schematron(case.document, which)
        ]
        problems += mismatches(case, findings, scope)
    return problems


PEPPOL_FILES = sorted((PEPPOL / "bis-billing-3.0.19" / "unit-tests").glob("unit-UBL-*/*.xml"))
UPDATED_FILES = sorted((PEPPOL / "bis-billing-3.0.21" / "unit-tests-updated").glob("*/*.xml"))
CEN_FILES = sorted((PEPPOL / "cen-en16931-1.3.16" / "unit-tests").glob("*-unit-UBL/*.xml"))
EXAMPLES = sorted((PEPPOL / "bis-billing-3.0.21" / "examples").glob("*.xml")) + sorted(
    (PEPPOL / "bis-billing-3.0.19" / "national-examples" / "NO").glob("*.xml")
)

CEN_EXAMPLES = sorted(
    p for p in (PEPPOL / "cen-en16931-1.3.16" / "examples").glob("*") if p.suffix.lower() == ".xml"
)


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


@pytest.fixture(scope="session")
def validator_3019(peppol_dir: Path) -> Validator:
    """Return the BIS 3.0.19 rules the official PEPPOL unit tests were written for."""
    return Validator(peppol_dir, version="3.0.19")


@pytest.fixture(scope="session")
def validator_3021(peppol_dir: Path) -> Validator:
    """Return the BIS 3.0.21 rules in force today."""
    return Validator(peppol_dir, version="3.0.21")


@pytest.fixture(scope="session")
def validator_cen(peppol_dir: Path) -> Validator:
    """Return CEN's own compiled EN 16931 1.3.16 UBL rules."""
    return Validator(peppol_dir, version="cen-1.3.16")


def test_unit_test_totals_match_the_official_counts(peppol_dir: Path) -> None:
    """Ensure no unit-test file or case silently drops out of the parametrised runs."""
    peppol = sum(len(load_test_set(p)[2]) for p in PEPPOL_FILES)
    cen = sum(len(load_test_set(p)[2]) for p in CEN_FILES)
    assert (len(PEPPOL_FILES), peppol) == (144, PEPPOL_TESTS)  # R048 is disabled upstream (.xm)
    assert (len(CEN_FILES), cen) == (277, CEN_TESTS)
    assert [p.name for p in UPDATED_FILES] == ["PEPPOL-COMMON-R052.xml", "PEPPOL-EN16931-R004.xml"]


@pytest.mark.parametrize("path", PEPPOL_FILES, ids=_ids(PEPPOL_FILES))
def test_peppol_unit_tests_3_0_19(validator_3019: Validator, path: Path) -> None:
    """Ensure every PEPPOL-side official unit test gives the expected rule ids (3.0.19)."""
    problems = run_file(validator_3019, path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", UPDATED_FILES, ids=_ids(UPDATED_FILES))
def test_peppol_unit_tests_updated_in_3_0_21(validator_3021: Validator, path: Path) -> None:
    """Ensure the unit tests changed in 3.0.21 pass against the 3.0.21 rules."""
    problems = run_file(validator_3021, path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", CEN_FILES, ids=_ids(CEN_FILES))
def test_cen_unit_tests_1_3_16(validator_cen: Validator, path: Path) -> None:
    """Ensure every official CEN EN 16931 UBL unit test gives the expected rule ids."""
    problems = run_file(validator_cen, path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids(EXAMPLES))
def test_official_examples_have_no_fatal_finding(validator_3021: Validator, path: Path) -> None:
    """Ensure every official BIS 3.0.21 example (and the Norwegian one) passes 3.0.21."""
    report = validator_3021.validate(path.read_bytes())
    assert report.rulepack == "3.0.21"
    assert report.document_type in {"Invoice", "CreditNote"}
    assert report.fatal == [], [f"{f.rule}: {f.message}" for f in report.fatal]


@pytest.mark.parametrize("path", CEN_EXAMPLES, ids=_ids(CEN_EXAMPLES))
def test_cen_examples_pass_xsd_and_cen_rules(validator_cen: Validator, path: Path) -> None:
    """Ensure CEN's own UBL examples pass the XSD and the CEN 1.3.16 rules (0 fatal)."""
    report = validator_cen.validate(path.read_bytes())
    assert report.rulepack == "cen-1.3.16"
    assert report.fatal == [], [f"{f.rule}: {f.message}" for f in report.fatal]


def test_examples_are_all_there(peppol_dir: Path) -> None:
    """Ensure the example runs cover 10 BIS examples + the NO example, and CEN's 19 UBL ones."""
    assert len(EXAMPLES) == 11
    assert len(CEN_EXAMPLES) == 19
