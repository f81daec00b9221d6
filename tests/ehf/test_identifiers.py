"""Norwegian identifiers, checked against the worked examples in identifikatorer.md."""

from __future__ import annotations

from typing import Any

import pytest
from stdnum.no import fodselsnummer as stdnum_fnr

from ehf.identifiers import (
    IdentInvalidError,
    IdentType,
    contains_person_ident,
    format_kontonr,
    format_orgnr,
    kid_mod10,
    kid_mod11,
    kontonr_to_iban,
    mask_person_idents,
    mva_number,
    validate_deres_referanse,
    validate_kid,
    validate_kontonr,
    validate_orgnr,
    validate_person_ident,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("30108299920", IdentType.FNR),  # Skatteetaten's example, old rule
        ("30108299939", IdentType.FNR),  # valid only under the 2032 rule
        ("15858545606", IdentType.SYNTETISK),  # Tenor +80, the contract's deltaker
        ("15907600073", IdentType.SYNTETISK),  # Tenor +80 from identifikatorer.md
    ],
)
def test_valid_person_idents(value: str, kind: IdentType) -> None:
    assert validate_person_ident(value, allow_synthetic=True) is kind


def test_2032_rule_accepts_what_stdnum_refuses() -> None:
    assert not stdnum_fnr.is_valid("30108299939")
    assert validate_person_ident("30108299939", allow_synthetic=False) is IdentType.FNR


def test_d_number_is_recognised() -> None:
    # 30108299920 with first digit + 4 → day 70; recompute both check digits for it
    base = "701082999"
    for k1 in range(10):
        for k2 in range(10):
            candidate = f"{base}{k1}{k2}"
            try:
                kind = validate_person_ident(candidate, allow_synthetic=False)
            except IdentInvalidError:
                continue
            assert kind is IdentType.DNR
            return
    pytest.fail("no valid D-number found for the base")


def test_synthetic_refused_in_production_mode() -> None:
    with pytest.raises(IdentInvalidError, match="syntetiske"):
        validate_person_ident("15858545606", allow_synthetic=False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1585854560", "11 siffer"),
        ("15858545607", "kontrollsifrene"),
        ("abcdefghijk", "11 siffer"),
    ],
)
def test_invalid_person_idents(value: str, message: str) -> None:
    with pytest.raises(IdentInvalidError, match=message):
        validate_person_ident(value, allow_synthetic=True)


def test_message_never_contains_the_number() -> None:
    with pytest.raises(IdentInvalidError) as info:
        validate_person_ident("15858545607", allow_synthetic=True)
    assert "1585854560" not in str(info.value)


FULLBREDDE = str.maketrans("0123456789", "０１２３４５６７８９")
ARABISK_INDISK = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("digits", [FULLBREDDE, ARABISK_INDISK])
def test_person_ident_in_other_digits_is_refused(digits: dict[int, str]) -> None:
    """A valid number spelt in full-width or Arabic-Indic digits is not stored as given."""
    with pytest.raises(IdentInvalidError, match="bare inneholde sifrene 0–9"):
        validate_person_ident("15858545606".translate(digits), allow_synthetic=True)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (validate_orgnr, "889640782"),
        (validate_kontonr, "15031234562"),
        (validate_kid, "12344"),
        (validate_deres_referanse, "A123456"),
    ],
)
def test_other_identifiers_take_ascii_digits_only(check: Any, value: str) -> None:
    assert check(value) == value
    with pytest.raises(IdentInvalidError):
        check(value.translate(FULLBREDDE))


def test_contains_person_ident_finds_it_in_other_digits() -> None:
    assert contains_person_ident("Deltaker " + "15858545606".translate(FULLBREDDE))
    assert contains_person_ident("Deltaker " + "15858545606".translate(ARABISK_INDISK))


@pytest.mark.parametrize(
    "text",
    [
        "ukjent aktivitet «15858545606»",
        "Entity '15858545606' not defined",
        "/api/v1/dokumenter/15858545606/pdf",
        "158585 45606",
        "158585-45606",
        "x158585454606000y",
        "15858545606".translate(FULLBREDDE),
    ],
)
def test_mask_person_idents_leaves_no_digits_of_the_number(text: str) -> None:
    masked = mask_person_idents(text)
    assert "***********" in masked
    assert "45606" not in masked.translate({ord(c): None for c in " -"})
    assert not any(c.isdecimal() and not c.isascii() for c in masked)


