"""Settings come from DOKGEN_* variables, with safe defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from dokgen.errors import SettingsInvalidError
from dokgen.settings import Miljo, Settings


def test_defaults_are_development() -> None:
    s = Settings.from_env({})
    assert s.miljo is Miljo.UTVIKLING
    assert s.tillat_syntetiske
    assert s.referanse_peppol.parts[-3:] == ("shared", "reference", "peppol")


def test_production_refuses_synthetic(tmp_path: Path) -> None:
    s = Settings.from_env({"DOKGEN_MILJO": "produksjon", "DOKGEN_INSTANS": str(tmp_path)})
    assert s.miljo is Miljo.PRODUKSJON
    assert not s.tillat_syntetiske
    assert s.utboks_dir == tmp_path / "utboks"


def test_bad_values_explained() -> None:
    with pytest.raises(SettingsInvalidError, match="utvikling"):
        Settings.from_env({"DOKGEN_MILJO": "test"})
    with pytest.raises(SettingsInvalidError, match="tall"):
        Settings.from_env({"DOKGEN_KONVERTERING_TIDSGRENSE": "lenge"})
