"""The input of an invoice: a fakturagrunnlag (JSON) or a timeliste (CSV), merged with the
organisation's innstillinger, and the billing preview made from it.

The organisation's innstillinger give the defaults (kjoper, regelsett, timepris, valuta, mva,
deres_referanse, bestillingsnummer); the input may override them, except ``selger``: the
seller is always the organisation itself: its name and orgnr from the register, the rest
(address, VAT status, account …) from its saved settings, never from the input. An input
``selger`` naming another orgnr is refused; what the settings lack is reported as the admin's
to fill in. ``fakturanummer`` is optional in the input and is always replaced by the
organisation's own gap-free sequence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ehf.errors import GrunnlagInvalidError, ProfileViolationError, RowError
from ehf.grunnlag import FORSTE_DATO, SISTE_DATO, Fakturagrunnlag, load_grunnlag
from ehf.model import Invoice
from ehf.profiles import check_profile, profile_for
from ehf.rules import Fakturering, get_regelsett
from ehf.timeliste import grunnlag_fra_timeliste
from ehf.translate import invoice_from_grunnlag

# Keys of the organisation's innstillinger that are fakturagrunnlag fields.
STANDARDFELTER = (
    "regelsett",
    "timepris",
    "valuta",
    "mva",
    "kjoper",
    "deres_referanse",
    "bestillingsnummer",
)
PLASSHOLDER = "0000-0000"  # replaced by the sequence number when the invoice is stored
KREDITTID = timedelta(days=30)  # NAV's 30 days' credit
FRAMOVER = timedelta(days=366)  # how far ahead an invoice may be dated
# Rule codes that change the hours (``timer`` is the plain minutes → hours).
JUSTERT = frozenset({"kvarter", "maks", "ikke_fakturerbar"})


@dataclass(frozen=True)
class Fakturainndata:
    """What the caller gave: contract JSON, or a timeliste CSV with period and references.

    Build it with :func:`fra_json` or :func:`fra_timeliste`.
    """

    data: dict[str, Any] | None = None
    timeliste: bytes | None = None
    parametre: dict[str, str] = field(default_factory=dict)


def fra_json(data: object) -> Fakturainndata:
    """Return the input of a fakturagrunnlag as parsed JSON (the contract's shape).

    Raises:
        GrunnlagInvalidError: the JSON is not an object.
    """
    if not isinstance(data, dict):
        raise GrunnlagInvalidError([RowError("", "fakturagrunnlaget må være et JSON-objekt")])
    return Fakturainndata(data=data)


def fra_timeliste(
    csv_bytes: bytes,
    *,
    fra: str | None,
    til: str | None,
    deres_referanse: str | None = None,
    bestillingsnummer: str | None = None,
    fakturadato: str | None = None,
    forfallsdato: str | None = None,
) -> Fakturainndata:
    """Return the input of a timeliste CSV; the period and references come as parameters.

    Dates are ISO (``2026-10-01``); empty values count as not given.
    """
    given = {
        "fra": fra,
        "til": til,
        "deres_referanse": deres_referanse,
        "bestillingsnummer": bestillingsnummer,
        "fakturadato": fakturadato,
        "forfallsdato": forfallsdato,
    }
    return Fakturainndata(timeliste=csv_bytes, parametre={k: v for k, v in given.items() if v})


def _forfall(fakturadato: object) -> str | None:
    try:
        return (date.fromisoformat(str(fakturadato)) + KREDITTID).isoformat()
    except (ValueError, OverflowError):  # the model reports the date
        return None


def _sjekk_fakturadato(fakturadato: object, idag: date) -> None:
    """Refuse an invoice date far off today (a year ahead), before anything counts from it.

    Raises:
        GrunnlagInvalidError: the date is valid but out of range.
    """
    try:
        dato = date.fromisoformat(str(fakturadato))
    except ValueError:
        return  # the model says how to write a date
    siste = min(idag + FRAMOVER, SISTE_DATO)
    if not FORSTE_DATO <= dato <= siste:
        melding = f"må være en dato fra {FORSTE_DATO} til {siste} (høyst ett år fram i tid)"
        raise GrunnlagInvalidError([RowError("fakturadato", melding)])


INNSTILLINGER = "Innstillinger → Selger på fakturaene"  # where the admin fills in the seller


def _orgnr_i(value: object) -> str:
    return str(value).replace(" ", "")


def _selger(data: dict[str, Any], selger: dict[str, Any]) -> dict[str, Any]:
    """Return the organisation's seller, refusing an input that names another.

    Raises:
        GrunnlagInvalidError: the input names another orgnr as seller.
    """
    given = data.get("selger")
    if given is not None and not isinstance(given, dict):
        raise GrunnlagInvalidError(
            [RowError("selger", "må være et objekt, eller utelates (selger er organisasjonen)")]
        )
    orgnr = selger["orgnr"]
    if given and "orgnr" in given and _orgnr_i(given["orgnr"]) != orgnr:
        melding = f"selger er alltid din egen organisasjon: skriv {orgnr}, eller utelat selger"
        raise GrunnlagInvalidError([RowError("selger.orgnr", melding)])
    return dict(selger)


def _fra_innstillingene(exc: GrunnlagInvalidError) -> GrunnlagInvalidError:
    # The seller comes from the settings alone: what is wrong with it the admin must fix there.
    def hos_admin(e: RowError) -> RowError:
        if not e.path.startswith("selger."):
            return e
        gjor = "fylle det ut" if e.message == "mangler" else "rette det"
        return RowError(
            e.path,
            f"{e.message} i organisasjonens innstillinger; en administrator må {gjor} "
            f"under {INNSTILLINGER}",
        )

    return GrunnlagInvalidError([hos_admin(e) for e in exc.errors])


def _felles(
    innstillinger: dict[str, Any], data: dict[str, Any], idag: date, selger: dict[str, Any]
) -> dict[str, Any]:
    merged: dict[str, Any] = {k: innstillinger[k] for k in STANDARDFELTER if k in innstillinger}
    merged.update({"type": "fakturagrunnlag", "fakturadato": idag.isoformat()})
    merged.update({k: v for k, v in data.items() if k != "selger"})
    merged["selger"] = _selger(data, selger)
    merged["fakturanummer"] = PLASSHOLDER
    _sjekk_fakturadato(merged["fakturadato"], idag)
    if "forfallsdato" not in merged and (forfall := _forfall(merged["fakturadato"])):
        merged["forfallsdato"] = forfall
    return merged


def grunnlag_for(
    inndata: Fakturainndata,
    innstillinger: dict[str, Any],
    idag: date,
    *,
    selger: dict[str, Any],
) -> Fakturagrunnlag:
    """Merge the input with the organisation's innstillinger and validate it.

    Args:
        inndata: the caller's JSON or timeliste.
        innstillinger: the organisation's invoice settings.
        idag: the default fakturadato.
        selger: the organisation's seller: name and orgnr from the register (BT-27,
            BT-30), the rest from its settings (``dokgen.services.innstillinger.selger``).

    Returns:
        The valid grunnlag; its ``fakturanummer`` is a placeholder until stored.

    Raises:
        GrunnlagInvalidError: every problem, with JSON paths or ``rad N, felt`` for CSV rows;
            the seller's with what the admin must fill in.
    """
    if inndata.timeliste is None:
        merged = _felles(innstillinger, inndata.data or {}, idag, selger)
    else:
        p = inndata.parametre
        data: dict[str, Any] = {"periode": {"fra": p.get("fra"), "til": p.get("til")}}
        data.update({k: p[k] for k in ("deres_referanse", "bestillingsnummer") if k in p})
        data.update({k: p[k] for k in ("fakturadato", "forfallsdato") if k in p})
        merged = _felles(innstillinger, data, idag, selger)
        merged.setdefault("vedlegg", [])
    try:
        if inndata.timeliste is None:
            return load_grunnlag(merged)
        return grunnlag_fra_timeliste(inndata.timeliste, merged)
    except GrunnlagInvalidError as exc:
        raise _fra_innstillingene(exc) from None


@dataclass(frozen=True)
class Beregning:
    """The billing of one grunnlag: the invoice model, the hours and every explanation."""

    grunnlag: Fakturagrunnlag
    invoice: Invoice
    fakturering: Fakturering

    @property
    def linjer(self) -> list[dict[str, Any]]:
        """Return one line per deltaker: hours, price, amount and each activity's rule."""
        return [
            {
                "id": line.id,
                "deltaker_nr": linje.deltaker_nr,
                "deltaker_navn": linje.deltaker_navn,
                "timer": str(linje.timer),
                "pris": str(line.price),
                "belop": str(line.net_amount),
                "aktiviteter": [
                    {
                        "rad": j.rad,
                        "dato": j.dato.isoformat(),
                        "aktivitet": j.aktivitet,
                        "minutter": str(j.minutter),
                        "timer": str(j.timer),
                        "regel": j.regel,
                        "forklaring": j.forklaring,
                    }
                    for j in linje.justeringer
                ],
            }
            for linje, line in zip(self.fakturering.linjer, self.invoice.lines, strict=True)
        ]

    @property
    def forklaringer(self) -> list[dict[str, Any]]:
        """Return every adjustment (rounding, cap, not billable) with its explanation."""
        return [
            {
                "deltaker_nr": linje.deltaker_nr,
                "rad": j.rad,
                "dato": j.dato.isoformat(),
                "regel": j.regel,
                "forklaring": j.forklaring,
            }
            for linje in self.fakturering.linjer
            for j in linje.justeringer
            if j.regel in JUSTERT
        ]

    @property
    def sum(self) -> Decimal:
        """Return the amount payable (BT-115)."""
        return self.invoice.totals.payable


def beregn(grunnlag: Fakturagrunnlag) -> Beregning:
    """Bill a grunnlag by its rule set and check it against the buyer's profile.

    Raises:
        RuleSetUnknownError: the grunnlag names no known rule set.
        ProfileViolationError: the buyer profile or seller rules refuse the invoice.
    """
    fakturering = get_regelsett(grunnlag.regelsett).beregn(grunnlag.aktiviteter)
    invoice = invoice_from_grunnlag(grunnlag, fakturering)
    errors = check_profile(invoice, profile_for(invoice))
    if errors:
        raise ProfileViolationError(errors)
    return Beregning(grunnlag, invoice, fakturering)
