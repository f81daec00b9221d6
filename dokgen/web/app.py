"""The Flask app factory: the web app over the collaborators :mod:`dokgen.bootstrap` builds."""

from __future__ import annotations

import logging
import re
import uuid
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from dokgen import bootstrap
from dokgen.deps import Deps
from dokgen.documents.pipeline import PdfConverter
from dokgen.settings import Miljo, Settings
from dokgen.storage.crypto import instance_secret

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

csrf = CSRFProtect()


def create_app(
    settings: Settings | None = None,
    *,
    deps: Deps | None = None,
    converter: PdfConverter | None = None,
    resume: bool = True,
) -> Flask:
    """Create the web app: pages, the ``/api/v1`` API, problem+json errors, security headers.

    With ``resume`` (all but the web processes of a multi-process service, whose main
    process does it once) the work a stop interrupted is queued again.
    """
    from dokgen.web import auth, oidc, problem
    from dokgen.web.api import bp as api_bp
    from dokgen.web.sider import bp as sider_bp

    settings = settings or (deps.settings if deps else Settings.from_env())
    deps = deps or bootstrap.make_deps(settings, converter)
    web_dir = Path(__file__).resolve().parent
    app = Flask(
        __name__,
        template_folder=str(web_dir / "templates"),
        static_folder=str(web_dir / "static"),
        static_url_path="/static",
    )
    app.config.update(
        # The deps' settings: on PostgreSQL make_deps put the database's shared secret there.
        SECRET_KEY=instance_secret(deps.settings),
        MAX_CONTENT_LENGTH=int(settings.maks_opplasting_mb * 1024 * 1024),
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="dokgen_okt",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=settings.miljo is Miljo.PRODUKSJON,
    )
    # Forms post to this app only; logging out of an OIDC session also leads on to the
    # provider's end-session endpoint, on the issuer's origin.
    form_action = "'self'"
    if settings.oidc_aktiv and settings.oidc_utsteder:
        form_action += " " + oidc.opprinnelse(settings.oidc_utsteder)
    app.config["DOKGEN_CSP"] = (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
        f"base-uri 'self'; form-action {form_action}"
    )
    if settings.proxyer:
        # The client's address (the login lock counts by it, the audit log records it) is
        # then taken from X-Forwarded-For, as many hops back as there are proxies we trust;
        # without the setting the header is ignored, so a client cannot name its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxyer)  # type: ignore[method-assign]
    app.extensions["dokgen"] = deps
    csrf.init_app(app)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(sider_bp)
    app.before_request(_request_id)
    problem.register(app)
    auth.register(app)
    oidc.register(app, settings)
    app.after_request(_headers)
    if resume:
        bootstrap.resume(deps)
    return app


def _request_id() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _headers(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    response.headers.setdefault("Content-Security-Policy", current_app.config["DOKGEN_CSP"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if request.path.startswith("/api/") or response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
