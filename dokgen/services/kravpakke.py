"""The NAV claim package of one month's close (``kravform`` ``nav_refusjonskrav``): the
sealed PDF/A "Timedokumentasjon" made from a :class:`~dokgen.storage.db.Manedskrav`'s
``grunnlag``, split into files NAV's arrangørflate takes (``application/pdf``, ≤ 10 MB each,
≤ 10 files).

The ``grunnlag`` the month's close stores (all amounts and hours decimal strings)::

    {"maned": "2026-10", "periode": {"fra": "2026-10-01", "til": "2026-10-31"},
     "arrangor": {"navn", "orgnr"},
     "gjennomforing": {"id", "navn", "tiltakstype", "avtalenummer", "tiltaksnummer", "regelsett"},
     "timepris": "1150.00", "kid": null,
     "deltakere": [{"nr", "navn", "fodselsnummer", "oppstartdato", "sluttdato",
                    "start_i_perioden", "slutt_i_perioden",
                    "aktiviteter": [{"dato", "aktivitet", "aktivitet_tekst", "minutter",
                                     "antall_deltakere", "regel", "timer"}],
                    "timer", "belop"}],
     "timer": "…", "belop": "…", "belop_kroner": 1234}

``regel`` is the rule pack's adjustment in words (None where the minutes are billed as they
are); ``timer`` the billed hours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dokgen.deps import Deps


def bygg(deps: Deps, krav_id: str) -> None:
    """Make, seal and store the Timedokumentasjon of the claim ``krav_id`` (a job: status
    behandles → klar with ``filer``, or feilet with ``feil``)."""
    raise NotImplementedError("kravpakken er ikke laget ennå")
