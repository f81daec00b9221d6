"""A samtalereferat meets the AMB frist "an oppfølgingssamtale at least every third month per
deltaker": its samtaledato is the document's period, which the frister are judged by."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import eksempel, parse_dokument
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import deltakere, dokumenter, frister, gjennomforinger
from dokgen.services.frister import Fristutvalg
from dokgen.storage.db import Dokument, Organisasjon
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.register import FNR_KARI, kontrakt


def _amb_deltaker(deps: Deps, admin: Aktor) -> int:
    """Kari (oppstart 2 March 2026) in a gjennomføring under the AMB rule pack."""
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json") | {"regelsett": "amb"})
    gid = int(gjennomforinger.opprett(deps, admin, inn)["id"])
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gid, "veiledere_arrangor": []}
    return int(deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))["id"])


def _referat(deps: Deps, org: Organisasjon, aktor: Aktor, deltaker_id: int, dag: str) -> str:
    """A samtalereferat of the deltaker held on ``dag``, finalised as sealing leaves it."""
    data = som_arrangor(eksempel("samtalereferat"), org) | {
        "deltaker": {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI},
        "samtaledato": dag,
        "dato": dag,
    }
    rad = dokumenter.opprett(
        deps, aktor, parse_dokument(data, tillat_syntetiske=True), deltaker_id=deltaker_id
    )
    with deps.sessions.begin() as s:
        lagret = s.get(Dokument, rad.id)
        assert lagret is not None
        assert (lagret.periode_fra, lagret.periode_til) == (dag, dag)
        assert lagret.deltaker == "Kari Nordmann"
        lagret.ferdig = datetime.fromisoformat(dag).replace(hour=15, tzinfo=UTC)
    return rad.id


def test_a_finalised_samtalereferat_meets_the_third_month_frist_of_its_samtaledato(
    deps: Deps, org: Organisasjon, admin: Aktor, veileder: Aktor
) -> None:
    kari = _amb_deltaker(deps, admin)
    forste = _referat(deps, org, veileder, kari, "2026-05-26")
    utvalg = Fristutvalg(dato=date(2026, 9, 15), type="samtalereferat", deltaker_id=kari)
    per = {f["nokkel"]: f for f in frister.liste(deps, admin, utvalg)}
    # Every third month from the oppstart; the first period ends 1 June.
    forst = per["samtalereferat:2026-03-02"]
    assert forst["periode"] == {"fra": "2026-03-02", "til": "2026-06-01"}
    assert (forst["status"], forst["dokument_id"]) == ("levert", forste)
    assert forst["levert"] == {"dato": "2026-05-26", "for_sent": False}
    # The next period (to 1 September) has had no conversation: overdue on 15 September.
    assert per["samtalereferat:2026-06-02"]["status"] == "forfalt"
    assert per["samtalereferat:2026-06-02"]["dokument_id"] is None
