"""The Timedokumentasjon's context (no engines): the numbers in Norwegian form, the rule in
words, a correction and a part named, the title without a person."""

from __future__ import annotations

from dokgen.documents import timedokumentasjon as td
from tests.dokgen.kravgrunnlag import FNR_KARI, grunnlag


def test_the_context_writes_numbers_and_rules_as_people_read_them() -> None:
    """Hours with two decimals and a comma, amounts grouped, whole kroner, the rule without
    the activity's code, a missing date as a dash."""
    data = grunnlag("1099.96", (21, 30), ekstra_rader=1)
    forste = data["deltakere"][0]
    forste["aktiviteter"][0]["regel"] = "ikke_mott 60 min → 0,25 t (maks 0,25 t)"
    forste["aktiviteter"][0]["aktivitet"] = "ikke_mott"
    forste["oppstartdato"] = None
    k = td.kontekst(data, data["deltakere"])
    d = k["deltakere"][0]
    assert (d["fodselsnummer"], d["oppstartdato"], d["timer"]) == (FNR_KARI, "—", "5,25")
    assert d["aktiviteter"][0]["regel"] == "60 min → 0,25 t (maks 0,25 t)"
    assert d["aktiviteter"][1]["regel"] == "Minuttene er fakturert som de er"
    assert d["aktiviteter"][0]["dato"] == "01.10.2026"
    assert (k["maned_timer"], k["maned_belop"], k["belop_kroner"]) == (
        "12,75",
        "14\u00a0024,49",
        "14\u00a0024",
    )
    assert (k["maned"], k["krav_tekst"], k["del_tekst"]) == (
        "oktober 2026",
        "Første krav for måneden",
        "",
    )
    assert k["erklaering"].startswith("Det erklæres herved")


def test_a_part_of_a_correction_says_which() -> None:
    """A split correction names its number, reason and part; the title names no person."""
    data = grunnlag()
    k = td.kontekst(
        data, data["deltakere"][:1], lopenr=2, begrunnelse="Feil dato", del_nr=1, deler=2
    )
    assert k["krav_tekst"] == "Korrigering nr. 2 av kravet for måneden. Begrunnelse: Feil dato"
    assert (k["del_tekst"], k["omfang"], k["sum_timer"]) == (" – del 1 av 2", "del 1 av 2", "2,50")
    tittel = td.tittel(data, 1, 2)
    assert tittel == "Timedokumentasjon – Jobbmestrende oppfølging Oslo – oktober 2026 – del 1 av 2"
