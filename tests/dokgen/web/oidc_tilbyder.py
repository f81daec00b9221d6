"""A small, real OpenID provider for the tests, served over HTTP on 127.0.0.1.

It publishes a discovery document and its JWKS (an RSA key made here), an authorize
endpoint that sends the browser back with a code, and a token endpoint that checks the code,
the client secret and the PKCE verifier before it hands out an ID token signed with its key.
Knobs on the object make it misbehave the ways a test needs (another audience, a forged
signature, a refusal). Test code only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

KLIENT_ID = "dokgen-test-klient"
KLIENT_HEMMELIGHET = "hemmelig-klient-noekkel-123"
NOKKEL_ID = "testnokkel-1"


def ny_nokkel(kid: str = NOKKEL_ID) -> RSAKey:
    """Return a fresh 2048-bit RSA key as a JWK with a key id."""
    privat = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = privat.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return RSAKey.import_key(pem, {"kid": kid, "use": "sig", "alg": "RS256"})


class _Stille(WSGIRequestHandler):
    """Writes no access lines: the tests read the logs of dokgen alone."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Tilbyder:
    """The provider's state and knobs; ``utsteder`` is its issuer URL once it runs."""

    utsteder: str = ""
    nokkel: RSAKey = field(default_factory=ny_nokkel)
    person: dict[str, Any] = field(default_factory=dict)
    # Claims that replace the correct ones in the next ID tokens (e.g. {"aud": "annen"}).
    endre_krav: dict[str, Any] = field(default_factory=dict)
    # Sign the ID tokens with this key instead of the published one (a forgery).
    signer_med: RSAKey | None = None
    # Refuse the authorization with this error code (e.g. "access_denied").
    avvis_med: str | None = None
    koder: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What went over the wire, for the log checks: codes, verifiers, tokens.
    hemmeligheter: list[str] = field(default_factory=list)
    token_kall: int = 0
    # Publish no end_session_endpoint (as some providers do not).
    uten_utlogging: bool = False
    # The query of every call to the end-session endpoint.
    utlogginger: list[dict[str, str]] = field(default_factory=list)

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Answer one request."""
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self._oppdagelse,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/logout": self._logout,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("ikke funnet", 404)
        return response(environ, start_response)

    def _oppdagelse(self, request: Request) -> Response:
        utlogging = (
            {} if self.uten_utlogging else {"end_session_endpoint": f"{self.utsteder}/logout"}
        )
        return _json(
            {
                **utlogging,
                "issuer": self.utsteder,
                "authorization_endpoint": f"{self.utsteder}/authorize",
                "token_endpoint": f"{self.utsteder}/token",
                "jwks_uri": f"{self.utsteder}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }
        )

    def _logout(self, request: Request) -> Response:
        """End the (imagined) session; send the browser back where the client asked, if the
        client is the one registered."""
        a = dict(request.args)
        self.utlogginger.append(a)
        tilbake = a.get("post_logout_redirect_uri")
        if a.get("client_id") != KLIENT_ID or not tilbake:
            return Response("Du er logget ut.", 200)
        return Response(status=302, headers={"Location": tilbake})

    def _jwks(self, request: Request) -> Response:
        return _json({"keys": [self.nokkel.as_dict(private=False)]})

    def _authorize(self, request: Request) -> Response:
        a = request.args
        gyldig = (
            a.get("client_id") == KLIENT_ID
            and a.get("response_type") == "code"
            and "openid" in a.get("scope", "").split()
            and a.get("code_challenge_method") == "S256"
            and a.get("code_challenge")
            and a.get("state")
            and a.get("nonce")
            and a.get("redirect_uri")
        )
        if not gyldig:
            return Response("ugyldig forespørsel", 400)
        svar: dict[str, str] = {"state": a["state"]}
        if self.avvis_med:
            svar["error"] = self.avvis_med
            svar["error_description"] = "Brukeren avbrot innloggingen"
        else:
            kode = secrets.token_urlsafe(24)
            self.koder[kode] = dict(a)
            self.hemmeligheter.append(kode)
            svar["code"] = kode
        return Response(status=302, headers={"Location": f"{a['redirect_uri']}?{urlencode(svar)}"})

    def _token(self, request: Request) -> Response:
        self.token_kall += 1
        f = request.form
        klient, hemmelighet = _klient(request)
        bestilling = self.koder.pop(f.get("code", ""), None)
        if (klient, hemmelighet) != (KLIENT_ID, KLIENT_HEMMELIGHET):
            return _json({"error": "invalid_client"}, 401)
        if bestilling is None or f.get("grant_type") != "authorization_code":
            return _json({"error": "invalid_grant"}, 400)
        verifier = f.get("code_verifier", "")
        self.hemmeligheter.append(verifier)
        utfordring = _b64(hashlib.sha256(verifier.encode()).digest())
        if (
            utfordring != bestilling["code_challenge"]
            or f.get("redirect_uri") != bestilling["redirect_uri"]
        ):
            return _json({"error": "invalid_grant"}, 400)
        naa = int(time.time())
        krav = {
            "iss": self.utsteder,
            "sub": "testperson-sub",
            "aud": KLIENT_ID,
            "iat": naa,
            "exp": naa + 600,
            "nonce": bestilling["nonce"],
            **self.person,
            **self.endre_krav,
        }
        nokkel = self.signer_med or self.nokkel
        id_token = jwt.encode({"alg": "RS256", "kid": NOKKEL_ID}, krav, nokkel)
        access_token = secrets.token_urlsafe(24)
        self.hemmeligheter += [id_token, access_token]
        return _json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 600,
                "id_token": id_token,
            }
        )


def _klient(request: Request) -> tuple[str | None, str | None]:
    if request.authorization and request.authorization.type == "basic":
        return request.authorization.username, request.authorization.password
    return request.form.get("client_id"), request.form.get("client_secret")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(data: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(data), status, mimetype="application/json")


@contextmanager
def kjor(tilbyder: Tilbyder) -> Iterator[Tilbyder]:
    """Serve the provider on a free port of 127.0.0.1 in a thread while the block runs."""
    server = make_server("127.0.0.1", 0, tilbyder.wsgi, threaded=True, request_handler=_Stille)
    tilbyder.utsteder = f"http://127.0.0.1:{server.port}"
    traad = threading.Thread(target=server.serve_forever, name="oidc-tilbyder", daemon=True)
    traad.start()
    try:
        yield tilbyder
    finally:
        server.shutdown()
        server.server_close()
        traad.join(timeout=5)
