"""The warm LibreOffice converter: PDF/A-2b content, crashes, hangs and clean shutdown."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest

from dokgen.documents.pdf.convert import Converter, ConverterPool
from dokgen.errors import ConversionFailedError
from tests import pdfinfo
from tests.conftest import REPO, require_command, wait_for

pytestmark = pytest.mark.integration

SPECIAL = "Blåbærsyltetøy på Ørland & Åsane: <b>fet</b> \"sitat\" 'apostrof'"


def make_docx(*paragraphs: str) -> bytes:
    """Return a small DOCX with one paragraph per argument (python-docx's default template)."""
    document = docx.Document()
    document.add_heading("Statusrapport – Tiltaksarrangør AS", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def group_members(pgid: int) -> list[int]:
    """Return the live (non-zombie) processes of a process group, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces or parentheses: split after its closing ")".
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


@pytest.fixture(autouse=True)
def poppler() -> None:
    """Require poppler's tools, which read the PDFs the session's ``converter`` makes."""
    require_command("pdfsig", "pdffonts", "pdftotext")


def test_pdf_holds_the_text_and_claims_pdfa_2b(converter: Converter) -> None:
    """Norwegian letters and XML-special characters survive; PDF/A-2B, fonts embedded, nb-NO."""
    pdf = converter.convert(make_docx(SPECIAL, "Andre avsnitt: 37,5 timer"))
    assert pdf.startswith(b"%PDF-")
    text = pdfinfo.text(pdf)
    assert SPECIAL in text
    assert "Statusrapport – Tiltaksarrangør AS" in text
    assert "37,5 timer" in text
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    assert pdfinfo.unembedded_fonts(pdf) == []
    assert pdfinfo.lang(pdf) == "nb-NO"


def test_each_document_gets_its_own_content(converter: Converter) -> None:
    """Consecutive conversions in one instance do not leak text into each other."""
    first = pdfinfo.text(converter.convert(make_docx("Første dokument")))
    second = pdfinfo.text(converter.convert(make_docx("Andre dokument")))
    assert "Første dokument" in first
    assert "Andre dokument" in second
    assert "Første dokument" not in second


def test_input_that_is_not_docx_fails_and_the_next_works(converter: Converter) -> None:
    """Bytes that are no DOCX raise ConversionFailedError; LibreOffice stays usable."""
    for junk in (b"dette er ikke en docx", b"PK\x03\x04odelagt zip"):
        with pytest.raises(ConversionFailedError, match="kunne ikke lese"):
            converter.convert(junk)
    assert "Etter feil" in pdfinfo.text(converter.convert(make_docx("Etter feil")))


def test_libreoffice_is_niced_against_the_whole_machine(converter: Converter) -> None:
    """soffice runs at a lower priority in its own process group but in our session.

    A session of its own (setsid) would also give it an autogroup of its own, and the
    kernel then weighs that group like any other: its nice value would only rank it among
    its own threads, and two conversions would take the cores from the web server.
    """
    converter.convert(make_docx("Prioritet"))
    pid = converter.pid
    assert pid is not None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    mine = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    assert int(fields[2]) == pid  # its own process group: killed as one
    assert fields[3] == mine[3]  # our session
    assert int(fields[16]) >= int(mine[16]) + 10  # nice
    autogroup = Path(f"/proc/{pid}/autogroup")
    if autogroup.exists():  # kernels with CONFIG_SCHED_AUTOGROUP
        # The file is empty for a process in a cgroup of its own (a container, a systemd
        # unit): autogroups do not apply there, and nice alone ranks the processes.
        assert autogroup.read_text() == Path("/proc/self/autogroup").read_text()


def test_converter_survives_a_killed_libreoffice(converter: Converter) -> None:
    """Killing soffice's process group between documents: the next conversion restarts it."""
    converter.convert(make_docx("Før krasj"))
    old = converter.pid
    assert old is not None
    os.killpg(old, signal.SIGKILL)
    _vent_til_tom(old)  # the kernel has delivered the signal before the next call
    pdf = converter.convert(make_docx("Etter krasj"))
    assert "Etter krasj" in pdfinfo.text(pdf)
    assert converter.pid not in (None, old)
    assert group_members(old) == []


def test_a_hang_raises_and_the_next_conversion_works(converter: Converter) -> None:
    """A stopped (hung) soffice overruns the limit: ConversionFailedError, then a fresh start."""
    converter.convert(make_docx("Før heng"))
    old = converter.pid
    assert old is not None
    limit = converter.timeout
    converter.timeout = 3.0
    try:
        os.killpg(old, signal.SIGSTOP)
        with pytest.raises(ConversionFailedError, match="mer enn 3 s"):
            converter.convert(make_docx("Henger"))
    finally:
        converter.timeout = limit
    assert group_members(old) == []
    assert "Etter heng" in pdfinfo.text(converter.convert(make_docx("Etter heng")))


def test_close_leaves_no_libreoffice_and_no_profile(tmp_path: Path) -> None:
    """After close() no process of the instance's group remains and its files are gone."""
    require_command("soffice", "pdftotext")
    conv = Converter(timeout=120, workdir=tmp_path)
    assert "Lukkes" in pdfinfo.text(conv.convert(make_docx("Lukkes")))
    pgid = conv.pid
    assert pgid is not None
    assert group_members(pgid)
    conv.close()
    assert group_members(pgid) == []
    assert list(tmp_path.iterdir()) == []


def test_interpreter_exit_reaps_libreoffice(tmp_path: Path) -> None:
    """A program that never calls close() leaves no soffice behind when it exits (atexit)."""
    require_command("soffice")
    script = (
        "import sys\n"
        "from dokgen.documents.pdf.convert import Converter\n"
        "c = Converter(workdir=__import__('pathlib').Path(sys.argv[1]))\n"
        "c.convert(open(sys.argv[2], 'rb').read())\n"
        "print(c.pid)\n"
    )
    source = tmp_path / "inn.docx"
    source.write_bytes(make_docx("atexit"))
    work = tmp_path / "arbeid"
    work.mkdir()
    done = subprocess.run(  # our own interpreter and script
        [sys.executable, "-c", script, str(work), str(source)],
        capture_output=True, text=True, check=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    pgid = int(done.stdout.strip())
    assert group_members(pgid) == []
    assert list(work.iterdir()) == []


def _vent_til_tom(pgid: int, sekunder: float = 10.0) -> list[int]:
    """Wait until the process group is empty; return who is left when time runs out."""
    return wait_for(lambda: group_members(pgid), lambda members: not members, sekunder)


def _kommando(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def test_libreoffice_goes_with_its_owner_however_it_dies(tmp_path: Path) -> None:
    """SIGKILL to the converter's process (the OOM killer, kill -9) leaves no LibreOffice
    running as an orphan: the guard sees its pipe close and kills the group."""
    require_command("soffice")
    script = (
        "import sys, time\n"
        "from dokgen.documents.pdf.convert import Converter\n"
        "c = Converter(workdir=__import__('pathlib').Path(sys.argv[1]))\n"
        "c.convert(open(sys.argv[2], 'rb').read())\n"
        "print(c.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    source = tmp_path / "inn.docx"
    source.write_bytes(make_docx("Eier drept"))
    with subprocess.Popen(  # our own interpreter and script
        [sys.executable, "-c", script, str(tmp_path), str(source)],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
    ) as eier:  # fmt: skip
        try:
            assert eier.stdout is not None
            pgid = int(eier.stdout.readline())
            assert "soffice.bin" in [_kommando(p) for p in group_members(pgid)]
        finally:
            eier.kill()
    assert _vent_til_tom(pgid) == []


def test_libreoffice_exiting_by_itself_ends_its_group_and_the_next_conversion_works(
    converter: Converter,
) -> None:
    """soffice.bin alone killed (a crash): the guard ends the group at once, so the dead
    instance is not mistaken for a running one, and the next conversion starts a new one."""
    converter.convert(make_docx("Før krasj"))
    old = converter.pid
    assert old is not None
    [office] = [p for p in group_members(old) if _kommando(p) == "soffice.bin"]
    os.kill(office, signal.SIGKILL)
    assert _vent_til_tom(old) == []
    assert "Etter krasj" in pdfinfo.text(converter.convert(make_docx("Etter krasj")))
    assert converter.pid not in (None, old)


def test_pool_converts_in_parallel_with_distinct_instances() -> None:
    """Two workers share a pool of two converters; every result holds its own text."""
    require_command("soffice", "pdftotext")
    with ConverterPool(2, timeout=120) as pool:
        names = [f"Dokument nummer {i}" for i in range(4)]
        with ThreadPoolExecutor(2) as executor:
            pdfs = list(executor.map(lambda n: pool.convert(make_docx(n)), names))
    for name, pdf in zip(names, pdfs, strict=True):
        assert name in pdfinfo.text(pdf)
