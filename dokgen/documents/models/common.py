"""Parts shared by the document types: constrained field types, people, periods, parties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar

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

from dokgen.documents.charset import check_printable
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


# Every text a document prints, names included, holds only characters its fonts can draw
# (dokgen.documents.charset): an emoji is refused here, never printed as a missing-glyph box.
Tekst = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(check_printable),
]
Fritekst = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(check_printable),
]
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


class InputModel(BaseModel):
    """Base of every input model: unknown fields refused, immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass(frozen=True)
class Sammendrag:
    """Where a type's list summary is found in its data, as dotted paths (None: not given).

    The period's ``fra``/``til`` are shown when the type has one; otherwise ``dato`` is both.
    """

    deltaker: str | None = None
    periode: str | None = None
    dato: str | None = None


def _finn(data: Mapping[str, Any], sti: str | None) -> Any:
    if sti is None:
        return None
    node: Any = data
    for part in sti.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


class Dokumentmodell(InputModel):
    """Common base of the document types; each narrows ``type`` to its own Literal.

    A type describes itself in class variables, and the registry, the services, the
    template context and the example data read them: its ``tittel``; the ``parter`` whose
    approval finalises it, in order, with their names; where its list ``sammendrag`` is;
    the ``etiketter`` its codes print as; where it names the ``arrangor``; the ``utfylling``
    that fills, beside the demo data, every optional field of its complete example;
    ``ledetekster``, NAV's labels from the source form that the printed document shows; and
    the ``summer`` its template prints: each a name in the template's context and the
    ``liste.felt`` whose numbers it adds up.
    """

    tittel: ClassVar[str]
    parter: ClassVar[tuple[tuple[str, str], ...]] = (("arrangor", "Tiltaksarrangør"),)
    sammendrag: ClassVar[Sammendrag] = Sammendrag()
    etiketter: ClassVar[Mapping[str, str]] = {}
    arrangor_sti: ClassVar[tuple[str, ...]] = ("tiltak", "arrangor")
    utfylling: ClassVar[Mapping[str, Any]] = {}
    ledetekster: ClassVar[tuple[str, ...]] = ()
    summer: ClassVar[Mapping[str, str]] = {}

    type: str = Field(title="Dokumenttype")

    @classmethod
    def type_navn(cls) -> str:
        """Return the type's name, the default of its ``type`` Literal."""
        return str(cls.model_fields["type"].default)

    @classmethod
    def approving_parties(cls, data: Mapping[str, Any]) -> tuple[str, ...]:
        """Return the parties whose approval finalises a document of this data, in order."""
        return tuple(kode for kode, _ in cls.parter)

    @classmethod
    def summarise(cls, data: Mapping[str, Any]) -> tuple[str, str | None, str | None]:
        """Return (deltaker name, period from, period to) for listing and search."""
        deltaker = _finn(data, cls.sammendrag.deltaker) or ""
        periode = _finn(data, cls.sammendrag.periode)
        if isinstance(periode, Mapping):
            return deltaker, periode.get("fra"), periode.get("til")
        dato = _finn(data, cls.sammendrag.dato)
        return deltaker, dato, dato


class Arrangor(InputModel):
    navn: Tekst = Field(title="Tiltaksarrangør")
    orgnr: Orgnr = Field(title="Organisasjonsnummer")


class Tiltak(InputModel):
    navn: Tekst = Field(
        title="Tiltak", description="Tiltakets navn, f.eks. Jobbmestrende oppfølging"
    )
    avtalenummer: Tekst | None = Field(default=None, title="Avtalenummer")
    tiltaksnummer: Tekst | None = Field(default=None, title="Tiltaksnummer")
    arrangor: Arrangor = Field(title="Tiltaksarrangør")


class Kontaktperson(InputModel):
    navn: Tekst = Field(title="Navn")
    telefon: Telefon | None = Field(default=None, title="Telefon")
    epost: Epost | None = Field(default=None, title="E-post")


class Underskriver(InputModel):
    navn: Tekst = Field(title="Navn")
    rolle: Tekst | None = Field(default=None, title="Rolle")


class Periode(InputModel):
    fra: dt.date = Field(title="Fra")
    til: dt.date = Field(title="Til")

    @model_validator(mode="after")
    def _i_rekkefolge(self) -> Periode:
        if self.til < self.fra:
            raise ValueError("til-datoen kan ikke være før fra-datoen")
        return self


class Fravaer(InputModel):
    dager: int | None = Field(default=None, ge=0, le=366, title="Dager")
    timer: Timer | None = Field(default=None, title="Timer")
    arsak: Tekst = Field(title="Årsak")

    @model_validator(mode="after")
    def _dager_eller_timer(self) -> Fravaer:
        if self.dager is None and self.timer is None:
            raise ValueError("oppgi dager eller timer")
        return self
