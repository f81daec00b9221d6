"""``dokgen org lag``, ``dokgen bruker lag``, ``dokgen token lag``: organisations and access."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session, sessionmaker

from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import ROLLER, brukere
from dokgen.settings import Settings


def _sessions() -> sessionmaker[Session]:
    from dokgen.db import make_engine, make_sessionmaker, migrate

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
        value = brukere.lag_token(session, org, rolle, navn)
    click.echo(value)


@click.group()
def bruker() -> None:
    """Brukere som logger inn."""


@bruker.command("lag")
@click.option("--org", "orgnr", required=True)
@click.option("--brukernavn", required=True)
@click.option("--navn", required=True, help="Fullt navn, slik det vises ved godkjenning.")
@click.option("--rolle", required=True, type=click.Choice(ROLLER))
@click.password_option("--passord", envvar="DOKGEN_NYTT_PASSORD", prompt="Passord")
def lag_bruker(orgnr: str, brukernavn: str, navn: str, rolle: str, passord: str) -> None:
    """Lag en bruker (passordet lagres som Argon2id-hash)."""
    with _sessions().begin() as session:
        org = brukere.org_for_orgnr(session, orgnr)
        brukere.opprett_bruker(session, org, brukernavn, navn, rolle, passord)
    click.echo(f"Brukeren {brukernavn} ({rolle}) er laget.")
