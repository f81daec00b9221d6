"""A seeded year for the årsrapport's figures: 2026 in an AMB Kvalifisering gjennomføring,
each deltaker chosen for one rule of the count, and sluttrapporter fra Kvalifisering with
their result codes (synthetic identities only; the register's rows written straight)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from dokgen.bootstrap import Deps
from dokgen.storage.db import Deltaker, Dokument, Versjon
from tests.dokgen.services.maned_hjelp import fnr, lag_deltaker, lag_gjennomforing

AR = 2026
# 2026's figures as the prefill must give them (see :func:`seed`).
ANTALL, ARSVERK = 5, "1.86"
RESULTATER = [
    {"resultat": "arbeid_uten_tilskudd", "antall": 1},
    {"resultat": "skole_utdanning", "antall": 1},
]


def sluttrapport(
    deps: Deps,
    org_id: int,
    gid: int,
    deltaker_id: int,
    resultat: str,
    sluttdato: str,
    ferdig: str | None,
) -> None:
    """Store a sluttrapport fra Kvalifisering of the deltaker (finalised on ``ferdig``)."""
    data: dict[str, Any] = {
        "type": "sluttrapport_kvalifisering",
        "resultat": resultat,
        "sluttdato": sluttdato,
    }
    tid = datetime.fromisoformat(ferdig).replace(hour=12, tzinfo=UTC) if ferdig else None
    with deps.sessions.begin() as s:
        dok = Dokument(
            org_id=org_id,
            type="sluttrapport_kvalifisering",
            deltaker="Syntetisk Person",
            deltaker_id=deltaker_id,
            gjennomforing_id=gid,
            opprettet_av="test",
            ferdig=tid,
        )
        s.add(dok)
        s.flush()
        s.add(
            Versjon(
                dokument_id=dok.id,
                nummer=1,
                data=data,
                data_sha256=hashlib.sha256(json.dumps(data).encode()).hexdigest(),
                status="godkjent" if tid else "utkast",
            )
        )


def seed(deps: Deps, org_id: int, **felter: Any) -> int:
    """Store the seeded gjennomføring; return its id.

    2026: A 1 January–2 July at 50 % (183/365 × 0.5); B since June 2025, no
    deltakelsesprosent (a whole year at 100 %); C from 1 October into 2027 at 80 % (92/365 ×
    0.8); F 1 January–1 March (60/365); G 1 February–1 May (90/365): 5 deltakere, 1.863 →
    1.86 årsverk. D ended in 2025 and E was registered by mistake: not counted. Results: A
    arbeid uten tilskudd; F an older annen attføring, the latest skole/utdanning; G only an
    unfinished report; D's report is of 2025.
    """
    verdier = {
        "navn": "AMB Kvalifisering",
        "tiltakstype": "Kvalifisering i arbeidsmarkedsbedrift",
        "regelsett": "amb",
        "startdato": date(2025, 1, 1),
        "kjoper": {"navn": "NAV Alna", "orgnr": "889640782"},
    }
    gid = lag_gjennomforing(deps, org_id, **(verdier | felter))
    i = iter(range(100))

    def ny(
        nr: str, oppstart: str, slutt: str | None, prosent: int | None, status: str = "DELTAR"
    ) -> int:
        did = lag_deltaker(
            deps, org_id, gid, nr, fnr=fnr(next(i)), oppstart=date.fromisoformat(oppstart),
            slutt=date.fromisoformat(slutt) if slutt else None, status=status,
        )  # fmt: skip
        with deps.sessions.begin() as s:
            rad = s.get(Deltaker, did)
            assert rad is not None
            rad.deltakelsesprosent = prosent
        return did

    a = ny("K-A", "2026-01-01", "2026-07-02", 50, "FULLFORT")
    ny("K-B", "2025-06-01", None, None)
    ny("K-C", "2026-10-01", "2027-03-31", 80)
    d = ny("K-D", "2025-01-01", "2025-12-31", 100, "FULLFORT")
    ny("K-E", "2026-02-01", None, 100, "FEILREGISTRERT")
    f = ny("K-F", "2026-01-01", "2026-03-01", 100, "HAR_SLUTTET")
    g = ny("K-G", "2026-02-01", "2026-05-01", 100, "AVBRUTT")
    sluttrapport(deps, org_id, gid, a, "arbeid_uten_tilskudd", "2026-07-02", "2026-07-20")
    sluttrapport(deps, org_id, gid, d, "skole_utdanning", "2025-12-31", "2026-01-10")
    sluttrapport(deps, org_id, gid, f, "annen_attforing", "2026-03-01", "2026-03-05")
    sluttrapport(deps, org_id, gid, f, "skole_utdanning", "2026-03-01", "2026-03-20")
    sluttrapport(deps, org_id, gid, g, "arbeid_med_tilskudd", "2026-05-01", None)
    return gid
