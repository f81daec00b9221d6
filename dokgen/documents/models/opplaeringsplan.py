"""Opplæringsplan for Kvalifisering (AMB kravspesifikasjon §11.1–11.4), for one arbeidstaker."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal, TypeVar

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Fritekst,
    InputModel,
    Kontaktperson,
    Periode,
    Sammendrag,
    Tekst,
    Tiltak,
    Underskriver,
)
from dokgen.documents.models.rapporter import Deltaker

T = TypeVar("T", Periode, dt.date)


class FagligMal(InputModel):
    mal: Tekst = Field(title="Faglig mål", description="F.eks. fagbrev i kontorfaget")
    framdrift: Fritekst = Field(
        title="Framdriftsplan",
        description="Hvordan og i hvilken rekkefølge, f.eks. arbeidstrening i resepsjonen, "
        "deretter teori hver tirsdag",
    )
    tidsrom: Periode = Field(title="Tidsrom")


class EksterntKurs(InputModel):
    kurs: Tekst = Field(title="Kurs/opplæring", description="F.eks. Fagteori kontorfaget")
    kursholder: Tekst | None = Field(
        default=None, title="Kursholder", description="F.eks. AOF Oslo"
    )
    tidsrom: Periode = Field(title="Tidsrom")


class Opplaeringsplan(Dokumentmodell):
    """Opplæringsplan for Kvalifisering: the bedrift's training plan for one arbeidstaker.

    §11: part of NAV lokal's overall handlingsplan; its content (§11.1: goals and progress,
    external courses, medical or social goals, when the training ends), the responsibilities
    (§11.2, seven questions), signed by the attføringsansvarlig and the arbeidstaker (§11.3),
    copy to the arbeidstaker and the saksbehandler at NAV lokal (§11.4). The arbeidstaker is
    the register's deltaker, so their approval is the ``deltaker`` party's.
    """

    tittel: ClassVar = "Opplæringsplan for Kvalifisering"
    parter: ClassVar = (("arrangor", "Tiltaksarrangør"), ("deltaker", "Deltaker"))
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", periode="planperiode", dato="dato")
    utfylling: ClassVar = {
        "tiltak.tiltaksnummer": "A-2201",
        "medisinske_og_sosiale_mal": "Faste tider for søvn og trening; kontakt med fastlege.",
        "ekstern_oppfolging": "Fastlege og psykolog etter avtale med arbeidstakeren.",
        "oppfolging_fra_nav": "Saksbehandler deltar i samtalene hver tredje måned.",
    }
    ledetekster: ClassVar = (
        "Opplæringsplan for Kvalifisering",
        "Inngår i den overordnede handlingsplanen fra NAV lokal.",
        "Innhold",
        "Faglige mål og framdriftsplan.",
        "Eksterne kurs/opplæring.",
        "Eventuelle medisinske mål og/eller sosiale mål.",
        "Når er opplæringen og arbeidstreningen i Kvalifisering beregnet avsluttet?",
        "Ansvarsforhold",
        "Beskriv hvordan bedriften tilrettelegger for opplæring osv.",
        "Hvem er hovedansvarlig for oppfølging i bedriften?",
        "På hvilken måte stimuleres arbeidstakeren til f.eks. kurs i fagteori, å søke skole, "
        "jobbsøking, fysisk trening.",
        "Beskriv rutiner for samtalehyppighet og evaluering av planen med arbeidstakeren.",
        "Beskriv hvordan eventuell ekstern oppfølging benyttes fra f.eks. sosialkontor, lege, "
        "psykolog.",
        "Beskriv hvordan eventuell oppfølging fra saksbehandler på NAV lokal benyttes.",
        "Beskriv hvilke konsekvenser som følger dersom planen ikke blir fulgt av partene.",
        "Underskrift",
        "Attføringsansvarlig og arbeidstaker",
        "Kopi til",
        "Arbeidstaker og saksbehandler på NAV lokal",
    )

    type: Literal["opplaeringsplan"] = "opplaeringsplan"
    tiltak: Tiltak = Field(title="Tiltak")
    deltaker: Deltaker = Field(title="Arbeidstaker")
    oppstartdato: dt.date = Field(title="Oppstartdato")
    planperiode: Periode = Field(title="Planperiode")
    nav_lokal: Tekst = Field(title="NAV lokal", description="F.eks. NAV Grorud")
    saksbehandler_nav: Kontaktperson = Field(title="Saksbehandler på NAV lokal")
    # §11.1 Innhold
    faglige_mal: list[FagligMal] = Field(
        min_length=1, max_length=20, title="Faglige mål og framdriftsplan"
    )
    eksterne_kurs: list[EksterntKurs] = Field(
        default_factory=list, max_length=20, title="Eksterne kurs/opplæring"
    )
    medisinske_og_sosiale_mal: Fritekst | None = Field(
        default=None, title="Eventuelle medisinske mål og/eller sosiale mål"
    )
    beregnet_avsluttet: dt.date = Field(
        title="Når er opplæringen og arbeidstreningen i Kvalifisering beregnet avsluttet?"
    )
    # §11.2 Ansvarsforhold
    tilrettelegging: Fritekst = Field(
        title="Beskriv hvordan bedriften tilrettelegger for opplæring osv."
    )
    hovedansvarlig: Kontaktperson = Field(
        title="Hvem er hovedansvarlig for oppfølging i bedriften?"
    )
    stimulering: Fritekst = Field(
        title="På hvilken måte stimuleres arbeidstakeren til f.eks. kurs i fagteori, å søke "
        "skole, jobbsøking, fysisk trening"
    )
    samtalehyppighet_og_evaluering: Fritekst = Field(
        title="Beskriv rutiner for samtalehyppighet og evaluering av planen med arbeidstakeren",
        description="Oppfølgingssamtaler bør skje minst hver 3. måned",
    )
    ekstern_oppfolging: Fritekst | None = Field(
        default=None,
        title="Beskriv hvordan eventuell ekstern oppfølging benyttes fra f.eks. sosialkontor, "
        "lege, psykolog",
    )
    oppfolging_fra_nav: Fritekst | None = Field(
        default=None,
        title="Beskriv hvordan eventuell oppfølging fra saksbehandler på NAV lokal benyttes",
    )
    konsekvenser_ved_brudd: Fritekst = Field(
        title="Beskriv hvilke konsekvenser som følger dersom planen ikke blir fulgt av partene"
    )
    # §11.3 Underskrift
    sted: Tekst = Field(title="Sted", description="F.eks. Oslo")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Attføringsansvarlig")

    @field_validator("planperiode", "beregnet_avsluttet")
    @classmethod
    def _etter_oppstart(cls, value: T, info: ValidationInfo) -> T:
        start = info.data.get("oppstartdato")
        slutt = value.til if isinstance(value, Periode) else value
        if start is not None and isinstance(slutt, dt.date) and slutt < start:
            raise ValueError("datoen kan ikke være før oppstartdato")
        return value
