"""The AMB rule pack read from the register: a gjennomføring under ``amb`` owes its årsrapport,
tilbudsmeldinger and møtereferat, each deltaker the samtalereferater and the sluttrapport after
Kvalifisering by the gjennomføring's own days; in words, and met by finalised documents."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import frister, gjennomforinger
from dokgen.services.frister import Fristutvalg
from dokgen.storage.db import Dokument, Organisasjon
from tests.dokgen.register import kontrakt
from tests.dokgen.services.maned_hjelp import lag_deltaker


def _gjennomforing(deps: Deps, admin: Aktor, **felter: object) -> int:
    data = kontrakt("gjennomforing.json") | {"regelsett": "amb", "navn": "AMB Kvalifisering"}
    return int(gjennomforinger.opprett(deps, admin, les(GjennomforingInn, data | felter))["id"])


def test_the_amb_frister_in_words_by_the_gjennomforings_days(
    deps: Deps, org: Organisasjon, admin: Aktor
) -> None:
    gid = _gjennomforing(deps, admin, sluttrapport_dager=30)
    assert gjennomforinger.hent(deps, admin, gid)["sluttrapport_dager"] == 30
    deltaker = lag_deltaker(
        deps, org.id, gid, "A-1", oppstart=date(2026, 2, 2), slutt=date(2026, 9, 30),
        status="HAR_SLUTTET",
    )  # fmt: skip
    with deps.sessions.begin() as s:
        s.add(
            Dokument(
                org_id=org.id,
                type="tilbudsmelding",
                deltaker="",
                gjennomforing_id=gid,
                opprettet_av="test",
                ferdig=datetime(2026, 3, 12, 9, tzinfo=UTC),
            )
        )
    liste = frister.liste(
        deps,
        admin,
        Fristutvalg(dato=date(2026, 4, 10), gjennomforing_id=gid, til=date(2026, 12, 31)),
    )
    per = {(f["deltaker_id"], f["nokkel"]): f for f in liste}
    slutt = per[(deltaker, "sluttrapport_kvalifisering")]
    assert (slutt["frist"], slutt["tittel"]) == ("2026-10-30", "Sluttrapport fra Kvalifisering")
    samtale = per[(deltaker, "samtalereferat:2026-02-02")]
    assert (samtale["frist"], samtale["tittel"]) == ("2026-05-01", "Samtalereferat")
    mars, april = per[(None, "tilbudsmelding:2026-03-01")], per[(None, "tilbudsmelding:2026-04-01")]
    assert (mars["status"], mars["levert"]) == ("levert", {"dato": "2026-03-12", "for_sent": False})
    assert (april["frist"], april["status"]) == ("2026-04-30", "kommende")
    mote = per[(None, "motereferat:2026-01-01")]
    assert (mote["frist"], mote["tittel"]) == ("2026-12-31", "Møtereferat")
    assert "resultatrapport" not in {f["type"] for f in liste}  # JMO's, not AMB's
    assert (
        frister.liste(
            deps, admin, Fristutvalg(gjennomforing_id=gid, type="arsrapport", til=date(2027, 7, 1))
        )[0]["frist"]
        == "2027-06-30"
    )


def test_without_the_samarbeidsavtales_days_the_pack_gives_14(
    deps: Deps, org: Organisasjon, admin: Aktor
) -> None:
    gid = _gjennomforing(deps, admin)
    deltaker = lag_deltaker(
        deps, org.id, gid, "A-2", oppstart=date(2026, 2, 2), slutt=date(2026, 9, 30),
        status="HAR_SLUTTET",
    )  # fmt: skip
    liste = frister.liste(
        deps, admin, Fristutvalg(deltaker_id=deltaker, type="sluttrapport_kvalifisering")
    )
    assert [f["frist"] for f in liste] == ["2026-10-14"]
