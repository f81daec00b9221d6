"""Oppfølgingsplan for a praksisplass: the routine's plan "hvor oppstart og sluttdato er notert".

``shared/kilder/praksisplass-rutiner.txt``: at an aktivitetsplass and an arbeidstrening "det
skal lages en oppfølgingsplan hvor oppstart og sluttdato er notert"; the målsetting and the
tilretteleggingsbehov come from the oppstartsmøte, and "En arbeidstreningplass skal ha et
definert yrkesmål". The routine has no form; the labels are ours.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.avtaler import Arbeidsgiver, Deltaker
from dokgen.documents.models.common import (
    Dokumentmodell,
    Fritekst,
    InputModel,
    Sammendrag,
    Tekst,
    Tiltak,
)
from dokgen.documents.models.tilretteleggingsgaranti import (
    PRAKSISART_ORD,
    PRAKSISPARTER,
    Praksisart,
    Praksisplassen,
    Veileder,
)


class Oppfolgingstiltak(InputModel):
    hva: Tekst = Field(title="Hva", description="F.eks. oppfølgingssamtale på arbeidsplassen")
    hvem: Tekst = Field(title="Hvem", description="F.eks. veileder")
    nar: Tekst = Field(title="Når / hvor ofte", description="F.eks. hver 14. dag")


class Oppfolgingsplan(Dokumentmodell):
    """Oppfølgingsplan for one placement: oppstart and sluttdato, the aim with the place (an
    arbeidstrening also its yrkesmål), the tilrettelegging, who follows up how often, and how
    the place is evaluated and ended. Approved by the deltaker, the arbeidsgiver and the
    tiltaksarrangør.
    """

    tittel: ClassVar = "Oppfølgingsplan"
    parter: ClassVar = PRAKSISPARTER
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", dato="dato")
    etiketter: ClassVar = PRAKSISART_ORD
    utfylling: ClassVar = {"tiltak.tiltaksnummer": "T-4411"}
    ledetekster: ClassVar = (
        "Oppfølgingsplan",
        "Arbeidsgiver:",
        "Deltaker:",
        "Oppstart:",
        "Sluttdato:",
        "Målsetting med praksisplassen:",
        "Oppfølging",
        "Evaluering og avslutning",
        "Underskrifter",
    )

    type: Literal["oppfolgingsplan"] = "oppfolgingsplan"
    tiltak: Tiltak = Field(title="Tiltak")
    arbeidsgiver: Arbeidsgiver = Field(title="Arbeidsgiver")
    deltaker: Deltaker = Field(title="Deltaker")
    praksisplass: Praksisplassen = Field(title="Praksisplassen")
    veileder: Veileder = Field(title="Veileder hos tiltaksarrangør")
    oppstart: dt.date = Field(title="Oppstart")
    sluttdato: dt.date = Field(title="Sluttdato")
    malsetting: Fritekst = Field(
        title="Målsetting med praksisplassen",
        description="Fra oppstartsmøtet, f.eks. å møte opp til avtalt tid tre dager i uken",
    )
    yrkesmal: Tekst | None = Field(
        default=None,
        validate_default=True,
        title="Yrkesmål",
        description="Må fylles ut for arbeidstrening, f.eks. butikkmedarbeider",
    )
    tilrettelegging: Fritekst | None = Field(
        default=None,
        title="Tilrettelegging",
        description="F.eks. kortere dager de første to ukene, faste arbeidsoppgaver",
    )
    oppfolging: list[Oppfolgingstiltak] = Field(
        min_length=1,
        max_length=20,
        title="Oppfølging",
        description="F.eks. oppfølgingssamtale på arbeidsplassen, veileder, hver 14. dag",
    )
    evaluering: Fritekst = Field(
        title="Evaluering og avslutning",
        description="Når og hvordan planen evalueres, og hva som skjer ved avslutning",
    )
    sted: Tekst = Field(title="Sted", description="F.eks. Oslo")
    dato: dt.date = Field(title="Dato")

    @field_validator("sluttdato")
    @classmethod
    def _etter_oppstart(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        oppstart = info.data.get("oppstart")
        if oppstart is not None and value < oppstart:
            raise ValueError("sluttdatoen kan ikke være før oppstart")
        return value

    @field_validator("yrkesmal")
    @classmethod
    def _yrkesmal_for_arbeidstrening(cls, value: str | None, info: ValidationInfo) -> str | None:
        # The routine: "En arbeidstreningplass skal ha et definert yrkesmål".
        plass = info.data.get("praksisplass")
        if value is None and plass is not None and plass.art == Praksisart.ARBEIDSTRENING:
            raise ValueError("en arbeidstrening skal ha et definert yrkesmål: skriv det")
        return value
