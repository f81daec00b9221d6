"""Årsrapport from an arbeidsmarkedsbedrift to NAV lokal (AMB kravspesifikasjon §2.1–2.2)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationInfo, field_validator

from dokgen.documents.models.common import (
    Dokumentmodell,
    Epost,
    Fritekst,
    InputModel,
    Sammendrag,
    Tekst,
    Telefon,
    Tiltak,
    Underskriver,
)
from dokgen.documents.models.kvalifisering import (
    AMB_RESULTATKODER,
    Resultatkode,
    resultat_med_kategori,
)


def _ikke_flyttall(value: object) -> object:
    # A JSON float has already lost exactness; amounts and årsverk arrive as text or integers.
    if isinstance(value, float):
        raise ValueError('oppgi tallet som tekst, f.eks. "1250000.00", ikke som flyttall')
    return value


# An amount in kroner: printed "4 800 000,00" (``x-kroner``), not as a plain decimal.
Belop = Annotated[
    Decimal,
    Field(
        ge=0,
        le=Decimal("9999999999.99"),
        max_digits=12,
        decimal_places=2,
        json_schema_extra={"x-kroner": True},
    ),
    BeforeValidator(_ikke_flyttall),
]
Arsverk = Annotated[
    Decimal,
    Field(ge=0, le=10_000, max_digits=7, decimal_places=2),
    BeforeValidator(_ikke_flyttall),
]
Antall = Annotated[int, Field(ge=0, le=100_000)]
Pdfnavn = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=5, max_length=200, pattern=r"^.+\.[pP][dD][fF]$"
    ),
]


# The two programmes of the AMB tiltak.
class Program(StrEnum):
    KVALIFISERING = "kvalifisering"
    TILRETTELAGT_ARBEID = "tilrettelagt_arbeid"


# A deltaker's situation when Kvalifisering ends (§14.4 a), with NAV's category: the
# sluttrapport fra Kvalifisering's nine codes, kept in one place.
RESULTATKODER: dict[str, str] = {kode: resultat_med_kategori(kode) for kode in AMB_RESULTATKODER}


# An account of §2.2 b: what NAV's driftstilskudd was used for.
class Driftspost(StrEnum):
    LONN_ORDINAERT_ANSATTE = "lonn_ordinaert_ansatte"
    OPPLAERING_PERSONALE = "opplaering_personale"
    AVKLARING_OG_ATTFORING = "avklaring_og_attforing"
    REISE_OG_MOTER = "reise_og_moter"
    INVESTERINGER_OG_UTVIKLING = "investeringer_og_utvikling"
    KVALIFISERING_AV_DELTAKERE = "kvalifisering_av_deltakere"
    FELLESUTGIFTER = "fellesutgifter"


DRIFTSPOSTER: dict[str, str] = {
    Driftspost.LONN_ORDINAERT_ANSATTE: "Lønn til ordinært ansatte.",
    Driftspost.OPPLAERING_PERSONALE: "Opplæring av tiltakets personale i attføringsarbeid.",
    Driftspost.AVKLARING_OG_ATTFORING: "Avklaring og attføring av yrkeshemmede deltakere (evt. "
    "kjøp av ekstern avklaring, utgifter til intern opplæring/undervisning mv.).",
    Driftspost.REISE_OG_MOTER: "Kostnader knyttet til reise- og møtevirksomhet for ansatte i "
    "AMB-tiltaket i forbindelse med attføringsvirksomheten.",
    Driftspost.INVESTERINGER_OG_UTVIKLING: "Investeringer, drift- og utviklingsmidler.",
    Driftspost.KVALIFISERING_AV_DELTAKERE: "Kvalifisering av yrkeshemmede deltakere (for "
    "eksempel kjøp av ekstern opplæring /undervisning)",
    Driftspost.FELLESUTGIFTER: "Fellesutgifter med andre avdelinger hos tiltaksarrangør",
}
# §2.2 b: the accounts the regnskap must show (an amount may be 0); fellesutgifter if any.
PAKREVDE_POSTER = frozenset(Driftspost) - {Driftspost.FELLESUTGIFTER}


class Bedrift(InputModel):
    beliggenhet: Tekst = Field(title="Beliggenhet", description="F.eks. Alnabru, Oslo")
    adresse: Tekst = Field(title="Adresse", description="F.eks. Eksempelveien 12, 0668 Oslo")
    epost: Epost = Field(title="E-post")
    telefaks: Telefon | None = Field(default=None, title="Telefaks")
    telefon: Telefon = Field(title="Telefon")


class Ansattgruppe(InputModel):
    funksjon: Tekst = Field(title="Funksjon", description="F.eks. attføringsleder, arbeidsleder")
    antall_stillinger: Arsverk = Field(title="Antall stillinger", description="F.eks. 2.5")
    kompetanse: Tekst = Field(title="Kompetanse", description="F.eks. sosionom, fagbrev")


# One programme's places and what was done (§2.1: godkjente plasser, faktiske årsverk).
class Plasser(InputModel):
    program: Program = Field(title="Program")
    godkjente_plasser: Antall = Field(title="Godkjente plasser", description="F.eks. 20")
    antall_deltakere: Antall = Field(title="Antall deltakere i året", description="F.eks. 31")
    arsverk: Arsverk = Field(title="Faktisk gjennomførte årsverk", description="F.eks. 18.40")


class Avdeling(InputModel):
    avdeling: Tekst = Field(title="Avdeling", description="F.eks. Snekkerverksted")
    beskrivelse: Tekst | None = Field(
        default=None, title="Hva blir produsert", description="F.eks. møbler og innredning"
    )


# Deltakere and årsverk of one avdeling in one programme (filled from the register).
class ArsverkPerAvdeling(InputModel):
    avdeling: Tekst = Field(title="Avdeling")
    program: Program = Field(title="Program")
    antall_deltakere: Antall = Field(title="Antall deltakere")
    arsverk: Arsverk = Field(title="Årsverk", description="F.eks. 6.25")


class Resultat(InputModel):
    resultat: Resultatkode = Field(title="Resultat")
    antall: Antall = Field(title="Antall deltakere")


class Post(InputModel):
    post: Driftspost = Field(title="Konto")
    belop: Belop = Field(title="Beløp (kr)", description='F.eks. "812000.00"')
    kommentar: Tekst | None = Field(default=None, title="Kommentar")


# The revisor-approved regnskap that must go with the årsrapport (§2.2 a), as a PDF.
class RegnskapVedlegg(InputModel):
    filnavn: Pdfnavn = Field(
        title="Vedlegg: revisorgodkjent regnskap (filnavn)",
        description="PDF som sendes sammen med årsrapporten, f.eks. regnskap-2026.pdf",
    )
    revisor: Tekst = Field(title="Revisor", description="F.eks. Revisjon Eksempel AS")
    godkjent_dato: dt.date = Field(title="Godkjent av revisor (dato)")


class Arsrapport(Dokumentmodell):
    """Årsrapport (AMB §2.1–2.2): sent to NAV lokal by the end of June after the year.

    The figures (plasser, årsverk per avdeling and programme, results by code) are plain
    inputs, so they can be filled from the register before a person edits them; the
    årsverk per avdeling add up to each programme's årsverk. The revisor-approved regnskap
    travels beside the report as a PDF: the document names it (``revisorgodkjent_regnskap``).
    """

    tittel: ClassVar = "Årsrapport"
    sammendrag: ClassVar = Sammendrag(dato="dato")
    etiketter: ClassVar = {**RESULTATKODER, **DRIFTSPOSTER}
    utfylling: ClassVar = {"tiltak.tiltaksnummer": "T-7701", "bedrift.telefaks": "22334456"}
    summer: ClassVar = {"sum_poster": "driftstilskudd_poster.belop"}
    ledetekster: ClassVar = (
        "Årsrapport",
        "Bedriftens beliggenhet, adresse, e-post, telefaks og telefon.",
        "Eierforhold/Tiltaksarrangør.",
        "Oversikt over hvilke avdelinger tiltaket har.",
        "Organisasjonskart.",
        "Omfanget av tverretatlig samarbeid.",
        "Redegjørelse for hvordan NAVs driftstilskudd til AMB-tiltaket er benyttet",
    )

    type: Literal["arsrapport"] = "arsrapport"
    tiltak: Tiltak = Field(title="Tiltak")
    rapportar: int = Field(ge=2000, le=2099, title="Rapporteringsår", description="F.eks. 2026")
    mottaker: Tekst = Field(title="Mottaker (NAV lokal)", description="F.eks. NAV Alna")
    bedrift: Bedrift = Field(title="Bedriftens beliggenhet, adresse, e-post, telefaks og telefon")
    eierforhold: Fritekst = Field(title="Eierforhold/Tiltaksarrangør")
    ordinaert_ansatte: list[Ansattgruppe] = Field(
        min_length=1,
        max_length=30,
        title="Ordinært ansatte med attføringsansvarlig ansvar, antall stillinger og kompetanse",
    )
    tildelt_ramme: Antall = Field(
        title="Tildelt ramme (plasser)", description="Rammetallet NAV har tildelt, f.eks. 32"
    )
    plasser: list[Plasser] = Field(
        min_length=1,
        max_length=2,
        title="Godkjente plasser fordelt på Kvalifisering og Tilrettelagt arbeid og faktisk "
        "gjennomførte årsverk",
    )
    avdelinger: list[Avdeling] = Field(
        min_length=1, max_length=30, title="Oversikt over hvilke avdelinger tiltaket har"
    )
    arsverk_per_avdeling: list[ArsverkPerAvdeling] = Field(
        min_length=1,
        max_length=60,
        title="Deltakere og årsverk per avdeling og program",
        description="Summen per program skal være lik faktisk gjennomførte årsverk",
    )
    opplaeringstilbud: Fritekst = Field(
        title="Hva kan tilbys mht formell opplæring/kvalifisering (fagbrev) og annen "
        "dokumenterbar kompetanse (realkompetanse)"
    )
    organisasjonskart: Fritekst = Field(
        title="Organisasjonskart",
        description="Beskriv organisasjonen, f.eks. styre, daglig leder, avdelinger",
    )
    tverretatlig_samarbeid: Fritekst = Field(title="Omfanget av tverretatlig samarbeid")
    fagutvikling: Fritekst = Field(title="Fagutvikling/kompetanseheving for ordinært ansatte")
    resultater: list[Resultat] = Field(
        min_length=1,
        max_length=9,
        title="Resultater av attføringsarbeidet, jfr. Samarbeidsavtalens pkt. 1.6.c",
        description="Antall deltakere som avsluttet Kvalifisering, per resultat",
    )
    overgang_tilrettelagt_arbeid: Antall = Field(
        title="Overgang til Tilrettelagt arbeid",
        description="Antall deltakere som gikk fra Kvalifisering til Tilrettelagt arbeid",
    )
    resultatvurdering: Fritekst = Field(
        title="Vurdering av resultatene mot lokale resultatkrav",
        description="F.eks. om kravene til formidling og utdanning er nådd",
    )
    eget_budsjett: Belop = Field(title="Eget budsjett (kr)", description='F.eks. "4800000.00"')
    mottatt_driftstilskudd: Belop = Field(
        title="Totalbeløp mottatt i rapporteringsåret (kr)", description='F.eks. "2650000.00"'
    )
    driftstilskudd_poster: list[Post] = Field(
        min_length=1,
        max_length=7,
        title="Andel brukt til (kontoer etter Norsk Standard)",
        description="Alle kontoene NAV nevner, med 0 der ingenting er brukt",
    )
    overskudd: Belop = Field(
        title="Eventuelt overskudd, som overføres til neste års drift (kr)",
        description='F.eks. "0.00"',
    )
    revisorgodkjent_regnskap: RegnskapVedlegg = Field(title="Vedlegg: revisorgodkjent regnskap")
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato")
    underskriver: Underskriver = Field(title="Underskrift for bedriften")

    @field_validator("plasser")
    @classmethod
    def _plasser(cls, value: list[Plasser], info: ValidationInfo) -> list[Plasser]:
        if len({p.program for p in value}) != len(value):
            raise ValueError("hvert program kan bare stå én gang")
        ramme = info.data.get("tildelt_ramme")
        godkjent = sum(p.godkjente_plasser for p in value)
        if ramme is not None and godkjent > ramme:
            raise ValueError(
                f"godkjente plasser i alt ({godkjent}) kan ikke være flere enn tildelt ramme "
                f"({ramme})"
            )
        return value

    @field_validator("arsverk_per_avdeling")
    @classmethod
    def _arsverk(
        cls, value: list[ArsverkPerAvdeling], info: ValidationInfo
    ) -> list[ArsverkPerAvdeling]:
        avdelinger = {a.avdeling for a in info.data.get("avdelinger") or ()}
        ukjente = sorted({r.avdeling for r in value} - avdelinger)
        if avdelinger and ukjente:
            raise ValueError(f"avdelingen finnes ikke i oversikten over avdelinger: {ukjente[0]}")
        plasser = info.data.get("plasser")
        if plasser is None:
            return value
        summer: dict[Program, Decimal] = defaultdict(Decimal)
        for rad in value:
            summer[rad.program] += rad.arsverk
        for p in plasser:
            if summer[p.program] != p.arsverk:
                raise ValueError(
                    f"årsverkene i avdelingene for {p.program.value.replace('_', ' ')} "
                    f"({summer[p.program]}) er ikke lik faktisk gjennomførte årsverk "
                    f"({p.arsverk})"
                )
        return value

    @field_validator("resultater")
    @classmethod
    def _en_rad_per_kode(cls, value: list[Resultat]) -> list[Resultat]:
        koder = [r.resultat for r in value]
        if len(set(koder)) != len(koder):
            raise ValueError("hvert resultat kan bare stå én gang")
        return value

    @field_validator("driftstilskudd_poster")
    @classmethod
    def _poster(cls, value: list[Post], info: ValidationInfo) -> list[Post]:
        if len({p.post for p in value}) != len(value):
            raise ValueError("hver konto kan bare stå én gang")
        mangler = sorted(PAKREVDE_POSTER - {p.post for p in value})
        if mangler:
            raise ValueError(f"kontoen mangler: {DRIFTSPOSTER[mangler[0]]} (skriv 0 om ingenting)")
        mottatt = info.data.get("mottatt_driftstilskudd")
        brukt = sum((p.belop for p in value), Decimal(0))
        if mottatt is not None and brukt > mottatt:
            raise ValueError(
                f"postene ({brukt} kr) er mer enn driftstilskuddet mottatt ({mottatt} kr)"
            )
        return value

    @field_validator("overskudd")
    @classmethod
    def _overskudd(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        mottatt = info.data.get("mottatt_driftstilskudd")
        poster = info.data.get("driftstilskudd_poster")
        if mottatt is not None and poster is not None:
            rest = mottatt - sum((p.belop for p in poster), Decimal(0))
            if value != rest:
                raise ValueError(f"overskuddet skal være driftstilskuddet minus postene: {rest} kr")
        return value
