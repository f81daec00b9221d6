"""The characters a document can print: what the templates' font (Carlito) and the seal's font
(Liberation Sans by default) both draw, so no PDF ever shows a missing-glyph box (.notdef).

The rule is a short list of Unicode ranges, not a lookup in the font files, so input is checked
the same way on a machine without the fonts (tests/dokgen/test_charset.py checks that every
font in use draws every character the rule allows):

- printable Basic Latin, Latin-1, Latin Extended-A and -B (Norwegian, Sámi, Polish, Czech,
  Turkish, Romanian …) and Latin Extended Additional (Vietnamese);
- the Greek and Cyrillic letters (Ukrainian, Russian, Serbian …);
- the usual punctuation: dashes, quotation marks, bullet, ellipsis, per mille, €, № and ™;
- line breaks and tabs (in free text); a no-break space is taken as a space and a soft
  hyphen dropped.

Anything else (emoji, Chinese, Arabic, control characters, combining marks left after NFC
composition) is refused with a message naming the character.
"""

from __future__ import annotations

import unicodedata

# Inclusive code point ranges; the gaps are code points Carlito or Liberation Sans lacks.
RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin, printable
    (0x00A1, 0x00AC),  # Latin-1 Supplement (no-break space and soft hyphen: see _REPLACE)
    (0x00AE, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0384, 0x038A),  # Greek tonos and accented capitals
    (0x038C, 0x038C),
    (0x038E, 0x03CE),  # Greek letters
    (0x0400, 0x045F),  # Cyrillic letters
    (0x0490, 0x0491),  # Ukrainian Ґ ґ
    (0x1E00, 0x1E9B),  # Latin Extended Additional
    (0x1E9E, 0x1E9E),  # capital sharp s
    (0x1EA0, 0x1EF9),
    (0x2012, 0x2015),  # figure dash, en dash, em dash, horizontal bar
    (0x2018, 0x201E),  # quotation marks
    (0x2020, 0x2022),  # daggers, bullet
    (0x2026, 0x2026),  # ellipsis
    (0x2030, 0x2030),  # per mille
    (0x2039, 0x203A),  # single guillemets
    (0x20AC, 0x20AC),  # euro sign
    (0x2116, 0x2116),  # numero sign
    (0x2122, 0x2122),  # trade mark sign
)
WHITESPACE = frozenset("\n\r\t")
# Pasted from a word processor, and not in Carlito: a no-break space becomes a space, a soft
# hyphen is dropped.
_REPLACE = str.maketrans({"\u00a0": " ", "\u00ad": None})


def printable(char: str) -> bool:
    """Return True when every font a document uses can draw ``char`` (one character)."""
    if char in WHITESPACE:
        return True
    point = ord(char)
    if not any(low <= point <= high for low, high in RANGES):
        return False
    return unicodedata.category(char) not in ("Cn", "Cc", "Cs", "Co")


def unprintable(text: str) -> list[str]:
    """Return the characters of ``text`` no font in use can draw, each once, in order."""
    seen: dict[str, None] = {}
    for char in unicodedata.normalize("NFC", text.translate(_REPLACE)):
        if not printable(char):
            seen.setdefault(char, None)
    return list(seen)


def check_printable(text: str) -> str:
    """Return ``text`` composed (NFC) when every character can be printed.

    A letter typed as a base letter and a combining accent (a + ◌́) is stored composed (á),
    which the fonts draw; a no-break space is stored as a space, a soft hyphen dropped.

    Args:
        text: The text a person typed.

    Returns:
        The text in Unicode NFC form.

    Raises:
        ValueError: a character cannot be printed; the message names it and says what to do.
    """
    bad = unprintable(text)
    if bad:
        shown = ", ".join(f"«{_visible(c)}»" for c in bad[:3])
        noun = "tegnet" if len(bad) == 1 else "tegnene"
        pronoun = "det" if len(bad) == 1 else "dem"
        raise ValueError(f"{noun} {shown} kan ikke skrives ut i dokumentet: fjern {pronoun}")
    return unicodedata.normalize("NFC", text.translate(_REPLACE))


def _visible(char: str) -> str:
    """Show an invisible or control character by its code point instead of as itself."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp", "Mn"):
        return f"U+{ord(char):04X}"
    return char
