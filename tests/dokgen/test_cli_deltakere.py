"""``dokgen gjennomforing lag|liste``, ``dokgen deltaker import`` and ``dokgen frister`` as an
operator runs them: exit codes, what is printed, what the database then holds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import make_deps
from dokgen.cli import main
from dokgen.deps import Deps
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere
from dokgen.settings import Settings
from dokgen.storage.db import Deltaker, Gjennomforing, Organisasjon, Revisjon
from tests.conftest import KONTRAKT

ORGNR, ANNET_ORGNR = "998877660", "974760673"
FNR_KARI = "15858545606"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An instance in a temporary folder with two organisations."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Eksempel AS"]) == 0
    assert main(["org", "lag", "--orgnr", ANNET_ORGNR, "--navn", "Annen AS"]) == 0
    return tmp_path


def _skriv(mappe: Path, navn: str, data: Any) -> Path:
    fil = mappe / navn
    fil.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return fil


def _gjennomforing(env: Path, **endringer: Any) -> Path:
    data = json.loads((KONTRAKT / "gjennomforing.json").read_text(encoding="utf-8"))
    return _skriv(env, "gjennomforing.json", data | endringer)


@pytest.fixture
def deps(env: Path) -> Iterator[Deps]:
    """The instance's collaborators, as the service builds them (closed after the test)."""
    made = make_deps(Settings.from_env())
    yield made
    made.jobs.close()
    made.sessions.kw["bind"].dispose()


def _antall(deps: Deps, model: type[Any]) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_lag_and_liste_a_gjennomforing(
    env: Path, deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0 and the new id; the list shows it to its organisation only, dates in Norwegian
    form; the audit log names the command line."""
    capsys.readouterr()
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(_gjennomforing(env))]) == 0
    assert capsys.readouterr().out == (
        "Gjennomføringen «Jobbmestrende oppfølging Oslo 2026» er laget (id 1).\n"
    )
    assert main(["gjennomforing", "liste", "--org", ORGNR]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ID\tSTART\tSLUTT\tREGELSETT\tNAVN",
        "1\t01.01.2026\t–\tjmo-oslo-2020\tJobbmestrende oppfølging Oslo 2026",
    ]
    assert main(["gjennomforing", "liste", "--org", ANNET_ORGNR]) == 0
    assert capsys.readouterr().out == f"Organisasjonen {ANNET_ORGNR} har ingen gjennomføringer.\n"
    with deps.sessions() as s:
        linje = s.scalars(select(Revisjon).where(Revisjon.objekt_type == "gjennomforing")).one()
        assert (linje.handling, linje.aktor) == ("opprett", "kommandolinjen (admin)")


@pytest.mark.parametrize(
    ("endringer", "melding"),
    [
        ({"regelsett": "ukjent-2099"}, "regelsett: ukjent regelsett «ukjent-2099»"),
        ({"sluttdato": "2025-01-01"}, "sluttdato: sluttdato kan ikke være før startdato"),
    ],
)
def test_a_bad_gjennomforing_exits_2_with_the_field_and_writes_nothing(
    env: Path,
    deps: Deps,
    capsys: pytest.CaptureFixture[str],
    endringer: dict[str, Any],
    melding: str,
) -> None:
    """Bad input: exit 2, each error on its field in bokmål, no row."""
    capsys.readouterr()
    fil = _gjennomforing(env, **endringer)
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(fil)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Ugyldige inndata:\n")
    assert melding in err
    assert _antall(deps, Gjennomforing) == 0


def test_unreadable_file_or_unknown_org_is_bad_input(env: Path, deps: Deps) -> None:
    """Not JSON, an unknown organisation, a missing file: exit 2 each, nothing written."""
    odelagt = env / "feil.json"
    odelagt.write_text('{"navn": ', encoding="utf-8")
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(odelagt)]) == 2
    fil = _gjennomforing(env)
    assert main(["gjennomforing", "lag", "--org", "123456785", str(fil)]) == 2
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(env / "finnes-ikke.json")]) == 2
    assert _antall(deps, Gjennomforing) == 0


def test_frister_as_a_table_in_words_or_as_json(
    env: Path, deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan overdue and the first statusrapport soon on 5 June 2026; the JSON is the
    API's; no fødselsnummer in either."""
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(_gjennomforing(env))]) == 0
    data = json.loads((KONTRAKT / "deltaker.json").read_text(encoding="utf-8"))
    data |= {"gjennomforing_id": 1, "veiledere_arrangor": []}
    with deps.sessions() as s:
        org_id = s.scalar(select(Organisasjon.id).where(Organisasjon.orgnr == ORGNR))
    assert org_id is not None
    admin = Aktor(org_id, "test", "admin")
    deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))
    capsys.readouterr()

    assert main(["frister", "--org", ORGNR, "--dato", "2026-06-05"]) == 0
    linjer = capsys.readouterr().out.splitlines()
    assert linjer[0] == "FRIST\tSTATUS\tDOKUMENT\tPERIODE\tDELTAKER"
    assert "23.03.2026\tForfalt\tPlan for tiltaket\t–\tD-0017 Kari Nordmann" in linjer
    assert "08.06.2026\tSnart\tStatusrapport\t02.03.2026–01.06.2026\tD-0017 Kari Nordmann" in linjer
    assert main(["frister", "--org", ORGNR, "--dato", "2026-06-05", "--json"]) == 0
    ut = capsys.readouterr().out
    svar = json.loads(ut)["frister"]
    plan = next(f for f in svar if f["nokkel"] == "plan")
    assert (plan["status"], plan["frist"], plan["deltaker_id"]) == ("forfalt", "2026-03-23", 1)
    assert FNR_KARI not in ut
    assert main(["frister", "--org", ANNET_ORGNR]) == 0
    assert capsys.readouterr().out == f"Organisasjonen {ANNET_ORGNR} har ingen frister.\n"
    assert main(["frister", "--org", ORGNR, "--dato", "5.6.2026"]) == 2
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Deltaker)) == 1


