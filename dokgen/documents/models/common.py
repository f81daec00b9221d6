"""Parts shared by the document types: constrained field types, people, periods, parties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from ehf.identifiers import IdentInvalidError, validate_orgnr, validate_person_ident

TILLAT_SYNTETISKE = "tillat_syntetiske"


def _fodselsnummer(value: str, info: ValidationInfo) -> str:
    allow = bool((info.context or {}).get(TILLAT_SYNTETISKE, False))
    try:
        validate_person_ident(value, allow_synthetic=allow)
    except IdentInvalidError as exc:
        raise ValueError(f"ugyldig fødselsnummer: {exc}") from None
    return value.replace(" ", "")


def _ikke_flyttall(value: object) -> object:
    # A JSON float has already lost exactness (0.1 + 0.2); hours must arrive as text or integers.
    if isinstance(value, float):
        raise ValueError('oppgi timer som tekst, f.eks. "14.25", ikke som flyttall')
    return value


def _orgnr(value: str) -> str:
    try:
        return validate_orgnr(value)
    except IdentInvalidError as exc:
        raise ValueError(str(exc)) from None


Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Fritekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Fodselsnummer = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_fodselsnummer)
]
Orgnr = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_orgnr)]
Telefon = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ]{8,16}$")]
Epost = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Prosent = Annotated[int, Field(ge=0, le=100)]
Timer = Annotated[
    Decimal,
    Field(ge=0, le=10_000, max_digits=7, decimal_places=2),
    BeforeValidator(_ikke_flyttall),
]
TimerPerUke = Annotated[
    Decimal,
    Field(ge=0, le=60, max_digits=7, decimal_places=2),
    BeforeValidator(_ikke_flyttall),
]
Maned = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class Modell(BaseModel):
    """Base of every input model: unknown fields refused, immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Dokument(Modell):
    """Common base of the five document types; each narrows ``type`` to its own Literal."""

    type: str = Field(title="Dokumenttype")


class Arrangor(Modell):
    navn: Tekst = Field(title="Tiltaksarrangør")
    orgnr: Orgnr = Field(title="Organisasjonsnummer")


class Tiltak(Modell):
    navn: Tekst = Field(
        title="Tiltak", description="Tiltakets navn, f.eks. Jobbmestrende oppfølging"
    )
    avtalenummer: Tekst | None = Field(default=None, title="Avtalenummer")
    tiltaksnummer: Tekst | None = Field(default=None, title="Tiltaksnummer")
    arrangor: Arrangor = Field(title="Tiltaksarrangør")


class Kontaktperson(Modell):
    navn: Tekst = Field(title="Navn")
    telefon: Telefon | None = Field(default=None, title="Telefon")
    epost: Epost | None = Field(default=None, title="E-post")


class Underskriver(Modell):
    navn: Tekst = Field(title="Navn")
    rolle: Tekst | None = Field(default=None, title="Rolle")


class Periode(Modell):
    fra: dt.date = Field(title="Fra")
    til: dt.date = Field(title="Til")

    @model_validator(mode="after")
    def _i_rekkefolge(self) -> Periode:
        if self.til < self.fra:
            raise ValueError("til-datoen kan ikke være før fra-datoen")
        return self


class Fravaer(Modell):
    dager: int | None = Field(default=None, ge=0, le=366, title="Dager")
    timer: Timer | None = Field(default=None, title="Timer")
    arsak: Tekst = Field(title="Årsak")

    @model_validator(mode="after")
    def _dager_eller_timer(self) -> Fravaer:
        if self.dager is None and self.timer is None:
            raise ValueError("oppgi dager eller timer")
        return self
