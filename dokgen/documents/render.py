"""Fill a DOCX template with docxtpl in a sandboxed, autoescaped Jinja environment.

Templates are uploaded by organisations' admins, so a fill is bounded twice: inside the
sandbox (loop rounds and calls, output length, the size of ``*``, ``**`` and ``+`` results),
which stops the usual bombs with a clear reason; and by running it in a child process that
is killed when the time limit passes (:mod:`dokgen.documents.render_process`), which stops the rest
(a long computation in C that no Python check interrupts).
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

from dokgen.documents import render_process
from dokgen.documents.context import build_context, dokumenttittel
from dokgen.documents.models import modell_for
from dokgen.errors import TemplateInvalidError, TemplateLimitError

_UNDEFINED = re.compile(r"'([^']+)' is undefined")
MALER_DIR = Path(__file__).resolve().parents[2] / "maler"

TIME_LIMIT = 5.0  # seconds a fill or a check may take (DOKGEN_MAL_TIDSGRENSE)
# The contract examples' fills use at most 15 rounds and 30,000 characters: these leave room
# for documents thousands of times larger, and stop a bomb in about a second.
MAX_ROUNDS = 1_000_000  # loop rounds and calls in one fill
MAX_CHARS = 20_000_000  # characters of output (XML) in one fill
MAX_BITS = 4096  # bits of an integer made by * or **


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


@dataclass
class _Budget:
    """What one fill has used so far; it stops the fill when a limit is passed."""

    rounds: int = 0
    chars: int = 0

    def count_round(self) -> None:
        self.rounds += 1
        if self.rounds > MAX_ROUNDS:
            raise TemplateLimitError(f"gikk mer enn {_grouped(MAX_ROUNDS)} runder i løkker og kall")

    def count_output(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise TemplateLimitError(f"lagde mer enn {_grouped(MAX_CHARS)} tegn")


_local = threading.local()


def _budget() -> _Budget | None:
    budget: _Budget | None = getattr(_local, "budget", None)
    return budget


def _too_big(operator: str, left: Any, right: Any) -> bool:
    """Tell whether ``left operator right`` would make a value over the limits (before it does)."""
    if isinstance(left, int) and isinstance(right, int):
        if operator == "**":
            return abs(left) > 1 and right * left.bit_length() > MAX_BITS
        return operator == "*" and left.bit_length() + right.bit_length() > MAX_BITS
    sequence = (str, list, tuple)
    if operator == "*":
        n, seq = (left, right) if isinstance(left, int) else (right, left)
        return isinstance(n, int) and isinstance(seq, sequence) and n * len(seq) > MAX_CHARS
    if operator == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        return len(left) + len(right) > MAX_CHARS
    return False


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, remembering compiled template parts (the same DOCX compiles once) and
    counting what a fill does: every loop round and call, every character of output."""

    _MAX = 256
    # Intercepted, so also never folded at compile time ({{ 9**9**9 }} would hang there).
    intercepted_binops = frozenset({"*", "**", "+"})

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

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then make every ``for`` loop iterate through :meth:`counted`."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            counted = nodes.EnvironmentAttribute("counted", lineno=loop.lineno)
            loop.iter = nodes.Call(counted, [loop.iter], [], None, None, lineno=loop.lineno)
        tree.set_environment(self)
        return tree

    def counted(self, items: Iterable[Any]) -> Iterator[Any]:
        """Yield the items of a loop, counting each round against the fill's budget."""
        budget = _budget()
        for item in items:
            if budget is not None:
                budget.count_round()
            yield item

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call from a template: counted; a recursive loop's ``loop(...)`` counts its rounds."""
        budget = _budget()
        if budget is not None:
            budget.count_round()
        if isinstance(obj, LoopContext) and args:
            args = (self.counted(args[0]), *args[1:])
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Apply ``*``, ``**`` or ``+``, refusing a result too large to make."""
        if _too_big(operator, left, right):
            raise TemplateLimitError("regnet ut for store tall eller tekster")
        return super().call_binop(context, operator, left, right)

    def concat(self, parts: Iterable[str]) -> str:
        """Join output parts, counting their length against the fill's budget."""
        budget = _budget()
        if budget is None:
            return "".join(parts)
        out = []
        for part in parts:
            budget.count_output(part)
            out.append(part)
        return "".join(out)


