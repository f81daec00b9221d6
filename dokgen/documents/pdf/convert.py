"""DOCX → PDF/A-2b with PDF/UA-1 through a LibreOffice kept running between documents (UNO).

The export is tagged (headings, tables with their header cells, the reading order), names
the document language (nb-NO) and shows the title from the DOCX core properties instead of
the file name: PDF/A-2b with PDF/UA-1, the targets of NAV's own PDF generator. LibreOffice's
XMP is then completed by :func:`dokgen.documents.pdf.pdfua.declare_pdfua`.

Each :class:`Converter` owns one ``soffice`` process in its own process group with its own
profile directory: two instances sharing a profile make conversions fail silently, and a hung
LibreOffice is cured only by killing its whole group. The process starts on the first
conversion and is restarted after a crash or a hang. ``atexit`` reaps what is still running.

A small shell guard leads the group: it holds the read end of a pipe whose write end only the
converter has, and kills the group when the pipe closes. So LibreOffice goes when its owner
dies in any way (SIGKILL, the OOM killer) instead of running on as an orphan; the guard also
ends the group when LibreOffice itself exits, so a crash at start is seen at once.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

from dokgen.documents.pdf.pdfua import declare_pdfua
from dokgen.errors import ConversionFailedError

log = logging.getLogger(__name__)

_START_TIMEOUT = 60.0
_NICE = 10
_LANGUAGE = ("nb", "NO")
# writer_pdf_Export's FilterData (checked on LibreOffice 7.4.7). SelectPdfVersion 2 is
# PDF/A-2b; PDFUACompliance claims PDF/UA-1 alongside and sets /DisplayDocTitle;
# ExportBookmarks turns the headings into the outline the reader's side panel offers.
_FILTER = {
    "SelectPdfVersion": 2,
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "ExportBookmarks": True,
}

# The profile's locale decides the document default language LibreOffice writes as /Lang.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">\
<value>nb-NO</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>nb-NO</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" \
oor:op="fuse"><value>nb-NO</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">\
<value>false</value></prop></item>
</oor:items>
"""

# $@ is the LibreOffice command. The guard (sh, the group's leader) waits for EOF on its
# stdin, the pipe from the converter; LibreOffice's end (a crash, or its own exit) ends the
# group too. `kill -9 0` is the guard's whole process group.
_VAKT = """("$@" </dev/null >/dev/null 2>&1; kill -9 0) &
read _ || :
kill -9 0
"""

_live: weakref.WeakSet[Converter] = weakref.WeakSet()

# A profile folder is named after the process that made it: dokgen-lo-<pid>-<random>.
_PROFIL = "dokgen-lo-"
_PROFIL_NAVN = re.compile(rf"{_PROFIL}(\d+)-\w+")


def remove_stale_profiles(workdir: Path | None = None) -> int:
    """Remove the profile folders whose owner process is gone; return how many.

    An owner killed outright (SIGKILL, the OOM killer) never closes its converter: its guard
    ends LibreOffice, but the folder (tens of MB once LibreOffice has run) stays. Only this
    user's folders whose owner no longer exists are removed.
    """
    removed = 0
    for folder in Path(workdir or tempfile.gettempdir()).glob(f"{_PROFIL}*"):
        match = _PROFIL_NAVN.fullmatch(folder.name)
        try:
            mine = folder.is_dir() and folder.stat().st_uid == os.getuid()
        except OSError:
            continue
        if match and mine and not _alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    if removed:
        log.info("fjernet %d LibreOffice-profil(er) etter prosesser som ble stoppet", removed)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


@atexit.register
def _close_all() -> None:
    """Terminate every converter still running when the interpreter exits."""
    for converter in list(_live):
        converter.close()


def _props(**values: Any) -> tuple[Any, ...]:
    """Return UNO PropertyValues for keyword arguments."""
    from com.sun.star.beans import PropertyValue

    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process and everything in its process group, then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


