"""The agreements: arbeidspraksisavtale (JMO §6) and endringsavtale (Bilag 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Fodselsnummer,
    Fritekst,
    InputModel,
    Kontaktperson,
    Orgnr,
    Periode,
    Sammendrag,
    Tekst,
    Tiltak,
    TimerPerUke,
)


class Part(StrEnum):
    """A party that signs an arbeidspraksisavtale."""

    ARBEIDSGIVER = "arbeidsgiver"
    DELTAKER = "deltaker"
    ARRANGOR = "arrangor"


class EndringsPart(StrEnum):
    """A party that signs an endringsavtale."""

    KUNDE = "kunde"
    LEVERANDOR = "leverandor"


class Virksomhet(InputModel):
    navn: Tekst = Field(title="Navn")
    orgnr: Orgnr = Field(title="Organisasjonsnummer")


class Arbeidsgiver(Virksomhet):
    adresse: Tekst | None = Field(default=None, title="Adresse")
    kontaktperson: Kontaktperson = Field(title="Kontaktperson")


class Deltaker(InputModel):
    navn: Tekst = Field(title="Navn")
    fodselsnummer: Fodselsnummer = Field(title="Fødselsnummer")


class Arbeidstid(InputModel):
    timer_per_uke: TimerPerUke = Field(title="Timer per uke")
    beskrivelse: Tekst | None = Field(default=None, title="Arbeidstid")


class PartSignatur(InputModel):
    """Where and when one party of an arbeidspraksisavtale signs (blank on paper when absent)."""

    part: Part = Field(title="Part")
    sted: Tekst | None = Field(default=None, title="Sted")
    dato: dt.date | None = Field(default=None, title="Dato")


class ArbeidspraksisAvtale(Dokumentmodell):
    """Avtale om arbeidspraksis between employer, deltaker and arrangør (JMO §6)."""

    tittel: ClassVar = "Arbeidspraksisavtale"
    parter: ClassVar = (
        (Part.ARBEIDSGIVER.value, "Arbeidsgiver"),
        (Part.DELTAKER.value, "Deltaker"),
        (Part.ARRANGOR.value, "Tiltaksarrangør"),
    )
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", periode="varighet", dato="dato")
    utfylling: ClassVar = {
        "tiltak.tiltaksnummer": "T-4411",
        "signaturer": [{"part": "arbeidsgiver", "sted": "Oslo", "dato": "2026-06-08"}],
    }
    ledetekster: ClassVar = ("Arbeidsgiver", "Deltaker", "Sted og dato")

    type: Literal["arbeidspraksisavtale"] = "arbeidspraksisavtale"
    tiltak: Tiltak = Field(title="Tiltak")
    arbeidsgiver: Arbeidsgiver = Field(title="Arbeidsgiver")
    deltaker: Deltaker = Field(title="Deltaker")
    veileder_arrangor: Kontaktperson = Field(title="Veileder hos tiltaksarrangør")
    formal: Fritekst = Field(title="Formål med arbeidspraksis")
    arbeidsoppgaver: Fritekst = Field(title="Arbeidsoppgaver")
    opplaering: Fritekst = Field(title="Opplæring og veiledning")
    oppfolging: Fritekst = Field(title="Oppfølging fra tiltaksarrangør")
    arbeidstid: Arbeidstid = Field(title="Arbeidstid")
    varighet: Periode = Field(title="Varighet")
    tilrettelegging: Fritekst | None = Field(default=None, title="Tilrettelegging")
    yrkesskadeforsikring_informert: bool = Field(
        title="Arbeidsgiver er informert om yrkesskadeforsikring"
    )
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    parter_som_signerer: list[Part] = Field(
        default_factory=lambda: list(Part), min_length=1, max_length=3, title="Parter som signerer"
    )
    signaturer: list[PartSignatur] = Field(
        default_factory=list,
        max_length=3,
        title="Sted og dato for hver part",
        description="Tomt felt skrives for hånd ved signering",
    )

    @field_validator("yrkesskadeforsikring_informert")
    @classmethod
    def _informert(cls, value: bool) -> bool:
        # JMO §6: the arrangør must inform the employer, and document that it did.
        if not value:
            raise ValueError(
                "arbeidsgiver må være informert om at deltakeren omfattes av "
                "yrkesskadeforsikringen før avtalen inngås"
            )
        return value

    @field_validator("parter_som_signerer")
    @classmethod
    def _unike_parter(cls, value: list[Part]) -> list[Part]:
        if len(set(value)) != len(value):
            raise ValueError("en part kan bare signere én gang")
        if Part.DELTAKER not in value:
            raise ValueError("deltakeren er alltid part i avtalen og må signere")
        return value

    @field_validator("signaturer")
    @classmethod
    def _signerende(cls, value: list[PartSignatur], info: ValidationInfo) -> list[PartSignatur]:
        parter = [s.part for s in value]
        if len(set(parter)) != len(parter):
            raise ValueError("hver part kan bare ha ett sted og én dato")
        signerer = info.data.get("parter_som_signerer")
        if signerer is not None and not set(parter) <= set(signerer):
            raise ValueError("sted og dato kan bare gis for parter som signerer")
        return value

    @classmethod
    def approving_parties(cls, data: Mapping[str, Any]) -> tuple[str, ...]:
        """Return the parties the agreement lists as signing (JMO §6), by default all three."""
        return tuple(data.get("parter_som_signerer") or super().approving_parties(data))


class Avtale(InputModel):
    navn: Tekst = Field(title="Avtale")
    avtalenummer: Tekst | None = Field(default=None, title="Avtalenummer")
    signert_dato: dt.date = Field(title="Signert")


class TidligereEndring(InputModel):
    nr: int = Field(ge=1, le=999, title="Nr.")
    dato_undertegnet: dt.date = Field(title="Dato for undertegning")
    beskrivelse: Fritekst = Field(
        title="Beskrivelse av endringen samt eventuell vederlagsjustering og justering av tidsplan"
    )
    ikraftsettelse: dt.date = Field(title="Dato for ikraftsettelse")


class Signatur(InputModel):
    part: EndringsPart = Field(title="Part")
    navn: Tekst = Field(title="Navn")
    dato: dt.date = Field(title="Dato")


class EndringsAvtale(Dokumentmodell):
    """Endring til avtalen (Bilag 6): one signed change with the catalogue of earlier ones."""

    tittel: ClassVar = "Endringsavtale"
    parter: ClassVar = (
        (EndringsPart.KUNDE.value, "Kunde"),
        (EndringsPart.LEVERANDOR.value, "Leverandør"),
    )
    arrangor_sti: ClassVar = ("leverandor",)
    utfylling: ClassVar = {
        "vederlagsjustering": "Ingen endring i timepris.",
        "tidsplanjustering": "Ingen endring i tidsplan.",
    }
    ledetekster: ClassVar = (
        "Endring nr.",
        "Beskrivelse av endringen",
        "Endringskatalog",
        "Dato",
    )

    type: Literal["endringsavtale"] = "endringsavtale"
    endring_nr: int = Field(ge=1, le=999, title="Endring nr.")
    avtale: Avtale = Field(title="Avtale")
    kunde: Virksomhet = Field(title="Kunde")
    leverandor: Virksomhet = Field(title="Leverandør")
    beskrivelse: Fritekst = Field(title="Beskrivelse av endringen")
    vederlagsjustering: Fritekst | None = Field(default=None, title="Justert vederlag")
    tidsplanjustering: Fritekst | None = Field(default=None, title="Justert tidsplan")
    ikraftsettelse: dt.date = Field(title="Dato for ikraftsettelse")
    endringskatalog: list[TidligereEndring] = Field(
        default_factory=list, max_length=200, title="Endringskatalog"
    )
    signaturer: list[Signatur] = Field(default_factory=list, max_length=2, title="Signaturer")

    @field_validator("endringskatalog")
    @classmethod
    def _tidligere(
        cls, value: list[TidligereEndring], info: ValidationInfo
    ) -> list[TidligereEndring]:
        nr = info.data.get("endring_nr")
        if nr is not None and any(e.nr >= nr for e in value):
            raise ValueError("endringskatalogen kan bare inneholde tidligere endringer")
        return value

    @field_validator("signaturer")
    @classmethod
    def _en_per_part(cls, value: list[Signatur]) -> list[Signatur]:
        if len({s.part for s in value}) != len(value):
            raise ValueError("hver part kan bare signere én gang")
        return value
