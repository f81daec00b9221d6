"""Samarbeidsavtale between NAV lokal and an arbeidsmarkedsbedrift (AMB kravspesifikasjon §1)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Fritekst,
    InputModel,
    Kontaktperson,
    Periode,
    Prosent,
    Sammendrag,
    Tekst,
    Tiltak,
    Underskriver,
)


# What a local resultatkrav of §1.6 c measures among those who end Kvalifisering.
class Resultatomrade(StrEnum):
    FORMIDLING = "formidling"
    EGENFINANSIERT_UTDANNING = "egenfinansiert_utdanning"


class NavLokal(InputModel):
    navn: Tekst = Field(title="NAV lokal", description="F.eks. NAV Grünerløkka")
    kontaktperson: Kontaktperson = Field(title="Kontaktperson ved NAV lokal")


class Dokumentmottaker(InputModel):
    mottaker: Tekst = Field(title="Hvem", description="F.eks. NAV lokal, rådgivende utvalg")
    dokumenter: Tekst = Field(
        title="Dokumenter", description="F.eks. samarbeidsavtale, årsrapport, tilbudsmelding"
    )


class Resultatkrav(InputModel):
    omrade: Resultatomrade = Field(title="Område")
    krav_prosent: Prosent = Field(
        title="Krav (prosent av dem som avslutter Kvalifisering)", description="F.eks. 30"
    )
    beskrivelse: Tekst | None = Field(
        default=None, title="Beskrivelse", description="F.eks. arbeid uten tilskudd innen 6 mnd"
    )


class Samarbeidsavtale(Dokumentmodell):
    """Samarbeidsavtale (AMB §1): NAV lokal's agreement with the tiltaksarrangør.

    §1.2 a: the parties meet at least once a year; §1.5 b: the frist for the sluttrapport
    after Kvalifisering and Tilrettelagt arbeid is set here (``sluttrapport_frist_dager``,
    which the AMB frister read). Both parties sign: NAV lokal and the bedrift (the
    tiltaksarrangør).
    """

    tittel: ClassVar = "Samarbeidsavtale"
    parter: ClassVar = (("arrangor", "Tiltaksarrangør"), ("nav_lokal", "NAV lokal"))
    sammendrag: ClassVar = Sammendrag(periode="avtaleperiode", dato="dato")
    utfylling: ClassVar = {"tiltak.tiltaksnummer": "T-7701"}
    ledetekster: ClassVar = (
        "Samarbeidsavtalens formål og hensikt",
        "Møtehyppighet; minimum én gang i året",
        "Revisjonsdato for samarbeidsavtale",
        "Hva er maksimal ventetid for inntak til Kvalifisering?",
        "Frist for levering av sluttrapport etter Kvalifisering og Tilrettelagt arbeid.",
        "Koordinering mellom NAV lokal som bruker samme AMB-tiltak",
    )

    type: Literal["samarbeidsavtale"] = "samarbeidsavtale"
    tiltak: Tiltak = Field(title="Tiltak")
    nav_lokal: NavLokal = Field(title="NAV lokal")
    avtaleperiode: Periode = Field(title="Avtaleperiode")
    # 1.1
    formal: Fritekst = Field(
        title="Samarbeidsavtalens formål og hensikt",
        description="Avtalen skal tilpasses lokale forhold",
    )
    # 1.2
    moter_per_ar: int = Field(
        ge=1,
        le=12,
        title="Møtehyppighet; minimum én gang i året (møter per år)",
        description="F.eks. 2",
    )
    motedeltakere: Fritekst = Field(
        title="Deltakere: NAV og arbeidsmarkedsbedriften",
        description="F.eks. avdelingsleder NAV lokal, daglig leder og attføringsleder",
    )
    ansvar_for_innkalling: Tekst = Field(
        title="Ansvar for innkalling", description="F.eks. attføringsleder i bedriften"
    )
    faste_temaer: Fritekst = Field(
        title="Faste temaer på møtene",
        description="F.eks. felles opplæring ansatte NAV/AMB-tiltaket, tilbudsmeldingen og "
        "informasjonsmøter for potensielle søkere",
    )
    styringsdokumenter: Fritekst = Field(
        title="Aetat orienterer om aktuelle styringsdokumenter mv.",
        description="F.eks. tildelingsbrev og mål- og disponeringsbrev",
    )
    revisjonsdato: dt.date = Field(title="Revisjonsdato for samarbeidsavtale")
    # 1.3
    rutiner_tilmeldte_stillinger: Fritekst = Field(
        title="Rutiner for samarbeid om tilmeldte stillinger, om jobbtilbud til "
        "tiltaksdeltakerne mv."
    )
    rutiner_utleie: Fritekst = Field(
        title="Rutiner for hvordan bedriften konfererer med NAV før den går ut i markedet og "
        "tilbyr utlån/utleie av tiltaksdeltakere."
    )
    rutiner_overgang_andre_tiltak: Fritekst = Field(
        title="Rutiner ved overgang til andre tiltak",
        description="F.eks. Lønnstilskudd, Arbeidspraksis i skjermet virksomhet, utdanning, "
        "AMO-kurs",
    )
    # 1.4
    oppdateringshyppighet: Tekst = Field(
        title="Hyppighet (revisjon av bedriftens kvalitetssikringssystem og samarbeidsavtale)",
        description="F.eks. årlig, innen 1. mars",
    )
    dokumentmottakere: list[Dokumentmottaker] = Field(
        min_length=1, max_length=20, title="Liste over hvem som skal ha dokumenter"
    )
    # 1.5
    maks_ventetid_uker: int = Field(
        ge=0,
        le=104,
        title="Hva er maksimal ventetid for inntak til Kvalifisering? (uker)",
        description="F.eks. 8",
    )
    sluttrapport_frist_dager: int = Field(
        ge=1,
        le=90,
        title="Frist for levering av sluttrapport etter Kvalifisering og Tilrettelagt arbeid "
        "(dager etter avslutning)",
        description="F.eks. 14",
    )
    deltid_arbeidstid: Fritekst = Field(title="Deltid, fleksibel arbeidstid, skiftarbeid mv.")
    # 1.6
    tilpasning_av_tilbud: Fritekst = Field(
        title="Planer for å tilpasse bedriftens tilbud til aktuelle brukere og deres behov",
        description="F.eks. kompetansekrav, produksjonsområder",
    )
    bedre_samarbeidsrutiner: Fritekst = Field(
        title="Tiltak for å bedre samarbeidsrutinene mellom NAV lokal og bedriften"
    )
    mal_og_resultatvurdering: Fritekst = Field(
        title="Mål for og resultatvurdering av attføringsarbeidet"
    )
    resultatkrav: list[Resultatkrav] = Field(
        min_length=1,
        max_length=2,
        title="Lokale resultatkrav for deltakere som avslutter Kvalifisering",
        description="Formidling og egenfinansiert utdanning, i prosent",
    )
    oppdatering_neste_periode: Fritekst = Field(
        title="Oppdatering for neste periode",
        description="Hvilke endringer som skal foretas innenfor angitte frister, innholdet i "
        "tiltaket, målgrupper mv.",
    )
    # 1.7
    koordinering: Fritekst = Field(
        title="Koordinering mellom NAV lokal som bruker samme AMB-tiltak",
        description="Rutiner for rapportering om inntak, oppstart, oppfølging av "
        "handlingsplaner og avslutning",
    )
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver_nav: Underskriver = Field(title="Underskrift for NAV lokal")
    underskriver_bedrift: Underskriver = Field(title="Underskrift for bedriften")

    @field_validator("revisjonsdato")
    @classmethod
    def _revisjon_i_perioden(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        periode = info.data.get("avtaleperiode")
        if periode is not None and not periode.fra <= value <= periode.til:
            raise ValueError(
                "revisjonsdatoen må ligge i avtaleperioden "
                f"({periode.fra:%d.%m.%Y}–{periode.til:%d.%m.%Y})"
            )
        return value

    @field_validator("resultatkrav")
    @classmethod
    def _ett_krav_per_omrade(cls, value: list[Resultatkrav]) -> list[Resultatkrav]:
        omrader = [k.omrade for k in value]
        if len(set(omrader)) != len(omrader):
            raise ValueError("hvert område kan bare ha ett resultatkrav")
        return value
