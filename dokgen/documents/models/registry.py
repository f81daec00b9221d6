"""The registry of document types, built from the classes: each type describes itself
(title, approving parties, list summary, code labels: see ``Dokumentmodell``).

Parsing (:mod:`dokgen.documents.models`) and the schemas (:mod:`dokgen.documents.schemas`)
both read it; it imports neither. Adding a type: its class in a model module and one entry
in ``TYPER`` (the README's "Adding a template or a document type" lists the other pieces).
"""

from __future__ import annotations

from collections.abc import Mapping

from dokgen.documents.models.arsrapport import Arsrapport
from dokgen.documents.models.avtaler import ArbeidspraksisAvtale, EndringsAvtale
from dokgen.documents.models.common import Dokumentmodell
from dokgen.documents.models.kvalifisering import SluttrapportKvalifisering
from dokgen.documents.models.motereferat import Motereferat
from dokgen.documents.models.oppfolgingsplan import Oppfolgingsplan
from dokgen.documents.models.opplaeringsplan import Opplaeringsplan
from dokgen.documents.models.plan import Plan
from dokgen.documents.models.rapporter import EvalueringsRapport, SluttRapport, StatusRapport
from dokgen.documents.models.samarbeidsavtale import Samarbeidsavtale
from dokgen.documents.models.samtalereferat import Samtalereferat
from dokgen.documents.models.tilbudsmelding import Tilbudsmelding
from dokgen.documents.models.tilretteleggingsgaranti import Tilretteleggingsgaranti
from dokgen.errors import DocumentTypeUnknownError

TYPER: tuple[type[Dokumentmodell], ...] = (
    StatusRapport,
    SluttRapport,
    EvalueringsRapport,
    ArbeidspraksisAvtale,
    EndringsAvtale,
    Plan,
    SluttrapportKvalifisering,
    Motereferat,
    Tilbudsmelding,
    Opplaeringsplan,
    Samtalereferat,
    Samarbeidsavtale,
    Arsrapport,
    Tilretteleggingsgaranti,
    Oppfolgingsplan,
)

DOKUMENTTYPER: dict[str, type[Dokumentmodell]] = {cls.type_navn(): cls for cls in TYPER}

TITLER: dict[str, str] = {name: cls.tittel for name, cls in DOKUMENTTYPER.items()}


def _merged(tables: list[Mapping[str, str]], what: str) -> dict[str, str]:
    """Merge the types' code tables; a code means one thing across the types."""
    merged: dict[str, str] = {}
    for table in tables:
        for code, text in table.items():
            if merged.setdefault(code, text) != text:
                raise TypeError(f"{what} {code!r} has two texts: {merged[code]!r}, {text!r}")
    return merged


PARTNAVN: dict[str, str] = _merged([dict(cls.parter) for cls in TYPER], "party")

# The codes printed as words; the parties' names are labels of their codes too.
ETIKETTER: dict[str, str] = _merged([PARTNAVN, *(cls.etiketter for cls in TYPER)], "code")


def modell_for(type_navn: str) -> type[Dokumentmodell]:
    """Return the model class of a document type.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    try:
        return DOKUMENTTYPER[type_navn]
    except KeyError:
        raise DocumentTypeUnknownError(str(type_navn)) from None
