"""What a document may hold: every font in use draws every character the rule allows, and
text fields refuse the rest (emoji) with a message naming the character."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from dokgen.data import demo_data
from dokgen.documents.charset import RANGES, check_printable, printable
from dokgen.documents.models import parse_dokument
from dokgen.documents.pdf.seal import find_font
from dokgen.errors import FieldError, InputInvalidError

CARLITO = Path("/usr/share/fonts/truetype/crosextra")  # the templates' font (maler/*.docx)


def _allowed() -> list[str]:
    return [chr(c) for low, high in RANGES for c in range(low, high + 1) if printable(chr(c))]


def _fonts() -> list[Path]:
    fonts = sorted(CARLITO.glob("Carlito-*.ttf"))
    if not fonts:
        pytest.skip("fonts-crosextra-carlito is not installed")
    return [*fonts, find_font()]


def test_every_font_in_use_draws_every_allowed_character() -> None:
    """Carlito (four styles, the templates) and the seal's font cover the whole rule."""
    allowed = _allowed()
    assert len(allowed) > 900
    for path in _fonts():
        cmap = TTFont(path).getBestCmap()
        missing = [f"U+{ord(c):04X}" for c in allowed if ord(c) not in cmap]
        assert missing == [], f"{path.name} lacks {missing[:10]}"


@pytest.mark.parametrize(
    "text",
    ["Máret Ŋuolja Đuđđá", "ČŠŽŦŧ áđŋšžčŧ", "Łukasz Wąsowski", "Nguyễn Thị Hương",
     "Олена Шевченко", "Ærlig Øvre Åsen – «sitat» … 50 % € 100"],
)  # fmt: skip
def test_names_in_these_scripts_are_accepted(text: str) -> None:
    """Sámi, Polish, Vietnamese, Ukrainian and Norwegian punctuation pass unchanged."""
    assert check_printable(text) == text


def test_composed_form_and_pasted_spaces_are_normalised() -> None:
    """a + combining acute becomes á; a no-break space a space; a soft hyphen goes."""
    assert check_printable("Ma\u0301ret\u00a0Sara\u00adsen") == "Máret Sarasen"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ola 😀", "tegnet «😀» kan ikke skrives ut i dokumentet: fjern det"),
        ("漢字", "tegnene «漢», «字» kan ikke skrives ut i dokumentet: fjern dem"),
        ("a\u0007b", "tegnet «U+0007» kan ikke skrives ut i dokumentet: fjern det"),
    ],
)
def test_unprintable_characters_are_refused_with_their_name(text: str, message: str) -> None:
    """The message shows the character (or its code point when invisible) and what to do."""
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        check_printable(text)


def _statusrapport() -> dict[str, Any]:
    return copy.deepcopy(json.loads(demo_data("statusrapport.json")))


def test_an_emoji_in_a_name_is_refused_on_its_field() -> None:
    """The document model refuses it on the field, with the bokmål message."""
    data = _statusrapport()
    data["deltaker"]["navn"] = "Kari 😀 Nordmann"
    with pytest.raises(InputInvalidError) as caught:
        parse_dokument(data, tillat_syntetiske=True)
    assert caught.value.errors == [
        FieldError("deltaker.navn", "tegnet «😀» kan ikke skrives ut i dokumentet: fjern det")
    ]


def test_a_sami_name_is_kept_and_stored_composed() -> None:
    """A decomposed Sámi name is stored in NFC form."""
    data = _statusrapport()
    data["deltaker"]["navn"] = "Ma\u0301ret Ŋuolja Đuđđa\u0301"
    dok = parse_dokument(data, tillat_syntetiske=True)
    assert dok.model_dump()["deltaker"]["navn"] == "Máret Ŋuolja Đuđđá"
