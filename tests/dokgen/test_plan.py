"""The plan for tiltaket (JMO §6, §7, §9.1): NAV's headings and the contract's values in the
PDF, the sum of the estimated hours, and what the model refuses."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dokgen.documents.context import build_context
from dokgen.documents.models import parse_dokument
from dokgen.documents.pdf.convert import Converter
from dokgen.documents.render import render_docx
from dokgen.errors import InputInvalidError
from tests import pdfinfo
from tests.conftest import require_command

# NAV's words (JMO kravspesifikasjon §3, §6, §7, §9.1) the printed plan must carry.
NAV_OVERSKRIFTER = (
    "Plan for tiltaket",
    "Leverandør skal senest innen tre uker etter oppstart gi NAV en skriftlig tilbakemelding "
    "på plan for den enkelte deltaker",
    "I samarbeid med deltaker skal det utarbeides en plan for gjennomføring av tiltaket, "
    "herunder arbeidsrettet egenaktivitet og oppfølgingstimer.",
    "Estimert timeforbruk",
    "Aktiviteter som planlegges gjennomført i perioden",
    "Tiltaket er i tråd med deltakers forutsetninger, interesser og ferdigheter",
    "Arbeidsrettet egenaktivitet",
    "Deltakers avtalte egenaktivitet skal være tydelig relatert til målsettingen for tiltaket",
    "Plan for oppfølging etter ansettelse",
    "tiltaket skal som hovedregel fortsette etter ansettelse for å sikre at tiltaksdeltaker "
    "forblir i jobb, med mindre deltaker ikke selv ønsker dette",
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _dump(data: dict[str, Any]) -> dict[str, Any]:
    return parse_dokument(data, tillat_syntetiske=True).model_dump(mode="json")


@pytest.mark.integration
def test_the_plan_pdf_shows_navs_headings_and_the_contracts_values(
    converter: Converter, kontrakt: Any
) -> None:
    """The contract's plan, filled and converted by LibreOffice, reads as NAV asks."""
    require_command("pdftotext")
    data = kontrakt("plan")
    pdf = converter.convert(render_docx("plan", _dump(data)))
    text = _flat(pdfinfo.text(pdf, layout=False))
    rows = _flat(pdfinfo.text(pdf))  # laid out: a table row's cells on one line
    # NAV's sentences stand as headings or, lower-cased, as a heading's instruction.
    missing = [h for h in NAV_OVERSKRIFTER if _flat(h).lower() not in text.lower()]
    assert missing == []
    for aktivitet in ("Kartlegging", "Jobbsøking", "Arbeidspraksis"):
        assert aktivitet in text
    assert "Kartlegging 02.03.2026 – 20.03.2026" in rows
    assert "Estimert timeforbruk i alt: 78 timer" in text
    assert "mars 2026 16" in rows
    assert "august 2026 12" in rows
    assert data["arbeidsrettet_egenaktivitet"] in text
    assert data["oppfolging_etter_ansettelse"] in text
    assert "Kari Nordmann" in text
    assert "15858545606" in text


def test_the_sum_of_the_estimated_hours_is_exact(kontrakt: Any) -> None:
    """Hours are decimals: 0.1 + 0.2 is 0.3, and the sum prints with a decimal comma."""
    data = kontrakt("plan")
    data["estimert_timeforbruk"] = [
        {"maned": "2026-03", "timer": "0.1"},
        {"maned": "2026-04", "timer": "0.2"},
        {"maned": "2026-05", "timer": "14.25"},
    ]
    context = build_context("plan", _dump(data))
    assert context["sum_estimert_timeforbruk"] == "14,55"
    assert build_context("plan", _dump(kontrakt("plan")))["sum_estimert_timeforbruk"] == "78"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"estimert_timeforbruk": [{"maned": "2026-03", "timer": "4"}] * 2},
            ("estimert_timeforbruk", "hver måned kan bare stå én gang i estimert timeforbruk"),
        ),
        (
            {"planperiode": {"fra": "2026-01-01", "til": "2026-02-01"}},
            ("planperiode", "planperioden kan ikke slutte før oppstartdato"),
        ),
        ({"planlagte_aktiviteter": []}, ("planlagte_aktiviteter", "må ha minst 1 element")),
        (
            {"estimert_timeforbruk": [{"maned": "2026-03", "timer": 1.5}]},
            (
                "estimert_timeforbruk.0.timer",
                'oppgi timer som tekst, f.eks. "14.25", ikke som flyttall',
            ),
        ),
    ],
)
def test_the_plan_refuses_what_nav_could_not_use(
    change: dict[str, Any], error: tuple[str, str], kontrakt: Any
) -> None:
    """A month twice, a period ending before the start, no activity, hours as a float."""
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(kontrakt("plan") | change, tillat_syntetiske=True)
    assert [(e.path, e.message) for e in info.value.errors] == [error]