class Converter:
    """One warm LibreOffice instance turning DOCX bytes into PDF/A-2b bytes.

    Not thread-safe: use one per worker, or a :class:`ConverterPool`.
    """

    def __init__(self, *, timeout: float = 60.0, workdir: Path | None = None) -> None:
        """Prepare a converter; LibreOffice starts on the first conversion.

        Args:
            timeout: Seconds one conversion may take before LibreOffice is killed.
            workdir: Folder for the profile and temporary files (default: system temp).
        """
        self.timeout = timeout
        self._workdir = workdir
        self._root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._vakt: int | None = None  # write end of the guard's pipe
        self._desktop: Any = None
        self._lock = threading.Lock()
        _live.add(self)

    @property
    def pid(self) -> int | None:
        """Return LibreOffice's process group id (its guard's pid), if running."""
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self, exc: type[BaseException] | None, val: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def convert(self, docx: bytes) -> bytes:
        """Convert a DOCX document to tagged PDF/A-2b with PDF/UA-1, in the language nb-NO.

        Args:
            docx: The DOCX file's bytes.

        Returns:
            The PDF's bytes.

        Raises:
            ConversionFailedError: LibreOffice failed, crashed or exceeded the time limit.
        """
        with self._lock:
            for attempt in (1, 2):
                self._ensure_started()
                try:
                    return self._convert_once(docx)
                except _EngineDiedError:
                    # A crash between documents shows up on the next call: restart once.
                    self._stop()
                    if attempt == 2:
                        raise ConversionFailedError(
                            "LibreOffice stoppet under konverteringen"
                        ) from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Terminate LibreOffice's process group and remove the profile."""
        self._stop()
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def _ensure_started(self) -> None:
        """Start LibreOffice and connect over UNO unless it is running."""
        if self._proc is not None and self._proc.poll() is None and self._desktop is not None:
            return
        self._stop()
        if self._root is None:
            remove_stale_profiles(self._workdir)
            self._root = Path(
                tempfile.mkdtemp(prefix=f"{_PROFIL}{os.getpid()}-", dir=self._workdir)
            )
        profile = self._root / "profil"
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, "utf-8")
        pipe = f"dokgen-{uuid.uuid4().hex}"
        lese, self._vakt = os.pipe()  # neither end is inherited by other children
        try:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed argv and script
                [
                    # Below the web server's priority: requests are answered first under load.
                    shutil.which("nice") or "/usr/bin/nice", "-n", str(_NICE),
                    "/bin/sh", "-c", _VAKT, "dokgen-lo-vakt",
                    shutil.which("soffice") or "soffice",
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless", "--invisible", "--nologo", "--nodefault", "--norestore",
                    "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ],
                stdin=lese, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                # Its own process group (killed as one) but not its own session: a new
                # session is a new autogroup, which the kernel weighs like any other
                # whatever the nice.
                process_group=0,
            )  # fmt: skip
        finally:
            os.close(lese)
        self._desktop = self._connect(pipe)

    def _connect(self, pipe: str) -> Any:
        """Connect to the freshly started LibreOffice; return its Desktop."""
        import uno

        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                break
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            except Exception:  # NoConnectException until the pipe exists
                time.sleep(0.1)
                continue
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        self._stop()
        raise ConversionFailedError("LibreOffice startet ikke")

    def _stop(self) -> None:
        """Kill LibreOffice's process group if it runs; forget the UNO connection."""
        self._desktop = None
        if self._proc is not None:
            _kill_group(self._proc)
            self._proc = None
        if self._vakt is not None:
            os.close(self._vakt)
            self._vakt = None

    def _convert_once(self, docx: bytes) -> bytes:
        """Run one conversion in a worker thread, killing LibreOffice when it overruns."""
        with tempfile.TemporaryDirectory(dir=self._root) as tmp:
            src, dst = Path(tmp) / "dokument.docx", Path(tmp) / "dokument.pdf"
            src.write_bytes(docx)
            outcome: queue.Queue[BaseException | None] = queue.Queue()
            desktop = self._desktop
            worker = threading.Thread(
                target=_export_into, args=(desktop, src, dst, outcome), daemon=True
            )
            worker.start()
            try:
                error = outcome.get(timeout=self.timeout)
            except queue.Empty:
                self._stop()  # unblocks the worker's UNO call
                worker.join(timeout=10)
                raise ConversionFailedError(
                    f"LibreOffice brukte mer enn {self.timeout:g} s og ble startet på nytt"
                ) from None
            if error is not None:
                self._raise_for(error)
            if not dst.is_file() or dst.stat().st_size == 0:
                raise ConversionFailedError("LibreOffice laget ingen PDF")
            return declare_pdfua(dst.read_bytes())

    def _raise_for(self, error: BaseException) -> None:
        """Translate an error from the UNO call; mark the engine dead when it died."""
        if self._proc is None or self._proc.poll() is not None or _is_disposed(error):
            raise _EngineDiedError from error
        if isinstance(error, ConversionFailedError):
            raise error
        raise ConversionFailedError(f"LibreOffice kunne ikke konvertere dokumentet: {error}")


