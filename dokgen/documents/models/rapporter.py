"""The three reports of NAV's Bilag 8: statusrapport, sluttrapport, evalueringsrapport."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Fodselsnummer,
    Fravaer,
    Fritekst,
    InputModel,
    Kontaktperson,
    Maned,
    Periode,
    Prosent,
    Sammendrag,
    Tekst,
    Tiltak,
    Timer,
    Underskriver,
)


class Ansettelsesforhold(StrEnum):
    FAST = "fast"
    MIDLERTIDIG = "midlertidig"
    VIKARIAT = "vikariat"
    ANNET = "annet"


class Arbeidsforhold(StrEnum):
    LONNET_ARBEID = "lonnet_arbeid"
    ARBEIDSPRAKSIS = "arbeidspraksis"


class StatusVedAvslutning(StrEnum):
    ARBEID = "arbeid"
    DELVIS_ARBEID = "delvis_arbeid"
    UTDANNING = "utdanning"
    ANNET_TILTAK = "annet_tiltak"
    IKKE_I_ARBEID = "ikke_i_arbeid"
    AVBRUTT = "avbrutt"


I_ARBEID = frozenset({StatusVedAvslutning.ARBEID, StatusVedAvslutning.DELVIS_ARBEID})


class Deltaker(InputModel):
    navn: Tekst = Field(title="Navn")
    fodselsnummer: Fodselsnummer = Field(title="Fødselsnummer")


class DeltakerMedAdresse(Deltaker):
    adresse: Tekst | None = Field(default=None, title="Adresse")
    postnummer: str | None = Field(default=None, pattern=r"^\d{4}$", title="Postnummer")
    poststed: Tekst | None = Field(default=None, title="Poststed")


class Arbeidsgiver(InputModel):
    navn: Tekst = Field(title="Navnet på arbeidsgiver")
    kontaktperson: Tekst | None = Field(default=None, title="Kontaktperson")
    stillingsprosent: Prosent | None = Field(default=None, title="Stillingsprosent")
    ansettelsesforhold: Ansettelsesforhold | None = Field(
        default=None, title="Ansettelsesforhold (fast / midlertidig)"
    )
    arbeidsforhold: Arbeidsforhold | None = Field(
        default=None, title="Arbeidsforhold (lønnet arbeid / arbeidspraksis)"
    )
    begrunnelse_for_valg: Fritekst | None = Field(
        default=None, title="Begrunnelse for valg av arbeidsplass og -oppgaver"
    )


class TimerPerManed(InputModel):
    maned: Maned = Field(title="Måned", description="ÅÅÅÅ-MM")
    timer: Timer = Field(title="Timer")


class TilbakeIArbeid(InputModel):
    arbeidsgiver: Tekst = Field(title="Arbeidsgiver")
    kontaktperson: Tekst | None = Field(default=None, title="Kontaktperson")
    stillingsprosent: Prosent | None = Field(default=None, title="Stillingsprosent")
    ansettelsesform: Ansettelsesforhold | None = Field(
        default=None, title="Fast, midlertidig, vikariat osv."
    )
    oppstartsdato: dt.date | None = Field(default=None, title="Oppstartsdato")


class StatusRapport(Dokumentmodell):
    """Statusrapport (Bilag 8 vedlegg 1): every third month after start."""

    tittel: ClassVar = "Statusrapport"
    sammendrag: ClassVar = Sammendrag(
        deltaker="deltaker.navn", periode="rapporteringsperiode", dato="dato"
    )
    etiketter: ClassVar = {"lonnet_arbeid": "Lønnet arbeid"}
    utfylling: ClassVar = {
        "deltakers_kommentar": "Jeg er enig i rapporten.",
        "tiltak.tiltaksnummer": "T-4411",
    }
    ledetekster: ClassVar = (
        "Statusrapport",
        "Navn:",
        "Fødselsnummer:",
        "Oppstartdato:",
        "Rapporteringsperiode:",
        "Innsøkende NAV-kontor:",
        "Veileder NAV:",
        "Veiledere tiltaksarrangør",
        "Bestilling fra NAV",
        "Status og arbeidsrelatert progresjon",
        "Begrunnelse for videre oppfølging",
        "Fravær",
        "Gjennomførte aktiviteter i perioden",
        "Oppfølging på arbeidsplassen",
        "Deltakers kommentar",
        "Sted og dato",
        "Veileders underskrift",
    )

    type: Literal["statusrapport"] = "statusrapport"
    tiltak: Tiltak = Field(title="Tiltak")
    deltaker: Deltaker = Field(title="Deltaker")
    oppstartdato: dt.date = Field(title="Oppstartdato")
    rapporteringsperiode: Periode = Field(title="Rapporteringsperiode")
    innsokende_nav_kontor: Tekst = Field(title="Innsøkende NAV-kontor")
    veileder_nav: Kontaktperson = Field(title="Veileder NAV")
    veiledere_arrangor: list[Kontaktperson] = Field(
        min_length=1, max_length=10, title="Veiledere tiltaksarrangør"
    )
    bestilling_fra_nav: Fritekst = Field(title="Bestilling fra NAV")
    status_og_progresjon: Fritekst = Field(
        title="Status og arbeidsrelatert progresjon inkl. ev. avvik fra tidligere plan"
    )
    begrunnelse_videre_oppfolging: Fritekst = Field(
        title="Begrunnelse for videre oppfølging",
        description="Spesifiser ev. justeringer i plan og tilretteleggingsbehov",
    )
    arbeidsgivere: list[Arbeidsgiver] = Field(
        default_factory=list, max_length=30, title="Arbeidsgiver i rapporteringsperioden"
    )
    oppfolgingstimer_per_maned: list[TimerPerManed] = Field(
        default_factory=list,
        max_length=12,
        title="Antall oppfølgingstimer i rapporteringsperioden (pr mnd)",
    )
    anslatt_behov_timer_per_maned: Timer | None = Field(
        default=None, title="Anslått oppfølgingsbehov kommende periode (pr mnd)"
    )
    fravaer: list[Fravaer] = Field(
        default_factory=list, max_length=50, title="Fravær", description="Dager/timer – årsak"
    )
    gjennomforte_aktiviteter: Fritekst = Field(title="Gjennomførte aktiviteter i perioden")
    oppfolging_pa_arbeidsplassen: Fritekst | None = Field(
        default=None,
        title="Oppfølging på arbeidsplassen",
        description="Oppfølging av deltaker og arbeidsgiver; ev. tilrettelegging og tilpasning",
    )
    arbeidsgivers_vurdering: Fritekst | None = Field(
        default=None,
        title="Arbeidsgivers kommentar/vurdering av arbeidsplass",
        description="Mulighet for ordinær ansettelse og omfang, behov for "
        "kompensasjon/tilpasning ved ansettelse, m.m.",
    )
    deltakers_kommentar: Fritekst | None = Field(
        default=None,
        title="Deltakers kommentar",
        description="Dersom deltaker ikke er enig i hele rapportens innhold",
    )
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Veileders underskrift")

    @field_validator("rapporteringsperiode")
    @classmethod
    def _etter_oppstart(cls, value: Periode, info: ValidationInfo) -> Periode:
        start = info.data.get("oppstartdato")
        if start is not None and value.til < start:
            raise ValueError("rapporteringsperioden kan ikke slutte før oppstartdato")
        return value

    @field_validator("oppfolgingstimer_per_maned")
    @classmethod
    def _i_perioden(cls, value: list[TimerPerManed], info: ValidationInfo) -> list[TimerPerManed]:
        periode: Periode | None = info.data.get("rapporteringsperiode")
        if periode is None:
            return value
        fra, til = f"{periode.fra:%Y-%m}", f"{periode.til:%Y-%m}"
        for rad in value:
            if not fra <= rad.maned <= til:
                raise ValueError(
                    f"måneden {rad.maned} ligger utenfor rapporteringsperioden "
                    f"({fra} til {til}); skriv en måned i perioden, f.eks. {fra}"
                )
        return value


class SluttRapport(Dokumentmodell):
    """Sluttrapport (Bilag 8 vedlegg 2): within a week after the end."""

    tittel: ClassVar = "Sluttrapport"
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", dato="dato")
    etiketter: ClassVar = {
        "delvis_arbeid": "Delvis arbeid",
        "annet_tiltak": "Annet tiltak",
        "ikke_i_arbeid": "Ikke i arbeid",
    }
    utfylling: ClassVar = {
        "arbeidsgiver_ved_oppstart": "Matbutikken Grünerløkka AS",
        "tiltak.tiltaksnummer": "T-4411",
    }
    ledetekster: ClassVar = (
        "Sluttrapport",
        "Navn:",
        "Fødselsnummer:",
        "Adresse:",
        "Poststed:",
        "Oppstartdato:",
        "Sluttdato:",
        "Innsøkende NAV-kontor:",
        "Veileder NAV:",
        "Bestilling fra NAV",
        "Gjennomførte aktiviteter i tiltaket",
        "Fravær",
        "Sted og dato",
        "Veileders underskrift",
    )

    type: Literal["sluttrapport"] = "sluttrapport"
    tiltak: Tiltak = Field(title="Tiltak")
    deltaker: DeltakerMedAdresse = Field(title="Deltaker")
    oppstartdato: dt.date = Field(title="Oppstartdato")
    sluttdato: dt.date = Field(title="Sluttdato")
    innsokende_nav_kontor: Tekst = Field(title="Innsøkende NAV-kontor")
    veileder_nav: Kontaktperson = Field(title="Veileder NAV")
    veiledere_arrangor: list[Kontaktperson] = Field(
        min_length=1, max_length=10, title="Veiledere tiltaksarrangør"
    )
    arbeidsgiver_ved_oppstart: Tekst | None = Field(
        default=None, title="Arbeidsgiver (dersom deltaker har et arbeidsforhold)"
    )
    bestilling_fra_nav: Fritekst = Field(title="Bestilling fra NAV")
    oppsummering_og_anbefalinger: Fritekst = Field(
        title="Oppsummering/resultat – status og anbefalinger",
        description="Status og anbefalinger knyttet til deltakers muligheter til å "
        "(for)bli selvforsørget med en varig tilknytning til arbeidslivet. Anbefalingene "
        "skal inkludere arbeidsgivers vurderinger",
    )
    tilbake_i_arbeid: TilbakeIArbeid | None = Field(
        default=None, title="Dersom deltaker er helt eller delvis tilbake i arbeid"
    )
    status_ved_avslutning: StatusVedAvslutning = Field(title="Status ved avslutning")
    gjennomforte_aktiviteter: Fritekst = Field(
        title="Gjennomførte aktiviteter i tiltaket",
        description="F. eks kartlegging, arbeidspraksis, jobbsøking, kontakt med arbeidsgivere "
        "med eller uten deltaker, oppfølging av deltaker og arbeidsgiver og lignende. Begrunn "
        "valg av aktiviteter, beskriv hva som ble gjennomført og hvordan, informer om "
        "resultatet av aktivitetene, vurder hva resultatet betydde for gjennomføringen av "
        "tiltaket og arbeid/videre plan",
    )
    fravaer: list[Fravaer] = Field(
        default_factory=list, max_length=50, title="Fravær", description="Dager/timer – årsak"
    )
    deltakers_kommentar: Fritekst | None = Field(
        default=None,
        title="Deltakers kommentar",
        description="Dersom deltaker ikke er enig i hele rapportens innhold",
    )
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Veileders underskrift")

    @field_validator("status_ved_avslutning")
    @classmethod
    def _stemmer_med_arbeid(
        cls, value: StatusVedAvslutning, info: ValidationInfo
    ) -> StatusVedAvslutning:
        if "tilbake_i_arbeid" not in info.data:  # its own error is reported
            return value
        i_arbeid = info.data["tilbake_i_arbeid"] is not None
        if value in I_ARBEID and not i_arbeid:
            raise ValueError(
                "når deltakeren er helt eller delvis i arbeid, fyll ut «Dersom deltaker er "
                "helt eller delvis tilbake i arbeid» (minst arbeidsgiver)"
            )
        if value is StatusVedAvslutning.IKKE_I_ARBEID and i_arbeid:
            raise ValueError(
                "«Ikke i arbeid» passer ikke med en arbeidsgiver under «Dersom deltaker er "
                "helt eller delvis tilbake i arbeid»: velg «Arbeid» eller «Delvis arbeid»"
            )
        return value

    @field_validator("sluttdato")
    @classmethod
    def _etter_oppstart(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("oppstartdato")
        if start is not None and value < start:
            raise ValueError("sluttdato kan ikke være før oppstartdato")
        return value


class EvalueringsRapport(Dokumentmodell):
    """Evaluering av tiltaket (Bilag 8 vedlegg 4): every half year, by the provider."""

    tittel: ClassVar = "Evalueringsrapport"
    sammendrag: ClassVar = Sammendrag(periode="periode", dato="dato")
    utfylling: ClassVar = {"andre_forhold": "Ingen andre forhold."}
    ledetekster: ClassVar = (
        "Evaluering av tiltaket",
        "Leverandør og tiltaksnummer",
        "Sted og dato",
    )

    type: Literal["evalueringsrapport"] = "evalueringsrapport"
    tiltak: Tiltak = Field(title="Leverandør og tiltaksnummer")
    periode: Periode = Field(title="Periode")
    mottaker: Tekst = Field(title="Mottaker")
    erfaringer_etablering_arbeidsforhold: Fritekst = Field(
        title="Erfaringer knyttet til etablering av arbeidsforhold for deltakerne i tiltaket"
    )
    erfaringer_oppfolging_etter_ansettelse: Fritekst = Field(
        title="Erfaringer knyttet til oppfølging av deltaker og arbeidsgiver etter ansettelse"
    )
    tilbakemeldinger_fra_deltakere: Fritekst = Field(
        title="Oppsummering av systematiske tilbakemeldinger fra deltakerne"
    )
    samarbeid_nav_deltakere: Fritekst = Field(
        title="Samarbeidet med NAV i oppfølgingen av de enkelte deltakerne"
    )
    samarbeid_nav_avtale: Fritekst = Field(
        title="Samarbeidet med NAV i oppfølgingen av gjeldende avtale på leverandørnivå"
    )
    andre_forhold: Fritekst | None = Field(
        default=None, title="Andre forhold som er relevante for NAVs oppfølging av tiltaket"
    )
    forslag_til_endringer: Fritekst | None = Field(
        default=None, title="Forslag til endringer eller forbedringer"
    )
    kommentarer_resultatmal: Fritekst = Field(
        title="Kommentarer til resultatmål og videre arbeid for å opprettholde/nå målene"
    )
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Underskrift")
