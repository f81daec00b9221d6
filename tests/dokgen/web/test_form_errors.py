"""The pages' one way to show an input error: the view's form page again, with the errors and
what was posted, status 422 (dokgen.web.sider.form_errors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request

import dokgen.web.sider
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError, TemplateInvalidError
from dokgen.web.sider.form_errors import error_list, form_errors, form_with_errors
from ehf.errors import GrunnlagInvalidError, RowError, XmlUnsafeError


def _side(feil: list[Any] | None = None, **url: Any) -> Any:
    """A form page that shows its URL arguments, the posted name and each error."""
    linjer = [f"url={url}", f"navn={request.form.get('navn', '')}"]
    linjer += [f"{f.path}: {f.message}" for f in feil or []]
    return "\n".join(linjer), {"Cache-Control": "no-store"}


def _konflikt(feil: list[Any], **url: Any) -> Any:
    return "konflikt", 409


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.testing = True  # an error no handler takes reaches the test

    @app.post("/skjema/<int:nr>")
    @form_errors(_side)
    def skjema(nr: int) -> Any:
        if request.form.get("navn") == "ukjent":
            raise RecordNotFoundError("fant ikke")
        raise InputInvalidError([FieldError("navn", "mangler"), FieldError("dato", "ugyldig")])

    @app.post("/svar")
    @form_errors(_side, XmlUnsafeError, path="svar")
    def svar() -> Any:
        raise XmlUnsafeError("XML med DTD avvises")

    @app.post("/konflikt")
    @form_errors(_konflikt)
    def konflikt() -> Any:
        raise InputInvalidError([FieldError("rolle", "siste administrator")])

    @app.get("/tom")
    def tom() -> Any:
        return form_with_errors(_side, [FieldError("fil", "velg en fil")])

    return app


def test_an_input_error_shows_the_form_again_with_errors_and_posted_values(app: Flask) -> None:
    """422, the page's own headers kept, the view's URL arguments and the posted values there."""
    svar = app.test_client().post("/skjema/7", data={"navn": "Kari"})
    assert svar.status_code == 422
    assert svar.headers["Cache-Control"] == "no-store"
    assert svar.get_data(as_text=True).splitlines() == [
        "url={'nr': 7}",
        "navn=Kari",
        "navn: mangler",
        "dato: ugyldig",
    ]


def test_an_error_the_form_does_not_show_goes_on_to_the_error_handlers(app: Flask) -> None:
    with pytest.raises(RecordNotFoundError):
        app.test_client().post("/skjema/7", data={"navn": "ukjent"})


def test_an_error_without_a_list_is_shown_on_the_views_field(app: Flask) -> None:
    svar = app.test_client().post("/svar")
    assert svar.status_code == 422
    assert svar.get_data(as_text=True).splitlines()[-1] == "svar: XML med DTD avvises"


def test_a_page_may_choose_another_status(app: Flask) -> None:
    """The users page answers 409 when the change would leave no administrator."""
    assert app.test_client().post("/konflikt").status_code == 409


def test_a_view_may_show_an_error_it_found_itself(app: Flask) -> None:
    svar = app.test_client().get("/tom")
    assert svar.status_code == 422
    assert svar.get_data(as_text=True).splitlines()[-1] == "fil: velg en fil"


def test_error_list_takes_errors_then_reasons_then_the_message() -> None:
    rader = [RowError("rad 2", "ugyldig dato")]
    assert error_list(InputInvalidError([FieldError("a", "b")])) == [FieldError("a", "b")]
    assert error_list(XmlUnsafeError("x"), "svar") == [FieldError("svar", "x")]
    assert error_list(TemplateInvalidError(["r1", "r2"])) == [
        FieldError("", "r1"),
        FieldError("", "r2"),
    ]
    assert error_list(GrunnlagInvalidError(rader)) == rader


def test_no_page_sets_422_itself() -> None:
    """Only the helper turns an input error into 422: no view or form page of its own."""
    sider = Path(dokgen.web.sider.__file__).parent
    for fil in sider.glob("*.py"):
        if fil.name != "form_errors.py":
            assert "422" not in fil.read_text(encoding="utf-8"), fil.name