class _EngineDiedError(Exception):
    """LibreOffice went away under a conversion (internal: triggers a restart)."""


def _is_disposed(error: BaseException) -> bool:
    """Tell whether a UNO error means the connection to LibreOffice is gone."""
    name = type(error).__name__
    return name == "DisposedException" or (name == "RuntimeException" and "URP" in str(error))


def _export_into(
    desktop: Any, src: Path, dst: Path, outcome: queue.Queue[BaseException | None]
) -> None:
    """Load ``src`` hidden, export it as PDF/A-2b to ``dst``, report to ``outcome``."""
    try:
        _export(desktop, src, dst)
    except BaseException as error:  # handed to the waiting thread
        outcome.put(error)
    else:
        outcome.put(None)


def _export(desktop: Any, src: Path, dst: Path) -> None:
    """Load ``src`` hidden and store it as tagged PDF/A-2b with PDF/UA-1 at ``dst``."""
    from com.sun.star.lang import Locale

    doc = desktop.loadComponentFromURL(
        src.as_uri(), "_blank", 0, _props(Hidden=True, FilterName="MS Word 2007 XML")
    )
    if doc is None:
        raise ConversionFailedError("LibreOffice kunne ikke lese DOCX-filen")
    try:
        locale = Locale(*_LANGUAGE, "")
        doc.getDocumentProperties().Language = locale
        # Writer writes the pool default's language as the catalog /Lang.
        doc.createInstance("com.sun.star.text.Defaults").CharLocale = locale
        filter_data = _props(**_FILTER)
        doc.storeToURL(
            dst.with_suffix(".tmp").as_uri(),
            _props(FilterName="writer_pdf_Export", FilterData=_uno_any(filter_data)),
        )
        # Publish only a complete file: no partial PDF is ever visible under its name.
        dst.with_suffix(".tmp").replace(dst)
    finally:
        with contextlib.suppress(Exception):
            doc.close(True)


def _uno_any(props: tuple[Any, ...]) -> Any:
    """Wrap PropertyValues as the typed sequence FilterData expects."""
    import uno

    return uno.Any("[]com.sun.star.beans.PropertyValue", props)


class ConverterPool:
    """A fixed set of converters, one per worker, checked out thread-safely."""

    def __init__(self, size: int, *, timeout: float = 60.0) -> None:
        """Create ``size`` converters (each starts its LibreOffice lazily).

        Args:
            size: Number of LibreOffice instances (one per worker thread).
            timeout: Per-conversion time limit, as for :class:`Converter`.
        """
        if size < 1:
            raise ValueError("size must be at least 1")
        self._all = [Converter(timeout=timeout) for _ in range(size)]
        self._free: queue.Queue[Converter] = queue.Queue()
        for converter in self._all:
            self._free.put(converter)

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(
        self, exc: type[BaseException] | None, val: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def convert(self, docx: bytes) -> bytes:
        """Convert on the first free converter; block until one is free.

        Raises:
            ConversionFailedError: As :meth:`Converter.convert`.
        """
        converter = self._free.get()
        try:
            return converter.convert(docx)
        finally:
            self._free.put(converter)

    def close(self) -> None:
        """Close every converter of the pool."""
        for converter in self._all:
            converter.close()
