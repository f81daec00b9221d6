"""A seeded month for the resultatrapport's tests: October 2026 in a JMO gjennomføring, each
deltaker chosen for one rule of the count, and finalised sluttrapporter with their status
(synthetic identities only; the register's rows written straight)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from dokgen.bootstrap import Deps
from dokgen.storage.db import Dokument, Versjon
from tests.dokgen.services.maned_hjelp import fnr, lag_deltaker, lag_gjennomforing

MANED = "2026-10"
# The seeded month's numbers as the report must give them.
AKTIVE, STARTET, AVSLUTTET = 7, 1, 4
ETTER_STATUS = [
    ("Arbeid", 2),
    ("Utdanning", 1),
    ("Annet tiltak", 0),
    ("Ikke i arbeid", 0),
    ("Avbrutt", 0),
    ("Uten ferdig sluttrapport", 1),
]


def sluttrapport(
    deps: Deps, org_id: int, deltaker_id: int, status: str, ferdig: datetime | None
) -> str:
    """Store a sluttrapport of the deltaker with its «Status ved avslutning» (finalised when
    ``ferdig`` is given); return its id."""
    data: dict[str, Any] = {"type": "sluttrapport", "status_ved_avslutning": status}
    with deps.sessions.begin() as s:
        dok = Dokument(
            org_id=org_id,
            type="sluttrapport",
            deltaker="Syntetisk Person",
            deltaker_id=deltaker_id,
            opprettet_av="test",
            ferdig=ferdig,
        )
        s.add(dok)
        s.flush()
        s.add(
            Versjon(
                dokument_id=dok.id,
                nummer=1,
                data=data,
                data_sha256=hashlib.sha256(json.dumps(data).encode()).hexdigest(),
                status="godkjent" if ferdig else "utkast",
            )
        )
        return dok.id


def _dag(dag: str) -> datetime:
    return datetime.fromisoformat(dag).replace(hour=12, tzinfo=UTC)


def seed(deps: Deps, org_id: int, **felter: Any) -> int:
    """Store the seeded gjennomføring; return its id.

    October 2026: A in the tiltak since March; B started 12 October; C ended 20 October
    (sluttrapport: arbeid); D ended 31 October (delvis arbeid, which counts as Arbeid); E ended
    5 October (an older sluttrapport said «ikke i arbeid», the latest «utdanning»); F ended 15
    October with only an unfinished sluttrapport; G ended in September; H starts in November;
    I was registered by mistake; J has a planned end in October but still takes part.
    """
    gid = lag_gjennomforing(deps, org_id, **felter)
    i = iter(range(100))

    def ny(nr: str, oppstart: str, slutt: str | None = None, status: str = "DELTAR") -> int:
        return lag_deltaker(
            deps, org_id, gid, nr, fnr=fnr(next(i)), oppstart=date.fromisoformat(oppstart),
            slutt=date.fromisoformat(slutt) if slutt else None, status=status,
        )  # fmt: skip

    ny("R-A", "2026-03-02")
    ny("R-B", "2026-10-12")
    c = ny("R-C", "2026-05-04", "2026-10-20", "HAR_SLUTTET")
    d = ny("R-D", "2026-06-01", "2026-10-31", "FULLFORT")
    e = ny("R-E", "2026-04-01", "2026-10-05", "AVBRUTT")
    f = ny("R-F", "2026-02-01", "2026-10-15", "HAR_SLUTTET")
    ny("R-G", "2026-01-10", "2026-09-30", "HAR_SLUTTET")
    ny("R-H", "2026-11-02", None, "VENTER_PA_OPPSTART")
    ny("R-I", "2026-10-01", None, "FEILREGISTRERT")
    ny("R-J", "2026-08-01", "2026-10-25", "DELTAR")
    sluttrapport(deps, org_id, c, "arbeid", _dag("2026-10-22"))
    sluttrapport(deps, org_id, d, "delvis_arbeid", _dag("2026-11-03"))
    sluttrapport(deps, org_id, e, "ikke_i_arbeid", _dag("2026-10-06"))
    sluttrapport(deps, org_id, e, "utdanning", _dag("2026-10-09"))
    sluttrapport(deps, org_id, f, "arbeid", None)
    return gid
