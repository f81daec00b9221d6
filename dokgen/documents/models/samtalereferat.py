"""Referat fra oppfølgingssamtale (AMB kravspesifikasjon §13.2–13.3), at least every third month."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Fritekst,
    InputModel,
    Sammendrag,
    Tekst,
    Tiltak,
    Underskriver,
)
from dokgen.documents.models.rapporter import Deltaker


class Medvirkende(InputModel):
    navn: Tekst = Field(title="Navn", description="F.eks. Lise Berg")
    rolle: Tekst = Field(title="Rolle", description="F.eks. arbeidsleder")


class Samtaletema(InputModel):
    tema: Tekst = Field(title="Tema", description="F.eks. arbeidsoppgaver, helse, fravær")
    referat: Fritekst = Field(title="Hva ble sagt og avtalt")


class Delmal(InputModel):
    delmal: Tekst = Field(title="Delmål", description="F.eks. bestå teoriprøven i truckkurset")
    frist: dt.date | None = Field(default=None, title="Frist")


class Samtalereferat(Dokumentmodell):
    """Referat fra oppfølgingssamtale: one follow-up conversation with an arbeidstaker.

    §13.2: "Oppfølgingssamtaler. Bør skje minst hver 3. måned." — who from the staff took
    part and their competence, the themes, the evaluation of the handlingsplan, and whether
    new delmål were set; §13.3: who gets the referat and how and for how long it is kept,
    and what NAV lokal is told of changes in the plan. The conversation's date
    (``samtaledato``) is the document's date, which the AMB frist "an oppfølgingssamtale at
    least every third month per deltaker" is met by; the bedrift alone approves it.
    """

    tittel: ClassVar = "Referat fra oppfølgingssamtale"
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", dato="samtaledato")
    utfylling: ClassVar = {
        "tiltak.tiltaksnummer": "A-2201",
        "andre_til_stede": [{"navn": "Ola Hansen", "rolle": "saksbehandler NAV Grorud"}],
        "personalets_kompetanse": "Samtalekurs og arbeidslederopplæring.",
        "informasjon_til_nav": "Ingen endringer i planen; NAV lokal får referatet.",
        "neste_samtale": "2026-09-10",
    }
    ledetekster: ClassVar = (
        "Referat fra oppfølgingssamtale",
        "Oppfølgingssamtaler. Bør skje minst hver 3. måned.",
        "Hvem medvirker fra personalet?",
        "Beskriv hvilken kompetanse personalet har for denne oppgaven (samtalekurs, "
        "arbeidslederopplæring osv.)",
        "Hvilke temaer er faste innslag i samtalene?",
        "Hvor ofte og hvordan blir handlingsplanen evaluert?",
        "Blir det fastsatt nye delmål ved oppfølgingssamtalen?",
        "Referat fra oppfølgingssamtalene",
        "Hvem får referat og hvordan oppbevares referatene?",
        "Hvor lenge oppbevares referatene?",
        "Beskriv rutinene for informasjon til NAV lokal ved endringer i planen.",
    )

    type: Literal["samtalereferat"] = "samtalereferat"
    tiltak: Tiltak = Field(title="Tiltak")
    deltaker: Deltaker = Field(title="Arbeidstaker")
    samtaledato: dt.date = Field(title="Dato for samtalen")
    # §13.2
    medvirkende: list[Medvirkende] = Field(
        min_length=1, max_length=10, title="Hvem medvirker fra personalet?"
    )
    andre_til_stede: list[Medvirkende] = Field(
        default_factory=list,
        max_length=10,
        title="Andre til stede",
        description="F.eks. saksbehandler fra NAV lokal",
    )
    personalets_kompetanse: Fritekst | None = Field(
        default=None,
        title="Beskriv hvilken kompetanse personalet har for denne oppgaven (samtalekurs, "
        "arbeidslederopplæring osv.)",
    )
    temaer: list[Samtaletema] = Field(
        min_length=1, max_length=20, title="Hvilke temaer er faste innslag i samtalene?"
    )
    evaluering_av_planen: Fritekst = Field(
        title="Hvor ofte og hvordan blir handlingsplanen evaluert?",
        description="Hvordan planen ble evaluert i denne samtalen, og når den evalueres neste gang",
    )
    nye_delmal_fastsatt: bool = Field(
        title="Blir det fastsatt nye delmål ved oppfølgingssamtalen?",
        description="Kryss av hvis ja, og skriv delmålene under «Nye delmål»",
    )
    nye_delmal: list[Delmal] = Field(
        default_factory=list,
        max_length=20,
        title="Nye delmål",
        description="Fylles ut når det er fastsatt nye delmål",
    )
    neste_samtale: dt.date | None = Field(default=None, title="Neste oppfølgingssamtale")
    # §13.3
    referat_til: Fritekst = Field(
        title="Hvem får referat og hvordan oppbevares referatene?",
        description="F.eks. arbeidstakeren og saksbehandler i NAV lokal; arkiveres i "
        "personalmappen",
    )
    oppbevaringstid: Tekst = Field(
        title="Hvor lenge oppbevares referatene?",
        description="F.eks. til ett år etter avsluttet tiltak",
    )
    informasjon_til_nav: Fritekst | None = Field(
        default=None,
        title="Beskriv rutinene for informasjon til NAV lokal ved endringer i planen",
    )
    sted: Tekst = Field(title="Sted", description="F.eks. Oslo")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Referent")

    @field_validator("nye_delmal")
    @classmethod
    def _delmal_nar_fastsatt(cls, value: list[Delmal], info: ValidationInfo) -> list[Delmal]:
        fastsatt = info.data.get("nye_delmal_fastsatt")
        if fastsatt and not value:
            raise ValueError("skriv de nye delmålene, eller svar nei på om det er fastsatt nye")
        if fastsatt is False and value:
            raise ValueError("svaret er at det ikke er fastsatt nye delmål; fjern radene")
        return value

    @field_validator("neste_samtale", "dato")
    @classmethod
    def _etter_samtalen(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        samtale = info.data.get("samtaledato")
        if value is not None and samtale is not None and value < samtale:
            raise ValueError("datoen kan ikke være før samtalen")
        return value
