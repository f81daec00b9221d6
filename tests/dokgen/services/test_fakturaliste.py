"""The invoice list: search by number, buyer, gjennomføring and month; sort by number, date,
amount (as a number) and status, stable across pages; 50 a page; totals per month with
credit notes negative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import InputInvalidError
from dokgen.services import fakturaliste
from dokgen.services.fakturaliste import Utvalg
from dokgen.storage.db import Faktura, Gjennomforing, Organisasjon

pytestmark = pytest.mark.integration

KJOPERE = ("NAV Oslo", "Bydel Frogner")


def lag_fakturaer(deps: Deps, org: Organisasjon) -> int:
    """Store 110 invoices and one credit note directly (the list needs no built file):
    55 in September made by the month's close for a gjennomføring, 55 in October without;
    amounts 1 000, 900, 1 100 … so text order differs from number order. Return the
    gjennomføring's id."""
    with deps.sessions.begin() as s:
        g = Gjennomforing(
            org_id=org.id, navn="JMO Grorud", tiltakstype="JMO", regelsett="jmo-oslo-2020",
            startdato=date(2026, 1, 1),
        )  # fmt: skip
        s.add(g)
        s.flush()
        for i in range(110):
            maned = "2026-09" if i < 55 else "2026-10"
            s.add(
                Faktura(
                    org_id=org.id, nummer=f"2026-{i + 1:04d}", art="faktura",
                    periode_fra=f"{maned}-01", periode_til=f"{maned}-{30 if i < 55 else 31}",
                    fakturadato=f"2026-11-{i % 28 + 1:02d}",
                    belop=f"{1000 + (i % 3 - 1) * 100 * (i % 7)}.00",
                    status="validert" if i % 2 else "i_utboks",
                    grunnlag={"kjoper": {"navn": KJOPERE[i % 2]}, "regelsett": "jmo-oslo-2020"},
                    opprettet_av="test", gjennomforing_id=g.id if i < 55 else None,
                    maned=maned if i < 55 else None,
                )
            )  # fmt: skip
        s.flush()
        kreditert = s.query(Faktura).filter_by(nummer="2026-0002").one()
        s.add(
            Faktura(
                org_id=org.id, nummer="2026-0111", art="kreditnota", krediterer_id=kreditert.id,
                periode_fra="2026-09-01", periode_til="2026-09-30", fakturadato="2026-12-01",
                belop=kreditert.belop, status="validert", opprettet_av="test",
                grunnlag={"krediterer": "2026-0002", "linjer": ["1"]},
                gjennomforing_id=g.id, maned="2026-09",
            )
        )  # fmt: skip
        return g.id


def assert_the_list_searches_sorts_pages_and_sums(deps: Deps, org: Organisasjon) -> None:
    """The list's behaviour, shared by the SQLite and the PostgreSQL test."""
    aktor = Aktor(org.id, "Regn", "regnskap")
    gid = lag_fakturaer(deps, org)

    def sok(**kw: object) -> fakturaliste.Side:
        return fakturaliste.sok(deps, aktor, Utvalg(**kw))  # type: ignore[arg-type]

    forste = sok()
    assert (len(forste.rader), forste.flere, forste.antall) == (50, True, 111)
    tredje = sok(side=3)
    assert (len(tredje.rader), tredje.flere) == (11, False)
    sett = [r.nummer for p in (1, 2, 3) for r in sok(side=p, sorter="nummer").rader]
    assert sett == sorted(sett, reverse=True)
    assert len(set(sett)) == 111  # no row twice or skipped

    # Totals of every match, per month; the credit note counts negative.
    summer = {m.maned: m for m in forste.summer}
    assert set(summer) == {"2026-09", "2026-10"}
    with deps.sessions() as s:
        rader = s.query(Faktura).all()
        ventet = sum(
            (Decimal(r.belop) * (-1 if r.art == "kreditnota" else 1) for r in rader
             if (r.maned or r.periode_fra[:7]) == "2026-09"),
            Decimal("0"),
        )  # fmt: skip
    assert (summer["2026-09"].antall, summer["2026-09"].sum) == (56, ventet)

    # Search: number, buyer (a credit note by its invoice's buyer), gjennomføring, month.
    assert [r.nummer for r in sok(sok="2026-0042").rader] == ["2026-0042"]
    frogner = sok(sok="frogner", per_side=200)
    assert frogner.antall == 56  # 55 invoices and the credit note of 2026-0002
    assert "2026-0111" in {r.nummer for r in frogner.rader}
    assert sok(kjoper="NAV oslo").antall == 55
    assert sok(gjennomforing_id=gid).antall == 56
    oktober = sok(maned="2026-10")
    assert oktober.antall == 55  # by the period: no maned on these
    assert [m.maned for m in oktober.summer] == ["2026-10"]
    assert sok(maned="2026-09", sok="frogner").antall == 28
    with pytest.raises(InputInvalidError, match="ÅÅÅÅ-MM"):
        sok(maned="oktober")
    with pytest.raises(InputInvalidError, match="sorter"):
        sok(sorter="kjoper")

    # Sorting: amounts as numbers, ties broken by number (stable).
    belop = [Decimal(r.belop) for r in sok(sorter="belop", synkende=False, per_side=200).rader]
    assert belop == sorted(belop)
    like = [r.nummer for r in sok(sorter="status", synkende=False, per_side=200).rader]
    assert like[:3] == ["2026-0001", "2026-0003", "2026-0005"]  # i_utboks, by number
    assert [r.nummer for r in sok(sorter="dato", per_side=1).rader] == ["2026-0111"]


def test_search_sort_pages_and_totals(deps: Deps, org: Organisasjon) -> None:
    """See :func:`assert_the_list_searches_sorts_pages_and_sums` (SQLite)."""
    assert_the_list_searches_sorts_pages_and_sums(deps, org)


def test_another_organisation_sees_none(
    deps: Deps, org: Organisasjon, annen_org: Organisasjon
) -> None:
    """Another organisation's list is empty, its totals too."""
    lag_fakturaer(deps, org)
    side = fakturaliste.sok(deps, Aktor(annen_org.id, "x", "regnskap"), Utvalg())
    assert (side.rader, side.antall, side.summer) == ([], 0, [])
