"""Fill a DOCX template with docxtpl in a sandboxed, autoescaped Jinja environment."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dokgen.context import build_context
from dokgen.errors import TemplateInvalidError
from dokgen.models import modell_for

_UNDEFINED = re.compile(r"'([^']+)' is undefined")
MALER_DIR = Path(__file__).resolve().parent.parent / "maler"


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, remembering compiled template parts: the same DOCX compiles once."""

    _MAX = 256

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """Return the compiled template for a source, compiling it the first time only."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self._compiled.get(source)
        if found is None:
            if len(self._compiled) >= self._MAX:
                self._compiled.clear()
            found = self._compiled[source] = super().from_string(source)
        return found


_ENV = _Environment()


def jinja_env() -> ImmutableSandboxedEnvironment:
    """Return the environment templates run in: sandboxed (admins upload templates), XML-escaped."""
    return _ENV


def mal_path(type_navn: str, maler_dir: Path | None = None) -> Path:
    """Return the path of a type's template."""
    modell_for(type_navn)
    return (maler_dir or MALER_DIR) / f"{type_navn}.docx"


def fill(mal: bytes | Path, context: dict[str, Any]) -> bytes:
    """Render a template with a ready context.

    Raises:
        TemplateInvalidError: a Jinja syntax error, an unknown variable or a sandbox escape.
    """
    source = io.BytesIO(mal) if isinstance(mal, bytes) else mal
    try:
        template = DocxTemplate(source)
        template.render(context, jinja_env=jinja_env())
    except SecurityError:
        raise TemplateInvalidError(["malen prøver å nå noe sandkassen ikke tillater"]) from None
    except UndefinedError as exc:
        name = m[1] if (m := _UNDEFINED.search(exc.message or "")) else str(exc.message)
        raise TemplateInvalidError(
            [f"malen bruker feltet «{name}», som modellen ikke har"]
        ) from None
    except TemplateError as exc:
        raise TemplateInvalidError([f"feil i malens Jinja-kode: {exc.message}"]) from None
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_docx(
    type_navn: str,
    data: dict[str, Any],
    *,
    mal: bytes | Path | None = None,
    maler_dir: Path | None = None,
) -> bytes:
    """Fill the type's template with a document's data (``model_dump(mode="json")``).

    Raises:
        TemplateInvalidError: the template does not fit the data or is unsafe.
    """
    return fill(mal or mal_path(type_navn, maler_dir), build_context(type_navn, data))
