"""The input of the praksisplass register: an arbeidsgiver with its contact persons, a
praksisplass, a placement of a deltaker in it and a placement's change of status, validated
with field-level errors in bokmål like the deltaker register's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator, Field

from dokgen.documents.models.common import Epost, Fritekst, InputModel, Orgnr, Tekst, Telefon
from dokgen.errors import FieldError
from dokgen.oppfolging.kodeverk import (
    FRAVAERSARSAKER,
    MELDT_VIA,
    MOTEROLLER,
    PLASSERINGSSTATUSER,
    PRAKSISARTER,
)
from dokgen.oppfolging.modeller import Adresse


def _kode(tabell: Mapping[str, object], hva: str) -> AfterValidator:
    def sjekk(value: str) -> str:
        if value not in tabell:
            raise ValueError(f"ukjent {hva} «{value[:40]}»: bruk en av {', '.join(tabell)}")
        return value

    return AfterValidator(sjekk)


Praksisart = Annotated[str, _kode(PRAKSISARTER, "art")]
Plasseringsstatus = Annotated[str, _kode(PLASSERINGSSTATUSER, "status")]
Moterolle = Annotated[str, _kode(MOTEROLLER, "rolle")]
Fravaersarsak = Annotated[str, _kode(FRAVAERSARSAKER, "årsak")]
MeldtVia = Annotated[str, _kode(MELDT_VIA, "måte")]
MAKS_KAPASITET = 100


class Kontaktperson(InputModel):
    navn: Tekst = Field(title="Navn")
    telefon: Telefon | None = Field(default=None, title="Telefon")
    epost: Epost | None = Field(default=None, title="E-post")
    rolle: Tekst | None = Field(default=None, title="Rolle", description="F.eks. daglig leder")


class ArbeidsgiverInn(InputModel):
    """An arbeidsgiver the organisation has praksisplasser at."""

    orgnr: Orgnr = Field(title="Organisasjonsnummer", description="Ni siffer, f.eks. 974760673")
    navn: Tekst = Field(title="Navn")
    adresse: Adresse | None = Field(default=None, title="Adresse")
    kontaktpersoner: list[Kontaktperson] = Field(
        default_factory=list, max_length=20, title="Kontaktpersoner"
    )


class PraksisplassInn(InputModel):
    """A praksisplass at an arbeidsgiver or one of its departments."""

    arbeidsgiver_id: int = Field(title="Arbeidsgiver")
    avdeling: Tekst | None = Field(default=None, title="Avdeling")
    art: Praksisart = Field(
        title="Type praksisplass",
        description="aktivitetsplass, arbeidstrening, sprakpraksis eller kommunal_tiltaksplass",
    )
    arbeidsoppgaver: Fritekst | None = Field(default=None, title="Arbeidsoppgaver")
    kapasitet: int = Field(
        default=1, ge=0, le=MAKS_KAPASITET, title="Kapasitet", description="Antall deltakere"
    )
    aktiv: bool = Field(default=True, title="Aktiv", description="Nei: tar ikke imot nye")


class PlasseringInn(InputModel):
    """A deltaker planned into a praksisplass: it starts as «Ny»."""

    praksisplass_id: int = Field(title="Praksisplass")
    deltaker_id: int = Field(title="Deltaker")
    dato: dt.date | None = Field(default=None, title="Registrert", description="Tomt: i dag")
    startdato: dt.date | None = Field(default=None, title="Planlagt oppstart")
    planlagt_sluttdato: dt.date | None = Field(default=None, title="Planlagt sluttdato")

    def sammenhengsfeil(self) -> list[FieldError]:
        """Return the errors between fields, each on the field to correct."""
        if self.startdato and self.planlagt_sluttdato and self.planlagt_sluttdato < self.startdato:
            return [FieldError("planlagt_sluttdato", "sluttdatoen kan ikke være før oppstart")]
        return []


class StatusendringInn(InputModel):
    """A placement's next status with the day it happened, and what that status needs."""

    status: Plasseringsstatus = Field(title="Status")
    dato: dt.date = Field(title="Dato", description="Dagen statusen gjelder fra")
    statusmote_dato: dt.date | None = Field(
        default=None,
        title="Dato for oppstartsmøtet",
        description="Må oppgis for statusmote_avtalt",
    )
    startdato: dt.date | None = Field(
        default=None, title="Oppstart", description="For startet; tomt: samme som dato"
    )
    planlagt_sluttdato: dt.date | None = Field(default=None, title="Planlagt sluttdato")
    sluttdato: dt.date | None = Field(
        default=None, title="Sluttdato", description="Må oppgis for avsluttet"
    )
    sluttarsak: Tekst | None = Field(
        default=None,
        title="Hvorfor slutter deltakeren før planlagt?",
        description="Må oppgis når sluttdatoen er før planlagt sluttdato",
    )


class Motedeltaker(InputModel):
    """One who met at the oppstartsmøte, with their role."""

    rolle: Moterolle = Field(title="Rolle", description="veileder, leder, deltaker eller annen")
    navn: Tekst = Field(title="Navn")


class OppstartsmoteInn(InputModel):
    """The oppstartsmøte held before a placement starts («Før igangsetting skal det holdes et
    oppstartsmøte hvor veileder møter leder sammen med bruker»)."""

    dato: dt.date = Field(title="Dato for møtet")
    deltakere: list[Motedeltaker] = Field(
        min_length=1,
        max_length=20,
        title="Hvem møtte",
        description="Veileder, leder hos arbeidsgiver og deltakeren, og ev. andre",
    )
    malsetting: Fritekst = Field(
        title="Målsetting med praksisplassen",
        description="For en aktivitetsplass kan målet være å møte opp",
    )
    yrkesmal: Tekst | None = Field(
        default=None,
        title="Yrkesmål",
        description="Må oppgis for en arbeidstreningplass",
    )
    tilretteleggingsbehov: Fritekst | None = Field(default=None, title="Tilretteleggingsbehov")


MINUTTER_PER_DAG = 24 * 60


class FravaerInn(InputModel):
    """An absence the arbeidsgiver reported for a placement: whole days ``fra_dato`` to
    ``til_dato`` (empty: one day), or ``minutter`` of one day."""

    fra_dato: dt.date = Field(title="Fra dato")
    til_dato: dt.date | None = Field(default=None, title="Til dato", description="Tomt: én dag")
    minutter: int | None = Field(
        default=None,
        ge=1,
        lt=MINUTTER_PER_DAG,
        title="Minutter",
        description="Bare når deltakeren var borte en del av én dag",
    )
    arsak: Fravaersarsak = Field(title="Årsak")
    meldt_av: Tekst = Field(title="Meldt av", description="Hvem hos arbeidsgiver meldte det")
    meldt_via: MeldtVia = Field(title="Meldt via", description="Hovedregelen er e-post")
    meldt_dato: dt.date | None = Field(default=None, title="Meldt dato", description="Tomt: i dag")

    @property
    def til(self) -> dt.date:
        """Return the absence's last day (``fra_dato`` when ``til_dato`` is empty)."""
        return self.til_dato or self.fra_dato
