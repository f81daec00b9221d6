"""Dates on the register's own pages (search filters, "Gjelder fra", a timeliste's period):
typed as dd.mm.åååå in a text field, the same whatever the browser's language, as on the
document forms. An ISO date (åååå-mm-dd) is read too, so links written with one keep
working; the field shows it as dd.mm.åååå.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from dokgen.errors import FieldError
from dokgen.web.sider.skjema import parse_date

# What a wrong date gets: how to write it, with an example.
DATOFEIL = "Skriv datoen som dd.mm.åååå, f.eks. 01.10.2026"


def les_dato(tekst: str | None) -> dt.date | None:
    """Return a typed date (dd.mm.åååå or ISO), or None for an empty field.

    Raises:
        ValueError: the text is no date.
    """
    tekst = (tekst or "").strip()
    if not tekst:
        return None
    return dt.date.fromisoformat(parse_date(tekst))


def les_datoer(
    verdier: Mapping[str, str | None], felter: Iterable[str]
) -> tuple[dict[str, str | None], list[FieldError]]:
    """Return the ``felter`` of ``verdier`` as ISO dates (None when empty), and an error
    (:data:`DATOFEIL`) on each that is no date."""
    iso: dict[str, str | None] = {}
    feil: list[FieldError] = []
    for felt in felter:
        try:
            dato = les_dato(verdier.get(felt))
        except ValueError:
            feil.append(FieldError(felt, DATOFEIL))
            dato = None
        iso[felt] = dato.isoformat() if dato else None
    return iso, feil
