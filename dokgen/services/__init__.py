"""The use cases, one module per feature, shared by the web app, the API and the CLI.

Each takes its collaborators as a :class:`dokgen.deps.Deps` and the caller as an
:class:`dokgen.access.Aktor`; none imports Flask or click. Every read and write of a
document or invoice is written to the audit log (:mod:`dokgen.services.audit`).
"""

from __future__ import annotations

from dokgen.errors import FieldError, InputInvalidError

MAKS_SOK = 200  # characters in one search field: a deltaker's name has at most 200


def sjekk_sok(felt: dict[str, str | None]) -> None:
    """Refuse an over-long search field before any query runs (SQLite refuses a LIKE pattern
    over 50,000 bytes with an error).

    Raises:
        InputInvalidError: a field has more than ``MAKS_SOK`` characters.
    """
    melding = f"kan ha høyst {MAKS_SOK} tegn; skriv et kortere søk"
    errors = [FieldError(navn, melding) for navn, v in felt.items() if v and len(v) > MAKS_SOK]
    if errors:
        raise InputInvalidError(errors)
