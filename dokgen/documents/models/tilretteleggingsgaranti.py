"""Tilretteleggingsgaranti: the praksisplass routine's guarantee for every place.

``shared/kilder/praksisplass-rutiner.txt``: "Det skal gis ut Tilretteleggingsgaranti for alle
tiltaksplassene, uansett praksisform." The routine has no form; the labels are ours. The
parts a placement's documents share (the place, its kind, the veileder to contact) live
here and the oppfølgingsplan reuses them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.avtaler import Arbeidsgiver, Deltaker, Part
from dokgen.documents.models.common import (
    Dokumentmodell,
    Epost,
    Fritekst,
    InputModel,
    Sammendrag,
    Tekst,
    Telefon,
    Tiltak,
)

# The routine's sentences the tilretteleggingsgaranti prints, word for word.
RUTINE_GARANTI = (
    "Det skal gis ut Tilretteleggingsgaranti for alle tiltaksplassene, uansett praksisform."
)
RUTINE_FRAVAER = (
    "Hovedregelen er at vi avtaler med arbeidsgiver at de sender en mail til oss ved "
    "manglende oppmøte slik at vi kan ta oss av det."
)
# The three parties of a placement's documents, as the arbeidspraksisavtale names them.
PRAKSISPARTER = (
    (Part.ARBEIDSGIVER.value, "Arbeidsgiver"),
    (Part.DELTAKER.value, "Deltaker"),
    (Part.ARRANGOR.value, "Tiltaksarrangør"),
)


class Praksisart(StrEnum):
    """The routine's kinds of praksisplass (``oppfolging.kodeverk.PRAKSISARTER``)."""

    AKTIVITETSPLASS = "aktivitetsplass"
    ARBEIDSTRENING = "arbeidstrening"
    SPRAKPRAKSIS = "sprakpraksis"
    KOMMUNAL_TILTAKSPLASS = "kommunal_tiltaksplass"


PRAKSISART_ORD: dict[str, str] = {
    Praksisart.AKTIVITETSPLASS: "Aktivitetsplass",
    Praksisart.ARBEIDSTRENING: "Arbeidstrening",
    Praksisart.SPRAKPRAKSIS: "Språkpraksis",
    Praksisart.KOMMUNAL_TILTAKSPLASS: "Kommunal tiltaksplass",
}


class Praksisplassen(InputModel):
    art: Praksisart = Field(
        title="Type praksisplass",
        description="Aktivitetsplass, arbeidstrening, språkpraksis eller kommunal tiltaksplass",
    )
    avdeling: Tekst | None = Field(default=None, title="Avdeling", description="F.eks. Butikk")
    arbeidsoppgaver: Fritekst = Field(
        title="Arbeidsoppgaver", description="F.eks. betjene kunder, fylle varer"
    )


class Veileder(InputModel):
    """The tiltaksarrangør's veileder the arbeidsgiver and the deltaker contact."""

    navn: Tekst = Field(title="Navn")
    telefon: Telefon = Field(title="Telefon", description="F.eks. 40 00 00 17")
    epost: Epost = Field(title="E-post", description="F.eks. lise.berg@eksempel.no")


class Tilretteleggingsgaranti(Dokumentmodell):
    """Tilretteleggingsgaranti: the tiltaksarrangør's promise to the arbeidsgiver and the
    deltaker that it follows up and helps with tilrettelegging while the deltaker is in the
    place, and what the arbeidsgiver does when something goes wrong (an absence: an e-mail
    to the veileder the same day, the routine's main rule). Approved by the arbeidsgiver, the
    deltaker and the tiltaksarrangør.
    """

    tittel: ClassVar = "Tilretteleggingsgaranti"
    parter: ClassVar = PRAKSISPARTER
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", dato="dato")
    etiketter: ClassVar = PRAKSISART_ORD
    utfylling: ClassVar = {
        "tiltak.tiltaksnummer": "T-4411",
        "ved_andre_problemer": "Ring veilederen, som kommer på besøk innen to arbeidsdager.",
    }
    ledetekster: ClassVar = (
        "Tilretteleggingsgaranti",
        "Arbeidsgiver:",
        "Deltaker:",
        "Praksisplassen",
        "Dette garanterer tiltaksarrangøren",
        "Veileder hos tiltaksarrangør:",
        "Ved fravær:",
        "Underskrifter",
    )

    type: Literal["tilretteleggingsgaranti"] = "tilretteleggingsgaranti"
    tiltak: Tiltak = Field(title="Tiltak")
    arbeidsgiver: Arbeidsgiver = Field(title="Arbeidsgiver")
    deltaker: Deltaker = Field(title="Deltaker")
    praksisplass: Praksisplassen = Field(title="Praksisplassen")
    oppstart: dt.date = Field(title="Oppstart")
    planlagt_sluttdato: dt.date = Field(title="Planlagt sluttdato")
    tilrettelegging: Fritekst = Field(
        title="Tilrettelegging tiltaksarrangøren tilbyr",
        description="F.eks. tilpasset arbeidstid de første ukene, hjelp til å lage en "
        "oppgaveliste, opplæring sammen med arbeidsgiver",
    )
    oppfolging: Fritekst = Field(
        title="Oppfølging fra tiltaksarrangøren",
        description="F.eks. veilederen besøker arbeidsplassen hver 14. dag og kan nås på "
        "telefon hver arbeidsdag",
    )
    veileder: Veileder = Field(title="Veileder hos tiltaksarrangør")
    ved_fravaer: Fritekst = Field(
        title="Ved fravær",
        description="Hva arbeidsgiver gjør når deltakeren ikke møter, f.eks. send en e-post "
        "til veilederen samme dag",
    )
    ved_andre_problemer: Fritekst | None = Field(
        default=None,
        title="Når noe annet ikke fungerer",
        description="F.eks. ring veilederen, som kommer på besøk innen to arbeidsdager",
    )
    sted: Tekst = Field(title="Sted", description="F.eks. Oslo")
    dato: dt.date = Field(title="Dato")

    @field_validator("planlagt_sluttdato")
    @classmethod
    def _etter_oppstart(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        oppstart = info.data.get("oppstart")
        if oppstart is not None and value < oppstart:
            raise ValueError("sluttdatoen kan ikke være før oppstart")
        return value
