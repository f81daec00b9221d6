"""Document models: the contract validates, every rule gives its path and a bokmål message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dokgen.documents.models import DOKUMENTTYPER, eksempel, parse_dokument, parse_xml
from dokgen.documents.models.xmlform import to_xml
from dokgen.errors import DocumentTypeUnknownError, InputInvalidError, InputUnreadableError


def _all_errors(data: Any) -> dict[str, str]:
    """Return the field errors of ``data``, none when it is valid."""
    try:
        parse_dokument(data, tillat_syntetiske=True)
    except InputInvalidError as exc:
        return {e.path: e.message for e in exc.errors}
    return {}


def _errors(data: Any, **kw: Any) -> dict[str, str]:
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(data, tillat_syntetiske=kw.pop("syntetiske", True), **kw)
    return {e.path: e.message for e in info.value.errors}


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_contract_examples_are_valid(type_navn: str, kontrakt: Any) -> None:
    dok = parse_dokument(kontrakt(type_navn), tillat_syntetiske=True)
    assert dok.type == type_navn


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_json_and_xml_give_the_same_model(type_navn: str, kontrakt: Any) -> None:
    data = kontrakt(type_navn)
    assert parse_xml(to_xml(data), tillat_syntetiske=True) == parse_dokument(
        data, tillat_syntetiske=True
    )


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_full_examples_fill_every_optional_field(type_navn: str) -> None:
    dok = parse_dokument(eksempel(type_navn), tillat_syntetiske=True)
    nulls = [k for k, v in dok.model_dump().items() if v is None]
    assert nulls == []


Change = Callable[[dict[str, Any]], object]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda d: d["deltaker"].update(fodselsnummer="15858545607"),
            "deltaker.fodselsnummer",
            "kontrollsifrene",
        ),
        (
            lambda d: d["deltaker"].update(fodselsnummer="123"),
            "deltaker.fodselsnummer",
            "11 siffer",
        ),
        (
            lambda d: d["tiltak"]["arrangor"].update(orgnr="998877661"),
            "tiltak.arrangor.orgnr",
            "kontrollsiffer",
        ),
        (
            lambda d: d["rapporteringsperiode"].update(til="2026-01-01"),
            "rapporteringsperiode",
            "før fra-datoen",
        ),
        (lambda d: d.update(oppstartdato="2026-12-01"), "rapporteringsperiode", "oppstartdato"),
        (
            lambda d: d["arbeidsgivere"][0].update(stillingsprosent=101),
            "arbeidsgivere.0.stillingsprosent",
            "mer enn 100",
        ),
        (
            lambda d: d["arbeidsgivere"][0].update(stillingsprosent=-1),
            "arbeidsgivere.0.stillingsprosent",
            "minst 0",
        ),
        (lambda d: d["fravaer"][0].update(dager=-2), "fravaer.0.dager", "minst 0"),
        (
            lambda d: d["oppfolgingstimer_per_maned"][0].update(timer=14.25),
            "oppfolgingstimer_per_maned.0.timer",
            "ikke som flyttall",
        ),
        (
            lambda d: d["oppfolgingstimer_per_maned"][0].update(timer="-1"),
            "oppfolgingstimer_per_maned.0.timer",
            "minst 0",
        ),
        (
            lambda d: d["oppfolgingstimer_per_maned"][0].update(timer="tolv"),
            "oppfolgingstimer_per_maned.0.timer",
            "desimaltall som tekst",
        ),
        (lambda d: d.update(sted="x" * 201), "sted", "maks 200"),
        (lambda d: d.update(status_og_progresjon="x" * 4001), "status_og_progresjon", "maks 4000"),
        (lambda d: d.pop("bestilling_fra_nav"), "bestilling_fra_nav", "påkrevd"),
        (lambda d: d.update(skonummer=44), "skonummer", "ukjent felt"),
        (lambda d: d.update(dato="05.09.2026"), "dato", "ÅÅÅÅ-MM-DD"),
        (lambda d: d["veileder_nav"].update(epost="ikke-epost"), "veileder_nav.epost", "format"),
        (
            lambda d: d["oppfolgingstimer_per_maned"][0].update(maned="2026-13"),
            "oppfolgingstimer_per_maned.0.maned",
            "format",
        ),
        (
            lambda d: d["arbeidsgivere"][0].update(ansettelsesforhold="livstid"),
            "arbeidsgivere.0.ansettelsesforhold",
            "tillatt",
        ),
    ],
)
def test_each_rule_reports_path_and_bokmal_message(
    kontrakt: Any, change: Change, path: str, message: str
) -> None:
    data = kontrakt("statusrapport")
    change(data)
    errors = _errors(data)
    assert path in errors, errors
    assert message in errors[path]


def test_every_error_is_reported_at_once(kontrakt: Any) -> None:
    data = kontrakt("sluttrapport")
    data["sluttdato"] = "2026-01-01"
    data["tiltak"]["arrangor"]["orgnr"] = "12345678"
    data.pop("sted")
    data["tilbake_i_arbeid"]["stillingsprosent"] = 120
    errors = _errors(data)
    assert set(errors) >= {
        "sluttdato",
        "tiltak.arrangor.orgnr",
        "sted",
        "tilbake_i_arbeid.stillingsprosent",
    }
    assert "oppstartdato" in errors["sluttdato"]


def test_synthetic_identity_needs_the_setting(kontrakt: Any) -> None:
    errors = _errors(kontrakt("arbeidspraksisavtale"), syntetiske=False)
    assert "syntetiske" in errors["deltaker.fodselsnummer"]


def test_message_never_repeats_the_fodselsnummer(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    data["deltaker"]["fodselsnummer"] = "15858545607"
    assert "15858545607" not in str(_errors(data))


@pytest.mark.parametrize("digits", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩"])
def test_fodselsnummer_in_other_digits_is_refused(kontrakt: Any, digits: str) -> None:
    """Full-width or Arabic-Indic digits spelling a valid number are refused, not stored."""
    data = kontrakt("statusrapport")
    fnr = data["deltaker"]["fodselsnummer"]
    data["deltaker"]["fodselsnummer"] = fnr.translate(str.maketrans("0123456789", digits))
    errors = _errors(data)
    assert errors == {
        "deltaker.fodselsnummer": "ugyldig fødselsnummer: kan bare inneholde sifrene 0–9"
    }


def test_agreement_rules(kontrakt: Any) -> None:
    data = kontrakt("arbeidspraksisavtale")
    data["varighet"] = {"fra": "2026-09-08", "til": "2026-06-09"}
    data["parter_som_signerer"] = ["deltaker", "deltaker"]
    data["arbeidstid"]["timer_per_uke"] = "61"
    errors = _errors(data)
    assert "varighet" in errors
    assert "én gang" in errors["parter_som_signerer"]
    assert "60" in errors["arbeidstid.timer_per_uke"]
    endring = kontrakt("endringsavtale")
    endring["endringskatalog"][0]["nr"] = 3
    assert "tidligere" in _errors(endring)["endringskatalog"]


def test_arbeidspraksisavtale_holds_the_minimum_content_of_jmo_6(kontrakt: Any) -> None:
    """Opplæring and the yrkesskade confirmation are required, the deltaker always signs, and
    sted/dato are given only for signing parties, once each."""
    data = kontrakt("arbeidspraksisavtale")
    data.pop("opplaering")
    data["yrkesskadeforsikring_informert"] = False
    data["parter_som_signerer"] = ["arbeidsgiver", "arrangor"]
    errors = _errors(data)
    assert "påkrevd" in errors["opplaering"]
    assert "yrkesskadeforsikringen" in errors["yrkesskadeforsikring_informert"]
    assert "deltakeren er alltid part" in errors["parter_som_signerer"]

    data = kontrakt("arbeidspraksisavtale")
    data["parter_som_signerer"] = ["deltaker", "arrangor"]
    data["signaturer"] = [{"part": "arbeidsgiver", "sted": "Oslo"}]
    assert "parter som signerer" in _errors(data)["signaturer"]
    data["signaturer"] = [{"part": "deltaker"}, {"part": "deltaker", "dato": "2026-06-06"}]
    assert "ett sted" in _errors(data)["signaturer"]
    data["signaturer"] = [{"part": "deltaker", "sted": "Lillestrøm", "dato": "2026-06-06"}]
    assert _all_errors(data) == {}


@pytest.mark.parametrize(
    ("status", "med_arbeid", "feil"),
    [
        ("arbeid", False, "minst arbeidsgiver"),
        ("delvis_arbeid", False, "minst arbeidsgiver"),
        ("ikke_i_arbeid", True, "passer ikke"),
        ("arbeid", True, None),
        ("ikke_i_arbeid", False, None),
        ("utdanning", False, None),
    ],
)
def test_sluttrapport_status_agrees_with_tilbake_i_arbeid(
    kontrakt: Any, status: str, med_arbeid: bool, feil: str | None
) -> None:
    """«Arbeid» and «Delvis arbeid» need the employer; «Ikke i arbeid» cannot have one."""
    data = kontrakt("sluttrapport")
    data["status_ved_avslutning"] = status
    if not med_arbeid:
        data.pop("tilbake_i_arbeid")
    errors = _all_errors(data)
    if feil is None:
        assert errors == {}
    else:
        assert feil in errors["status_ved_avslutning"]


@pytest.mark.parametrize(
    ("maned", "ok"), [("2026-05", False), ("2026-06", True), ("2026-09", True), ("2026-10", False)]
)
def test_statusrapport_months_lie_inside_the_reporting_period(
    kontrakt: Any, maned: str, ok: bool
) -> None:
    """The period 02.06.–01.09.2026 covers the months June to September, no others."""
    data = kontrakt("statusrapport")
    assert data["rapporteringsperiode"] == {"fra": "2026-06-02", "til": "2026-09-01"}
    data["oppfolgingstimer_per_maned"][-1]["maned"] = maned
    errors = _all_errors(data)
    if ok:
        assert errors == {}
    else:
        assert "utenfor rapporteringsperioden" in errors["oppfolgingstimer_per_maned"]
        assert maned in errors["oppfolgingstimer_per_maned"]


def test_type_mismatch_and_unknown_type(kontrakt: Any) -> None:
    assert "forventet" in _errors(kontrakt("statusrapport"), type_navn="sluttrapport")["type"]
    with pytest.raises(DocumentTypeUnknownError):
        parse_dokument({"type": "kvartalsrapport"}, tillat_syntetiske=True)
    assert "mangler" in _errors({"navn": "x"})["type"]
    assert _errors([1, 2]) == {"": "dokumentet må være et JSON-objekt"}


def test_xml_with_dtd_is_refused_before_parsing() -> None:
    evil = (
        b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><statusrapport>&x;</statusrapport>'
    )
    with pytest.raises(InputUnreadableError, match="DTD"):
        parse_xml(evil, tillat_syntetiske=True)


def test_xml_breaking_the_xsd_gives_field_errors(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    data["arbeidsgivere"][0]["stillingsprosent"] = 150
    data["sted"] = "x" * 300
    data["ukjent"] = "y"
    with pytest.raises(InputInvalidError) as info:
        parse_xml(to_xml(data), tillat_syntetiske=True)
    errors = {e.path: e.message for e in info.value.errors}
    assert errors["arbeidsgivere.0.stillingsprosent"] == "kan ikke være mer enn 100"
    assert errors["sted"] == "for lang tekst (maks 200 tegn)"
    assert errors["ukjent"] == "ukjent eller uventet felt"
