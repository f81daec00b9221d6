"""The validator: hardened parsing, XSD before Schematron, rule ids, packs and reports."""

from __future__ import annotations

import json
import logging
import threading
from datetime import date
from pathlib import Path

import pytest
from saxonche import PySaxonApiError

from ehf.errors import RulePackMissingError, ValidationFailedError, XmlUnsafeError
from ehf.rulepacks import RULE_PACKS, resolve
from ehf.svrl import FATAL, WARNING, normalise_flag, parse_svrl
from ehf.validation import Report, Validator, get_validator, rulepack_for, saxon_processor
from ehf.xmlsafe import parse_xml
from tests.conftest import FIXTURES

HERE = FIXTURES / "validation"


@pytest.fixture(scope="session")
def validator(peppol_dir: Path) -> Validator:
    """Return the process's compiled 3.0.21 validator (shared with the rest of the session)."""
    return get_validator(peppol_dir, "3.0.21")


@pytest.fixture
def base_example(peppol_dir: Path) -> bytes:
    """Return the official BIS 3.0.21 base example invoice."""
    return (peppol_dir / "bis-billing-3.0.21" / "examples" / "base-example.xml").read_bytes()


@pytest.fixture
def no_example(peppol_dir: Path) -> bytes:
    """Return the official Norwegian national example invoice."""
    path = (
        peppol_dir / "bis-billing-3.0.19" / "national-examples" / "NO" / "Norwegian-example-1.xml"
    )
    return path.read_bytes()


def _replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1, f"{old!r} must occur once in the example"
    return data.replace(old, new)


# --- hardened input ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xxe-ekstern-entitet.xml", "entitetsbombe.xml"])
def test_dtd_and_entities_are_refused_before_parsing(validator: Validator, name: str) -> None:
    """Ensure a DTD or entity declaration never reaches the XSD or Saxon."""
    with pytest.raises(XmlUnsafeError, match="DTD eller entiteter"):
        validator.validate((HERE / name).read_bytes())


def test_malformed_xml_is_refused(validator: Validator) -> None:
    """Ensure bytes that are not XML give XmlUnsafeError, not an engine crash."""
    with pytest.raises(XmlUnsafeError, match="ikke velformet"):
        validator.validate(b"<Invoice><cbc:ID>1</Invoice>")


@pytest.mark.integration
def test_saxon_may_not_read_over_http() -> None:
    """Ensure the shared SaxonC processor refuses http: resources (file access only)."""
    sheet = (
        saxon_processor()
        .new_xslt30_processor()
        .compile_stylesheet(stylesheet_file=str(HERE / "http-oppslag.xslt"))
    )
    node = saxon_processor().parse_xml(xml_text="<x/>")
    with pytest.raises(PySaxonApiError, match="has been prohibited"):
        sheet.transform_to_string(xdm_node=node)


# --- XSD first --------------------------------------------------------------------------


@pytest.mark.integration
def test_schema_invalid_document_stops_at_the_xsd(
    validator: Validator, base_example: bytes
) -> None:
    """Ensure an element out of order gives an XSD finding and no Schematron findings."""
    # Note moved after IssueDate is out of XSD order; the wrong total would also break
    # BR-CO-15 if the Schematron ran — it must not.
    xml = _replace_once(base_example, b"<cbc:IssueDate>", b"<cbc:Note>x</cbc:Note><cbc:IssueDate>")
    xml = _replace_once(
        xml,
        b'<cbc:TaxInclusiveAmount currencyID="EUR">',
        b'<cbc:TaxInclusiveAmount currencyID="EUR">9',
    )
    report = validator.validate(xml)
    assert not report.ok
    assert {f.pack for f in report.findings} == {"UBL-2.1-XSD"}
    assert report.fatal[0].rule == "UBL-XSD"
    assert "cbc:IssueDate" in report.fatal[0].message
    assert report.fatal[0].location == "/Invoice"


@pytest.mark.integration
def test_unknown_root_element_is_an_xsd_finding(validator: Validator) -> None:
    """Ensure a document that is neither Invoice nor CreditNote is refused by the XSD step."""
    report = validator.validate(b"<Order xmlns='urn:x'/>")
    assert report.document_type == "Order"
    assert [(f.rule, f.pack) for f in report.fatal] == [("UBL-XSD", "UBL-2.1-XSD")]
    assert "{urn:x}Order" in report.fatal[0].message


