"""The invoice service functions as the pages call them (no HTTP): numbering, search, audit,
resuming after a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import InputInvalidError, RecordNotFoundError
from dokgen.services import brukere, fakturaer
from dokgen.storage.db import Faktura, Organisasjon, Revisjon
from tests.conftest import FIXTURES
from tests.dokgen.conftest import org_innstillinger

pytestmark = pytest.mark.integration


@pytest.fixture
def regnskap(org: Organisasjon) -> Aktor:
    """A regnskap user of the test organisation."""
    return Aktor(org_id=org.id, navn="Regn Skap", rolle="regnskap", fra="127.0.0.1")


def _handlinger(deps: Deps) -> list[str]:
    with deps.sessions() as s:
        return list(s.scalars(select(Revisjon.handling).order_by(Revisjon.id)))


def test_the_number_takes_the_year_of_the_fakturadato(
    deps: Deps, regnskap: Aktor, kontrakt: Any
) -> None:
    """2026-0001, then 2027-0002: one counter per organisation, the year from the date."""
    first = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    data = kontrakt("fakturagrunnlag") | {"fakturadato": "2027-01-04", "forfallsdato": "2027-02-03"}
    second = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(data))
    assert (first.nummer, second.nummer) == ("2026-0001", "2027-0002")
    assert second.grunnlag["fakturanummer"] == "2027-0002"


def test_search_filters_and_every_read_is_audited(
    deps: Deps, regnskap: Aktor, kontrakt: Any
) -> None:
    """finn by status/art/period; preview, search, read and downloads each leave one line."""
    fakturaer.forhandsvis(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    f = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(60)
    assert [x.id for x in fakturaer.finn(deps, regnskap, status="validert")] == [f.id]
    assert fakturaer.finn(deps, regnskap, status="sendt") == []
    assert fakturaer.finn(deps, regnskap, art="kreditnota") == []
    assert len(fakturaer.finn(deps, regnskap, fra="2026-10-31", til="2026-12-31")) == 1
    assert fakturaer.finn(deps, regnskap, fra="2026-11-01") == []
    assert fakturaer.hent(deps, regnskap, f.id).status == "validert"
    xml, navn = fakturaer.xml(deps, regnskap, f.id)
    assert (xml[:5], navn) == (b"<?xml", "faktura-2026-0001.xml")
    assert fakturaer.vedlegg(deps, regnskap, f.id)[1] == "timeliste-2026-0001.pdf"
    assert _handlinger(deps) == [
        "forhandsvis",
        "opprett",
        *["sok"] * 5,
        "les",
        "last_ned_xml",
        "last_ned_vedlegg",
    ]
    with deps.sessions() as s:
        assert set(s.scalars(select(Revisjon.fra))) == {"127.0.0.1"}


def test_an_answer_to_another_invoice_is_refused(
    deps: Deps, regnskap: Aktor, kontrakt: Any
) -> None:
    """An Invoice Response naming another invoice number changes nothing."""
    data = kontrakt("fakturagrunnlag") | {"fakturadato": "2027-01-04", "forfallsdato": "2027-02-03"}
    f = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(data))  # 2027-0001
    assert deps.jobs.wait_idle(60)
    fakturaer.send(deps, regnskap, f.id)
    assert deps.jobs.wait_idle(60)
    svar = (FIXTURES / "transport" / "fakturasvar-ab-2026-0001.xml").read_bytes()
    with pytest.raises(InputInvalidError, match="gjelder faktura 2026-0001, ikke 2027-0001"):
        fakturaer.registrer_svar(deps, regnskap, f.id, svar)
    assert fakturaer.hent(deps, regnskap, f.id).status == "i_utboks"
    with pytest.raises(RecordNotFoundError):
        fakturaer.hent(deps, regnskap, "finnes-ikke")


def test_resume_builds_what_a_stopped_process_left_behandles(
    deps: Deps, regnskap: Aktor, kontrakt: Any
) -> None:
    """gjenoppta (called by create_app) queues the build again; nothing is lost."""
    f = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(60)
    with deps.sessions.begin() as s:
        s.execute(
            update(Faktura)
            .where(Faktura.id == f.id)
            .values(status="behandles", xml_sha256=None, vedlegg_sha256=None, rapport=None)
        )
    assert fakturaer.gjenoppta(deps) == 1
    assert deps.jobs.wait_idle(60)
    rebuilt = fakturaer.hent(deps, regnskap, f.id)
    assert (rebuilt.status, rebuilt.nummer) == ("validert", "2026-0001")
    assert rebuilt.xml_sha256 in deps.store


def test_a_missing_specification_template_fails_the_invoice_with_the_reason(
    make_deps: Callable[..., Deps], tmp_path: Path, kontrakt: Any
) -> None:
    """No maler/timeliste.docx: feilet with a reason, the number kept, nothing half-stored."""
    deps = make_deps(maler_dir=tmp_path / "tom")
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel", org_innstillinger())
    aktor = Aktor(org_id=org.id, navn="Regn Skap", rolle="regnskap")
    f = fakturaer.opprett(deps, aktor, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(60)
    failed = fakturaer.hent(deps, aktor, f.id)
    assert (failed.status, failed.nummer, failed.xml_sha256) == ("feilet", "2026-0001", None)
    assert failed.feil == "Timelistemalen passer ikke: malen timeliste.docx mangler"
