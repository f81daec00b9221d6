"""What a new password must be, after NIST SP 800-63B (5.1.1.2): long enough, not too long,
not the user name, not a known common password — and no composition rules (no demand for a
digit or a capital letter), no expiry."""

from __future__ import annotations

import itertools
import re

from dokgen.errors import FieldError

MIN_LENGDE = 12
MAKS_LENGDE = 200
# Common passwords of 12 characters or more (from public lists of leaked passwords, and
# Norwegian and service-specific variants): too easy to guess however long they are.
VANLIGE = frozenset(
    {
        "123456789012", "1234567890123", "12345678901234", "123456789123", "123123123123",
        "111111111111", "000000000000", "qwertyuiopas", "qwertyuiop123", "qwerty123456",
        "1q2w3e4r5t6y", "1qaz2wsx3edc", "asdfghjklzxc", "zxcvbnm12345", "abcdefghijkl",
        "abc123abc123", "password1234", "password12345", "passwordpassword", "password123!",
        "iloveyou1234", "letmein12345", "welcome12345", "administrator", "administrator1",
        "passord12345", "passord123456", "passordpassord", "passord1234!", "mittpassord123",
        "hemmelig1234", "hemmeligpassord", "sommer123456", "sommer2024!!", "sommer20242024",
        "vinter123456", "høst12345678", "vår123456789", "norge1234567", "norge2024norge",
        "jegelskerdeg", "jegelskerdeg1", "velkommen123", "velkommen1234", "velkommen2024",
        "brukernavn123", "dokgen123456", "dokgenpassord", "dokgen-passord", "navnavnavnav",
        "tiltaksarrangør", "arbeidsgiver123", "bergen123456", "trondheim1234", "oslo12345678",
    }
)  # fmt: skip
_GJENTATT = re.compile(r"^(.{1,3})\1+$", re.DOTALL)


def sjekk_passord(passord: str, brukernavn: str = "", *, sti: str = "passord") -> list[FieldError]:
    """Return what is wrong with a new password (empty when it may be used).

    Args:
        brukernavn: the user's name; the password must not be it or be built on it.
        sti: the field the errors are reported at.
    """
    if len(passord) < MIN_LENGDE:
        return [FieldError(sti, f"må ha minst {MIN_LENGDE} tegn")]
    if len(passord) > MAKS_LENGDE:
        return [FieldError(sti, f"må ha høyst {MAKS_LENGDE} tegn")]
    brett = passord.casefold()
    navn = brukernavn.strip().casefold()
    if navn and len(brett.replace(navn, "")) < MIN_LENGDE:
        return [FieldError(sti, f"kan ikke bygge på brukernavnet (minst {MIN_LENGDE} tegn til)")]
    if brett in VANLIGE or _GJENTATT.match(brett) or _rekke(brett):
        return [FieldError(sti, "er et vanlig passord som er lett å gjette – velg et annet")]
    return []


def _rekke(tekst: str) -> bool:
    """Return whether the text is one run up or down the alphabet or the digits."""
    trinn = {ord(b) - ord(a) for a, b in itertools.pairwise(tekst)}
    return trinn in ({1}, {-1})


_EPOST = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def sjekk_epost(epost: str, *, sti: str = "epost") -> list[FieldError]:
    """Return what is wrong with an e-mail address (empty when it may be used)."""
    if len(epost) > 254 or not _EPOST.match(epost) or not epost.isprintable():
        return [FieldError(sti, "må være en e-postadresse, som navn@eksempel.no")]
    return []
