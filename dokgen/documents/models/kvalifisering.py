"""The arbeidsmarkedsbedrift's sluttrapport fra Kvalifisering (AMB kravspesifikasjon §14)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Fravaer,
    Fritekst,
    InputModel,
    Sammendrag,
    Tekst,
    Tiltak,
    Underskriver,
)
from dokgen.documents.models.rapporter import Deltaker


class Resultatkode(StrEnum):
    """The arbeidstaker's situation at the end of Kvalifisering (§14.4 a, items 1–9)."""

    ARBEID_UTEN_TILSKUDD = "arbeid_uten_tilskudd"
    ARBEID_MED_TILSKUDD = "arbeid_med_tilskudd"
    ARBEID_OG_TRYGD = "arbeid_og_trygd"
    SKOLE_UTDANNING = "skole_utdanning"
    ANNEN_ATTFORING = "annen_attforing"
    MEDISINSK_ATTFORING = "medisinsk_attforing"
    UFOREPENSJON = "uforepensjon"
    FORMIDLINGSKLAR = "formidlingsklar"
    ANNEN_SITUASJON = "annen_situasjon"


# §14.4 a's nine results, in the seed's order, each with its text and the category NAV
# counts it under (the seed writes "Arbeid uten tilskudd (1. formidlet)"). The one place
# these live: the sluttrapport prints them, the resultatrapport counts by them.
AMB_RESULTATKODER: dict[str, tuple[str, str]] = {
    Resultatkode.ARBEID_UTEN_TILSKUDD: ("Arbeid uten tilskudd", "1. formidlet"),
    Resultatkode.ARBEID_MED_TILSKUDD: ("Arbeid med tilskudd", "2. tiltak"),
    Resultatkode.ARBEID_OG_TRYGD: ("Arbeid/trygd", "1. formidlet"),
    Resultatkode.SKOLE_UTDANNING: ("Skole/utdanning", "3. skole"),
    Resultatkode.ANNEN_ATTFORING: ("Annen attføring", "2. tiltak"),
    Resultatkode.MEDISINSK_ATTFORING: ("Medisinsk attføring", "5. annet"),
    Resultatkode.UFOREPENSJON: ("Søkt/fått uførepensjon", "5. annet"),
    Resultatkode.FORMIDLINGSKLAR: ("Formidlingsklar/overført til NAV lokal", "4. ledig"),
    Resultatkode.ANNEN_SITUASJON: ("Annet", "5. annet"),
}


def resultat_med_kategori(kode: str) -> str:
    """Return a result code as §14.4 a writes it, e.g. ``Arbeid uten tilskudd (1. formidlet)``.

    Raises:
        KeyError: not one of the nine codes.
    """
    tekst, kategori = AMB_RESULTATKODER[kode]
    return f"{tekst} ({kategori})"


class Attest(InputModel):
    """§14.7: the bedrift's attest, a document of its own the sluttrapport refers to."""

    beskrivelse: Tekst = Field(
        title="Attest",
        description="Hvilken attest som følger med, f.eks. «Attest fra Bedrift AS datert "
        "26.06.2026, 1 side»",
    )
    referanse: Tekst | None = Field(
        default=None,
        title="Arkivreferanse",
        description="Hvor attesten finnes, f.eks. saksnummer eller filnavn",
    )


