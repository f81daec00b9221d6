"""Deltakere registered at the same moment: numbers are never given twice, and a double
click registers one deltaker and tells the other click why, never a database error."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import InputInvalidError
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere
from dokgen.storage.db import Deltaker
from ehf.identifiers import synthetic_person_ident
from tests.dokgen.register import kontrakt


def _inn(gjennomforing_id: int, fnr: str) -> DeltakerInn:
    data = kontrakt("deltaker.json") | {
        "gjennomforing_id": gjennomforing_id,
        "veiledere_arrangor": [],
        "nr": None,
        "fodselsnummer": fnr,
    }
    return les(DeltakerInn, data, tillat_syntetiske=True)


def _samtidig(n: int, arbeid: Callable[[int], Any]) -> list[Any]:
    """Run ``arbeid(i)`` in ``n`` threads released together; return results or errors."""
    start = threading.Barrier(n)
    ut: list[Any] = [None] * n

    def kjor(i: int) -> None:
        start.wait()
        try:
            ut[i] = arbeid(i)
        except Exception as exc:  # the test looks at what each thread met
            ut[i] = exc

    traader = [threading.Thread(target=kjor, args=(i,)) for i in range(n)]
    for t in traader:
        t.start()
    for t in traader:
        t.join(timeout=120)
    return ut


def test_deltakere_registered_at_once_get_distinct_numbers(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    fnr = [synthetic_person_ident(dt.date(1980, 1, 1 + i), 10 * i) for i in range(6)]
    svar = _samtidig(6, lambda i: deltakere.opprett(deps, admin, _inn(gjennomforing_id, fnr[i])))
    assert all(isinstance(s, dict) for s in svar), svar
    assert sorted(s["nr"] for s in svar) == [f"D-000{i}" for i in range(1, 7)]


def test_a_double_click_registers_one_deltaker_and_tells_the_other_why(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    fnr = synthetic_person_ident(dt.date(1985, 5, 15), 3)
    svar = _samtidig(4, lambda _i: deltakere.opprett(deps, admin, _inn(gjennomforing_id, fnr)))
    lagret = [s for s in svar if isinstance(s, dict)]
    avvist = [s for s in svar if isinstance(s, InputInvalidError)]
    assert len(lagret) == 1
    assert len(avvist) == 3
    assert all(e.errors[0].path == "fodselsnummer" for e in avvist)
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Deltaker)) == 1


def test_the_same_import_committed_twice_at_once_writes_each_deltaker_once(
    deps: Deps, admin: Aktor, gjennomforing_id: int
) -> None:
    """A double click on "Lagre" after the preview: one commit writes, the other finds
    every row unchanged."""
    from dokgen.services.deltakerimport import importer
    from tests.conftest import KONTRAKT

    innhold = (KONTRAKT / "deltakere-nav.json").read_bytes()
    svar = _samtidig(
        2,
        lambda _i: importer(
            deps,
            admin,
            gjennomforing_id=gjennomforing_id,
            innhold=innhold,
            mediatype="application/json",
            forhandsvis=False,
        ),
    )
    assert all(isinstance(s, dict) for s in svar), svar
    assert sorted(len(s["nye"]) for s in svar) == [0, 2]
    assert sorted(len(s["uendrede"]) for s in svar) == [0, 2]
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Deltaker)) == 2
