"""An admin sets a user's e-mail and phone on a page (printed as the arrangør's contact in
documents started from a deltaker); the whole organisation's frister are for admin and leser."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere
from dokgen.storage.db import Bruker, Organisasjon, Revisjon
from tests.dokgen.register import FNR_KARI, kontrakt
from tests.dokgen.web.sider_hjelp import logg_inn, token


def _bruker_id(deps: Deps, brukernavn: str) -> int:
    with deps.sessions() as s:
        rad = s.scalar(select(Bruker.id).where(Bruker.brukernavn == brukernavn))
        assert rad is not None
        return rad


def test_an_admin_sets_a_users_email_and_phone_and_bad_input_changes_nothing(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    ase = bruker("veileder")
    logg_inn(client, bruker("admin"))
    url = f"/admin/brukere/{_bruker_id(deps, ase)}/kontakt"
    assert url in client.get("/admin/brukere").text
    feil = client.post(
        url, data={"csrf_token": token(client, url), "epost": "ikke en adresse", "telefon": "12"}
    )
    assert feil.status_code == 422
    assert "må være en e-postadresse" in feil.text
    assert "må være et telefonnummer med 8 siffer" in feil.text
    assert 'value="ikke en adresse"' in feil.text
    ok = client.post(
        url,
        data={"csrf_token": token(client, url), "epost": "ase@eksempel.no", "telefon": "90000001"},
    )
    assert ok.status_code == 302
    with deps.sessions() as s:
        rad = s.get(Bruker, _bruker_id(deps, ase))
        assert rad is not None
        assert (rad.epost, rad.telefon) == ("ase@eksempel.no", "90000001")
        linje = s.scalar(select(Revisjon).where(Revisjon.handling == "endre_kontakt"))
        assert linje is not None
        assert linje.objekt_id == str(rad.id)
    assert "Tlf. 90000001" in client.get("/admin/brukere").text


def test_another_organisations_user_is_not_found_and_a_veileder_may_not_edit(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    annen_org: Organisasjon,
    bruker: Callable[..., str],
) -> None:
    fremmed = _bruker_id(deps, bruker("veileder", annen_org))
    logg_inn(client, bruker("admin"))
    assert client.get(f"/admin/brukere/{fremmed}/kontakt").status_code == 404
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    veileder = bruker("veileder")
    logg_inn(client, veileder)
    assert client.get(f"/admin/brukere/{_bruker_id(deps, veileder)}/kontakt").status_code == 403


def test_the_whole_organisations_frister_are_for_admin_and_leser_not_a_veileder(
    client: FlaskClient, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    logg_inn(client, bruker("veileder"))
    assert client.get("/frister").status_code == 403
    assert 'href="/frister"' not in client.get("/dokumenter").text
    assert client.get("/frister/kalender").status_code == 200


def test_only_an_admin_downloads_the_deltakere_with_their_fodselsnummer(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    bruker: Callable[..., str],
    admin: Aktor,
    gjennomforing_id: int,
) -> None:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gjennomforing_id}
    data["veiledere_arrangor"] = []
    deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))
    logg_inn(client, bruker("veileder"))
    assert "deltakere.csv" not in client.get("/deltakere").text
    assert client.get("/deltakere.csv").status_code == 403
    logg_inn(client, bruker("admin"))
    assert "/deltakere.csv" in client.get("/deltakere").text
    svar = client.get("/deltakere.csv")
    assert svar.status_code == 200
    assert svar.headers["Content-Disposition"] == 'attachment; filename="deltakere.csv"'
    assert f"D-0017;Kari;;Nordmann;{FNR_KARI};" in svar.text
