"""The API answers a domain error from the one error table (dokgen.errors.ERROR_TABLE), the
same row the CLI's exit code comes from."""

from __future__ import annotations

import pytest
from flask import Flask

from dokgen.errors import ERROR_TABLE, ErrorKind
from dokgen.web import problem
from tests.dokgen.test_errors import EKSEMPLER


@pytest.fixture
def api() -> Flask:
    """A bare app with only the error handlers: ``/api/feil/<n>`` raises row n's example."""
    app = Flask(__name__)
    problem.register(app)

    @app.get("/api/feil/<int:n>")
    def feil(n: int) -> None:
        raise EKSEMPLER[ERROR_TABLE[n].error]

    return app


@pytest.mark.parametrize(("n", "kind"), list(enumerate(ERROR_TABLE)))
def test_the_api_answers_from_the_row(api: Flask, n: int, kind: ErrorKind) -> None:
    """The problem+json status and title are the row's; a 500 tells no detail."""
    svar = api.test_client().get(f"/api/feil/{n}")
    assert svar.status_code == kind.status
    assert svar.mimetype == "application/problem+json"
    body = svar.get_json()
    assert body["title"] == kind.title
    if kind.status == 500:
        assert "detail" not in body
    else:
        assert body["detail"] == str(EKSEMPLER[kind.error])