def test_deltaker_import_previews_then_writes_and_prints_no_fodselsnummer(
    env: Path, deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    """NAV's JSON: --forhandsvis prints the rows and writes nothing; then the import writes
    both, numbered; the media type comes from the suffix."""
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(_gjennomforing(env))]) == 0
    fil = env / "deltakere.json"
    fil.write_bytes((KONTRAKT / "deltakere-nav.json").read_bytes())
    kommando = ["deltaker", "import", str(fil), "--org", ORGNR, "--gjennomforing", "1"]
    capsys.readouterr()
    assert main([*kommando, "--forhandsvis"]) == 0
    ut = capsys.readouterr().out
    assert ut.splitlines() == [
        "Forhåndsvisning (ingenting er lagret):",
        "  ny\trad 1\tKari Nordmann",
        "  ny\trad 2\tJon Erik Berg",
        "2 nye, 0 endret, 0 uendret, 0 mangler i filen.",
    ]
    assert _antall(deps, Deltaker) == 0
    assert main(kommando) == 0
    ut += capsys.readouterr().out
    assert "  ny\trad 1\tD-0001 Kari Nordmann" in ut
    assert FNR_KARI not in ut
    with deps.sessions() as s:
        assert sorted(s.scalars(select(Deltaker.nr))) == ["D-0001", "D-0002"]
    assert main(kommando) == 0
    assert capsys.readouterr().out.endswith("0 nye, 0 endret, 2 uendret, 0 mangler i filen.\n")


def test_a_row_error_stops_the_import_with_exit_2(
    env: Path, deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    """A coordinator list with an unknown status: the preview names row and column (exit 2),
    the import refuses the whole file (exit 2); an unknown suffix and another organisation's
    gjennomføring are refused too; nothing is written."""
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(_gjennomforing(env))]) == 0
    tekst = (KONTRAKT / "deltakere-koordinator.csv").read_text(encoding="utf-8")
    fil = env / "liste.csv"
    fil.write_text(tekst.replace(";Deltar;", ";Holder på;"), encoding="utf-8")
    kommando = ["deltaker", "import", str(fil), "--org", ORGNR, "--gjennomforing", "1"]
    capsys.readouterr()
    assert main([*kommando, "--forhandsvis"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Feil i filen (rettes før importen kan lagres):\n  - rad 2, Status: ")
    assert main(kommando) == 2
    err = capsys.readouterr().err
    assert "Ugyldige inndata:" in err
    assert "rad 2.Status" in err
    assert FNR_KARI not in err
    xml = env / "liste.xml"
    xml.write_text("<deltakere/>", encoding="utf-8")
    assert main(["deltaker", "import", str(xml), "--org", ORGNR, "--gjennomforing", "1"]) == 2
    assert "ukjent filtype «.xml»" in capsys.readouterr().err
    annen = ["deltaker", "import", str(fil), "--org", ANNET_ORGNR, "--gjennomforing", "1"]
    assert main(annen) == 1
    assert capsys.readouterr().err == "Feil: fant ikke gjennomføringen\n"
    assert _antall(deps, Deltaker) == 0
