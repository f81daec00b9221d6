"""Dagsorden og referat for NAV's follow-up meetings with an arbeidsmarkedsbedrift (AMB §15)."""

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

# §15's agenda, "Gjennomgang etter malen under": the seed's numbers (it has no 11, 13, 15
# or 17) and its words; the field of each item's comment is ``punkt_<number>``.
DAGSORDEN: tuple[tuple[int, str], ...] = (
    (1, "Samarbeidsavtalen mellom NAV lokal og tiltaksarrangør for AMB-tiltaket"),
    (2, "(Mal for) bedriftens årsrapport"),
    (3, "Bedriftens overordnede beskrivelse"),
    (4, "Arbeidet i rådgivende utvalg"),
    (5, "Rutiner for informasjonsutveksling"),
    (6, "Inntaksrutiner"),
    (7, "Samarbeid med NAV lokal om overgangsplanlegging og tiltakskjeding"),
    (8, "bedriftens tilbudsmelding"),
    (9, "NAV lokal sin behandling av bedriftens tilbudsmelding"),
    (10, "Opplæringsplan for Kvalifisering"),
    (12, "Bedriftens yrkesfaglige tilbud"),
    (14, "Eksternt samarbeid om opplæring"),
    (16, "Bedriftens rutiner for vurdering og oppfølging i kvalifisering"),
    (18, "Sluttrapport for Kvalifisering"),
    (19, "Mal for dagsorden/referat fra oppfølgingsmøtene"),
)
_PUNKT = dict(DAGSORDEN)


def _punkt(nummer: int) -> Fritekst | None:
    return Field(default=None, title=f"{nummer}. {_PUNKT[nummer]}", description="Kommentar/referat")


class Motedeltaker(InputModel):
    navn: Tekst = Field(title="Navn")
    rolle: Tekst | None = Field(default=None, title="Rolle", description="F.eks. avdelingsleder")


class Motereferat(Dokumentmodell):
    """Dagsorden og referat ved NAVs oppfølgingsmøter med tiltaksarrangør (AMB §15).

    A gjennomføring's document, not a deltaker's: stored with ``gjennomforing_id`` alone, as
    an evalueringsrapport is. Who came, per side (the bedrift, NAV lokal, NAV fylke, NAV
    arbeidsrådgivning), the comment on the last meeting's referat, and a comment for each
    numbered item of the seed's agenda (``punkt_1`` … ``punkt_19``, the seed's numbering).
    The bedrift and NAV lokal are always there (the samarbeidsavtale is theirs); NAV fylke and
    NAV arbeidsrådgivning when they come. The bedrift's referent approves it.
    """

    tittel: ClassVar = "Møtereferat"
    sammendrag: ClassVar = Sammendrag(dato="motedato")
    utfylling: ClassVar = {
        "tiltak.tiltaksnummer": "T-7720",
        "kommentar_forrige_referat": "Referatet fra forrige møte ble godkjent uten merknader.",
        **{f"punkt_{n}": f"Gjennomgått under punkt {n}, ingen merknader." for n, _ in DAGSORDEN},
    }
    ledetekster: ClassVar = (
        "Dagsorden og referat ved NAVs oppfølgingsmøter med tiltaksarrangør for AMB-tiltaket",
        "Møtedato:",
        "Møtedeltakere:",
        "NAV lokal:",
        "NAV fylke:",
        "NAV arbeidsrådgivning:",
        "Dagsorden",
        "Kommentar til referat fra forrige møte.",
        "Overordnet",
        "Kommentar/referat",
        "Inntaksrutiner",
        "Sluttrapport for Kvalifisering",
    )

    type: Literal["motereferat"] = "motereferat"
    tiltak: Tiltak = Field(title="Tiltak", description="Bedriften er tiltaksarrangøren")
    motedato: dt.date = Field(title="Møtedato")
    deltakere_bedrift: list[Motedeltaker] = Field(
        min_length=1, max_length=20, title="Møtedeltakere: Bedrift"
    )
    deltakere_nav_lokal: list[Motedeltaker] = Field(
        min_length=1, max_length=20, title="Møtedeltakere: NAV lokal"
    )
    deltakere_nav_fylke: list[Motedeltaker] = Field(
        default_factory=list, max_length=20, title="Møtedeltakere: NAV fylke"
    )
    deltakere_nav_arbeidsradgivning: list[Motedeltaker] = Field(
        default_factory=list, max_length=20, title="Møtedeltakere: NAV arbeidsrådgivning"
    )
    kommentar_forrige_referat: Fritekst | None = Field(
        default=None, title="Kommentar til referat fra forrige møte"
    )
    punkt_1: Fritekst | None = _punkt(1)
    punkt_2: Fritekst | None = _punkt(2)
    punkt_3: Fritekst | None = _punkt(3)
    punkt_4: Fritekst | None = _punkt(4)
    punkt_5: Fritekst | None = _punkt(5)
    punkt_6: Fritekst | None = _punkt(6)
    punkt_7: Fritekst | None = _punkt(7)
    punkt_8: Fritekst | None = _punkt(8)
    punkt_9: Fritekst | None = _punkt(9)
    punkt_10: Fritekst | None = _punkt(10)
    punkt_12: Fritekst | None = _punkt(12)
    punkt_14: Fritekst | None = _punkt(14)
    punkt_16: Fritekst | None = _punkt(16)
    punkt_18: Fritekst | None = _punkt(18)
    punkt_19: Fritekst | None = _punkt(19)
    sted: Tekst = Field(title="Sted")
    dato: dt.date = Field(title="Dato", description="Datoen referatet er skrevet")
    underskriver: Underskriver = Field(title="Referent")

    @field_validator("dato")
    @classmethod
    def _etter_motet(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        motedato = info.data.get("motedato")
        if motedato is not None and value < motedato:
            raise ValueError("referatet kan ikke være datert før møtedatoen")
        return value