_ENV = _Environment()


def jinja_env() -> ImmutableSandboxedEnvironment:
    """Return the environment templates run in: sandboxed (admins upload templates), XML-escaped."""
    return _ENV


def mal_path(type_navn: str, maler_dir: Path | None = None) -> Path:
    """Return the path of a type's template."""
    modell_for(type_navn)
    return (maler_dir or MALER_DIR) / f"{type_navn}.docx"


def fill_here(mal: bytes | Path, context: dict[str, Any], tittel: str | None = None) -> bytes:
    """Render a template with a ready context in this process, within the sandbox's budget.

    Bounded in rounds, output and value size, not in time: use :func:`fill` for that.
    ``tittel``, when given, replaces the template's title (the DOCX core property ``title``,
    which becomes the PDF's title): an uploaded template decides no metadata.

    Raises:
        TemplateLimitError: the template passed a limit.
        TemplateInvalidError: a Jinja syntax error, an unknown variable or a sandbox escape.
    """
    source = io.BytesIO(mal) if isinstance(mal, bytes) else mal
    outer, _local.budget = _budget(), _Budget()
    try:
        template = DocxTemplate(source)
        template.render(context, jinja_env=jinja_env())
        if tittel is not None:
            template.docx.core_properties.title = tittel
    except SecurityError:
        raise TemplateInvalidError(["malen prøver å nå noe sandkassen ikke tillater"]) from None
    except UndefinedError as exc:
        name = m[1] if (m := _UNDEFINED.search(exc.message or "")) else str(exc.message)
        raise TemplateInvalidError(
            [f"malen bruker feltet «{name}», som modellen ikke har"]
        ) from None
    except TemplateError as exc:
        raise TemplateInvalidError([f"feil i malens Jinja-kode: {exc.message}"]) from None
    except RecursionError:
        raise TemplateLimitError("kalte seg selv for dypt (makroer eller løkker)") from None
    except OverflowError as exc:  # the sandbox's range() cap, or float arithmetic
        raise TemplateLimitError(
            f"lagde en range() med mer enn {_grouped(MAX_RANGE)} tall"
            if "MAX_RANGE" in str(exc)
            else "regnet ut for store tall eller tekster"
        ) from None
    finally:
        _local.budget = outer
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def fill(
    mal: bytes | Path,
    context: dict[str, Any],
    *,
    tittel: str | None = None,
    timeout: float = TIME_LIMIT,
) -> bytes:
    """Render a template with a ready context, in a child process killed after ``timeout``.

    ``tittel`` replaces the template's title, as in :func:`fill_here`.

    Raises:
        TemplateLimitError: the template passed a limit, or its time ran out.
        TemplateInvalidError: a Jinja syntax error, an unknown variable or a sandbox escape.
    """
    result: bytes = render_process.run(fill_here, mal, context, tittel, timeout=timeout)
    return result


def render_docx(
    type_navn: str,
    data: dict[str, Any],
    *,
    mal: bytes | Path | None = None,
    maler_dir: Path | None = None,
    timeout: float = TIME_LIMIT,
) -> bytes:
    """Fill the type's template with a document's data (``model_dump(mode="json")``).

    The DOCX's title (the PDF's) is the type's title and the document's period or date.

    Raises:
        TemplateLimitError: the template passed a limit, or its time ran out.
        TemplateInvalidError: the template does not fit the data or is unsafe.
    """
    context = build_context(type_navn, data)
    tittel = dokumenttittel(type_navn, data)
    return fill(mal or mal_path(type_navn, maler_dir), context, tittel=tittel, timeout=timeout)
