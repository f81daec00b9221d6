"""The AMB samarbeidsavtale (§1) and årsrapport (§2.1–2.2): through `dokgen lag` to a sealed
PDF whose text holds the seed's headings and the example's figures, and what the models
refuse."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dokgen.cli import main
from dokgen.documents.context import build_context
from dokgen.documents.models import parse_dokument
from dokgen.errors import InputInvalidError
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.test_ordlyd import AMB_LEDETEKSTER


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder (development certificate) at a temporary folder."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    return tmp_path


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _sealed_text(env: Path, type_navn: str, data: dict[str, Any]) -> tuple[str, str]:
    """Make the document with `dokgen lag`, check its seal, return its text (flat, laid out)."""
    src = env / f"{type_navn}.json"
    src.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = env / f"{type_navn}.pdf"
    lag = ["lag", type_navn, str(src), "-o", str(out), "--godkjent-av", "Åse Ødegård"]
    assert main(lag) == 0
    pdf = out.read_bytes()
    assert pdfinfo.pdfsig_report(pdf)[0]["valid"] is True
    assert main(["pdf", "verifiser", str(out)]) == 0
    return _flat(pdfinfo.text(pdf, layout=False)), re.sub(r" +", " ", pdfinfo.text(pdf))


@pytest.mark.integration
def test_the_samarbeidsavtale_is_sealed_with_every_heading_of_section_1(
    env: Path, kontrakt: Any
) -> None:
    """§1.1–1.7 word for word, in the seed's order, and the frister the AMB rules read."""
    require_command("soffice", "pdftotext", "pdfsig")
    text, rows = _sealed_text(env, "samarbeidsavtale", kontrakt("samarbeidsavtale"))
    labels = AMB_LEDETEKSTER["samarbeidsavtale"]
    assert [lbl for lbl in labels if _flat(lbl) not in text] == []
    positions = [text.index(_flat(lbl)) for lbl in labels]
    assert positions == sorted(positions)
    assert "14 dager etter avslutning" in text
    assert "8 uker" in text
    assert "2 møter i året" in text
    assert "Formidling 35 %" in rows
    assert "1. Åse Ødegård (Tiltaksarrangør)" in pdfinfo.text(
        (env / "samarbeidsavtale.pdf").read_bytes(), layout=False
    )


@pytest.mark.integration
def test_the_arsrapport_is_sealed_with_every_heading_and_its_figures(
    env: Path, kontrakt: Any
) -> None:
    """§2.1–2.2 word for word, the figures per programme, avdeling and result, the accounts
    and their sum, and the revisor-approved regnskap named as the attachment."""
    require_command("soffice", "pdftotext", "pdfsig")
    text, rows = _sealed_text(env, "arsrapport", kontrakt("arsrapport"))
    labels = AMB_LEDETEKSTER["arsrapport"]
    assert [lbl for lbl in labels if _flat(lbl) not in text] == []
    positions = [text.index(_flat(lbl)) for lbl in labels]
    assert positions == sorted(positions)
    assert "Kvalifisering 20 31 18,40" in rows
    assert "Tilrettelagt arbeid 12 13 11,75" in rows
    assert "Lager og logistikk Kvalifisering 17 10,25" in rows
    assert "Arbeid uten tilskudd (1. formidlet) 6" in rows
    assert "Formidlingsklar/overført til NAV lokal (4. ledig) 4" in rows
    assert (
        "eget budsjett: totalbeløp mottatt i rapporteringsåret: 4 800 000,00 kr 2 650 000,00 kr"
        in text
    )
    assert "Lønn til ordinært ansatte. 1 900 000,00" in rows
    assert "sum brukt: 2 650 000,00 kr" in text
    assert "vedlegg: revisorgodkjent regnskap regnskap-2026-revisorgodkjent.pdf" in text


def test_the_arsrapport_adds_the_accounts_exactly(kontrakt: Any) -> None:
    """Amounts are decimals: the sum of the posts is exact and prints as kroner, grouped."""
    data = parse_dokument(kontrakt("arsrapport"), tillat_syntetiske=True)
    context = build_context("arsrapport", data.model_dump(mode="json"))
    assert context["sum_poster"] == "2\u00a0650\u00a0000,00"
    assert context["overskudd"] == "0,00"
    assert context["plasser"][0]["arsverk"] == "18,40"  # årsverk are no amounts
    assert context["resultater"][0]["resultat"] == "Arbeid uten tilskudd (1. formidlet)"


