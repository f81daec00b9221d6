"""The invoice list: search by number, buyer, gjennomføring and month, sort, page, and the
totals per month.

A month (``2026-10``) matches an invoice made for it by the month's close (``maned``) and
any invoice whose period overlaps it. A credit note is found by its own number, and by the
buyer and month of the invoice it credits; in the totals it counts negative. Sorting is
stable: ties are broken by number and id, so a page never repeats or skips a row.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Numeric, Select, cast, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import sjekk_sok
from dokgen.storage.db import Faktura, Gjennomforing

if TYPE_CHECKING:
    from dokgen.deps import Deps

PER_SIDE = 50
SORTERBARE = {"nummer": "Nummer", "dato": "Fakturadato", "belop": "Beløp", "status": "Status"}
_MANED = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Utvalg:
    """What the list shows: the search fields, the order and the page (1-based)."""

    sok: str | None = None  # number or buyer
    kjoper: str | None = None
    gjennomforing_id: int | None = None
    maned: str | None = None  # YYYY-MM
    status: str | None = None
    art: str | None = None
    fra: str | None = None
    til: str | None = None
    sorter: str = "dato"
    synkende: bool = True
    side: int = 1
    per_side: int = PER_SIDE


@dataclass(frozen=True)
class Manedssum:
    """The invoices of one month in the search: how many, and the sum (credit notes
    negative)."""

    maned: str
    antall: int
    sum: Decimal


@dataclass(frozen=True)
class Side:
    """One page of the list, whether there are more, and the totals of every match."""

    rader: list[Faktura]
    side: int
    flere: bool
    antall: int
    summer: list[Manedssum] = field(default_factory=list)
    gjennomforinger: dict[int, str] = field(default_factory=dict)


def _maned(verdi: str | None) -> tuple[str, str] | None:
    if not verdi:
        return None
    treff = _MANED.match(verdi.strip())
    if treff is None:
        raise InputInvalidError([FieldError("maned", "oppgi måneden som ÅÅÅÅ-MM, f.eks. 2026-10")])
    ar, mnd = int(treff[1]), int(treff[2])
    return f"{ar:04d}-{mnd:02d}-01", f"{ar:04d}-{mnd:02d}-{calendar.monthrange(ar, mnd)[1]:02d}"


def _filtrert(aktor: Aktor, u: Utvalg) -> Select[Any]:
    kreditert = aliased(Faktura)
    kjoper = func.coalesce(
        Faktura.grunnlag["kjoper"]["navn"].as_string(),
        kreditert.grunnlag["kjoper"]["navn"].as_string(),
        "",
    )
    query = (
        select(Faktura)
        .outerjoin(kreditert, kreditert.id == Faktura.krediterer_id)
        .where(Faktura.org_id == aktor.org_id)
    )
    if u.sok:
        monster = f"%{u.sok.strip().lower()}%"
        query = query.where(
            or_(func.lower(Faktura.nummer).like(monster), func.lower(kjoper).like(monster))
        )
    if u.kjoper:
        query = query.where(func.lower(kjoper).like(f"%{u.kjoper.strip().lower()}%"))
    if u.gjennomforing_id is not None:
        query = query.where(Faktura.gjennomforing_id == u.gjennomforing_id)
    if u.maned and (periode := _maned(u.maned)):
        forste, siste = periode
        overlapper = (Faktura.periode_fra <= siste) & (Faktura.periode_til >= forste)
        query = query.where(or_(Faktura.maned == forste[:7], overlapper))
    for kolonne, verdi in ((Faktura.status, u.status), (Faktura.art, u.art)):
        if verdi:
            query = query.where(kolonne == verdi)
    if u.fra:
        query = query.where(Faktura.periode_til >= u.fra)
    if u.til:
        query = query.where(Faktura.periode_fra <= u.til)
    return query


def _rekkefolge(u: Utvalg) -> list[Any]:
    kolonne: Any = {
        "nummer": Faktura.nummer,
        "dato": Faktura.fakturadato,
        "belop": cast(Faktura.belop, Numeric(18, 2)),
        "status": Faktura.status,
    }.get(u.sorter)
    if kolonne is None:
        kjente = ", ".join(SORTERBARE)
        raise InputInvalidError([FieldError("sorter", f"kan bare være en av: {kjente}")])
    retning = (lambda c: c.desc()) if u.synkende else (lambda c: c.asc())
    return [retning(kolonne), retning(Faktura.nummer), retning(Faktura.id)]


def _summer(rader: Iterable[Any]) -> list[Manedssum]:
    # Summed here, in Decimal: a database's cast of the text amounts could round.
    per: dict[str, tuple[int, Decimal]] = {}
    for maned, periode_fra, art, belop in rader:
        nokkel = maned or periode_fra[:7]
        antall, sum_ = per.get(nokkel, (0, Decimal("0.00")))
        per[nokkel] = (antall + 1, sum_ + Decimal(belop) * (-1 if art == "kreditnota" else 1))
    return [Manedssum(m, a, s) for m, (a, s) in sorted(per.items(), reverse=True)]


def sok(deps: Deps, aktor: Aktor, u: Utvalg) -> Side:
    """Return one page of the organisation's invoices and credit notes, with the number of
    matches and the totals per month of every match (not just the page).

    Raises:
        AccessDeniedError: the caller may not read invoices.
        InputInvalidError: a search field is too long, the month is not ``YYYY-MM``, or the
            sort key is unknown.
    """
    aktor.krev("faktura.les")
    sjekk_sok({"sok": u.sok, "kjoper": u.kjoper, "status": u.status, "art": u.art})
    sjekk_sok({"fra": u.fra, "til": u.til, "maned": u.maned})
    side = max(u.side, 1)
    query = _filtrert(aktor, u)
    sidespor = (
        query.options(selectinload(Faktura.forsok))
        .order_by(*_rekkefolge(u))
        .offset((side - 1) * u.per_side)
        .limit(u.per_side + 1)
    )
    with deps.sessions() as session:
        rader = list(session.scalars(sidespor))
        kolonner = (Faktura.maned, Faktura.periode_fra, Faktura.art, Faktura.belop)
        alle = session.execute(query.with_only_columns(*kolonner)).all()
        navn = dict(
            session.execute(
                select(Gjennomforing.id, Gjennomforing.navn).where(
                    Gjennomforing.org_id == aktor.org_id
                )
            ).all()
        )
        session.expunge_all()
    deps.read_audit.write(aktor, "sok", "faktura", None)
    return Side(
        rader[: u.per_side],
        side,
        len(rader) > u.per_side,
        len(alle),
        _summer(alle),
        {int(k): str(v) for k, v in navn.items()},
    )