@pytest.mark.integration
def test_padded_date_passes_the_xsd_and_meets_the_peppol_format_rule(
    validator: Validator, base_example: bytes
) -> None:
    """Ensure libxml2's whitespace-date bug does not decide: xmlschema accepts the XSD."""
    xml = _replace_once(base_example, b"<cbc:IssueDate>2017-11-13", b"<cbc:IssueDate> 2017-11-13 ")
    report = validator.validate(xml)
    assert [f.pack for f in report.findings if f.pack == "UBL-2.1-XSD"] == []
    assert [(f.rule, f.pack) for f in report.fatal] == [
        ("PEPPOL-EN16931-F001", "PEPPOL-BIS-3.0.21")
    ]
    assert "IssueDate" in report.fatal[0].location


# --- Schematron rule ids ----------------------------------------------------------------


@pytest.mark.integration
def test_official_examples_pass(
    validator: Validator, base_example: bytes, no_example: bytes
) -> None:
    """Ensure the base and Norwegian examples have no fatal finding with 3.0.21."""
    base = validator.validate(base_example)
    assert (base.ok, base.findings, base.document_type) == (True, (), "Invoice")
    norsk = validator.validate(no_example)
    assert norsk.ok
    # The NO example carries an element EN 16931 does not use: a warning, not an error.
    assert [(f.rule, f.flag, f.pack) for f in norsk.warnings] == [
        ("UBL-CR-679", WARNING, "CEN-EN16931-1.3.16")
    ]


@pytest.mark.integration
def test_wrong_total_breaks_br_co_15_in_the_cen_rules(
    validator: Validator, no_example: bytes
) -> None:
    """Ensure a wrong invoice total gives BR-CO-15 (fatal) from the CEN pack, with location."""
    xml = _replace_once(
        no_example, b">1801.78</cbc:TaxInclusiveAmount>", b">1901.78</cbc:TaxInclusiveAmount>"
    )
    report = validator.validate(xml)
    hits = [f for f in report.fatal if f.rule == "BR-CO-15"]
    assert len(hits) == 1
    assert hits[0].pack == "CEN-EN16931-1.3.16"
    assert hits[0].message.startswith("[BR-CO-15]")
    assert hits[0].location.startswith("/*:Invoice")
    assert not report.ok


@pytest.mark.integration
def test_bad_norwegian_vat_number_breaks_no_r_001(validator: Validator, no_example: bytes) -> None:
    """Ensure a seller VAT number with a wrong mod 11 digit gives NO-R-001 from PEPPOL."""
    xml = _replace_once(no_example, b"NO123456785MVA", b"NO123456784MVA")
    report = validator.validate(xml)
    hits = [f for f in report.fatal if f.rule == "NO-R-001"]
    assert len(hits) == 1
    assert (hits[0].flag, hits[0].pack) == (FATAL, "PEPPOL-BIS-3.0.21")
    assert "AccountingSupplierParty" in hits[0].location
    assert "Norwegian organization number" in hits[0].message


@pytest.mark.integration
def test_run_schematron_runs_one_stylesheet(validator: Validator, no_example: bytes) -> None:
    """Ensure single-XSLT runs report only their own pack's rules."""
    xml = _replace_once(no_example, b"NO123456785MVA", b"NO123456784MVA")
    assert [f.rule for f in validator.run_schematron(xml, "peppol")] == ["NO-R-001"]
    assert [f.rule for f in validator.run_schematron(xml, "cen")] == ["UBL-CR-679"]


@pytest.mark.integration
def test_cen_only_pack_has_no_peppol_rules(peppol_dir: Path, no_example: bytes) -> None:
    """Ensure asking the CEN-only pack for PEPPOL rules is an error, not an empty pass."""
    cen = get_validator(peppol_dir, "cen-1.3.16")
    with pytest.raises(ValidationFailedError, match="har ikke peppol-regler"):
        cen.run_schematron(no_example, "peppol")


# --- reports ----------------------------------------------------------------------------


@pytest.mark.integration
def test_report_round_trips_through_json(validator: Validator, no_example: bytes) -> None:
    """Ensure a report survives to_dict → JSON → from_dict unchanged."""
    xml = _replace_once(no_example, b"NO123456785MVA", b"NO123456784MVA")
    report = validator.validate(xml)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is False
    assert data["rulepack"] == "3.0.21"
    assert data["document_type"] == "Invoice"
    assert {"rule": "NO-R-001", "flag": "fatal"}.items() <= data["findings"][1].items()
    assert Report.from_dict(data) == report