def _feil(type_navn: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(data, tillat_syntetiske=True)
    return [(e.path, e.message) for e in info.value.errors]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"revisjonsdato": "2028-03-01"},
            ("revisjonsdato", "revisjonsdatoen må ligge i avtaleperioden (01.01.2026–31.12.2027)"),
        ),
        (
            {"resultatkrav": [{"omrade": "formidling", "krav_prosent": 30}] * 2},
            ("resultatkrav", "hvert område kan bare ha ett resultatkrav"),
        ),
        ({"moter_per_ar": 0}, ("moter_per_ar", "må være minst 1")),
        ({"sluttrapport_frist_dager": 0}, ("sluttrapport_frist_dager", "må være minst 1")),
    ],
)
def test_the_samarbeidsavtale_refuses_what_nav_could_not_use(
    change: dict[str, Any], error: tuple[str, str], kontrakt: Any
) -> None:
    """A revision outside the period, a requirement twice, no meeting, no frist."""
    assert _feil("samarbeidsavtale", kontrakt("samarbeidsavtale") | change) == [error]


def _post(post: str, belop: str) -> dict[str, Any]:
    return {"post": post, "belop": belop, "kommentar": None}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"tildelt_ramme": 30},
            ("plasser", "godkjente plasser i alt (32) kan ikke være flere enn tildelt ramme (30)"),
        ),
        (
            {
                "plasser": [
                    {
                        "program": "kvalifisering",
                        "godkjente_plasser": 20,
                        "antall_deltakere": 31,
                        "arsverk": "18.40",
                    },
                    {
                        "program": "tilrettelagt_arbeid",
                        "godkjente_plasser": 12,
                        "antall_deltakere": 13,
                        "arsverk": "12",
                    },
                ]
            },
            (
                "arsverk_per_avdeling",
                "årsverkene i avdelingene for tilrettelagt arbeid (11.75) er ikke lik faktisk "
                "gjennomførte årsverk (12)",
            ),
        ),
        (
            {"avdelinger": [{"avdeling": "Snekkerverksted", "beskrivelse": None}]},
            (
                "arsverk_per_avdeling",
                "avdelingen finnes ikke i oversikten over avdelinger: Lager og logistikk",
            ),
        ),
        (
            {"resultater": [{"resultat": "annen_situasjon", "antall": 1}] * 2},
            ("resultater", "hvert resultat kan bare stå én gang"),
        ),
        (
            {"overskudd": "100.00"},
            ("overskudd", "overskuddet skal være driftstilskuddet minus postene: 0.00 kr"),
        ),
        (
            {"mottatt_driftstilskudd": "2000000.00"},
            (
                "driftstilskudd_poster",
                "postene (2650000.00 kr) er mer enn driftstilskuddet mottatt (2000000.00 kr)",
            ),
        ),
        (
            {"eget_budsjett": 4800000.5},
            ("eget_budsjett", 'oppgi tallet som tekst, f.eks. "1250000.00", ikke som flyttall'),
        ),
    ],
)
def test_the_arsrapport_refuses_figures_that_do_not_add_up(
    change: dict[str, Any], error: tuple[str, str], kontrakt: Any
) -> None:
    """More places than the frame, årsverk per avdeling that do not add up to the
    programme's, an unknown avdeling, a result twice, a surplus that is not the rest,
    posts above the tilskudd, an amount as a float."""
    assert _feil("arsrapport", kontrakt("arsrapport") | change) == [error]


def test_the_arsrapport_needs_every_account_nav_names(kontrakt: Any) -> None:
    """§2.2 b: each of NAV's six accounts is there (0 when nothing was used)."""
    data = kontrakt("arsrapport")
    data["driftstilskudd_poster"] = [
        p for p in data["driftstilskudd_poster"] if p["post"] != "investeringer_og_utvikling"
    ]
    assert _feil("arsrapport", data) == [
        (
            "driftstilskudd_poster",
            "kontoen mangler: Investeringer, drift- og utviklingsmidler. (skriv 0 om ingenting)",
        )
    ]


def test_the_regnskap_is_named_as_a_pdf(kontrakt: Any) -> None:
    """The revisor-approved regnskap travels as a PDF beside the report: its name says so."""
    data = kontrakt("arsrapport")
    data["revisorgodkjent_regnskap"]["filnavn"] = "regnskap.xlsx"
    [(path, _)] = _feil("arsrapport", data)
    assert path == "revisorgodkjent_regnskap.filnavn"
