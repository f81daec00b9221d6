"""Norwegian identifiers: fødselsnummer family, orgnr, MVA number, kontonummer and KID.

Rules from ``shared/reference/identifikatorer.md``. python-stdnum covers orgnr and
kontonummer; it is wrong for fødselsnummer (no Tenor test numbers, no 2032 check digits)
and has no KID, so those two are written here.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from stdnum.no import kontonr as _kontonr
from stdnum.no import orgnr as _orgnr

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# A fødselsnummer as people write it: 11 digits, or separated (158585-45606, 158585 456 06,
# 15.85.85 45606) by a space, dot, slash or any dash. Looked for at every start (a lookahead),
# so a candidate that fails its check digits does not hide one overlapping it.
_SEP = r"[\s.\-/\u2010-\u2015\u2212]"
_FNR_LIKE = re.compile(
    rf"(?<!\d)(?=(\d\d)({_SEP}?)(\d\d)\2(\d\d){_SEP}?(\d{{3}}){_SEP}?(\d\d)(?!\d))"
)
# Any digits (Unicode ones too), as a fødselsnummer is written: 6 + 5, with a space, dot or
# hyphen between, or inside a longer run of digits.
_FNR_SHAPED = re.compile(r"\d*\d{6}[ .\-]?\d{5}\d*")
MASK = "*" * 11


class IdentType(StrEnum):
    """What kind of person identifier a valid number is."""

    FNR = "fnr"
    DNR = "dnr"
    HNR = "hnr"
    FHNR = "fhnr"
    SYNTETISK = "syntetisk"


class IdentInvalidError(ValueError):
    """The value is not a valid identifier; the message is bokmål and names no digits."""


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _check_digits_ok(number: str) -> bool:
    """Check K1/K2 under the old rule or the 2032 rule (K1 may be {11..14} − sum mod 11)."""
    rest = _weighted(number[:9], _K1_WEIGHTS) % 11
    k1_candidates = {(base - rest) % 11 for base in (11, 12, 13, 14)}
    k1 = int(number[9])
    if k1 not in k1_candidates:
        return False
    k2 = 11 - _weighted(number[:10], _K2_WEIGHTS) % 11
    return k2 != 10 and k2 % 11 == int(number[10])


def _birth_year(yy: int, individ: int) -> int | None:
    if individ <= 499:
        return 1900 + yy
    if individ <= 749 and yy >= 54:
        return 1800 + yy
    if yy < 40:
        return 2000 + yy
    if individ >= 900:
        return 1900 + yy
    return None


def birth_date(value: str) -> dt.date | None:
    """Return the birth date a valid person identifier encodes (None if it encodes none).

    A D-nummer adds 40 to the day; synthetic numbers add 80 (Tenor) or 40 (NAV, and the
    H-nummer) to the month.
    """
    digits = value.replace(" ", "")
    if len(digits) != 11 or not digits.isdigit():
        return None
    day, month, yy, individ = int(digits[:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6:9])
    day -= 40 if day > 40 else 0
    month -= 80 if month > 80 else 40 if month > 40 else 0
    year = _birth_year(yy, individ)
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    rest = 11 - _weighted(digits, weights) % 11
    return 0 if rest == 11 else None if rest == 10 else rest


def synthetic_person_ident(born: dt.date, serial: int = 0) -> str:
    """Return a synthetic fødselsnummer (Tenor: +80 on the month) for a birth date in
    1900-1999, with the first individual number from ``serial`` that gives valid check
    digits: test and demo data never use a real person's number.

    Raises:
        ValueError: the year is outside 1900-1999, or no individual number from ``serial``
            up to 499 gives valid check digits.
    """
    if not 1900 <= born.year <= 1999:
        raise ValueError("synthetic numbers are made for birth years 1900-1999")
    for individ in range(serial, 500):
        nine = f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{individ:03d}"
        k1 = _check_digit(nine, _K1_WEIGHTS)
        k2 = None if k1 is None else _check_digit(f"{nine}{k1}", _K2_WEIGHTS)
        if k1 is not None and k2 is not None:
            return f"{nine}{k1}{k2}"
    raise ValueError("no individual number gives valid check digits")


def validate_person_ident(value: str, *, allow_synthetic: bool) -> IdentType:
    """Validate a fødselsnummer, D-, H- or FH-nummer, or a synthetic test number.

    Args:
        value: 11 digits (spaces allowed).
        allow_synthetic: accept Tenor (+80 on month) and NAV/Dolly (+40 on month) test numbers.

    Returns:
        The kind of identifier.

    Raises:
        IdentInvalidError: the value is not a valid identifier (or synthetic where refused).
    """
    number = value.replace(" ", "")
    if not re.fullmatch(r"\d{11}", number):
        raise IdentInvalidError("må være 11 siffer")
    if not number.isascii():
        raise IdentInvalidError("kan bare inneholde sifrene 0–9")
    if not _check_digits_ok(number):
        raise IdentInvalidError("kontrollsifrene stemmer ikke")
    if number[0] in "89":
        return IdentType.FHNR
    day, month = int(number[0:2]), int(number[2:4])
    kind = IdentType.FNR
    if day > 40:
        day -= 40
        kind = IdentType.DNR
    if month > 80:
        month -= 80
        kind = IdentType.SYNTETISK
    elif month > 40:
        month -= 40
        kind = IdentType.SYNTETISK if allow_synthetic else IdentType.HNR
    if kind is IdentType.SYNTETISK and not allow_synthetic:
        raise IdentInvalidError("syntetiske testnumre er ikke tillatt her")
    year = _birth_year(int(number[4:6]), int(number[6:9]))
    if year is None:
        raise IdentInvalidError("individnummeret passer ikke med fødselsåret")
    try:
        dt.date(year, month, day)
    except ValueError:
        raise IdentInvalidError("inneholder ikke en gyldig fødselsdato") from None
    return kind


def contains_person_ident(text: str) -> bool:
    """Tell whether a text contains something that validates as a person identifier."""
    for match in _FNR_LIKE.finditer(text):
        digits = "".join(match.group(i) for i in (1, 3, 4, 5, 6))
        try:
            validate_person_ident(_ascii_digits(digits), allow_synthetic=True)
        except IdentInvalidError:
            continue
        return True
    return False


def _ascii_digits(text: str) -> str:
    # Full-width or Arabic-Indic digits in free text still reveal the number they spell.
    return "".join(str(int(c)) if c.isdecimal() else c for c in text)


def mask_person_idents(text: str) -> str:
    """Replace anything shaped like a fødselsnummer (11 digits, 6 + 5 with a separator, or a
    longer run of digits, in any script) by asterisks, so that no error echoes one."""
    return _FNR_SHAPED.sub(MASK, text)


def validate_orgnr(value: str) -> str:
    """Return the 9-digit organisasjonsnummer (mod 11, weights 3 2 7 6 5 4 3 2).

    Raises:
        IdentInvalidError: wrong length or check digit.
    """
    number = value.replace(" ", "")
    if not re.fullmatch(r"[0-9]{9}", number):
        raise IdentInvalidError("organisasjonsnummer må være 9 siffer")
    if not _orgnr.is_valid(number):
        raise IdentInvalidError("organisasjonsnummeret har feil kontrollsiffer")
    return number


def format_orgnr(value: str) -> str:
    """Format an organisasjonsnummer as ``NNN NNN NNN``."""
    number = value.replace(" ", "")
    return f"{number[0:3]} {number[3:6]} {number[6:9]}"


def mva_number(orgnr: str) -> str:
    """Return the Norwegian VAT number ``NO<orgnr>MVA`` (EHF rule NO-R-001)."""
    return f"NO{validate_orgnr(orgnr)}MVA"


def validate_kontonr(value: str) -> str:
    """Return the 11-digit kontonummer (mod 11, weights 5 4 3 2 7 6 5 4 3 2).

    Raises:
        IdentInvalidError: wrong length or check digit.
    """
    number = value.replace(" ", "").replace(".", "")
    if not re.fullmatch(r"[0-9]{11}", number):
        raise IdentInvalidError("kontonummer må være 11 siffer")
    if not _kontonr.is_valid(number):
        raise IdentInvalidError("kontonummeret har feil kontrollsiffer")
    return number


def format_kontonr(value: str) -> str:
    """Format a kontonummer as ``NNNN.NN.NNNNN``."""
    number = value.replace(" ", "").replace(".", "")
    return f"{number[0:4]}.{number[4:6]}.{number[6:11]}"


def kontonr_to_iban(value: str) -> str:
    """Return the IBAN (``NO`` + 2 check digits + 11 digits) of a kontonummer."""
    return str(_kontonr.to_iban(validate_kontonr(value))).replace(" ", "")


def kid_mod10(payload: str) -> str:
    """Return the MOD10 (Luhn) check digit for a KID payload."""
    total = 0
    for i, d in enumerate(reversed(payload)):
        product = int(d) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def kid_mod11(payload: str) -> str:
    """Return the MOD11 check character for a KID payload (``-`` when the result is 10)."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(payload)))
    k = (11 - total % 11) % 11
    return "-" if k == 10 else str(k)


def validate_kid(value: str) -> str:
    """Return the KID if its last character is a valid MOD10 or MOD11 check character.

    Raises:
        IdentInvalidError: wrong length, characters or check character.
    """
    kid = value.strip()
    if not re.fullmatch(r"[0-9]{1,24}[0-9-]", kid) or not 2 <= len(kid) <= 25:
        raise IdentInvalidError("KID må være 2–25 siffer")
    payload, check = kid[:-1], kid[-1]
    if check not in (kid_mod10(payload), kid_mod11(payload)):
        raise IdentInvalidError("KID har feil kontrollsiffer (verken MOD10 eller MOD11)")
    return kid


def validate_deres_referanse(value: str) -> str:
    """Return NAV's *Deres referanse* if it is ``A123456`` or the older ``ABC1234`` format.

    Raises:
        IdentInvalidError: the reference has another format.
    """
    ref = value.strip()
    if not re.fullmatch(r"[A-ZÆØÅ][0-9]{6}|[A-ZÆØÅ]{3}[0-9]{4}", ref):
        raise IdentInvalidError(
            "Deres referanse må være én bokstav og 6 siffer (A123456) eller 3 bokstaver og "
            "4 siffer (ABC1234)"
        )
    return ref
