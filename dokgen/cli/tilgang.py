"""``dokgen org lag``, ``dokgen bruker lag|passord|…``, ``dokgen token lag|liste|trekk-tilbake``:
organisations and access.

Each command calls the service function the admin's pages call, as the operator
(:data:`KOMMANDOLINJEN`, an admin of the organisation named by ``--org``), so the checks and
the audit lines are the pages'.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import click

from dokgen.access import ROLLER, Aktor
from dokgen.cli.parametre import Valg
from dokgen.deps import Deps
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.services import admin as admin_service
from dokgen.services import brukere
from dokgen.services import passord as passord_service
from dokgen.settings import Settings

OSLO = ZoneInfo("Europe/Oslo")
# Who the audit log names for what the operator does from the command line.
KOMMANDOLINJEN = "kommandolinjen"


def _deps() -> Deps:
    """Open the instance the service uses (migrating it), as the service does."""
    from dokgen.bootstrap import make_deps

    return make_deps(Settings.from_env())


def _operator(deps: Deps, orgnr: str) -> Aktor:
    """Return the operator acting as an admin of the organisation with this orgnr.

    Raises:
        InputInvalidError: no organisation has it.
    """
    return Aktor(brukere.org_id(deps, orgnr), KOMMANDOLINJEN, "admin")


@click.group()
def org() -> None:
    """Organisasjoner (tiltaksarrangører)."""


@org.command("lag")
@click.option("--orgnr", required=True)
@click.option("--navn", required=True)
def lag_org(orgnr: str, navn: str) -> None:
    """Lag en organisasjon; innstillinger for faktura settes av admin på nettsidene."""
    brukere.opprett_organisasjon(_deps(), orgnr, navn)
    click.echo(f"Organisasjonen {navn} ({orgnr}) er laget.")


@click.group()
def token() -> None:
    """API-tokener for systemer."""


@token.command("lag")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret tokenet gjelder.")
@click.option("--rolle", required=True, type=Valg(ROLLER))
@click.option("--navn", default="api", show_default=True, help="Hva tokenet brukes til.")
def lag_token(orgnr: str, rolle: str, navn: str) -> None:
    """Lag et nytt token og skriv det ut én gang (bare en hash lagres)."""
    deps = _deps()
    nytt = brukere.opprett_token(deps, _operator(deps, orgnr), {"navn": navn, "rolle": rolle})
    click.echo(nytt.token)


def _tid(value: datetime) -> str:
    return value.astimezone(OSLO).strftime("%d.%m.%Y %H:%M")


@token.command("liste")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
def liste_tokener(orgnr: str) -> None:
    """Vis organisasjonens tokener, nyeste først (aldri selve tokenet)."""
    deps = _deps()
    rader = brukere.tokener(deps, _operator(deps, orgnr))
    if not rader:
        click.echo(f"Organisasjonen {orgnr} har ingen API-tokener.")
        return
    click.echo("ID\tROLLE\tOPPRETTET\tSTATUS\tNAVN")
    for t in rader:
        status = "aktiv" if t.tilbakekalt is None else f"tilbakekalt {_tid(t.tilbakekalt)}"
        click.echo(f"{t.id}\t{t.rolle}\t{_tid(t.opprettet)}\t{status}\t{t.navn}")


@token.command("trekk-tilbake")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret tokenet gjelder.")
@click.option("--id", "token_id", required=True, type=int, help="Tokenets id (se «token liste»).")
def trekk_tilbake_token(orgnr: str, token_id: int) -> None:
    """Trekk tilbake et token; tjenesten avviser det senest etter 10 sekunder."""
    deps = _deps()
    aktor = _operator(deps, orgnr)
    try:
        navn = brukere.trekk_tilbake_token(deps, aktor, token_id).navn
    except RecordNotFoundError:
        message = f"organisasjonen {orgnr} har ikke noe token med id {token_id}"
        raise InputInvalidError([FieldError("id", message)]) from None
    click.echo(f"Tokenet «{navn}» (id {token_id}) er trukket tilbake.")


@click.group()
def bruker() -> None:
    """Brukere som logger inn."""


def _bruker(deps: Deps, orgnr: str, brukernavn: str) -> tuple[Aktor, int]:
    """Return the operator of the organisation and the id of its user with this name.

    Raises:
        InputInvalidError: no such organisation, or no such user in it.
    """
    aktor = _operator(deps, orgnr)
    try:
        return aktor, brukere.bruker_id(deps, aktor, brukernavn)
    except RecordNotFoundError:
        message = f"organisasjonen {orgnr} har ingen bruker med brukernavnet {brukernavn}"
        raise InputInvalidError([FieldError("brukernavn", message)]) from None


@bruker.command("frakoble-oidc")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
def frakoble_oidc(orgnr: str, brukernavn: str) -> None:
    """Fjern koblingen mellom en bruker og identiteten hos innloggingstjenesten (OIDC)."""
    deps = _deps()
    admin_service.frakoble_oidc(deps, *_bruker(deps, orgnr, brukernavn))
    click.echo(f"Brukeren {brukernavn} er ikke lenger koblet til innloggingstjenesten.")


@bruker.command("opphev-sperre")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
def opphev_sperre(orgnr: str, brukernavn: str) -> None:
    """La en bruker som er sperret etter mislykkede innlogginger, prøve igjen straks."""
    deps = _deps()
    admin_service.opphev_sperre(deps, *_bruker(deps, orgnr, brukernavn))
    click.echo(f"Brukeren {brukernavn} kan logge inn igjen.")


@bruker.command("lag")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
@click.option("--navn", required=True, help="Fullt navn, slik det vises ved godkjenning.")
@click.option("--rolle", required=True, type=Valg(ROLLER))
@click.option("--passord", envvar="DOKGEN_NYTT_PASSORD", hidden=True)  # scripts; else asked
@click.option(
    "--engangs",
    is_flag=True,
    help="Lag et engangspassord som vises én gang og må byttes ved første innlogging.",
)
def lag_bruker(
    orgnr: str, brukernavn: str, navn: str, rolle: str, passord: str | None, engangs: bool
) -> None:
    """Lag en bruker (passordet lagres som Argon2id-hash): skriv passordet to ganger, eller
    lag et engangspassord."""
    # With --engangs the service makes the password, as on the admin's page without one.
    passord = "" if engangs else passord or _spor_to_ganger()
    deps = _deps()
    data = {"brukernavn": brukernavn, "navn": navn, "rolle": rolle, "passord": passord}
    ny = passord_service.opprett_bruker(deps, _operator(deps, orgnr), data)
    click.echo(f"Brukeren {brukernavn} ({rolle}) er laget.")
    if ny.engangspassord:
        _vis_engangspassord(brukernavn, ny.engangspassord)


@bruker.command("passord")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
@click.option(
    "--engangs",
    is_flag=True,
    help="Lag et engangspassord som vises én gang og må byttes ved neste innlogging.",
)
def passord(orgnr: str, brukernavn: str, engangs: bool) -> None:
    """Gi en bruker nytt passord: skriv det inn to ganger, eller lag et engangspassord.

    Begge deler opphever en innloggingssperre og gjør ubrukte passordlenker ugyldige.
    """
    deps = _deps()
    aktor, bruker_id = _bruker(deps, orgnr, brukernavn)  # refused before the prompt
    if engangs:
        ny = passord_service.tilbakestill_passord(deps, aktor, bruker_id)
        _vis_engangspassord(brukernavn, ny.passord)
        return
    passord_service.sett_passord(deps, aktor, bruker_id, _spor_to_ganger())
    click.echo(f"Brukeren {brukernavn} har fått nytt passord.")


def _vis_engangspassord(brukernavn: str, engangspassord: str) -> None:
    click.echo(f"Engangspassord for {brukernavn} (vises bare nå, må byttes ved innlogging):")
    click.echo(engangspassord)


def _spor_to_ganger(forsok: int = 3) -> str:
    """Ask for a new password without echo, and again to confirm, up to ``forsok`` times.

    Raises:
        InputInvalidError: the two never matched.
    """
    for _ in range(forsok):
        nytt: str = click.prompt("Nytt passord", hide_input=True)
        if click.prompt("Gjenta nytt passord", hide_input=True) == nytt:
            return nytt
        click.echo("Passordene er ikke like. Prøv igjen.", err=True)
    raise InputInvalidError([FieldError("passord", "ble ikke skrevet likt to ganger")])
