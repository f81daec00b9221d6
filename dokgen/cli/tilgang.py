"""``dokgen org lag``, ``dokgen bruker lag|passord|…``, ``dokgen token lag|liste|trekk-tilbake``:
organisations and access."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dokgen.access import ROLLER, Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.services import brukere
from dokgen.services import innloggingssperre as sperre
from dokgen.services import passord as passord_service
from dokgen.services.audit import logg
from dokgen.settings import Settings
from dokgen.storage.db import Bruker, now

OSLO = ZoneInfo("Europe/Oslo")
# Who the audit log names for what the operator does from the command line.
KOMMANDOLINJEN = "kommandolinjen"


def _operator(org_id: int) -> Aktor:
    return Aktor(org_id, KOMMANDOLINJEN, "admin")


def _sessions() -> sessionmaker[Session]:
    from dokgen.storage.db import make_engine, make_sessionmaker, migrate

    settings = Settings.from_env()
    settings.instans.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database)
    migrate(engine)
    return make_sessionmaker(engine)


@click.group()
def org() -> None:
    """Organisasjoner (tiltaksarrangører)."""


@org.command("lag")
@click.option("--orgnr", required=True)
@click.option("--navn", required=True)
def lag_org(orgnr: str, navn: str) -> None:
    """Lag en organisasjon; innstillinger for faktura settes av admin på nettsidene."""
    from stdnum.no import orgnr as orgnr_check

    if not orgnr_check.is_valid(orgnr):
        raise InputInvalidError([FieldError("orgnr", "ugyldig organisasjonsnummer")])
    with _sessions().begin() as session:
        brukere.opprett_org(session, orgnr_check.compact(orgnr), navn)
    click.echo(f"Organisasjonen {navn} ({orgnr}) er laget.")


@click.group()
def token() -> None:
    """API-tokener for systemer."""


@token.command("lag")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret tokenet gjelder.")
@click.option("--rolle", required=True, type=click.Choice(ROLLER))
@click.option("--navn", default="api", show_default=True, help="Hva tokenet brukes til.")
def lag_token(orgnr: str, rolle: str, navn: str) -> None:
    """Lag et nytt token og skriv det ut én gang (bare en hash lagres)."""
    with _sessions().begin() as session:
        org = brukere.org_for_orgnr(session, orgnr)
        rad, value = brukere.ny_token(session, org, rolle, navn)
        logg(session, _operator(org.id), "opprett_token", "token", str(rad.id))
    click.echo(value)


def _tid(value: datetime) -> str:
    return value.astimezone(OSLO).strftime("%d.%m.%Y %H:%M")


@token.command("liste")
@click.option("--org", "orgnr", required=True, help="Organisasjonsnummeret.")
def liste_tokener(orgnr: str) -> None:
    """Vis organisasjonens tokener, nyeste først (aldri selve tokenet)."""
    with _sessions().begin() as session:
        org = brukere.org_for_orgnr(session, orgnr)
        rader = brukere.tokener_i_org(session, _operator(org.id))
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
    with _sessions().begin() as session:
        org = brukere.org_for_orgnr(session, orgnr)
        aktor = _operator(org.id)
        try:
            rad = brukere.tilbakekall_token(session, aktor, token_id, now())
        except RecordNotFoundError:
            message = f"organisasjonen {orgnr} har ikke noe token med id {token_id}"
            raise InputInvalidError([FieldError("id", message)]) from None
        navn = rad.navn
    click.echo(f"Tokenet «{navn}» (id {token_id}) er trukket tilbake.")


@click.group()
def bruker() -> None:
    """Brukere som logger inn."""


def _bruker(session: Session, orgnr: str, brukernavn: str) -> Bruker:
    """Return the organisation's user by name.

    Raises:
        InputInvalidError: no such organisation, or no such user in it.
    """
    org = brukere.org_for_orgnr(session, orgnr)
    rad = session.scalar(
        select(Bruker).where(Bruker.org_id == org.id, Bruker.brukernavn == brukernavn)
    )
    if rad is None:
        message = f"organisasjonen {orgnr} har ingen bruker med brukernavnet {brukernavn}"
        raise InputInvalidError([FieldError("brukernavn", message)])
    return rad


@bruker.command("frakoble-oidc")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
def frakoble_oidc(orgnr: str, brukernavn: str) -> None:
    """Fjern koblingen mellom en bruker og identiteten hos innloggingstjenesten (OIDC)."""
    with _sessions().begin() as session:
        rad = _bruker(session, orgnr, brukernavn)
        rad.oidc_id = None
        logg(session, _operator(rad.org_id), "frakoble_oidc", "bruker", str(rad.id))
    click.echo(f"Brukeren {brukernavn} er ikke lenger koblet til innloggingstjenesten.")


@bruker.command("opphev-sperre")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
def opphev_sperre(orgnr: str, brukernavn: str) -> None:
    """La en bruker som er sperret etter mislykkede innlogginger, prøve igjen straks."""
    with _sessions().begin() as session:
        rad = _bruker(session, orgnr, brukernavn)
        sperre.nullstill(session, rad.brukernavn)
        logg(session, _operator(rad.org_id), "opphev_sperre", "bruker", str(rad.id))
    click.echo(f"Brukeren {brukernavn} kan logge inn igjen.")


@bruker.command("lag")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
@click.option("--navn", required=True, help="Fullt navn, slik det vises ved godkjenning.")
@click.option("--rolle", required=True, type=click.Choice(ROLLER))
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
    engangspassord = passord_service.lag_engangspassord() if engangs else None
    passord = engangspassord or passord or _spor_to_ganger()
    with _sessions().begin() as session:
        org = brukere.org_for_orgnr(session, orgnr)
        ny = brukere.opprett_bruker(session, org, brukernavn, navn, rolle, passord)
        ny.ma_bytte_passord = engangspassord is not None
        logg(session, _operator(org.id), "opprett_bruker", "bruker", str(ny.id))
    click.echo(f"Brukeren {brukernavn} ({rolle}) er laget.")
    if engangspassord:
        click.echo(f"Engangspassord for {brukernavn} (vises bare nå, må byttes ved innlogging):")
        click.echo(engangspassord)


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
    sessions = _sessions()
    with sessions() as session:
        _bruker(session, orgnr, brukernavn)  # an unknown user is refused before the prompt
    nytt = None if engangs else _spor_to_ganger()
    engangspassord = None
    with sessions.begin() as session:
        rad = _bruker(session, orgnr, brukernavn)
        if nytt is None:
            engangspassord = passord_service.tilbakestill(
                session, _operator(rad.org_id), rad, now()
            )
        else:
            passord_service.sett(session, _operator(rad.org_id), rad, nytt, now())
    if engangspassord is None:
        click.echo(f"Brukeren {brukernavn} har fått nytt passord.")
    else:
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
