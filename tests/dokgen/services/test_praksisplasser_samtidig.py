"""Two veiledere confirming the last free place at the same moment: one succeeds, the other
is told the place is full, and the place never holds more than its capacity."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import StateConflictError
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import praksisplasser as pp
from dokgen.storage.db import Plassering
from ehf.identifiers import synthetic_person_ident
from tests.dokgen.register import FNR_JON, FNR_KARI
from tests.dokgen.services.praksis_hjelp import (
    BEKREFTET,
    MOTE,
    arbeidsgiver,
    deltaker,
    plass,
    status,
)
from tests.dokgen.services.test_deltakere_samtidig import _samtidig


def test_the_last_free_place_confirmed_at_once_is_given_once(
    deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int
) -> None:
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"], kapasitet=2)
    fnr = [FNR_KARI, FNR_JON, synthetic_person_ident(dt.date(1990, 4, 4), 7)]
    ider = []
    for nummer in fnr:
        inn = les(
            PlasseringInn,
            {
                "praksisplass_id": p["id"],
                "deltaker_id": deltaker(deps, admin, gjennomforing_id, nummer),
                "dato": "2026-08-20",
            },
        )
        ider.append(pp.opprett_plassering(deps, veileder, inn)["id"])
        pp.endre_status(deps, veileder, ider[-1], status(**MOTE))
    pp.endre_status(deps, veileder, ider[0], status(**BEKREFTET))  # one place left
    svar = _samtidig(2, lambda i: pp.endre_status(deps, veileder, ider[1 + i], status(**BEKREFTET)))
    assert sorted(type(s).__name__ for s in svar) == ["StateConflictError", "dict"]
    avvist = next(s for s in svar if isinstance(s, StateConflictError))
    assert "praksisplassen er full: 2 av 2 plasser" in str(avvist)
    with deps.sessions() as s:
        bekreftet = s.scalar(select(func.count()).where(Plassering.status == "bekreftet"))
        assert bekreftet == 2
    assert pp.hent_plass(deps, veileder, p["id"])["ledige"] == 0
