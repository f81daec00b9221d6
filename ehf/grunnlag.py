"""The fakturagrunnlag: what was done for whom in a period, and who bills whom.

The field names are the contract's (``shared/kontrakt/fakturagrunnlag.json``). Every problem is
reported at once, with a JSON path such as ``aktiviteter[3].minutter``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ehf import identifiers
from ehf.errors import GrunnlagInvalidError, RowError, RuleSetUnknownError
from ehf.rules import Regelsett, get_regelsett

MAKS_MINUTTER = Decimal(24 * 60)
# Bounds no real invoice comes near; beyond them the arithmetic overflows (a due date 30 days
# after 9999-12-31, a price of 1e30 rounded to øre).
FORSTE_DATO, SISTE_DATO = date(2000, 1, 1), date(2099, 12, 31)
MAKS_TIMEPRIS = Decimal(100_000)


def _orgnr(value: str) -> str:
    return identifiers.validate_orgnr(value)


def _kontonr(value: str) -> str:
    return identifiers.validate_kontonr(value)


def _kid(value: str | None) -> str | None:
    return None if value is None else identifiers.validate_kid(value)


def _minutter(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("kan ikke være negativt")
    if value > MAKS_MINUTTER:
        raise ValueError("kan ikke være mer enn 24 timer (1440 minutter) på én rad")
    return value


def _dato(value: date) -> date:
    if not FORSTE_DATO <= value <= SISTE_DATO:
        raise ValueError(f"må være en dato fra {FORSTE_DATO} til {SISTE_DATO}")
    return value


def _timepris(value: Decimal) -> Decimal:
    if value > MAKS_TIMEPRIS:
        raise ValueError(f"kan ikke være mer enn {MAKS_TIMEPRIS} kroner per time")
    return value


Orgnr = Annotated[str, AfterValidator(_orgnr)]
Dato = Annotated[date, AfterValidator(_dato)]
Tekst = Annotated[str, Field(min_length=1)]


class _Modell(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Periode(_Modell):
    """The billed period (both days included)."""

    fra: Dato
    til: Dato


class Mva(_Modell):
    """The VAT treatment the agreement prescribes (category, rate, exemption reason)."""

    kategori: Literal["S", "Z", "E", "AE", "K", "G", "O", "L", "M"]
    sats: Annotated[Decimal, Field(ge=0, le=100)]
    fritaksgrunn: str | None = None


class Adresse(_Modell):
    """A postal address."""

    gate: Tekst
    postnummer: Tekst
    poststed: Tekst
    land: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "NO"


class Kontakt(_Modell):
    """The seller's contact point."""

    navn: str | None = None
    telefon: str | None = None
    epost: str | None = None


class Selger(_Modell):
    """The tiltaksarrangør who bills."""

    navn: Tekst
    orgnr: Orgnr
    mva_registrert: bool
    foretaksregisteret: bool
    adresse: Adresse
    kontakt: Kontakt | None = None
    kontonummer: Annotated[str, AfterValidator(_kontonr)]
    kid: Annotated[str | None, AfterValidator(_kid)] = None


class Kjoper(_Modell):
    """The buyer (for NAV: the NAV unit that ordered)."""

    navn: Tekst
    orgnr: Orgnr
    adresse: Adresse


class Deltaker(_Modell):
    """A deltaker by the provider's own number and name — never a fødselsnummer."""

    nr: Tekst
    navn: Tekst


class Aktivitet(_Modell):
    """One row of the timeliste."""

    dato: Dato
    deltaker: Deltaker
    aktivitet: Tekst
    minutter: Annotated[Decimal, AfterValidator(_minutter)]
    mote: str | None = None
    rapport: str | None = None
    antall_deltakere: int | None = None
    kommentar: str | None = None
    # The row number in the source file (a timeliste's CSV row); not part of the contract.
    _kilde_rad: int | None = PrivateAttr(default=None)

    @property
    def kilde_rad(self) -> int | None:
        """Return the CSV row this activity came from (``None`` for JSON input)."""
        return self._kilde_rad


class Vedlegg(_Modell):
    """An attachment the invoice carries (e.g. the timeliste as PDF)."""

    filnavn: Tekst
    beskrivelse: Tekst


class Fakturagrunnlag(_Modell):
    """Everything needed to bill one period under one agreement."""

    type: Literal["fakturagrunnlag"]
    fakturanummer: Tekst
    fakturadato: Dato
    forfallsdato: Dato
    periode: Periode
    deres_referanse: str | None = None
    bestillingsnummer: str | None = None
    regelsett: Tekst
    timepris: Annotated[Decimal, Field(ge=0), AfterValidator(_timepris)]
    valuta: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "NOK"
    mva: Mva
    selger: Selger
    kjoper: Kjoper
    aktiviteter: list[Aktivitet]
    vedlegg: list[Vedlegg] = []


_M = TypeVar("_M", bound=BaseModel)

