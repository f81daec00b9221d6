"""Helpers of the page tests: CSRF tokens, login, contract data as a form post, row counts."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from dokgen.bootstrap import Deps
from tests.dokgen.conftest import PASSORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(client: FlaskClient, url: str) -> str:
    """Return the CSRF token of the form on a page."""
    page = client.get(url)
    match = _TOKEN.search(page.text)
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def logg_inn(client: FlaskClient, brukernavn: str, passord: str = PASSORD) -> Any:
    """Log in through the login form; return the response."""
    data = {"brukernavn": brukernavn, "passord": passord, "csrf_token": token(client, "/logg-inn")}
    return client.post("/logg-inn", data=data)


def som_skjema(data: dict[str, Any], prefix: str = "") -> MultiDict[str, str]:
    """Return contract data as the generated form posts it (dotted names, row counts)."""
    out: MultiDict[str, str] = MultiDict()
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key == "type" and not prefix:
            continue
        if isinstance(value, dict):
            for k, v in som_skjema(value, f"{name}.").items(multi=True):
                out.add(k, v)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.add(f"_rows.{name}", str(len(value)))
            for i, row in enumerate(value):
                for k, v in som_skjema(row, f"{name}.{i}.").items(multi=True):
                    out.add(k, v)
        elif isinstance(value, list):
            for v in value:
                out.add(name, str(v))
        elif isinstance(value, bool):
            if value:
                out.add(name, "ja")
        elif value is not None:
            out.add(name, str(value))
    return out


def antall(deps: Deps, model: type[Any]) -> int:
    """Return the number of rows of a table."""
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)
