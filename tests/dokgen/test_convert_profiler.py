"""LibreOffice profile folders outlive an owner killed outright (kill -9): the next converter
to start removes them, and only those."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dokgen.documents.pdf.convert import Converter
from tests.conftest import require_command
from tests.dokgen.test_convert import make_docx

pytestmark = pytest.mark.integration

_EIER = """
import sys, time
from pathlib import Path
from dokgen.documents.pdf.convert import Converter
conv = Converter(timeout=120, workdir=Path(sys.argv[1]))
conv.convert(sys.stdin.buffer.read())
print(conv._root, flush=True)
time.sleep(600)
"""


def test_profile_folders_of_a_killed_owner_are_removed_when_the_next_converter_starts(
    tmp_path: Path,
) -> None:
    """An owner SIGKILLed after a conversion leaves its profile folder; the next converter's
    start removes it, keeps the folder of a live owner (this process) and its own, and
    converts."""
    require_command("soffice")
    eier = subprocess.Popen(
        [sys.executable, "-c", _EIER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert eier.stdin is not None
    assert eier.stdout is not None
    eier.stdin.write(make_docx("Første eier"))
    eier.stdin.close()
    forlatt = Path(eier.stdout.readline().decode().strip())
    eier.stdout.close()
    assert (forlatt / "profil" / "user").is_dir()
    os.kill(eier.pid, signal.SIGKILL)
    eier.wait(timeout=30)
    assert forlatt.is_dir(), "kill -9: nobody removed the folder"
    levende = tmp_path / f"dokgen-lo-{os.getpid()}-levende"
    levende.mkdir()

    with Converter(timeout=120, workdir=tmp_path) as conv:
        assert conv.convert(make_docx("Neste eier")).startswith(b"%PDF-")
        assert not forlatt.exists()
        assert levende.is_dir()
        assert conv._root is not None
        assert {p.name for p in tmp_path.iterdir()} == {levende.name, conv._root.name}
    assert [p.name for p in tmp_path.iterdir()] == [levende.name]
