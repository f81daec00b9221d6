"""``/api/v1/tokener``: an admin lists, creates and revokes the organisation's API tokens."""

from __future__ import annotations

from typing import Any

from flask import Response

from dokgen.access import ROLLER
from dokgen.errors import RecordNotFoundError
from dokgen.services import brukere as service
from dokgen.storage.db import utc
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import bp, json_body
from dokgen.web.api.openapi import _PROBLEM, PATHS, _ok, _op


def _serialiser(t: service.Tokeninfo) -> dict[str, Any]:
    return {
        "id": t.id,
        "navn": t.navn,
        "rolle": t.rolle,
        "opprettet": utc(t.opprettet).isoformat(),
        "tilbakekalt": utc(t.tilbakekalt).isoformat() if t.tilbakekalt else None,
        "aktiv": t.aktiv,
    }


@bp.get("/tokener")
def tokener() -> Any:
    """List the organisation's tokens, newest first (never the tokens themselves)."""
    return {"tokener": [_serialiser(t) for t in service.tokener(deps(), aktor())]}


@bp.post("/tokener")
def opprett_token() -> Any:
    """Create a token from ``{"navn", "rolle"}``; 201 with the token, shown this once only."""
    ny = service.opprett_token(deps(), aktor(), json_body())
    body = {"id": ny.id, "navn": ny.navn, "rolle": ny.rolle, "token": ny.token}
    return body, 201, {"Cache-Control": "no-store"}


@bp.delete("/tokener/<token_id>")
def trekk_tilbake_token(token_id: str) -> Any:
    """Revoke a token (204; again is harmless); its next call is refused with 401."""
    # Not an id at all is the same as an unknown one (and never reaches the database).
    if not (token_id.isascii() and token_id.isdigit() and len(token_id) < 16):
        raise RecordNotFoundError("fant ikke tokenet")
    service.trekk_tilbake_token(deps(), aktor(), int(token_id))
    return Response(status=204)


_FELT: dict[str, Any] = {
    "id": {"type": "integer"},
    "navn": {"type": "string"},
    "rolle": {"type": "string", "enum": list(ROLLER)},
}
_TOKENINFO = {
    "type": "object",
    "required": ["id", "navn", "rolle", "opprettet", "tilbakekalt", "aktiv"],
    "properties": {
        **_FELT,
        "opprettet": {"type": "string", "format": "date-time"},
        "tilbakekalt": {"type": ["string", "null"], "format": "date-time"},
        "aktiv": {"type": "boolean"},
    },
}
_ID = {"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_NYTT = {
    "type": "object",
    "required": ["navn", "rolle"],
    "additionalProperties": False,
    "properties": {
        "navn": {"type": "string", "minLength": 1, "maxLength": 200},
        "rolle": {"type": "string", "enum": list(ROLLER)},
    },
}

PATHS.update(
    {
        "/tokener": {
            "get": _op(
                "API-tokener i organisasjonen (admin)",
                {
                    "200": _ok(
                        "Tokenene, nyeste først (aldri selve tokenet)",
                        {
                            "type": "object",
                            "properties": {"tokener": {"type": "array", "items": _TOKENINFO}},
                        },
                    ),
                    "403": _PROBLEM,
                },
            ),
            "post": _op(
                "Lag et API-token (admin); tokenet vises bare i dette svaret",
                {
                    "201": _ok(
                        "Laget",
                        {
                            "type": "object",
                            "required": ["id", "navn", "rolle", "token"],
                            "properties": {
                                **_FELT,
                                "token": {"type": "string"},
                            },
                        },
                    ),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "422": _PROBLEM,
                },
                requestBody={"required": True, "content": {"application/json": {"schema": _NYTT}}},
            ),
        },
        "/tokener/{token_id}": {
            "delete": _op(
                "Trekk tilbake et API-token (admin); å gjøre det igjen er ufarlig",
                {"204": {"description": "Trukket tilbake"}, "403": _PROBLEM, "404": _PROBLEM},
                parameters=[_ID],
            ),
        },
    }
)
