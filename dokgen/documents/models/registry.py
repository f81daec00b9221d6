"""The registry of document types: each type's name, model class and title.

Parsing (:mod:`dokgen.documents.models`) and the schemas (:mod:`dokgen.documents.schemas`)
both read it; it imports neither.
"""

from __future__ import annotations

from dokgen.documents.models.avtaler import ArbeidspraksisAvtale, EndringsAvtale
from dokgen.documents.models.common import Dokument
from dokgen.documents.models.rapporter import EvalueringsRapport, SluttRapport, StatusRapport
from dokgen.errors import DocumentTypeUnknownError

DOKUMENTTYPER: dict[str, type[Dokument]] = {
    "statusrapport": StatusRapport,
    "sluttrapport": SluttRapport,
    "evalueringsrapport": EvalueringsRapport,
    "arbeidspraksisavtale": ArbeidspraksisAvtale,
    "endringsavtale": EndringsAvtale,
}

TITLER: dict[str, str] = {
    "statusrapport": "Statusrapport",
    "sluttrapport": "Sluttrapport",
    "evalueringsrapport": "Evalueringsrapport",
    "arbeidspraksisavtale": "Arbeidspraksisavtale",
    "endringsavtale": "Endringsavtale",
}


def modell_for(type_navn: str) -> type[Dokument]:
    """Return the model class of a document type.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    try:
        return DOKUMENTTYPER[type_navn]
    except KeyError:
        raise DocumentTypeUnknownError(str(type_navn)) from None