_MELDINGER = {
    "missing": "mangler",
    "extra_forbidden": "ukjent felt",
    "date_from_datetime_parsing": "ugyldig dato (bruk ÅÅÅÅ-MM-DD)",
    "date_parsing": "ugyldig dato (bruk ÅÅÅÅ-MM-DD)",
    "date_type": "ugyldig dato (bruk ÅÅÅÅ-MM-DD)",
    "decimal_parsing": "må være et tall",
    "decimal_type": "må være et tall",
    "int_parsing": "må være et heltall",
    "int_type": "må være et heltall",
    "int_from_float": "må være et heltall",
    "bool_parsing": "må være true eller false",
    "bool_type": "må være true eller false",
    "string_type": "må være tekst",
    "string_too_short": "kan ikke være tom",
    "string_pattern_mismatch": "har feil format",
    "list_type": "må være en liste",
    "model_type": "må være et objekt",
    "dict_type": "må være et objekt",
    "greater_than_equal": "kan ikke være negativ",
    "less_than_equal": "er for stor",
}


def sti(loc: tuple[int | str, ...]) -> str:
    """Return a JSON path like ``aktiviteter[3].minutter`` for a pydantic location."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _melding(err: Any) -> str:
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    if err["type"] == "literal_error":
        return f"må være en av {err['ctx']['expected']}"
    return _MELDINGER.get(err["type"], "ugyldig verdi")


def _strenger(data: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strenger(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strenger(value, f"{path}[{i}]")
    elif isinstance(data, (str, int)) and not isinstance(data, bool):
        yield path, str(data)


def _personnummer(data: object) -> list[RowError]:
    # A kontonummer is 11 digits too; it is checked by its own mod 11 rule instead.
    return [
        RowError(path, "inneholder noe som ligner et fødselsnummer; bruk deltakernummer og navn")
        for path, text in _strenger(data, "")
        if not path.endswith("kontonummer") and identifiers.contains_person_ident(text)
    ]


def _rad_feil(
    i: int, a: Aktivitet, regelsett: Regelsett, periode: Periode | None
) -> list[RowError]:
    p = f"aktiviteter[{i}]"
    errors = []
    regel = regelsett.aktiviteter.get(a.aktivitet)
    if regel is None:
        kjente = ", ".join(regelsett.aktiviteter)
        errors.append(
            RowError(f"{p}.aktivitet", f"ukjent aktivitet «{a.aktivitet}» (kjente: {kjente})")
        )
    elif regel.del_paa_deltakere and (a.antall_deltakere is None or a.antall_deltakere < 1):
        errors.append(
            RowError(f"{p}.antall_deltakere", f"{a.aktivitet} krever antall deltakere (minst 1)")
        )
    if periode is not None and not periode.fra <= a.dato <= periode.til:
        errors.append(RowError(f"{p}.dato", f"{a.dato.isoformat()} er utenfor perioden"))
    return errors


def _aktivitet_feil(
    navn: str, periode: Periode | None, rader: list[tuple[int, Aktivitet]]
) -> list[RowError]:
    try:
        regelsett = get_regelsett(navn)
    except RuleSetUnknownError as exc:
        return [RowError("regelsett", str(exc))]
    return [e for i, a in rader for e in _rad_feil(i, a, regelsett, periode)]


def _gyldig(model: type[_M], data: object) -> _M | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _delvise_feil(data: object) -> list[RowError]:
    # When the whole grunnlag does not validate, still check the rows that do, so the
    # user sees every problem at once.
    if not isinstance(data, dict) or not isinstance(data.get("aktiviteter"), list):
        return []
    if not isinstance(data.get("regelsett"), str):
        return []
    rader = [(i, a) for i, r in enumerate(data["aktiviteter"]) if (a := _gyldig(Aktivitet, r))]
    errors = _aktivitet_feil(data["regelsett"], _gyldig(Periode, data.get("periode")), rader)
    return [e for e in errors if e.path != "regelsett"]


def _feil(g: Fakturagrunnlag) -> list[RowError]:
    errors = []
    if g.periode.til < g.periode.fra:
        errors.append(RowError("periode.til", "kan ikke være før periode.fra"))
    if g.forfallsdato < g.fakturadato:
        errors.append(RowError("forfallsdato", "kan ikke være før fakturadato"))
    if g.mva.kategori == "E" and not g.mva.fritaksgrunn:
        errors.append(RowError("mva.fritaksgrunn", "mangler (påkrevd for kategori E)"))
    return errors + _aktivitet_feil(g.regelsett, g.periode, list(enumerate(g.aktiviteter)))


def load_grunnlag(data: object) -> Fakturagrunnlag:
    """Validate a fakturagrunnlag (parsed JSON) and return it.

    Args:
        data: the parsed JSON object.

    Returns:
        The valid grunnlag.

    Raises:
        GrunnlagInvalidError: every problem found, each with its JSON path.
    """
    errors = _personnummer(data)
    try:
        g = Fakturagrunnlag.model_validate(data)
    except ValidationError as exc:
        errors += [RowError(sti(e["loc"]), _melding(e)) for e in exc.errors()]
        raise GrunnlagInvalidError(errors + _delvise_feil(data)) from None
    errors += _feil(g)
    if errors:
        raise GrunnlagInvalidError(errors)
    return g
