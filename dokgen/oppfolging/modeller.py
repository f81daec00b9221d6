"""The register's input contract: a gjennomføring (``kontrakt/gjennomforing.json``) and a
deltaker (``kontrakt/deltaker.json``), validated with field-level errors in bokmål like the
document types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
)

from dokgen.documents.models.common import (
    TILLAT_SYNTETISKE,
    Epost,
    Fodselsnummer,
    Fritekst,
    InputModel,
    Orgnr,
    Tekst,
    Telefon,
)
from dokgen.documents.models.errors import field_errors
from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging.kodeverk import ARSAK_MED_BESKRIVELSE, ARSAKER, STATUSER


def _ikke_flyttall(value: object) -> object:
    if isinstance(value, float):
        raise ValueError('oppgi beløpet som tekst, f.eks. "1150.00", ikke som flyttall')
    return value


Belop = Annotated[
    Decimal,
    Field(ge=0, le=1_000_000, max_digits=9, decimal_places=2),
    BeforeValidator(_ikke_flyttall),
]
Postnummer = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}$")]
Deltakernr = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=r"^\S+$")
]


class Adresse(InputModel):
    gate: Tekst = Field(title="Gateadresse")
    postnummer: Postnummer = Field(title="Postnummer", description="Fire siffer, f.eks. 0155")
    poststed: Tekst = Field(title="Poststed")
    land: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        default="NO", title="Land"
    )


class Kjoper(InputModel):
    navn: Tekst = Field(title="Kjøper")
    orgnr: Orgnr = Field(title="Kjøpers organisasjonsnummer")
    adresse: Adresse | None = Field(default=None, title="Kjøpers adresse")


def _kode(tabell: dict[str, str], hva: str) -> Any:
    def sjekk(value: str) -> str:
        if value not in tabell:
            kjente = ", ".join(tabell)
            raise ValueError(f"ukjent {hva} «{value[:40]}»: bruk en av {kjente}")
        return value

    return AfterValidator(sjekk)


# How a gjennomføring's month is claimed, in words (``Gjennomforing.kravform``).
KRAVFORMER = {"ehf": "EHF-faktura", "nav_refusjonskrav": "Refusjonskrav i NAVs arrangørflate"}
Kravform = Annotated[str, _kode(KRAVFORMER, "kravform")]
# The invoicing fields' titles, the same in both models that have them.
_TIMEPRIS: dict[str, Any] = {
    "title": "Timepris (kr)",
    "description": "Uten mva. Gjelder de dagene ingen periode under dekker",
}
_TIMEPRISER: dict[str, Any] = {
    "title": "Timepris med gyldighet",
    "description": "Perioder som ikke overlapper; tom «til» gjelder videre",
}
_KRAVFORM: dict[str, Any] = {
    "title": "Hvordan måneden kreves",
    "json_schema_extra": {"enum": list(KRAVFORMER)},
    "description": "EHF-faktura til kjøperen, eller refusjonskrav i NAVs arrangørflate",
}


class Timeprisperiode(InputModel):
    """A timepris with its validity dates; ``til`` empty: it runs on."""

    fra: dt.date = Field(title="Gjelder fra")
    til: dt.date | None = Field(default=None, title="Gjelder til og med")
    timepris: Belop = Field(title="Timepris (kr)")


def periodefeil(timepriser: list[Timeprisperiode]) -> list[FieldError]:
    """Return the errors of a gjennomføring's timepris periods, each on the row's field to
    correct: a ``til`` before its ``fra``, and periods that overlap (rows counted from 1)."""
    feil = []
    for i, p in enumerate(timepriser):
        if p.til is not None and p.til < p.fra:
            melding = f"rad {i + 1}: «til» kan ikke være før «fra»"
            feil.append(FieldError(f"timepriser.{i}.til", melding))
    for i, p in enumerate(timepriser):
        for j, q in enumerate(timepriser[:i]):
            if (q.til is None or p.fra <= q.til) and (p.til is None or q.fra <= p.til):
                melding = (
                    f"rad {i + 1} overlapper rad {j + 1}: en dag kan bare ha én timepris, "
                    "endre datoene"
                )
                feil.append(FieldError(f"timepriser.{i}.fra", melding))
                break
    return feil


class FaktureringInn(InputModel):
    """How a gjennomføring is claimed: the fields admins and regnskap set on its page."""

    kravform: Kravform = Field(default="ehf", **_KRAVFORM)
    kjoper: Kjoper | None = Field(default=None, title="Kjøper")
    deres_referanse: Tekst | None = Field(default=None, title="Deres referanse")
    bestillingsnummer: Tekst | None = Field(default=None, title="Bestillingsnummer")
    timepris: Belop | None = Field(default=None, **_TIMEPRIS)
    timepriser: list[Timeprisperiode] = Field(default_factory=list, max_length=50, **_TIMEPRISER)
    regelsett: Tekst = Field(
        title="Regelsett", description="Avtalens regler for fakturering og frister"
    )

    def sammenhengsfeil(self) -> list[FieldError]:
        """Return the errors between fields, each on the field to correct."""
        return periodefeil(self.timepriser)


FAKTURERINGSFELT = tuple(FaktureringInn.model_fields)


class GjennomforingInn(InputModel):
    """A gjennomføring as an admin creates or changes it."""

    navn: Tekst = Field(title="Navn", description="F.eks. Jobbmestrende oppfølging Oslo 2026")
    tiltakstype: Tekst = Field(title="Tiltakstype")
    avtalenummer: Tekst | None = Field(default=None, title="Avtalenummer")
    tiltaksnummer: Tekst | None = Field(default=None, title="Tiltaksnummer")
    regelsett: Tekst = Field(
        title="Regelsett", description="Avtalens regler for fakturering og frister"
    )
    startdato: dt.date = Field(title="Startdato")
    sluttdato: dt.date | None = Field(default=None, title="Sluttdato")
    timepris: Belop | None = Field(default=None, **_TIMEPRIS)
    timepriser: list[Timeprisperiode] = Field(default_factory=list, max_length=50, **_TIMEPRISER)
    kravform: Kravform = Field(default="ehf", **_KRAVFORM)
    kjoper: Kjoper | None = Field(default=None, title="Kjøper")
    deres_referanse: Tekst | None = Field(default=None, title="Deres referanse")
    bestillingsnummer: Tekst | None = Field(default=None, title="Bestillingsnummer")
    evaluering_dager: int = Field(
        default=14,
        ge=0,
        le=365,
        title="Frist for evalueringsrapport (dager etter halvåret)",
    )
    sluttrapport_dager: int | None = Field(
        default=None,
        ge=0,
        le=365,
        title="Frist for sluttrapport (dager etter sluttdato)",
        description="Som avtalt lokalt i samarbeidsavtalen (AMB). Tomt: 14 dager",
    )
    resultatrapport_dag: int = Field(
        default=10,
        ge=1,
        le=28,
        title="Frist for resultatrapport (dag i måneden etter)",
        description="I henhold til lokale rutiner; f.eks. 10 for den 10. i måneden etter",
    )

    def sammenhengsfeil(self) -> list[FieldError]:
        """Return the errors between fields, each on the field to correct."""
        feil = periodefeil(self.timepriser)
        if self.sluttdato is not None and self.sluttdato < self.startdato:
            feil.insert(0, FieldError("sluttdato", "sluttdato kan ikke være før startdato"))
        return feil


StatusType = Annotated[str, _kode(STATUSER, "status")]
ArsakType = Annotated[str, _kode(ARSAKER, "årsak")]


class Status(InputModel):
    """A deltaker's status with NAV's codes; only the reason ANNET has a description."""

    type: StatusType = Field(title="Status")
    aarsak: ArsakType | None = Field(default=None, title="Årsak")
    beskrivelse: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = Field(default=None, title="Beskrivelse av årsaken")
    gyldig_fra: dt.date | None = Field(default=None, title="Gjelder fra")

    def sammenhengsfeil(self, sti: str = "") -> list[FieldError]:
        """Return the errors between fields, each on the field to correct (under ``sti``
        when the status is part of a deltaker)."""
        if self.beskrivelse is not None and self.aarsak != ARSAK_MED_BESKRIVELSE:
            melding = (
                "beskrivelse skrives bare når årsaken er «Annet»: velg Annet eller fjern teksten"
            )
            return [FieldError(f"{sti}.beskrivelse" if sti else "beskrivelse", melding)]
        return []


class VeilederNav(InputModel):
    navn: Tekst = Field(title="NAV-veileder")
    telefon: Telefon | None = Field(default=None, title="Telefon")
    epost: Epost | None = Field(default=None, title="E-post")


class VeilederArrangor(InputModel):
    brukernavn: Tekst = Field(title="Brukernavn")
    type: Literal["veileder", "medveileder"] = Field(default="veileder", title="Rolle")


class DeltakerInn(InputModel):
    """A deltaker as staff register them (``kontrakt/deltaker.json``)."""

    nr: Deltakernr | None = Field(
        default=None,
        title="Deltakernummer",
        description="Arrangørens eget nummer, f.eks. D-0017. Tomt: neste ledige nummer",
    )
    gjennomforing_id: int = Field(title="Gjennomføring")
    fornavn: Tekst = Field(title="Fornavn")
    mellomnavn: Tekst | None = Field(default=None, title="Mellomnavn")
    etternavn: Tekst = Field(title="Etternavn")
    fodselsnummer: Fodselsnummer = Field(title="Fødselsnummer", description="11 siffer")
    telefon: Telefon | None = Field(default=None, title="Telefon")
    epost: Epost | None = Field(default=None, title="E-post")
    adresse: Adresse | None = Field(default=None, title="Adresse")
    adressebeskyttet: bool = Field(default=False, title="Adressebeskyttet")
    oppstartdato: dt.date | None = Field(default=None, title="Oppstartdato")
    sluttdato: dt.date | None = Field(default=None, title="Sluttdato")
    status: Status = Field(title="Status")
    soknadsdato: dt.date | None = Field(default=None, title="Søkt inn")
    bestilling_fra_nav: Fritekst | None = Field(default=None, title="Bestilling fra NAV")
    innsokende_nav_kontor: Tekst | None = Field(default=None, title="NAV-kontor")
    veileder_nav: VeilederNav | None = Field(default=None, title="NAV-veileder")
    veiledere_arrangor: list[VeilederArrangor] = Field(
        default_factory=list, max_length=10, title="Veiledere hos arrangøren"
    )
    deltakelsesprosent: int | None = Field(default=None, ge=0, le=100, title="Deltakelsesprosent")
    dager_per_uke: Decimal | None = Field(
        default=None, ge=0, le=7, max_digits=3, decimal_places=1, title="Dager per uke"
    )

    def sammenhengsfeil(self) -> list[FieldError]:
        """Return the errors between fields, each on the field to correct."""
        feil = []
        if self.oppstartdato and self.sluttdato and self.sluttdato < self.oppstartdato:
            feil.append(FieldError("sluttdato", "sluttdato kan ikke være før oppstartdato"))
        if self.adressebeskyttet and self.adresse is not None:
            melding = "en deltaker med adressebeskyttelse skal ikke ha adresse: fjern adressen"
            feil.append(FieldError("adresse", melding))
        if len([v for v in self.veiledere_arrangor if v.type == "veileder"]) > 1:
            melding = "en deltaker har én veileder; gjør de andre til medveiledere"
            feil.append(FieldError("veiledere_arrangor", melding))
        navn = [v.brukernavn for v in self.veiledere_arrangor]
        if len(set(navn)) != len(navn):
            melding = "samme bruker står to ganger blant veilederne"
            feil.append(FieldError("veiledere_arrangor", melding))
        return [*feil, *self.status.sammenhengsfeil("status")]


class FristkoblingInn(InputModel):
    """A user's link of a document to a frist (its ``nokkel``) of a deltaker or, for the
    gjennomføring's own frister, of a gjennomføring."""

    nokkel: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        title="Frist", description="Fristens nøkkel, f.eks. statusrapport:2026-03-02"
    )
    dokument_id: Annotated[str, StringConstraints(min_length=1, max_length=36)] = Field(
        title="Dokument"
    )
    deltaker_id: int | None = Field(default=None, title="Deltaker")
    gjennomforing_id: int | None = Field(default=None, title="Gjennomføring")

    def sammenhengsfeil(self) -> list[FieldError]:
        """Return the errors between fields, each on the field to correct."""
        if self.deltaker_id is None and self.gjennomforing_id is None:
            return [FieldError("deltaker_id", "oppgi deltaker eller gjennomføring")]
        return []


M = TypeVar("M", bound=BaseModel)


def les(modell: type[M], data: Any, *, tillat_syntetiske: bool = False) -> M:
    """Validate plain data as ``modell``, every field's error and the errors between fields
    reported at once.

    Raises:
        InputInvalidError: the data breaks one or more rules (nothing is half-read).
    """
    if not isinstance(data, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    try:
        verdi = modell.model_validate(data, context={TILLAT_SYNTETISKE: tillat_syntetiske})
    except ValidationError as exc:
        raise InputInvalidError(field_errors(exc)) from None
    feil = verdi.sammenhengsfeil() if hasattr(verdi, "sammenhengsfeil") else []
    if feil:
        raise InputInvalidError(feil)
    return verdi
