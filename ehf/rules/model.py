"""The types of a billing rule set and the one calculation every rule set shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Literal, Protocol

from ehf.errors import GrunnlagInvalidError, RowError

KVARTER = Decimal("0.25")


class Deltaker(Protocol):
    """A deltaker as the grunnlag names one: the provider's number and a name."""

    @property
    def nr(self) -> str: ...

    @property
    def navn(self) -> str: ...


class Aktivitet(Protocol):
    """One activity row as a rule set reads it (``ehf.grunnlag.Aktivitet`` has this shape)."""

    @property
    def dato(self) -> date: ...

    @property
    def deltaker(self) -> Deltaker: ...

    @property
    def aktivitet(self) -> str: ...

    @property
    def minutter(self) -> Decimal: ...

    @property
    def mote(self) -> str | None: ...

    @property
    def rapport(self) -> str | None: ...

    @property
    def antall_deltakere(self) -> int | None: ...


@dataclass(frozen=True)
class AktivitetRegel:
    """How one kind of activity is billed.

    ``maks_per`` says what the cap is counted over: each row, each meeting (``mote``) or each
    report (``rapport``) of a deltaker; rows without that key are their own meeting/report.
    """

    beskrivelse: str
    fakturerbar: bool = True
    maks_timer: Decimal | None = None
    maks_per: Literal["rad", "mote", "rapport"] = "rad"
    maks_tekst: str = ""
    del_paa_deltakere: bool = False


@dataclass(frozen=True)
class Justering:
    """One activity row's outcome: billed hours and why."""

    rad: int
    dato: date
    aktivitet: str
    minutter: Decimal
    timer: Decimal
    regel: str
    forklaring: str


@dataclass(frozen=True)
class Linje:
    """One invoice line: one deltaker's billed hours for the period."""

    deltaker_nr: str
    deltaker_navn: str
    timer: Decimal
    justeringer: tuple[Justering, ...]


@dataclass(frozen=True)
class Fakturering:
    """The billed hours per deltaker under one rule set version."""

    regelsett: str
    versjon: str
    linjer: tuple[Linje, ...]

    @property
    def timer(self) -> Decimal:
        """Return the total billed hours."""
        return sum((linje.timer for linje in self.linjer), Decimal("0"))


def timer_for(minutter: Decimal, deltakere: int = 1) -> Decimal:
    """Return the hours of ``minutter`` shared by ``deltakere``, rounded up to a quarter hour.

    Args:
        minutter: minutes spent (not negative).
        deltakere: how many share the time (group activities), at least 1.

    Returns:
        A multiple of 0.25 hours.
    """
    kvarter = (Decimal(minutter) / (15 * deltakere)).to_integral_value(rounding=ROUND_CEILING)
    return kvarter * KVARTER


def tall(timer: Decimal) -> str:
    """Format hours the Norwegian way with two decimals (``1,25``)."""
    return f"{timer:.2f}".replace(".", ",")


@dataclass(frozen=True)
class Regelsett:
    """A named, versioned set of billing rules for one agreement."""

    navn: str
    versjon: str
    beskrivelse: str
    aktiviteter: Mapping[str, AktivitetRegel] = field(default_factory=dict)

    def kjenner(self, aktivitet: str) -> bool:
        """Tell whether this rule set knows the activity."""
        return aktivitet in self.aktiviteter

    def beregn(self, aktiviteter: Sequence[Aktivitet]) -> Fakturering:
        """Bill the activities: one line per deltaker, sorted by deltaker number.

        Args:
            aktiviteter: activity rows; ``Justering.rad`` is the CSV row when the activity
                knows it (``kilde_rad``), else the 1-based position here.

        Returns:
            The billing with every row's explanation.

        Raises:
            GrunnlagInvalidError: activities this rule set does not know, each by its path.
        """
        self._kjenner_alle(aktiviteter)
        brukt: dict[tuple[str, str, str], Decimal] = {}
        per_deltaker: dict[str, list[Justering]] = {}
        navn: dict[str, str] = {}
        for i, a in enumerate(aktiviteter, start=1):
            # A timeliste's activities know their CSV row; JSON rows count from 1.
            j = self._juster(getattr(a, "kilde_rad", None) or i, a, brukt)
            per_deltaker.setdefault(a.deltaker.nr, []).append(j)
            navn.setdefault(a.deltaker.nr, a.deltaker.navn)
        linjer = tuple(
            Linje(nr, navn[nr], sum((j.timer for j in js), Decimal("0")), tuple(js))
            for nr, js in sorted(per_deltaker.items())
        )
        return Fakturering(self.navn, self.versjon, linjer)

    def _kjenner_alle(self, aktiviteter: Sequence[Aktivitet]) -> None:
        kjente = ", ".join(self.aktiviteter)
        errors = [
            RowError(
                f"aktiviteter[{i}].aktivitet",
                f"ukjent aktivitet «{a.aktivitet}» (kjente: {kjente})",
            )
            for i, a in enumerate(aktiviteter)
            if not self.kjenner(a.aktivitet)
        ]
        if errors:
            raise GrunnlagInvalidError(errors)

    def _juster(
        self, rad: int, a: Aktivitet, brukt: dict[tuple[str, str, str], Decimal]
    ) -> Justering:
        regel = self.aktiviteter[a.aktivitet]
        minutter = Decimal(a.minutter)
        tekst = f"{regel.beskrivelse}: {_min(minutter)} min"
        if not regel.fakturerbar:
            return Justering(
                rad,
                a.dato,
                a.aktivitet,
                minutter,
                Decimal("0.00"),
                "ikke_fakturerbar",
                f"{tekst} → 0,00 t (faktureres ikke)",
            )
        deltakere = (a.antall_deltakere or 1) if regel.del_paa_deltakere else 1
        if regel.del_paa_deltakere:
            tekst += f" / {deltakere} deltakere"
        timer = timer_for(minutter, deltakere)
        merknad, kode = "", "timer"
        if timer * 60 * deltakere != minutter:
            merknad, kode = "rundet opp til nærmeste kvarter", "kvarter"
        if regel.maks_timer is not None:
            nokkel = (a.deltaker.nr, regel.maks_per, _maks_nokkel(regel, a, rad))
            igjen = max(regel.maks_timer - brukt.get(nokkel, Decimal("0")), Decimal("0"))
            if timer > igjen:
                timer, kode = igjen, "maks"
                merknad = regel.maks_tekst or f"maks {tall(regel.maks_timer)} t"
            brukt[nokkel] = brukt.get(nokkel, Decimal("0")) + timer
        timer = timer.quantize(Decimal("0.01"))
        forklaring = f"{tekst} → {tall(timer)} t" + (f" ({merknad})" if merknad else "")
        return Justering(rad, a.dato, a.aktivitet, minutter, timer, kode, forklaring)


def _maks_nokkel(regel: AktivitetRegel, a: Aktivitet, rad: int) -> str:
    # Rows without a meeting or report name are their own meeting/report.
    value = (
        a.mote if regel.maks_per == "mote" else a.rapport if regel.maks_per == "rapport" else None
    )
    return value.strip() if value else f"rad {rad}"


def _min(minutter: Decimal) -> str:
    text = (
        format(minutter.normalize(), "f")
        if minutter == minutter.to_integral_value()
        else str(minutter)
    )
    return text.replace(".", ",")
