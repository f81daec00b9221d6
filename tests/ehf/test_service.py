"""The invoice use cases end to end: bill, build, validate, credit, send (never a fatal one)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ehf import service
from ehf.errors import InvoiceRejectedError, ProfileViolationError
from ehf.grunnlag import load_grunnlag
from ehf.model import Attachment
from ehf.sbdh import unwrap
from ehf.transport import KatalogTransport
from ehf.xmlsafe import parse_xml
from tests.conftest import FIXTURES

PDF = (FIXTURES / "ubl" / "vedlegg.pdf").read_bytes()

pytestmark = pytest.mark.integration


def test_lag_faktura_contract(kontrakt: Any, peppol_dir: Path) -> None:
    """The contract grunnlag bills 4.25 + 1.25 h, builds 6325.00 and has no findings."""
    g = load_grunnlag(kontrakt("fakturagrunnlag"))
    att = Attachment(id="V1", description="Timeliste", filename="timeliste.pdf", content=PDF)
    result = service.lag_faktura(g, peppol_dir=peppol_dir, vedlegg=[att])
    assert result.fakturering is not None
    assert [lin.timer for lin in result.fakturering.linjer] == [Decimal("4.25"), Decimal("1.25")]
    assert result.invoice.totals.payable == Decimal("6325.00")
    assert result.report.findings == ()
    assert result.report.rulepack == "3.0.21"
    assert b'<cbc:PayableAmount currencyID="NOK">6325.00</cbc:PayableAmount>' in result.xml


def test_lag_faktura_refuses_profile_violation(kontrakt: Any, peppol_dir: Path) -> None:
    """An invoice to NAV without Deres referanse is stopped before the official rules."""
    data = kontrakt("fakturagrunnlag")
    data["deres_referanse"] = None
    with pytest.raises(ProfileViolationError) as info:
        service.lag_faktura(load_grunnlag(data), peppol_dir=peppol_dir)
    assert [e.path for e in info.value.errors] == ["NAV-02"]


def test_kreditnota_and_send(kontrakt: Any, peppol_dir: Path, tmp_path: Path) -> None:
    """A credit note for line 2 validates; both go to the outbox once each, a resend under
    the same SBDH InstanceIdentifier."""
    g = load_grunnlag(kontrakt("fakturagrunnlag"))
    invoice = service.lag_faktura(g, peppol_dir=peppol_dir)
    note = service.lag_kreditnota(
        invoice.xml, nummer="K-1", dato=date(2026, 11, 10), peppol_dir=peppol_dir, linjer=["2"]
    )
    assert note.report.findings == ()
    assert note.invoice.billing_reference == "2026-0042"
    assert note.invoice.totals.payable == Decimal("1437.50")
    transport = KatalogTransport(tmp_path / "utboks")
    first = service.send(invoice.xml, transport=transport, peppol_dir=peppol_dir)
    again = service.send(invoice.xml, transport=transport, peppol_dir=peppol_dir)
    service.send(note.xml, transport=transport, peppol_dir=peppol_dir)
    assert (first.status, again.status) == ("sendt", "duplikat")
    files = sorted((tmp_path / "utboks").iterdir())
    assert len(files) == 2
    assert first.detalj == "Lagt i utboks – ikke sendt"  # never the path: users see it
    sbd = parse_xml((tmp_path / "utboks" / f"{first.melding_id}.xml").read_bytes())
    ids = [e.text for e in sbd.iter() if etree.QName(e).localname == "Identifier"]
    assert "0192:998877660" in ids
    assert "0192:889640782" in ids
    instance = unwrap((tmp_path / "utboks" / f"{first.melding_id}.xml").read_bytes())[0][
        "instance_id"
    ]
    assert (first.instans_id, again.instans_id) == (instance, instance)  # what an MLS refers to


def test_fatal_document_is_never_sent(kontrakt: Any, peppol_dir: Path, tmp_path: Path) -> None:
    """A wrong total (BR-CO-16 …) is fatal: nothing reaches the outbox."""
    g = load_grunnlag(kontrakt("fakturagrunnlag"))
    xml = service.lag_faktura(g, peppol_dir=peppol_dir).xml
    bad = xml.replace(b">6325.00</cbc:PayableAmount>", b">6000.00</cbc:PayableAmount>")
    report = service.valider(bad, peppol_dir=peppol_dir, dato=date(2026, 11, 3))
    assert not report.ok
    assert "BR-CO-16" in {f.rule for f in report.fatal}
    with pytest.raises(InvoiceRejectedError, match="BR-CO-16"):
        service.send(bad, transport=KatalogTransport(tmp_path / "utboks"), peppol_dir=peppol_dir)
    assert not (tmp_path / "utboks").exists()
