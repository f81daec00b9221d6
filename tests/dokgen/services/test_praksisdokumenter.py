"""The tilretteleggingsgaranti and the oppfølgingsplan through the service with the real
engines: approved by the arbeidsgiver, the deltaker and the tiltaksarrangør, sealed, the
seal checked by pdfsig and the PDF's text read back against our labels (in order) and the
routine's sentences; and what the models refuse."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.data import demo_data
from dokgen.documents.models import parse_dokument
from dokgen.errors import InputInvalidError
from dokgen.services import dokumenter
from dokgen.storage.db import Organisasjon
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.test_ordlyd import LEDETEKSTER_PRAKSIS, RUTINESITATER

TYPER = ("tilretteleggingsgaranti", "oppfolgingsplan")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _eksempel(type_navn: str) -> dict[str, Any]:
    return dict(json.loads(demo_data(f"{type_navn}.json")))


@pytest.mark.integration
@pytest.mark.parametrize("type_navn", TYPER)
def test_the_document_is_approved_by_the_three_parties_sealed_and_reads_back(
    deps: Deps, org: Organisasjon, veileder: Aktor, type_navn: str
) -> None:
    require_command("pdftotext", "pdfsig")
    data = som_arrangor(_eksempel(type_navn), org)
    dok = dokumenter.opprett(deps, veileder, parse_dokument(data, tillat_syntetiske=True))
    assert dokumenter.parter(data) == ("arbeidsgiver", "deltaker", "arrangor")
    deps.jobs.wait_idle(timeout=120)
    for part, navn in (("arbeidsgiver", "Lise Berg"), ("deltaker", "Kari Nordmann")):
        g = dokumenter.Godkjenningsdata(
            part=part, navn=navn, begrunnelse="godkjent på oppstartsmøtet 05.06.2026"
        )
        dokumenter.godkjenn(deps, veileder, dok.id, g)
    assert dokumenter.hent(deps, veileder, dok.id).ferdig is None  # the arrangør is missing
    dokumenter.godkjenn(deps, veileder, dok.id, dokumenter.Godkjenningsdata(part="arrangor"))
    deps.jobs.wait_idle(timeout=120)
    rad = dokumenter.hent(deps, veileder, dok.id)
    assert rad.ferdig is not None
    assert rad.gjeldende.status == dokumenter.GODKJENT
    biter, _ = dokumenter.fil(deps, veileder, dok.id, "pdf")
    pdf = b"".join(biter)
    [signatur] = pdfinfo.pdfsig_report(pdf)
    assert signatur["valid"]
    tekst = _flat(pdfinfo.text(pdf, layout=False))
    at = 0
    for etikett in LEDETEKSTER_PRAKSIS[type_navn]:
        funnet = tekst.find(_flat(etikett), at)
        assert funnet >= 0, f"«{etikett}» is missing or out of order"
        at = funnet + len(_flat(etikett))
    for setning in RUTINESITATER[type_navn]:
        assert _flat(setning) in tekst
    for verdi in ("Matbutikken Grünerløkka AS", "976 543 211", "Arbeidstrening", "09.06.2026"):
        assert _flat(verdi) in tekst
    assert _flat("Åse Ødegård") in tekst
    assert _flat("Tlf. 90 00 00 01 · ase.odegard@eksempel.no") in tekst


def test_the_oppfolgingsplan_of_an_arbeidstrening_needs_a_yrkesmal() -> None:
    """The routine: "En arbeidstreningplass skal ha et definert yrkesmål"; an aktivitetsplass
    may aim at turning up."""
    data = _eksempel("oppfolgingsplan")
    del data["yrkesmal"]
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(data, tillat_syntetiske=True)
    assert [(e.path, e.message) for e in info.value.errors] == [
        ("yrkesmal", "en arbeidstrening skal ha et definert yrkesmål: skriv det")
    ]
    aktivitet = data | {"praksisplass": data["praksisplass"] | {"art": "aktivitetsplass"}}
    assert parse_dokument(aktivitet, tillat_syntetiske=True).type_navn() == "oppfolgingsplan"


@pytest.mark.parametrize(
    ("type_navn", "endring", "feil"),
    [
        (
            "oppfolgingsplan",
            {"sluttdato": "2026-06-08"},
            ("sluttdato", "sluttdatoen kan ikke være før oppstart"),
        ),
        (
            "tilretteleggingsgaranti",
            {"planlagt_sluttdato": "2026-06-08"},
            ("planlagt_sluttdato", "sluttdatoen kan ikke være før oppstart"),
        ),
        ("oppfolgingsplan", {"oppfolging": []}, ("oppfolging", "må ha minst 1 element")),
        (
            "tilretteleggingsgaranti",
            {"praksisplass": {"art": "fast_jobb", "arbeidsoppgaver": "Kasse"}},
            ("praksisplass.art", None),
        ),
    ],
)
def test_the_models_refuse_what_the_routine_rules_out(
    type_navn: str, endring: dict[str, Any], feil: tuple[str, str | None]
) -> None:
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(_eksempel(type_navn) | endring, tillat_syntetiske=True)
    [(sti, melding)] = [(e.path, e.message) for e in info.value.errors]
    assert sti == feil[0]
    if feil[1] is not None:
        assert melding == feil[1]
