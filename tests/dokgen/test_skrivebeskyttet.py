"""``dokgen serve`` on an instance it cannot write (a read-only mount, wrong owner) stops at
once with exit 1 and a line saying what is wrong, not a bare ``OperationalError``."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dokgen.bootstrap import make_deps
from dokgen.settings import Settings
from tests.conftest import PEPPOL
from tests.dokgen.test_cli_serve import serve_refused

pytestmark = pytest.mark.integration


def _lag_instans(instans: Path) -> None:
    """Make a migrated instance, as a first start does, and close it."""
    deps = make_deps(Settings(instans=instans, jobbmodus="traad", referanse_peppol=PEPPOL))
    deps.jobs.close()
    deps.sessions.kw["bind"].dispose()
    assert (instans / "dokgen.db").exists()


@pytest.fixture
def skrivebeskyttet(tmp_path: Path) -> Iterator[Path]:
    """Return an instance folder the service cannot write: a read-only mount when we are
    root (who may write any file), else the folder and its files without write permission."""
    instans = tmp_path / "instans"
    instans.mkdir()
    if os.geteuid() != 0:
        _lag_instans(instans)
        for fil in instans.iterdir():
            fil.chmod(0o444)
        instans.chmod(0o555)
        yield instans
        instans.chmod(0o755)
        return
    montert = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(instans)], check=False
    )
    if montert.returncode != 0 and not os.environ.get("CI"):
        pytest.skip("root without the right to mount a tmpfs")
    assert montert.returncode == 0
    try:
        _lag_instans(instans)
        subprocess.run(["mount", "-o", "remount,ro", str(instans)], check=True)
        yield instans
    finally:
        subprocess.run(["umount", str(instans)], check=False)


def test_serve_on_a_read_only_instance_stops_with_a_clear_reason(
    skrivebeskyttet: Path,
) -> None:
    """Exit 1 before listening, the folder named and the reason given, no traceback."""
    env = {**os.environ, "DOKGEN_INSTANS": str(skrivebeskyttet), "DOKGEN_WEBPROSESSER": "1"}
    r = serve_refused(env)
    assert r.returncode == 1, r.stderr[-2000:]
    assert f"instansmappen {skrivebeskyttet} kan ikke skrives" in r.stderr
    assert "tjenesten må kunne skrive databasen og filene der" in r.stderr
    assert "Traceback" not in r.stderr
    assert "OperationalError" not in r.stderr
    assert "lytter" not in r.stderr
