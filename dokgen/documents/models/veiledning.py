"""What to write in a document's field, with an example: for the messages on a missing or
empty required field (the API's validation errors and a draft's ``mangler``).

The example is the field's value in the type's complete example (``eksempler``: the demo
data, synthetic), so it is always one the model accepts; a fødselsnummer is never shown,
not even a synthetic one. The form pages say the same in the form's own way (dd.mm.åååå,
decimal comma): :func:`dokgen.web.sider.skjema.explain`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from dokgen.documents.models.registry import modell_for
from dokgen.errors import FieldError

_KORT = 40  # an example text is cut after about this many characters
_MONSTER = (
    (r"^\+?[0-9", "skriv 8 siffer, f.eks. {}"),
    (r"^[^@", "skriv en e-postadresse, f.eks. {}"),
    (r"^\d{4}-(0[1-9]", "skriv måneden som ÅÅÅÅ-MM, f.eks. {}"),
    (r"^\d{4}$", "skriv 4 siffer, f.eks. {}"),
)
# The messages of a required field left out or empty (dokgen.documents.models.errors).
MANGLER = ("mangler (påkrevd felt)", "kan ikke være tom")


def undermodell(annotasjon: Any) -> tuple[type[BaseModel] | None, bool]:
    """Return the model a field holds (alone, optional or as list items) and whether a list."""
    if get_origin(annotasjon) in (Union, UnionType):
        for arg in get_args(annotasjon):
            funnet = undermodell(arg)
            if funnet[0] is not None:
                return funnet
        return None, False
    if get_origin(annotasjon) is list:
        (item,) = get_args(annotasjon)
        return undermodell(item)[0], True
    if isinstance(annotasjon, type) and issubclass(annotasjon, BaseModel):
        return annotasjon, False
    return None, False


def hva_skrive(type_navn: str, sti: str) -> str | None:
    """Return what to write in a type's field (a dotted path), with an example where the
    field has one, e.g. ``skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2026-03-02``; None for a path
    the type does not have.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    deler = [d for d in sti.split(".") if d and not d.isdigit()]
    felt = _felt(modell_for(type_navn), deler)
    if felt is None:
        return None
    from dokgen.documents.models.eksempler import EKSEMPLER

    eksempel = _verdi(EKSEMPLER.get(type_navn), sti.split("."))
    return _for_felt(deler[-1], felt, eksempel)


def forklar(type_navn: str, feil: list[FieldError]) -> list[FieldError]:
    """Return ``feil`` with what to write, and an example, added to each message on a
    required field left out or empty."""
    ut = []
    for f in feil:
        hva = hva_skrive(type_navn, f.path) if f.message in MANGLER else None
        ut.append(FieldError(f.path, f"{f.message}: {hva}") if hva else f)
    return ut


def _felt(modell: type[BaseModel], deler: list[str]) -> FieldInfo | None:
    for i, del_ in enumerate(deler):
        felt = modell.model_fields.get(del_)
        if felt is None:
            return None
        if i == len(deler) - 1:
            return felt
        under, _ = undermodell(felt.annotation)
        if under is None:
            return None
        modell = under
    return None


def _verdi(data: Any, deler: list[str]) -> Any:
    """Return the value at a path in an example; a list position is read as its first row."""
    for del_ in deler:
        if isinstance(data, list):
            data = data[0] if data else None
        if del_.isdigit():
            continue
        data = data.get(del_) if isinstance(data, dict) else None
    return data


def _kjerne(annotasjon: Any) -> tuple[Any, list[Any]]:
    """Return a field's type without None and Annotated, and the Annotated metadata."""
    metadata: list[Any] = []
    while True:
        if get_origin(annotasjon) in (Union, UnionType):
            ikke_none = [a for a in get_args(annotasjon) if a is not type(None)]
            if len(ikke_none) != 1:
                return annotasjon, metadata
            annotasjon = ikke_none[0]
        elif get_origin(annotasjon) is Annotated:
            annotasjon, *meta = get_args(annotasjon)
            metadata += meta
        else:
            return annotasjon, metadata


def _for_felt(navn: str, felt: FieldInfo, eksempel: Any) -> str:
    kjerne, metadata = _kjerne(felt.annotation)
    metadata += felt.metadata
    under, er_liste = undermodell(kjerne)
    if under is not None:
        pakrevde = ", ".join(n for n, f in under.model_fields.items() if f.is_required())
        hva = "en liste med minst én rad" if er_liste else "et objekt"
        return f"skriv {hva} med feltene {pakrevde}" if pakrevde else f"skriv {hva}"
    if "fodselsnummer" in navn:
        return "skriv fødselsnummeret, 11 siffer"
    if navn == "orgnr":
        return f"skriv organisasjonsnummeret, 9 siffer, f.eks. {eksempel or '998877660'}"
    return _for_type(kjerne, _monster(metadata), felt.title or navn, eksempel)


def _for_type(kjerne: Any, monster: str, tittel: str, eksempel: Any) -> str:
    er_kode = isinstance(kjerne, type) and issubclass(kjerne, enum.Enum)
    if get_origin(kjerne) is Literal or er_kode:
        valg = [str(getattr(v, "value", v)) for v in (get_args(kjerne) or list(kjerne))]
        return f"velg en av {', '.join(valg)}, f.eks. {eksempel or valg[0]}"
    if kjerne is bool:
        return f"skriv true eller false, f.eks. {'false' if eksempel is False else 'true'}"
    if kjerne is int:
        return f"skriv et heltall, f.eks. {eksempel if eksempel is not None else 3}"
    if kjerne is Decimal:
        return f'skriv et tall som tekst, f.eks. "{eksempel or "14.25"}"'
    if kjerne is dt.date:
        return f"skriv datoen som ÅÅÅÅ-MM-DD, f.eks. {eksempel or '2026-03-02'}"
    for start, melding in _MONSTER:
        if monster.startswith(start) and isinstance(eksempel, str):
            return melding.format(eksempel)
    hva = f"skriv {tittel[:1].lower()}{tittel[1:]}"
    return f"{hva}, f.eks. «{_kort(eksempel)}»" if isinstance(eksempel, str) else hva


def _monster(metadata: list[Any]) -> str:
    for m in metadata:
        if getattr(m, "pattern", None):
            return str(m.pattern)
    return ""


def _kort(tekst: str) -> str:
    """Return an example text on one line, cut at a word after about :data:`_KORT` characters."""
    tekst = re.sub(r"\s+", " ", tekst).strip()
    if len(tekst) <= _KORT:
        return tekst
    return tekst[:_KORT].rsplit(" ", 1)[0] + " …"
