"""A stored approval as the seal shows it: role in words, method in words, on-behalf with
who registered it and why, time kept timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime

from dokgen.documents.pdf.seal import Godkjenningslinje
from dokgen.services.dokumenter import METODER, godkjenningslinje
from dokgen.storage.db import Godkjenning

WHEN = datetime(2026, 12, 7, 13, 5)  # stored without zone: UTC


def test_a_signed_in_users_approval() -> None:
    """No method stored: a signed-in user's approval; the party's code becomes its name."""
    g = Godkjenning(part="arrangor", navn="Åse Ødegård", bruker="Åse Ødegård", tidspunkt=WHEN)
    assert godkjenningslinje(g) == Godkjenningslinje(
        "Åse Ødegård", "Tiltaksarrangør", "innlogget bruker", WHEN.replace(tzinfo=UTC)
    )


def test_an_approval_registered_on_someones_behalf() -> None:
    """The party's person is the name; the staff member and the reason are kept."""
    g = Godkjenning(
        part="deltaker",
        navn="Åse Ødegård",
        bruker="Åse Ødegård",
        paa_vegne_av="Máret Ŋuolja Đuđđá",
        begrunnelse="godkjente muntlig på møtet",
        tidspunkt=WHEN,
    )
    linje = godkjenningslinje(g)
    assert linje.navn == "Máret Ŋuolja Đuđđá"
    assert linje.rolle == "Deltaker"
    assert linje.metode == "registrert på vegne av"
    assert linje.registrert_av == "Åse Ødegård"
    assert linje.begrunnelse == "godkjente muntlig på møtet"


def test_a_stored_method_code_is_shown_in_words() -> None:
    """Each method code the other approval routes store has its words."""
    g = Godkjenning(part="deltaker", navn="Łukasz Wąsowski", bruker="-", tidspunkt=WHEN)
    for kode, ord_ in METODER.items():
        g.metode = kode  # type: ignore[attr-defined]  # added by the approval-link work
        assert godkjenningslinje(g).metode == ord_