def test_mask_person_idents_keeps_dates_amounts_and_rows() -> None:
    text = "rad 12, dato: 2026-10-02 er utenfor perioden; konto 1503.12.34562; sum 6325.00"
    assert mask_person_idents(text) == text


def test_contains_person_ident_finds_it_in_text() -> None:
    assert contains_person_ident("Deltaker 15858545606 møtte")
    assert not contains_person_ident("Faktura 2026-0042, konto 15031234562 beløp 6325.00")


@pytest.mark.parametrize(
    "skrevet",
    ["158585-45606", "158585 45606", "158585\u00a045606", "158585–45606", "158585 456 06",
     "15.85.85-45606", "15 85 85 45606", "(158585-45606)"],
)  # fmt: skip
def test_contains_person_ident_finds_it_separated(skrevet: str) -> None:
    """Written with a dash, (no-break) spaces or dots between its parts, it is still found."""
    assert contains_person_ident(f"Kari {skrevet} møtte")


@pytest.mark.parametrize(
    "tekst",
    ["periode 2026-10-01 til 2026-10-31", "1158585-45606", "158585-456066",
     "158585-45607", "15858-545606", "tlf 22 11 22 33, orgnr 998 877 660"],
)  # fmt: skip
def test_separators_do_not_make_other_numbers_a_person_ident(tekst: str) -> None:
    """Dates, longer runs, wrong check digits and other groupings are not taken for one."""
    assert not contains_person_ident(tekst)


def test_orgnr() -> None:
    assert validate_orgnr("889 640 782") == "889640782"
    assert format_orgnr("889640782") == "889 640 782"
    assert mva_number("998877660") == "NO998877660MVA"
    with pytest.raises(IdentInvalidError, match="kontrollsiffer"):
        validate_orgnr("889640781")
    with pytest.raises(IdentInvalidError, match="9 siffer"):
        validate_orgnr("88964078")


def test_kontonr() -> None:
    assert validate_kontonr("1503.12.34562") == "15031234562"
    assert format_kontonr("15031234562") == "1503.12.34562"
    assert kontonr_to_iban("86011117947") == "NO9386011117947"
    with pytest.raises(IdentInvalidError, match="kontrollsiffer"):
        validate_kontonr("15031234563")


def test_kid() -> None:
    assert kid_mod10("1234") == "4"
    assert kid_mod11("1234") == "3"
    assert validate_kid("12344") == "12344"
    assert validate_kid("12343") == "12343"
    with pytest.raises(IdentInvalidError, match="kontrollsiffer"):
        validate_kid("12345")
    with pytest.raises(IdentInvalidError, match="2–25"):
        validate_kid("1")


def test_kid_mod11_hyphen_when_ten() -> None:
    payload = next(str(n) for n in range(10, 10_000) if kid_mod11(str(n)) == "-")
    assert validate_kid(payload + "-") == payload + "-"


@pytest.mark.parametrize("value", ["A123456", "ABC1234"])
def test_deres_referanse_formats(value: str) -> None:
    assert validate_deres_referanse(value) == value


@pytest.mark.parametrize("value", ["A12345", "AB12345", "1234567", "abc1234", ""])
def test_deres_referanse_refused(value: str) -> None:
    with pytest.raises(IdentInvalidError, match="A123456"):
        validate_deres_referanse(value)


def test_synthetic_numbers_are_valid_tenor_numbers_with_their_birth_date() -> None:
    """Made for test and demo data: valid check digits, +80 on the month, the birth date
    read back; refused for a real identity's validation without allow_synthetic."""
    import datetime as dt

    from ehf.identifiers import birth_date, synthetic_person_ident

    tall = {
        synthetic_person_ident(dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28), i)
        for i in range(200)
    }
    assert len(tall) == 200
    for nummer in tall:
        validate_person_ident(nummer, allow_synthetic=True)
        assert int(nummer[2:4]) > 80
    nummer = synthetic_person_ident(dt.date(1985, 5, 15), 3)
    assert birth_date(nummer) == dt.date(1985, 5, 15)
    with pytest.raises(IdentInvalidError):
        validate_person_ident(nummer, allow_synthetic=False)
    assert birth_date("15858545606") == dt.date(1985, 5, 15)
    assert birth_date("1585854560") is None
