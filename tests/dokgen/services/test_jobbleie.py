"""Leases on the records jobs work on (:mod:`dokgen.runtime.leases`): a job that ends without moving
its record on, a result that cannot be written, a version every party approved but nobody
sealed. No record stays ``behandles``/``forsegles`` beyond its lease."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import parse_dokument
from dokgen.errors import StateConflictError
from dokgen.runtime import leases
from dokgen.services import brukere, fakturaer, fakturajobber
from dokgen.services import dokumenter as service
from dokgen.storage.db import (
    Faktura,
    Godkjenning,
    Organisasjon,
    Revisjon,
    Sendeforsok,
    Versjon,
    now,
    utc,
)
from tests.conftest import wait_for
from tests.dokgen.conftest import org_innstillinger

pytestmark = pytest.mark.integration


class DreptError(BaseException):
    """What a job sees when its process is killed: nothing after it runs (not an Exception,
    so no handler of the job's own catches it)."""


def _versjon(deps: Deps, versjon_id: int) -> Versjon:
    with deps.sessions() as s:
        versjon = s.get(Versjon, versjon_id)
        assert versjon is not None
        return versjon


def _faktura(deps: Deps, faktura_id: str) -> Faktura:
    with deps.sessions() as s:
        faktura = s.get(Faktura, faktura_id)
        assert faktura is not None
        return faktura


def _org(deps: Deps) -> Organisasjon:
    with deps.sessions.begin() as s:
        return brukere.opprett_org(s, "998877660", "Eksempel", org_innstillinger())


def _ny(deps: Deps, aktor: Aktor, kontrakt: Any, type_navn: str = "statusrapport") -> int:
    dok = parse_dokument(kontrakt(type_navn), tillat_syntetiske=True)
    return service.opprett(deps, aktor, dok).gjeldende.id


@pytest.fixture
def kort(make_deps: Callable[..., Deps]) -> Deps:
    """The collaborators of an app whose jobs hold a lease of one second."""
    deps: Deps = make_deps(jobb_leie=1.0)
    return deps


def test_a_result_that_could_not_be_written_is_made_again_when_the_lease_runs_out(
    kort: Deps, kontrakt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job's last write fails (the database's disk full): the job ends, the version is
    left behandles with a lease nobody renews, and the sweep has it made again once the lease
    runs out — utkast with its PDF, the lease cleared."""
    aktor = Aktor(_org(kort).id, "Åse", "veileder")
    ekte, kall = service._set, []

    def full_forst(*args: Any, **values: Any) -> None:
        kall.append(values.get("status"))
        if len(kall) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        ekte(*args, **values)

    monkeypatch.setattr(service, "_set", full_forst)
    versjon_id = _ny(kort, aktor, kontrakt)
    versjon = wait_for(lambda: _versjon(kort, versjon_id), lambda v: v.status != "behandles")
    assert versjon.status == "utkast"
    assert kall == ["utkast", "utkast"]
    assert (versjon.jobb_frist, versjon.jobb_forsok, versjon.feil) == (None, 0, None)
    assert kort.store.get(versjon.utkast_pdf_sha256 or "").startswith(b"%PDF-")


def test_a_job_longer_than_its_lease_keeps_it_and_runs_once(
    kort: Deps, kontrakt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fill that takes four leases' time renews its lease meanwhile: two leases in, the
    lease is still live and a retry is refused (409: a job works on it); it runs once and
    ends utkast."""
    aktor = Aktor(_org(kort).id, "Åse", "veileder")
    ekte, startet, slipp = service.render_docx, [], threading.Event()

    def sakte(*args: Any, **kwargs: Any) -> bytes:
        startet.append(time.monotonic())
        slipp.wait(4 * kort.settings.jobb_leie)
        return ekte(*args, **kwargs)

    monkeypatch.setattr(service, "render_docx", sakte)
    versjon_id = _ny(kort, aktor, kontrakt)
    wait_for(lambda: list(startet), bool)
    wait_for(lambda: time.monotonic() - startet[0], lambda t: t > 2 * kort.settings.jobb_leie)
    underveis = _versjon(kort, versjon_id)
    assert underveis.status == "behandles"
    assert underveis.jobb_frist is not None
    assert utc(underveis.jobb_frist) > now()  # renewed: the first lease ran out long ago
    with pytest.raises(StateConflictError):
        service.prov_igjen(kort, aktor, underveis.dokument_id)
    slipp.set()
    versjon = wait_for(lambda: _versjon(kort, versjon_id), lambda v: v.status != "behandles")
    assert versjon.status == "utkast"
    assert kort.jobs.wait_idle(60)
    assert len(startet) == 1


def test_a_job_killed_every_time_fails_the_version_after_three_starts(
    kort: Deps, kontrakt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document whose job dies at every start (e.g. the OOM killer at each conversion) is
    not tried for ever: after three starts it is feilet with a reason and a retry."""
    aktor = Aktor(_org(kort).id, "Åse", "veileder")
    starter = []

    def drept(*args: Any, **kwargs: Any) -> bytes:
        starter.append(1)
        raise DreptError

    monkeypatch.setattr(service, "render_docx", drept)
    versjon_id = _ny(kort, aktor, kontrakt)
    versjon = wait_for(lambda: _versjon(kort, versjon_id), lambda v: v.status != "behandles")
    assert (versjon.status, versjon.feil) == ("feilet", leases.avbrutt_tekst(3))
    assert "avbrutt 3 ganger" in (versjon.feil or "")
    assert len(starter) == 3
    assert (versjon.jobb_frist, versjon.jobb_forsok) == (None, 0)


def test_a_full_file_store_fails_the_document_and_the_invoice_with_the_reason(
    make_deps: Callable[..., Deps], kontrakt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file store's disk is full when the results are stored: the version and the
    invoice end feilet saying so (the invoice was left behandles before), and a retry once
    there is room succeeds."""
    deps: Deps = make_deps()
    org = _org(deps)
    veileder, regnskap = Aktor(org.id, "Åse", "veileder"), Aktor(org.id, "Regn", "regnskap")

    def full(data: bytes) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(deps.store, "put", full)
    versjon_id = _ny(deps, veileder, kontrakt)
    f = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(120)
    versjon, faktura = _versjon(deps, versjon_id), _faktura(deps, f.id)
    assert (versjon.status, versjon.feil) == (
        "feilet",
        "Lagringen er full, så resultatet kunne ikke lagres. Prøv igjen senere.",
    )
    assert (faktura.status, faktura.feil, faktura.xml_sha256) == (
        "feilet",
        "Lagringen er full; fakturaen kunne ikke lagres.",
        None,
    )

    monkeypatch.undo()
    with deps.sessions() as s:
        dokument_id = s.get(Versjon, versjon_id).dokument_id  # type: ignore[union-attr]
    service.prov_igjen(deps, veileder, dokument_id)
    fakturaer.prov_igjen(deps, regnskap, f.id)
    assert deps.jobs.wait_idle(120)
    assert _versjon(deps, versjon_id).status == "utkast"
    assert _faktura(deps, f.id).status == "validert"


def _godkjent_av_alle_men_ikke_forseglet(deps: Deps, aktor: Aktor, versjon_id: int) -> None:
    """Leave the version as the approval race did: every party's approval, status utkast."""
    with deps.sessions.begin() as s:
        versjon = s.get(Versjon, versjon_id)
        assert versjon is not None
        s.add(
            Godkjenning(
                versjon=versjon,
                part="arrangor",
                navn=aktor.navn,
                bruker=aktor.navn,
                innhold_sha256=versjon.data_sha256,
            )
        )


def test_a_version_all_approved_but_never_sealed_is_sealed_at_the_next_start(
    make_deps: Callable[..., Deps], tmp_path: Any, kontrakt: Any
) -> None:
    """Every party approved, status still utkast: the next start seals it."""
    instans = tmp_path / "delt"
    deps: Deps = make_deps(instans=instans)
    aktor = Aktor(_org(deps).id, "Åse", "veileder")
    versjon_id = _ny(deps, aktor, kontrakt)
    assert deps.jobs.wait_idle(120)
    _godkjent_av_alle_men_ikke_forseglet(deps, aktor, versjon_id)
    assert _versjon(deps, versjon_id).status == "utkast"

    later: Deps = make_deps(instans=instans)
    assert later.jobs.wait_idle(120)
    versjon = _versjon(later, versjon_id)
    assert (versjon.status, versjon.feil) == ("godkjent", None)
    assert later.store.get(versjon.pdf_sha256 or "").startswith(b"%PDF-")


def test_an_interrupted_send_is_resumed_once_with_the_same_idempotency_key(
    kort: Deps, kontrakt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A send whose job died after handing the invoice over (before recording it) is resumed
    when the lease runs out: the same bytes go under the same key, so the outbox holds one
    envelope; the resumption is recorded; the invoice ends sendt."""
    regnskap = Aktor(_org(kort).id, "Regn", "regnskap")
    f = fakturaer.opprett(kort, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert kort.jobs.wait_idle(120)
    ekte, nokler = fakturajobber._sendt, []

    def dor_etter_sending(deps: Deps, faktura_id: str, kvittering: Any) -> None:
        nokler.append(kvittering.melding_id)
        if len(nokler) == 1:
            raise DreptError
        ekte(deps, faktura_id, kvittering)

    monkeypatch.setattr(fakturajobber, "_sendt", dor_etter_sending)
    fakturaer.send(kort, regnskap, f.id)
    faktura = wait_for(lambda: _faktura(kort, f.id), lambda x: x.status != "sending")
    assert faktura.status == "i_utboks"
    assert len(nokler) == 2
    assert nokler[0] == nokler[1]
    assert [p.name for p in kort.settings.utboks_dir.iterdir()] == [f"{nokler[0]}.xml"]
    with kort.sessions() as s:
        resultater = s.scalars(
            select(Sendeforsok.resultat).where(Sendeforsok.faktura_id == f.id)
        ).all()
    assert resultater == ["gjenopptatt", "duplikat"]


def test_retry_takes_up_an_invoice_whose_send_stalled_and_refuses_a_live_one(
    make_deps: Callable[..., Deps], kontrakt: Any
) -> None:
    """An invoice left `sending` by a job that died is resumed by a person's retry before the
    sweep: one envelope, sendt. While a job holds a live lease the retry answers 409."""
    deps: Deps = make_deps()
    regnskap = Aktor(_org(deps).id, "Regn", "regnskap")
    f = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(120)

    def stall(frist: timedelta) -> None:
        with deps.sessions.begin() as s:
            s.execute(
                update(Faktura)
                .where(Faktura.id == f.id)
                .values(status="sending", jobb_frist=now() + frist, jobb_forsok=1)
            )

    stall(timedelta(minutes=5))
    with pytest.raises(StateConflictError):
        fakturaer.prov_igjen(deps, regnskap, f.id)
    stall(timedelta(seconds=-1))
    fakturaer.prov_igjen(deps, regnskap, f.id)
    faktura = wait_for(lambda: _faktura(deps, f.id), lambda x: x.status != "sending")
    assert faktura.status == "i_utboks"
    assert len(list(deps.settings.utboks_dir.iterdir())) == 1


def test_a_double_clicked_invoice_retry_queues_one_build(
    make_deps: Callable[..., Deps], kontrakt: Any
) -> None:
    """Two retries of a failed build at the same moment: the first queues the build, the
    second finds it under way (409); one audit line of the retry."""
    deps: Deps = make_deps()
    regnskap = Aktor(_org(deps).id, "Regn", "regnskap")
    f = fakturaer.opprett(deps, regnskap, fakturaer.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(120)
    with deps.sessions.begin() as s:
        s.execute(
            update(Faktura)
            .where(Faktura.id == f.id)
            .values(status="feilet", xml_sha256=None, feil="Bygget feilet")
        )
    svar: list[str] = []
    start = threading.Barrier(2)

    def retry() -> None:
        start.wait()
        try:
            fakturaer.prov_igjen(deps, regnskap, f.id)
            svar.append("ok")
        except StateConflictError:
            svar.append("409")

    threads = [threading.Thread(target=retry) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(svar) == ["409", "ok"]
    assert deps.jobs.wait_idle(120)
    assert _faktura(deps, f.id).status == "validert"
    with deps.sessions() as s:
        linjer = s.scalars(
            select(Revisjon.handling).where(
                Revisjon.objekt_id == f.id, Revisjon.handling == "prov_igjen"
            )
        ).all()
    assert linjer == ["prov_igjen"]
