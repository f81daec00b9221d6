"""Who is asking: a bearer token on ``/api/v1``, a login session on the pages."""

from __future__ import annotations

from flask import Flask, g, request, session

from dokgen.services import okter
from dokgen.services.brukere import aktor_for_bruker
from dokgen.storage.db import now
from dokgen.web import deps


def register(app: Flask) -> None:
    """Resolve the caller before every request."""
    app.before_request(_load)


def _load() -> None:
    g.aktor = None
    fra = request.remote_addr
    rid = g.get("request_id")
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            g.aktor = deps().token_cache.aktor(token.strip(), fra=fra, foresporsel=rid)
        return
    bruker_id, okt_id = session.get("bruker_id"), session.get("okt")
    if bruker_id is None:
        return
    with deps().sessions() as s:
        # The session must still be live on the server: logging out ends it for every copy.
        bruker = okter.bruker(s, bruker_id, okt_id, now()) if isinstance(okt_id, str) else None
        if bruker is None:
            session.clear()
            return
        g.bruker_navn = bruker.brukernavn
        g.aktor = aktor_for_bruker(bruker, fra=fra, foresporsel=rid)
