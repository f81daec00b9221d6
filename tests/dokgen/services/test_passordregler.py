"""The password policy (NIST SP 800-63B): length, the user name, common passwords — and no
composition rules."""

from __future__ import annotations

import pytest

from dokgen.services.passord import lag_engangspassord
from dokgen.services.passordregler import sjekk_epost, sjekk_passord


@pytest.mark.parametrize(
    "passord",
    [
        "riktig-hest-batteri-99",
        "bare små bokstaver og mellomrom",  # no digit, no capital: fine
        "demo-veileder-passord",  # contains the user name, with 12 characters besides
        "x" * 11 + "y",
        "ø" * 6 + "æ" * 6,
    ],
)
def test_long_uncommon_passwords_are_accepted(passord: str) -> None:
    assert sjekk_passord(passord, "veileder") == []


@pytest.mark.parametrize(
    ("passord", "melding"),
    [
        ("kort-passord", None),  # exactly 12: accepted
        ("elleve-tegn", "må ha minst 12 tegn"),
        ("x" * 201, "må ha høyst 200 tegn"),
        ("Veileder2024", "kan ikke bygge på brukernavnet"),
        ("veileder-veileder", "kan ikke bygge på brukernavnet"),
        ("Passord12345", "er et vanlig passord"),
        ("aaaaaaaaaaaaaa", "er et vanlig passord"),
        ("abababababab", "er et vanlig passord"),
        ("123456789012", "er et vanlig passord"),
        ("abcdefghijklmn", "er et vanlig passord"),
        ("987654321098", None),  # wraps from 0 to 9: not one run
    ],
)
def test_each_rule_has_its_message(passord: str, melding: str | None) -> None:
    feil = sjekk_passord(passord, "veileder", sti="nytt")
    if melding is None:
        assert feil == []
    else:
        assert [f.path for f in feil] == ["nytt"]
        assert feil[0].message.startswith(melding)


def test_one_time_passwords_pass_the_policy_and_differ() -> None:
    laget = {lag_engangspassord() for _ in range(200)}
    assert len(laget) == 200
    assert all(sjekk_passord(p, "kari") == [] for p in laget)


@pytest.mark.parametrize(
    ("epost", "gyldig"),
    [("kari@eksempel.no", True), ("kari@eksempel", False), ("kari eksempel.no", False),
     ("a@b.no\n", False), ("@eksempel.no", False)],
)  # fmt: skip
def test_email_addresses(epost: str, gyldig: bool) -> None:
    assert (sjekk_epost(epost) == []) is gyldig
