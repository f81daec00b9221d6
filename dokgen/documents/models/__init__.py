"""The document types and the one way to turn input into a valid model.

Each type describes itself in its class (see ``Dokumentmodell``); the registry
(:mod:`dokgen.documents.models.registry`, re-exported here) builds its tables from the classes
in ``TYPER``. Adding a type: its class in a model module and one entry in
``TYPER`` — the README's "Adding a template or a document type" lists the other pieces.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dokgen.documents.models.common import TILLAT_SYNTETISKE, Dokumentmodell
from dokgen.documents.models.errors import field_errors
from dokgen.documents.models.registry import (
    DOKUMENTTYPER,
    ETIKETTER,
    PARTNAVN,
    TITLER,
    TYPER,
    modell_for,
)
from dokgen.documents.models.veiledning import forklar
from dokgen.errors import (
    FieldError,
    InputInvalidError,
    InputUnreadableError,
)

__all__ = [
    "DOKUMENTTYPER",
    "ETIKETTER",
    "PARTNAVN",
    "TITLER",
    "TYPER",
    "Dokumentmodell",
    "eksempel",
    "load_input",
    "modell_for",
    "parse_dokument",
    "parse_json",
    "parse_xml",
]

# No contract field needs more (a KID has 25 digits and is text); Python refuses over 4,300.
MAX_DIGITS = 30


class _NumberRefusedError(ValueError):
    pass


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _NumberRefusedError(f"et heltall har mer enn {MAX_DIGITS} siffer")
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise _NumberRefusedError(f"{name} er ikke et tall i JSON")


_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def looks_like_xml(raw: bytes) -> bool:
    """Tell XML from JSON by the first character, in UTF-8 or UTF-16 (either byte order)."""
    codec = _UTF16_BOMS.get(raw[:2])
    if codec is not None:
        return raw[2:402].decode(codec, "replace").lstrip().startswith("<")
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or raw[:2] == b"\x00<"


def parse_json(raw: bytes, *, name: str = "") -> Any:
    """Parse a JSON body or file (UTF-8, a BOM allowed) without any input ending in a 500.

    Args:
        raw: the bytes as received.
        name: the file's name, to begin the message with.

    Raises:
        InputUnreadableError: not UTF-8, not JSON, NaN or Infinity, an integer of more than
            ``MAX_DIGITS`` digits, or nested deeper than the parser can follow.
    """
    prefix = f"{name}: " if name else ""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputUnreadableError(f"{prefix}ikke gyldig JSON (ikke UTF-8)") from None
    try:
        return json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        where = f"linje {exc.lineno}, kolonne {exc.colno}"
        raise InputUnreadableError(f"{prefix}ikke gyldig JSON ({where})") from None
    except _NumberRefusedError as exc:
        raise InputUnreadableError(f"{prefix}ikke gyldig JSON: {exc}") from None
    except RecursionError:
        raise InputUnreadableError(
            f"{prefix}ikke gyldig JSON: for mange nivåer i hverandre"
        ) from None


def parse_dokument(
    data: object, *, tillat_syntetiske: bool, type_navn: str | None = None
) -> Dokumentmodell:
    """Validate plain data as a document, reporting every error at once.

    Args:
        data: the decoded JSON (or XML mapped to the same shape).
        tillat_syntetiske: accept synthetic test fødselsnumre (Tenor +80, NAV +40).
        type_navn: the expected type; taken from ``data["type"]`` when not given.

    Raises:
        InputInvalidError: the data breaks one or more rules.
        DocumentTypeUnknownError: the type is missing or unknown.
    """
    if not isinstance(data, dict):
        raise InputInvalidError([FieldError("", "dokumentet må være et JSON-objekt")])
    given = data.get("type")
    name = type_navn or given
    if not isinstance(name, str):
        raise InputInvalidError([FieldError("type", "mangler dokumenttype")])
    model = modell_for(name)
    if given is not None and given != name:
        raise InputInvalidError([FieldError("type", f"forventet «{name}», fikk «{given}»")])
    try:
        dok = model.model_validate(
            {**data, "type": name}, context={TILLAT_SYNTETISKE: tillat_syntetiske}
        )
    except ValidationError as exc:
        raise InputInvalidError(forklar(name, field_errors(exc))) from None
    return dok


def parse_xml(
    data: bytes, *, tillat_syntetiske: bool, type_navn: str | None = None
) -> Dokumentmodell:
    """Validate an XML document (same field names as the JSON) against its XSD, then the model.

    Raises:
        InputUnreadableError: unsafe or malformed XML.
        InputInvalidError: the XML breaks the schema or the model's rules.
        DocumentTypeUnknownError: the root element names no known type.
    """
    from dokgen.documents.models.xmlform import from_xml

    return parse_dokument(
        from_xml(data, type_navn=type_navn),
        tillat_syntetiske=tillat_syntetiske,
        type_navn=type_navn,
    )


def load_input(
    path: Path, *, tillat_syntetiske: bool, type_navn: str | None = None
) -> Dokumentmodell:
    """Read a .json or .xml file and validate it.

    Raises:
        InputUnreadableError: the file is not readable JSON or XML.
        InputInvalidError: the content breaks one or more rules.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputUnreadableError(f"{path.name}: kan ikke leses ({exc.strerror})") from None
    if path.suffix.lower() == ".xml" or looks_like_xml(raw):
        return parse_xml(raw, tillat_syntetiske=tillat_syntetiske, type_navn=type_navn)
    data = parse_json(raw, name=path.name)
    return parse_dokument(data, tillat_syntetiske=tillat_syntetiske, type_navn=type_navn)


def eksempel(type_navn: str) -> dict[str, Any]:
    """Return a complete, valid example of a type with every optional field filled."""
    from dokgen.documents.models.eksempler import EKSEMPLER

    modell_for(type_navn)
    return json.loads(json.dumps(EKSEMPLER[type_navn]))