class SluttrapportKvalifisering(Dokumentmodell):
    """Bedriftens sluttrapport fra Kvalifisering (AMB §14.1–14.7), about one arbeidstaker.

    The arbeidstaker (the deltaker) signs with room for a comment, then the
    attføringsansvarlig for the bedrift (§14.5); copies go to the arbeidstaker and NAV lokal
    (§14.6). The result is one of the nine codes of §14.4 a (:data:`AMB_RESULTATKODER`). The
    attest of §14.7 is its own document: dokgen keeps no attachments with a document, so the
    sluttrapport names the attest and where it is kept.
    """

    tittel: ClassVar = "Sluttrapport fra Kvalifisering"
    parter: ClassVar = (("deltaker", "Deltaker"), ("arrangor", "Tiltaksarrangør"))
    sammendrag: ClassVar = Sammendrag(deltaker="deltaker.navn", dato="dato")
    etiketter: ClassVar = {kode: resultat_med_kategori(kode) for kode in AMB_RESULTATKODER}
    utfylling: ClassVar = {
        "omfang_utleie": "Ingen utleie.",
        "forslag_videre_tiltak": "Arbeid med bistand i tre måneder.",
        "arbeidstakers_kommentar": "Jeg er enig i rapporten.",
        "tiltak.tiltaksnummer": "T-7720",
        "attest.referanse": "Sak 2026/118",
    }
    ledetekster: ClassVar = (
        "Sluttrapport fra Kvalifisering",
        "Faktiske forhold",
        "Start og sluttdato.",
        "Vurdering av arbeidstakeren",
        "Arbeidstempo.",
        "Yrkesveiledning og arbeidssøking",
        "Resultat",
        "Eventuelt forslag til videre tiltak.",
        "Vedtaket fra rådgivende utvalg.",
        "Underskrift",
        "Kopi",
        "Vedlegg",
    )

    type: Literal["sluttrapport_kvalifisering"] = "sluttrapport_kvalifisering"
    tiltak: Tiltak = Field(title="Tiltak")
    deltaker: Deltaker = Field(title="Arbeidstaker")
    innsokende_nav_kontor: Tekst = Field(title="NAV lokal", description="F.eks. NAV Grünerløkka")
    # §14.1 Faktiske forhold
    oppstartdato: dt.date = Field(title="Startdato")
    sluttdato: dt.date = Field(title="Sluttdato")
    fravaer: list[Fravaer] = Field(
        default_factory=list,
        max_length=30,
        title="Fravær",
        description="Antall timer og dager fordelt på årsak, én rad per årsak, f.eks. "
        "«Egen sykdom»",
    )
    formal_opplaeringsplan: Fritekst = Field(
        title="Formålet med opplæringsplanen og arbeidstrening i Kvalifisering"
    )
    arbeidsoppgaver: Fritekst = Field(title="Arbeidstakerens arbeidsoppgaver")
    gjennomfort_opplaering: Fritekst = Field(
        title="Gjennomført opplæring/kurs; sertifikater/fagbrev",
        description="F.eks. «Truckførerbevis T1–T4, HMS-kurs»",
    )
    omfang_utleie: Fritekst | None = Field(
        default=None,
        title="Omfang av eventuelt utleie",
        description="I forbindelse med opplæring, arbeidstrening eller som et ledd i en formidling",
    )
    # §14.2 Vurdering av arbeidstakeren (each a free text: the template lets it split)
    interesser_og_ressurser: Fritekst = Field(
        title="Hvilke interesser og ressurser har kommet frem under oppholdet i Kvalifisering?"
    )
    helse_og_arbeid: Fritekst = Field(
        title="Forholdet mellom helse/yrkeshemning og arbeid",
        description="I hvilken grad hindrer yrkeshemningen utførelse av arbeid som har vært "
        "forsøkt, i hvilken grad kreves spesiell tilrettelegging av arbeidet?",
    )
    arbeidstempo: Fritekst = Field(
        title="Arbeidstempo", description="I forhold til antatt tempo i ordinært arbeidsliv"
    )
    selvstendighet: Fritekst = Field(
        title="Selvstendighet",
        description="Initiativ til å utføre oppgaver, behov for oppfølging og instruksjon",
    )
    stabilitet: Fritekst = Field(
        title="Stabilitet/utholdenhet",
        description="Presist frammøte om morgenen og etter pauser, være til stede på den "
        "tilviste arbeidsplassen gjennom arbeidsdagen",
    )
    jobbutforelse: Fritekst = Field(
        title="Jobbutførelse", description="I forhold til oppsatte kvalitetskrav i bedriften"
    )
    samarbeid: Fritekst = Field(
        title="Samarbeid",
        description="Med overordnede og kolleger, løser vedkommende oppgaver tilfredsstillende "
        "i fellesskap med andre",
    )
    oppfolging_attforingsplan: Fritekst = Field(
        title="Oppfølging av attføringsplanen",
        description="Antall samtaler om planen, betydelige endringer og brudd",
    )
    # §14.3 Yrkesveiledning og arbeidssøking
    antall_sokte_jobber: int | None = Field(
        default=None, ge=0, le=1000, title="Antall jobber søkt", description="F.eks. 12"
    )
    arbeidssokeraktivitet: Fritekst = Field(
        title="Arbeidssøkeraktivitet",
        description="Antall jobber vedkommende har søkt, bedriftens innsats",
    )
    utdanningsaktivitet: Fritekst | None = Field(
        default=None,
        title="Utdanningsaktivitet",
        description="Søkt skoler, søkt kurs, f.eks. «Søkt truckførerkurs, AMO-kurs høsten 2026»",
    )
    # §14.4
    resultat: Resultatkode = Field(
        title="Arbeidstakerens situasjon ved avslutningen",
        description="Velg én av de ni; kategorien står i parentes",
    )
    overgang_til_tilrettelagt_arbeid: bool = Field(
        default=False, title="Overgang til Tilrettelagt arbeid"
    )
    resultat_opplysninger: Fritekst | None = Field(
        default=None,
        title="Nærmere opplysninger",
        description="Gi eventuelt nærmere opplysninger om arbeidsgiver, omfang av "
        "lønnstilskudd, forhold mellom arbeid og trygd, hvilke skole/utdanning osv.",
    )
    forslag_videre_tiltak: Fritekst | None = Field(
        default=None, title="Eventuelt forslag til videre tiltak"
    )
    vedtak_radgivende_utvalg: Fritekst = Field(
        title="Vedtaket fra rådgivende utvalg",
        description="F.eks. «Utvalget tilrår avslutning 30.06.2026 med overgang til arbeid»",
    )
    # §14.5–14.7
    arbeidstakers_kommentar: Fritekst | None = Field(
        default=None, title="Arbeidstakerens kommentar", description="Skrives av arbeidstakeren"
    )
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Attføringsansvarlig")
    attest: Attest = Field(
        title="Vedlegg: bedriftens attest",
        description="Bedriftens attest som arbeidstakeren kan bruke ved jobbsøking",
    )

    @field_validator("sluttdato")
    @classmethod
    def _etter_start(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("oppstartdato")
        if start is not None and value < start:
            raise ValueError("sluttdato kan ikke være før startdato")
        return value

    @field_validator("resultat_opplysninger")
    @classmethod
    def _opplysninger_ved_annet(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("resultat") is Resultatkode.ANNEN_SITUASJON:
            raise ValueError("når situasjonen er «Annet», skriv hva den er i nærmere opplysninger")
        return value
