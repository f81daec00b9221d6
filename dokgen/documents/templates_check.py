"""Check that a DOCX template fits its model: every placeholder exists, every required field shows.

The template is rendered with a recording context made from a complete example, so loops,
conditions and filters are followed exactly as Jinja runs them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from dokgen.documents.context import build_context
from dokgen.documents.models import DOKUMENTTYPER, eksempel
from dokgen.documents.schemas import json_schema, kind_of, resolve
from dokgen.errors import DocumentTypeUnknownError, TemplateLimitError

# Every type a template can be uploaded for: the documents and the invoice's timeliste.
MALTYPER = (*sorted(DOKUMENTTYPER), "timeliste")
MAX_ENTRIES = 200
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 200


class _UnknownFieldError(Exception):
    def __init__(self, path: str) -> None:
        self.path = path


class _Recorder:
    """A read-only view of the context that notes each path read and refuses unknown ones."""

    def __init__(self, value: Any, path: str, seen: set[str]) -> None:
        self._value, self._path, self._seen = value, path, seen

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not isinstance(self._value, dict):
            raise AttributeError(name)
        path = f"{self._path}.{name}" if self._path else name
        if name not in self._value:
            raise _UnknownFieldError(path)
        return _wrap(self._value[name], path, self._seen)

    __getitem__ = __getattr__

    def __iter__(self) -> Iterator[Any]:
        items = self._value if isinstance(self._value, list) else []
        return (_wrap(v, f"{self._path}.*", self._seen) for v in items)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)


def _wrap(value: Any, path: str, seen: set[str]) -> Any:
    seen.add(path)
    return _Recorder(value, path, seen) if isinstance(value, dict | list) else value


def required_paths(type_navn: str) -> set[str]:
    """Return the dotted paths of every required leaf field (``list.*.field`` inside lists)."""
    schema = json_schema(type_navn)
    defs = schema.get("$defs", {})
    out: set[str] = set()

    def walk(node: dict[str, Any], path: str) -> None:
        node, _ = resolve(node, defs)
        kind = kind_of(node)
        if kind == "object":
            for key in node.get("required", []):
                if key != "type":
                    walk(node["properties"][key], f"{path}.{key}" if path else key)
        elif kind == "array":
            walk(node.get("items", {}), f"{path}.*")
        else:
            out.add(path)

    walk(schema, "")
    return out


UNSAFE_NAME = "DOCX-filen har en del med utrygt navn (../, absolutt sti, \\ eller stasjonsbokstav)"
_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_names(names: list[str]) -> list[str]:
    """Return the reasons a zip's member names are unsafe to unpack (empty when all are safe).

    Unsafe: a ``..`` segment, an absolute path (``/``, ``C:``), a backslash (a separator on
    Windows), a control character, an empty name, or one name twice. The names themselves are
    never repeated in the reasons.
    """
    unsafe = any(
        not name
        or "\\" in name
        or name.startswith("/")
        or _DRIVE.match(name)
        or ".." in name.split("/")
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
        for name in names
    )
    reasons = [UNSAFE_NAME] if unsafe else []
    if len(set(names)) != len(names):
        reasons.append("DOCX-filen har to deler med samme navn")
    return reasons


def _docx_problems(data: bytes) -> list[str]:
    """Refuse what is not a DOCX, and zip bombs, before any XML is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["filen er ikke en DOCX (ikke en zip-fil)"]
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            return [f"DOCX-filen har for mange deler ({len(entries)})"]
        # The name as stored, before zipfile cut it at a NUL byte.
        unsafe = unsafe_member_names([e.orig_filename for e in entries])
        if unsafe:
            return unsafe
        unpacked = sum(e.file_size for e in entries)
        packed = max(1, sum(e.compress_size for e in entries))
        if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
            return ["DOCX-filen pakker seg ut til mistenkelig mye (zip-bombe?)"]
        if "word/document.xml" not in archive.namelist():
            return ["filen er ikke en DOCX (mangler word/document.xml)"]
    return []


def check_template(
    type_navn: str, docx: bytes | Path, *, timeout: float | None = None
) -> list[str]:
    """Return the reasons a template does not fit its type's model (empty when it fits).

    The check runs the template, so it runs in a child process killed after ``timeout``
    seconds (default :data:`dokgen.documents.render.TIME_LIMIT`); a template stopped there, or at
    another of the sandbox's limits, is refused with that reason.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    from dokgen.documents import render_process
    from dokgen.documents.render import TIME_LIMIT

    if type_navn not in MALTYPER:
        raise DocumentTypeUnknownError(type_navn)
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    problems = _docx_problems(data)
    if problems:
        return problems
    try:
        reasons: list[str] = render_process.run(
            check_here, type_navn, data, timeout=timeout or TIME_LIMIT
        )
    except TemplateLimitError as exc:
        return exc.reasons
    return reasons


def check_here(type_navn: str, data: bytes) -> list[str]:
    """Check a template in this process (see :func:`check_template`), bounded in loop rounds
    and output but not in time."""
    from dokgen.documents import spesifikasjon
    from dokgen.documents.render import fill_here, jinja_env

    seen: set[str] = set()
    if type_navn == spesifikasjon.MAL:
        context = spesifikasjon.eksempel_kontekst()
        required = set(spesifikasjon.PAKREVD)
    else:
        context = build_context(type_navn, eksempel(type_navn))
        required = required_paths(type_navn)
    recording = {
        k: _Recorder(v, k, seen) if isinstance(v, dict | list) else v for k, v in context.items()
    }
    try:
        seen |= DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(jinja_env())
        fill_here(data, recording)
    except _UnknownFieldError as exc:
        return [f"malen bruker feltet «{exc.path}», som modellen ikke har"]
    except MemoryError:
        raise  # the child process says so, and is not used again
    except Exception as exc:
        return list(getattr(exc, "reasons", [])) or [_reason(exc)]
    missing = sorted(p for p in required if p not in seen)
    return [f"påkrevd felt «{p}» vises ikke i malen" for p in missing]


def _reason(exc: Exception) -> str:
    if isinstance(exc, SecurityError):
        return "malen prøver å nå noe sandkassen ikke tillater"
    if isinstance(exc, TemplateError):
        return f"feil i malens Jinja-kode: {exc.message}"
    return "malen kan ikke leses som DOCX"


def check_all(maler_dir: Path) -> dict[str, list[str]]:
    """Check every type's template in a folder; a missing template is a reason too."""
    results = {}
    for name in MALTYPER:
        path = maler_dir / f"{name}.docx"
        results[name] = check_template(name, path) if path.is_file() else ["malen mangler"]
    return results
