"""Bedriftens tilbudsmelding (AMB kravspesifikasjon §8): ledige plasser, at least monthly."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from dokgen.documents.models.common import (
    Arrangor,
    Dokumentmodell,
    Fritekst,
    InputModel,
    Sammendrag,
    Tekst,
    Telefon,
)


# One avdeling's free places, specified as §8.1 and §8.2 ask (no docstring: the form would
# show it as the row's description).
class LedigePlasser(InputModel):
    avdeling: Tekst = Field(title="Avdeling", description="F.eks. Snekkerverksted")
    kvalifisering: int = Field(
        ge=0, le=999, title="Antall ledige plasser til Kvalifisering", description="F.eks. 2"
    )
    tilrettelagt_arbeid: int = Field(
        ge=0, le=999, title="Antall ledige plasser til Tilrettelagt arbeid", description="F.eks. 1"
    )
    trenings_og_opplaeringstilbud: Fritekst | None = Field(
        default=None,
        title="Trenings- og opplæringstilbud",
        description="F.eks. arbeidstrening i produksjon, kurs i truckkjøring",
    )
    faglige_kvalifikasjonskrav: Fritekst | None = Field(
        default=None,
        title="Eventuelle faglige kvalifikasjonskrav",
        description="F.eks. ingen krav; førerkort klasse B er en fordel",
    )
    helsemessige_forutsetninger: Fritekst | None = Field(
        default=None,
        title="Helsemessige forutsetninger",
        description="F.eks. må tåle tunge løft og støv",
    )


class KontaktpersonBedrift(InputModel):
    navn: Tekst = Field(title="Navn", description="F.eks. Lise Berg")
    telefon: Telefon = Field(title="Telefonnummer")
    rolle: Tekst | None = Field(default=None, title="Rolle", description="F.eks. Inntaksleder")


class Tilbudsmelding(Dokumentmodell):
    """Bedriftens tilbudsmelding: the free places per avdeling, now and in about three months.

    §8: "Bedriften skal gi skriftlig melding til NAV lokal minst en gang i måneden" of the
    free places in Kvalifisering and Tilrettelagt arbeid, on short (about one month) and
    longer (about three months) notice, each specified by avdeling, training, professional
    requirements and health prerequisites. The bedrift's contact person signs it with their
    phone number (§8.4), so the bedrift (the tiltaksarrangør) alone approves it.
    """

    tittel: ClassVar = "Tilbudsmelding"
    sammendrag: ClassVar = Sammendrag(dato="dato")
    arrangor_sti: ClassVar = ("bedrift",)
    summer: ClassVar = {
        "sum_kort_sikt_kvalifisering": "kort_sikt.kvalifisering",
        "sum_kort_sikt_tilrettelagt_arbeid": "kort_sikt.tilrettelagt_arbeid",
        "sum_lengre_sikt_kvalifisering": "lengre_sikt.kvalifisering",
        "sum_lengre_sikt_tilrettelagt_arbeid": "lengre_sikt.tilrettelagt_arbeid",
    }
    utfylling: ClassVar = {
        "spesielle_anmerkninger": "Vi tar gjerne imot søkere til snekkerverkstedet.",
        "underskriver.rolle": "Inntaksleder",
    }
    ledetekster: ClassVar = (
        "Bedriftens tilbudsmelding",
        "Ledige plasser på kort sikt (ca. 1 måned)",
        "Forventet ledige plasser på lengre sikt (ca.3 måneder)",
        "Antall ledige plasser til Kvalifisering",
        "Antall ledige plasser til Tilrettelagt arbeid",
        "Spesielle anmerkninger",
        "Underskrift",
        "Sted, dato, underskrift av kontaktperson for bedriften og telefonnummer.",
    )

    type: Literal["tilbudsmelding"] = "tilbudsmelding"
    bedrift: Arrangor = Field(title="Bedrift")
    nav_lokal: Tekst = Field(
        title="Til NAV lokal", description="NAV-kontoret meldingen går til, f.eks. NAV Grorud"
    )
    kort_sikt: list[LedigePlasser] = Field(
        min_length=1,
        max_length=30,
        title="Ledige plasser på kort sikt (ca. 1 måned)",
        description="Én rad per avdeling; skriv 0 der avdelingen ikke har ledige plasser",
    )
    lengre_sikt: list[LedigePlasser] = Field(
        min_length=1,
        max_length=30,
        title="Forventet ledige plasser på lengre sikt (ca.3 måneder)",
        description="Én rad per avdeling; skriv 0 der avdelingen ikke venter ledige plasser",
    )
    spesielle_anmerkninger: Fritekst | None = Field(default=None, title="Spesielle anmerkninger")
    sted: Tekst = Field(title="Sted", description="F.eks. Oslo")
    dato: dt.date = Field(title="Dato")
    underskriver: KontaktpersonBedrift = Field(title="Kontaktperson for bedriften")