def test_svrl_flags_follow_vefa_semantics() -> None:
    """Ensure fatal/error/no flag/unknown flags count as fatal and only 'warning' warns."""
    assert [normalise_flag(f) for f in ("fatal", "error", None, "", "information")] == [FATAL] * 5
    assert normalise_flag(" Warning ") == WARNING


def test_parse_svrl_reads_asserts_and_reports() -> None:
    """Ensure failed asserts and successful reports both become findings, in order."""
    svrl = (HERE / "svrl-utdrag.xml").read_bytes()
    found = parse_svrl(svrl, "TEST")
    assert [(f.rule, f.flag, f.message, f.location) for f in found] == [
        ("R-1", FATAL, "Første regel brutt.", "/Invoice[1]"),
        ("R-2", WARNING, "Andre regel rapportert.", "/Invoice[1]/cbc:ID[1]"),
    ]


# --- rule packs -------------------------------------------------------------------------


def test_rulepack_for_follows_the_issue_date() -> None:
    """Ensure 3.0.21 is chosen today and 3.0.22 from its mandatory date 2027-02-24."""
    assert rulepack_for(date(2026, 11, 22)) == "3.0.21"
    assert rulepack_for(date(2025, 1, 1)) == "3.0.21"
    assert rulepack_for(date(2027, 2, 23)) == "3.0.21"
    assert rulepack_for(date(2027, 2, 24)) == "3.0.22"


def test_missing_newer_pack_falls_back_and_says_so(
    peppol_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Ensure 3.0.22 without its folder falls back to 3.0.21, with a logged warning."""
    if (peppol_dir / "bis-billing-3.0.22").exists():
        pytest.skip("3.0.22 is in the reference folder: no fallback to show")
    with caplog.at_level(logging.WARNING, logger="ehf.rulepacks"):
        assert rulepack_for(date(2027, 3, 1), peppol_dir) == "3.0.21"
    assert "regelpakke 3.0.22 mangler" in caplog.text
    assert RULE_PACKS["3.0.22"].replaces == "3.0.21"


def test_missing_folder_names_the_setting(tmp_path: Path) -> None:
    """Ensure a wrong artifacts folder gives RulePackMissingError naming the setting."""
    with pytest.raises(RulePackMissingError, match="DOKGEN_REFERANSE_PEPPOL"):
        Validator(tmp_path, version="3.0.21")
    with pytest.raises(RulePackMissingError, match="DOKGEN_REFERANSE_PEPPOL"):
        resolve(tmp_path, "3.0.22")


def test_unknown_version_is_refused(peppol_dir: Path) -> None:
    """Ensure a version not in RULE_PACKS is refused with the known ones listed."""
    with pytest.raises(RulePackMissingError, match=r"ukjent regelpakke '9\.9'.*3\.0\.21"):
        resolve(peppol_dir, "9.9")


@pytest.mark.integration
def test_fallback_validator_records_the_pack_that_judged(
    peppol_dir: Path, base_example: bytes
) -> None:
    """Ensure a report from a fallen-back validator names 3.0.21 and says 3.0.22 was missing."""
    if (peppol_dir / "bis-billing-3.0.22").exists():
        pytest.skip("3.0.22 is in the reference folder: no fallback to show")
    report = get_validator(peppol_dir, "3.0.22").validate(base_example)
    assert report.rulepack == "3.0.21"
    assert "3.0.22" in report.note
    assert report.ok


@pytest.mark.integration
def test_get_validator_compiles_once_per_process(peppol_dir: Path, validator: Validator) -> None:
    """Ensure the per-process cache hands back the same compiled validator."""
    assert get_validator(peppol_dir, "3.0.21") is validator
    assert get_validator(peppol_dir / ".", "3.0.21") is validator


@pytest.mark.integration
def test_validator_gives_the_same_answers_from_worker_threads(
    validator: Validator, no_example: bytes
) -> None:
    """Ensure web workers sharing one validator get each document's own findings."""
    bad = _replace_once(no_example, b"NO123456785MVA", b"NO123456784MVA")
    seen: list[tuple[int, tuple[str, ...]]] = []

    def work(i: int) -> None:
        for _ in range(5):
            report = validator.validate(bad if i % 2 else no_example)
            seen.append((i % 2, tuple(f.rule for f in report.fatal)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 20
    assert set(seen) == {(0, ()), (1, ("NO-R-001",))}


def test_parse_xml_is_the_same_hardened_parser() -> None:
    """Ensure the validator's parser is ehf.xmlsafe's (an entity reference is refused)."""
    with pytest.raises(XmlUnsafeError):
        parse_xml((HERE / "entitetsbombe.xml").read_bytes())
