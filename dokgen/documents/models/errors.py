"""Translate pydantic's validation errors into bokmål field errors with dotted paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from dokgen.errors import FieldError


def _ctx(e: ErrorDetails, key: str) -> Any:
    return (e.get("ctx") or {}).get(key)


# What a value that matches no pattern should look like, by the pattern's start: the
# message says what to write, with an example. (A missing value, a text too long or a
# code not allowed say what is wanted already; the form pages add how to type each kind
# of field: dokgen.web.sider.skjema.explain.)
_PATTERNS = (
    ("^\\+?[0-9", "skriv 8 siffer, f.eks. 40000017"),
    ("^[^@", "skriv en e-postadresse, f.eks. navn@eksempel.no"),
    ("^\\d{4}-(0[1-9]", "skriv måneden som ÅÅÅÅ-MM, f.eks. 2026-03"),
)
_DATE = "ugyldig dato (bruk ÅÅÅÅ-MM-DD), f.eks. 2026-03-02"
_BOOL = "må være true eller false, f.eks. true"


def _pattern(e: ErrorDetails) -> str:
    pattern = str(_ctx(e, "pattern") or "")
    for start, message in _PATTERNS:
        if pattern.startswith(start):
            return f"har feil format: {message}"
    return "har feil format"


_MESSAGES: dict[str, Callable[[ErrorDetails], str]] = {
    "missing": lambda e: "mangler (påkrevd felt)",
    "extra_forbidden": lambda e: "ukjent felt",
    "string_too_long": lambda e: f"for lang tekst (maks {_ctx(e, 'max_length')} tegn)",
    "string_too_short": lambda e: "kan ikke være tom",
    "string_type": lambda e: "må være tekst",
    "string_pattern_mismatch": _pattern,
    "too_long": lambda e: f"for mange elementer (maks {_ctx(e, 'max_length')})",
    "too_short": lambda e: f"må ha minst {_ctx(e, 'min_length')} element",
    "greater_than_equal": lambda e: f"må være minst {_ctx(e, 'ge')}",
    "greater_than": lambda e: f"må være større enn {_ctx(e, 'gt')}",
    "less_than_equal": lambda e: f"kan ikke være mer enn {_ctx(e, 'le')}",
    "less_than": lambda e: f"må være mindre enn {_ctx(e, 'lt')}",
    "int_parsing": lambda e: "må være et heltall, f.eks. 3",
    "int_type": lambda e: "må være et heltall, f.eks. 3",
    "int_from_float": lambda e: "må være et heltall, f.eks. 3",
    "decimal_parsing": lambda e: 'må være et tall (desimaltall som tekst, f.eks. "14.25")',
    "decimal_type": lambda e: 'må være et tall, f.eks. "14.25"',
    "decimal_max_digits": lambda e: 'har for mange siffer, f.eks. "14.25"',
    "decimal_max_places": lambda e: f"maks {_ctx(e, 'decimal_places')} desimaler, f.eks. 14,25",
    "date_parsing": lambda e: _DATE,
    "date_from_datetime_parsing": lambda e: _DATE,
    "date_from_datetime_inexact": lambda e: _DATE,
    "date_type": lambda e: _DATE,
    "bool_parsing": lambda e: _BOOL,
    "bool_type": lambda e: _BOOL,
    "enum": lambda e: f"ugyldig verdi, tillatt: {_ctx(e, 'expected')}",
    "literal_error": lambda e: f"ugyldig verdi, tillatt: {_ctx(e, 'expected')}",
    "list_type": lambda e: "må være en liste",
    "model_type": lambda e: "må være et objekt",
    "dict_type": lambda e: "må være et objekt",
    "model_attributes_type": lambda e: "må være et objekt",
    "value_error": lambda e: str(_ctx(e, "error")),
}


def path_of(loc: tuple[int | str, ...]) -> str:
    """Return a dotted path such as ``arbeidsgivere.0.stillingsprosent``."""
    return ".".join(str(part) for part in loc)


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Return every error of ``exc`` as a FieldError with a bokmål message."""
    out = []
    for e in exc.errors(include_url=False, include_input=False):
        message = _MESSAGES.get(e["type"], lambda _e: "ugyldig verdi")(e)
        out.append(FieldError(path_of(tuple(e["loc"])), message))
    return out
