"""Plan for tiltaket (JMO kravspesifikasjon §6, §7 and §9.1): within three weeks of the start."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

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
from dokgen.documents.models.rapporter import Deltaker, TimerPerManed


class PlanlagtAktivitet(InputModel):
    aktivitet: Tekst = Field(title="Aktivitet", description="F.eks. kartlegging, jobbsøking")
    beskrivelse: Fritekst = Field(title="Beskrivelse")
    tidsrom: Periode = Field(title="Tidsrom")


class Plan(Dokumentmodell):
    """Plan for tiltaket: the provider's written plan for one deltaker, sent to NAV.

    §7 and §9.1: "Leverandør skal senest innen tre uker etter oppstart gi NAV en skriftlig
    tilbakemelding på plan for den enkelte deltaker", with the estimated hours, the planned
    activities and that the tiltak fits the deltaker; §6 adds the arbeidsrettet
    egenaktivitet and the follow-up after employment. NAV asks the provider for it, so the
    tiltaksarrangør alone approves it; the deltaker's view goes in ``deltakers_kommentar``.
    """

    tittel: ClassVar = "Plan for tiltaket"
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", periode="planperiode", dato="dato")
    summer: ClassVar = {"sum_estimert_timeforbruk": "estimert_timeforbruk.timer"}
    utfylling: ClassVar = {
        "deltakers_kommentar": "Jeg er enig i planen.",
        "tiltak.tiltaksnummer": "T-4411",
    }
    ledetekster: ClassVar = (
        "Plan for tiltaket",
        "Navn:",
        "Fødselsnummer:",
        "Oppstartdato:",
        "Planperiode:",
        "Innsøkende NAV-kontor:",
        "Veileder NAV:",
        "Veiledere tiltaksarrangør",
        "Bestilling fra NAV",
        "Målsettingen for tiltaket",
        "Tiltaket er i tråd med deltakers forutsetninger, interesser og ferdigheter",
        "Aktiviteter som planlegges gjennomført i perioden",
        "Arbeidsrettet egenaktivitet",
        "Estimert timeforbruk",
        "Plan for oppfølging etter ansettelse",
        "Deltakers kommentar",
        "Sted og dato",
        "Veileders underskrift",
    )

    type: Literal["plan"] = "plan"
    tiltak: Tiltak = Field(title="Tiltak")
    deltaker: Deltaker = Field(title="Deltaker")
    oppstartdato: dt.date = Field(title="Oppstartdato")
    planperiode: Periode = Field(title="Planperiode")
    innsokende_nav_kontor: Tekst = Field(title="Innsøkende NAV-kontor")
    veileder_nav: Kontaktperson = Field(title="Veileder NAV")
    veiledere_arrangor: list[Kontaktperson] = Field(
        min_length=1, max_length=10, title="Veiledere tiltaksarrangør"
    )
    bestilling_fra_nav: Fritekst = Field(title="Bestilling fra NAV")
    mal_for_tiltaket: Fritekst = Field(title="Målsettingen for tiltaket")
    forutsetninger_interesser_ferdigheter: Fritekst = Field(
        title="Tiltaket er i tråd med deltakers forutsetninger, interesser og ferdigheter",
        description="Jobben skal matche den enkelte deltakers forutsetninger, interesser og "
        "ferdigheter",
    )
    planlagte_aktiviteter: list[PlanlagtAktivitet] = Field(
        min_length=1, max_length=30, title="Aktiviteter som planlegges gjennomført i perioden"
    )
    arbeidsrettet_egenaktivitet: Fritekst = Field(
        title="Arbeidsrettet egenaktivitet",
        description="Deltakers avtalte egenaktivitet skal være tydelig relatert til "
        "målsettingen for tiltaket",
    )
    # The tiltak lasts at most three years and six months (§3): 42 months.
    estimert_timeforbruk: list[TimerPerManed] = Field(
        min_length=1,
        max_length=42,
        title="Estimert timeforbruk (oppfølgingstimer pr mnd)",
        description="Med «en time» menes en klokketime, det vil si 60 minutter",
    )
    oppfolging_etter_ansettelse: Fritekst = Field(
        title="Plan for oppfølging etter ansettelse",
        description="Tiltaket skal som hovedregel fortsette etter ansettelse for å sikre at "
        "tiltaksdeltaker forblir i jobb, med mindre deltaker ikke selv ønsker dette",
    )
    deltakers_kommentar: Fritekst | None = Field(default=None, title="Deltakers kommentar")
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Veileders underskrift")

    @field_validator("planperiode")
    @classmethod
    def _etter_oppstart(cls, value: Periode, info: ValidationInfo) -> Periode:
        start = info.data.get("oppstartdato")
        if start is not None and value.til < start:
            raise ValueError("planperioden kan ikke slutte før oppstartdato")
        return value

    @field_validator("estimert_timeforbruk")
    @classmethod
    def _hver_maned_en_gang(cls, value: list[TimerPerManed]) -> list[TimerPerManed]:
        manedene = [rad.maned for rad in value]
        if len(set(manedene)) != len(manedene):
            raise ValueError("hver måned kan bare stå én gang i estimert timeforbruk")
        return value
