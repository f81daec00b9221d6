"""Input errors on the pages: the form shown again with its error summary, status 422.

A view declares its form page with :func:`form_errors`; an input error the view raises is
caught here, once, and the page function is called with the errors (``feil``) and the view's
URL arguments. The page reads the posted values from ``request.form`` itself, so the person
finds what they typed beside each error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import make_response
from werkzeug.wrappers import Response

from dokgen.errors import FieldError, InputInvalidError

# A form page: called with ``feil`` (the errors) and the view's URL arguments; returns the
# page, or a (page, headers) or (page, status[, headers]) tuple as a view would.
Page = Callable[..., Any]
View = TypeVar("View", bound=Callable[..., Any])


def error_list(exc: Exception, path: str = "") -> list[Any]:
    """Return an input error's items for a form: its ``errors`` (each with ``path`` and
    ``message``), else its ``reasons``, else its message, on ``path``."""
    items = getattr(exc, "errors", None)
    if items:
        return list(items)
    reasons = getattr(exc, "reasons", None) or [str(exc)]
    return [FieldError(path, reason) for reason in reasons]


def form_with_errors(page: Page, feil: list[Any], **url: Any) -> Response:
    """Return the form page showing ``feil``: status 422, unless the page chose another."""
    response = make_response(page(feil=feil, **url))
    if response.status_code == 200:
        response.status_code = 422
    return response


def form_errors(page: Page, *errors: type[Exception], path: str = "") -> Callable[[View], View]:
    """Decorate a form's view: an input error it raises shows ``page`` again with the errors.

    Args:
        page: the view's form page (see :data:`Page`).
        errors: the error classes the form shows itself (default: ``InputInvalidError``);
            any other goes to the error page as usual.
        path: the field an error without a list of its own is shown on.
    """
    caught = errors or (InputInvalidError,)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(**url: Any) -> Any:
            try:
                return view(**url)
            except caught as exc:
                return form_with_errors(page, error_list(exc, path), **url)

        return wrapped  # type: ignore[return-value]

    return decorate
