"""OpenID Connect login (e.g. Microsoft Entra ID) with Authlib's Flask client.

Authorization Code flow with PKCE (S256), ``state`` and ``nonce``; Authlib keeps them in the
session until the answer comes back, checks ``state``, redeems the code and validates the ID
token (signature against the issuer's JWKS, ``iss``, ``aud``, ``exp``, ``nonce``). Every
failure becomes an :class:`IdentityProviderFailedError` with a bokmål message; what is logged
names the kind of failure only — never a code, a token or the provider's description.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Flask, current_app, request, url_for
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from dokgen.errors import IdentityProviderFailedError
from dokgen.settings import Settings

log = logging.getLogger(__name__)

NAVN = "oidc"
IDPORTEN = "idporten"  # citizens (parties on approval links): DOKGEN_IDPORTEN_*
_KLIENTER = "dokgen.oidc"
TIDSGRENSE = 10.0  # seconds for each call to the provider
OMFANG = "openid profile email"
_FEILKODE = re.compile(r"[a-z_]{1,40}")

AVBRUTT = (
    "Innloggingen ble avbrutt eller avvist hos innloggingstjenesten. Prøv igjen, "
    "eller logg inn med brukernavn og passord."
)
UGYLDIG = (
    "Svaret fra innloggingstjenesten kunne ikke godtas, så du ble ikke logget inn. "
    "Start innloggingen på nytt."
)
UTILGJENGELIG = (
    "Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt, "
    "eller logg inn med brukernavn og passord."
)


def register(app: Flask, settings: Settings) -> None:
    """Register the staff's OIDC client when the three OIDC settings are given, and the
    citizens' (ID-porten, for approval links) when its three are; else do nothing."""
    klienter = {
        navn: (utsteder, klient_id, hemmelighet)
        for navn, aktiv_, utsteder, klient_id, hemmelighet in (
            (
                NAVN,
                settings.oidc_aktiv,
                settings.oidc_utsteder,
                settings.oidc_klient_id,
                settings.oidc_klient_hemmelighet,
            ),
            (
                IDPORTEN,
                settings.idporten_aktiv,
                settings.idporten_utsteder,
                settings.idporten_klient_id,
                settings.idporten_klient_hemmelighet,
            ),
        )
        if aktiv_ and utsteder
    }
    app.extensions[_KLIENTER] = frozenset(klienter)
    if not klienter:
        return
    # Authlib writes the PKCE verifier into its DEBUG lines: keep them out of every log.
    logging.getLogger("authlib").setLevel(logging.INFO)
    oauth = OAuth(app)
    for navn, (utsteder, klient_id, hemmelighet) in klienter.items():
        oauth.register(
            navn,
            client_id=klient_id,
            client_secret=hemmelighet,
            server_metadata_url=str(utsteder).rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={
                "scope": OMFANG if navn == NAVN else "openid profile",
                "code_challenge_method": "S256",
                "default_timeout": TIDSGRENSE,
            },
        )


def aktiv(navn: str = NAVN) -> bool:
    """Return whether this app offers OIDC login (``IDPORTEN``: on approval links)."""
    return navn in current_app.extensions.get(_KLIENTER, frozenset())


def _klient(navn: str = NAVN) -> Any:
    return current_app.extensions["authlib.integrations.flask_client"].create_client(navn)


def _settings() -> Settings:
    result: Settings = current_app.extensions["dokgen"].settings
    return result


def start(navn: str = NAVN, svar_url: str | None = None) -> Response:
    """Return the redirect to the provider's authorization endpoint.

    Args:
        navn: the client, ``NAVN`` (staff) or ``IDPORTEN`` (parties on approval links).
        svar_url: where the provider answers (the staff login's callback when None).

    Raises:
        IdentityProviderFailedError: the provider's discovery document could not be read.
    """
    if svar_url is None:
        svar_url = _settings().oidc_svar_url or url_for("sider.oidc_svar", _external=True)
    try:
        response: Response = _klient(navn).authorize_redirect(svar_url)
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as exc:
        log.warning("OIDC: innloggingstjenesten kunne ikke nås (%s)", type(exc).__name__)
        raise IdentityProviderFailedError(UTILGJENGELIG, utilgjengelig=True) from None
    return response


def utlogging_url() -> str | None:
    """Return where to send the browser to end the session at the provider as well
    (OpenID Connect RP-Initiated Logout 1.0), or None when that is not possible.

    The provider identifies dokgen by ``client_id`` and sends the browser back to the login
    page (``post_logout_redirect_uri``, which must be registered with it). No ID token is
    kept to send as ``id_token_hint``: the session is a cookie, and a token from ID-porten
    would carry the person's fødselsnummer. None when the provider publishes no
    ``end_session_endpoint``, cannot be reached, or ends sessions on another origin than its
    issuer's (the page's CSP lets a form lead to the issuer's origin only).
    """
    settings = _settings()
    try:
        endepunkt = _klient().load_server_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as exc:
        log.warning(
            "OIDC: innloggingstjenesten kunne ikke nås ved utlogging (%s)", type(exc).__name__
        )
        return None
    if not isinstance(endepunkt, str) or opprinnelse(endepunkt) != opprinnelse(
        settings.oidc_utsteder or ""
    ):
        return None
    tilbake = url_for("sider.logg_inn", _external=True)
    if settings.oidc_svar_url:  # behind a proxy: the public address of the same app
        tilbake = urljoin(settings.oidc_svar_url, url_for("sider.logg_inn"))
    sporsmal = urlencode(
        {"client_id": settings.oidc_klient_id, "post_logout_redirect_uri": tilbake}
    )
    return f"{endepunkt}{'&' if '?' in endepunkt else '?'}{sporsmal}"


def opprinnelse(url: str) -> str:
    """Return a URL's origin (scheme://host[:port]) as CSP writes it."""
    deler = urlsplit(url)
    return f"{deler.scheme}://{deler.netloc}"


def identitet(navn: str = NAVN) -> dict[str, Any]:
    """Finish the flow on the callback and return the validated ID token's claims.

    Raises:
        IdentityProviderFailedError: the provider refused (``error=``), ``state`` is unknown,
            the token is missing or invalid, or the provider could not be reached.
    """
    feilkode = request.args.get("error")
    if feilkode is not None:
        kode = feilkode if _FEILKODE.fullmatch(feilkode) else "ukjent"
        log.warning("OIDC: innloggingstjenesten svarte med feilen %s", kode)
        raise IdentityProviderFailedError(AVBRUTT)
    try:
        token = _klient(navn).authorize_access_token()
    except requests.RequestException as exc:
        log.warning("OIDC: innloggingstjenesten kunne ikke nås (%s)", type(exc).__name__)
        raise IdentityProviderFailedError(UTILGJENGELIG, utilgjengelig=True) from None
    except (OAuthError, JoseError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        log.warning("OIDC: svaret ble avvist (%s)", type(exc).__name__)
        raise IdentityProviderFailedError(UGYLDIG) from None
    claims = token.get("userinfo")
    settings = _settings()
    utsteder = settings.oidc_utsteder if navn == NAVN else settings.idporten_utsteder
    if not claims or not _samme_utsteder(claims.get("iss"), utsteder):
        log.warning("OIDC: svaret ble avvist (uten gyldig ID-token fra utstederen)")
        raise IdentityProviderFailedError(UGYLDIG)
    return dict(claims)


def _samme_utsteder(iss: Any, utsteder: str | None) -> bool:
    # OIDC Discovery §4.3: the issuer in the document (and so in the token) is the one asked.
    return isinstance(iss, str) and utsteder is not None and iss.rstrip("/") == utsteder.rstrip("/")
