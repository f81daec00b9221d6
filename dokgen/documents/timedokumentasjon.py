"""The Timedokumentasjon: the PDF/A a NAV claim for an hourly price carries.

NAV's arrangørflate ("Utbetalinger") computes nothing for ``AVTALT_PRIS_PER_TIME_OPPFOLGING_
PER_DELTAKER``: the arrangør types one amount in whole kroner and uploads PDFs documenting the
hours per deltaker. This one is made from a claim's stored ``grunnlag`` (see
:mod:`dokgen.services.kravpakke`) by filling ``maler/timedokumentasjon.docx`` and converting
it with LibreOffice. NAV matches the deltakere on their fødselsnummer, so it is printed here —
in the PDF only, never in its title, file name or anything logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dokgen.documents.context import belop, dato, desimal, orgnr
from ehf.translate import periode_tekst

MAL = "timedokumentasjon"

# The declaration NAV asks the arrangør to confirm before a claim is sent, word for word from
# NAV's arrangørflate (navikt/mulighetsrommet, frontend/arrangor-flate, the texts'
# ``utbetaling.oppsummering.bekreftelse``: the checkbox on the page "Oppsummering av
# refusjonskrav" before "Bekreft og send refusjonskrav").
ERKLAERING = "Det erklæres herved at alle opplysninger er gitt i henhold til de faktiske forhold"

_TOM = "—"


def _kroner(value: int) -> str:
    """Return whole kroner grouped the Norwegian way: ``1234`` → ``1 234`` (no-break space)."""
    return f"{value:,}".replace(",", "\u00a0")


def _timer(value: Any) -> str:
    """Return hours with two decimals, comma-separated: ``2.5`` → ``2,50``."""
    return desimal(str(Decimal(str(value)).quantize(Decimal("0.01"))))


def _minutter(value: Any) -> str:
    return desimal(format(Decimal(str(value)).normalize(), "f"))


def _dato(value: str | None) -> str:
    return dato(value) if value else _TOM


def _regel(a: dict[str, Any]) -> str:
    """Return the rule applied in words; the billing explanation may start with the activity's
    code ("ikke_mott 60 min → …"), which the column beside it already says in words."""
    regel = a.get("regel")
    if not regel:
        return "Minuttene er fakturert som de er"
    tekst = a.get("aktivitet_tekst")
    regel = str(regel).removeprefix(f"{a['aktivitet']} ")
    return regel.removeprefix(f"{tekst}: ") if tekst else regel


def _aktivitet(a: dict[str, Any]) -> dict[str, str]:
    return {
        "dato": dato(a["dato"]),
        "aktivitet": a.get("aktivitet_tekst") or a["aktivitet"],
        "minutter": _minutter(a["minutter"]),
        "regel": _regel(a),
        "timer": _timer(a["timer"]),
    }


def _deltaker(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "navn": d["navn"],
        "fodselsnummer": d["fodselsnummer"],
        "oppstartdato": _dato(d.get("oppstartdato")),
        "start_i_perioden": _dato(d.get("start_i_perioden")),
        "slutt_i_perioden": _dato(d.get("slutt_i_perioden")),
        "aktiviteter": [_aktivitet(a) for a in d["aktiviteter"]],
        "timer": _timer(d["timer"]),
        "belop": belop(d["belop"]),
    }


def krav_tekst(lopenr: int, begrunnelse: str | None) -> str:
    """Return what the claim is: the month's first, or a correction with its reason."""
    if not lopenr:
        return "Første krav for måneden"
    tekst = f"Korrigering nr. {lopenr} av kravet for måneden"
    return f"{tekst}. Begrunnelse: {begrunnelse}" if begrunnelse else tekst


def kontekst(
    grunnlag: dict[str, Any],
    deltakere: Sequence[dict[str, Any]],
    *,
    lopenr: int = 0,
    begrunnelse: str | None = None,
    del_nr: int | None = None,
    deler: int = 1,
) -> dict[str, Any]:
    """Return the template context of one Timedokumentasjon file.

    Args:
        grunnlag: the claim's stored grunnlag (the whole month).
        deltakere: the grunnlag's deltakere this file shows (all, or one part's).
        lopenr: 0 for the month's first claim, 1, 2 … for corrections.
        begrunnelse: a correction's reason.
        del_nr: the part's number when the claim is split over several files.
        deler: how many files the claim is split over.
    """
    fra, til = (date.fromisoformat(grunnlag["periode"][k]) for k in ("fra", "til"))
    g = grunnlag["gjennomforing"]
    timer = sum((Decimal(str(d["timer"])) for d in deltakere), Decimal(0))
    sum_belop = sum((Decimal(str(d["belop"])) for d in deltakere), Decimal(0))
    regelsett = g.get("regelsett") or _TOM
    return {
        "arrangor": {
            "navn": grunnlag["arrangor"]["navn"],
            "orgnr": orgnr(grunnlag["arrangor"]["orgnr"]),
        },
        "gjennomforing": {
            "navn": g["navn"],
            "tiltaksnummer": g.get("tiltaksnummer") or _TOM,
            "avtalenummer": g.get("avtalenummer") or _TOM,
        },
        "maned": periode_tekst(fra, til),
        "periode": f"{fra:%d.%m.%Y}–{til:%d.%m.%Y}",
        "krav_tekst": krav_tekst(lopenr, begrunnelse),
        "del_tekst": f" – del {del_nr} av {deler}" if del_nr else "",
        "omfang": f"del {del_nr} av {deler}" if del_nr else "måneden",
        "timepris": belop(grunnlag["timepris"]),
        "regelsett": regelsett,
        "deltakere": [_deltaker(d) for d in deltakere],
        "sum_timer": _timer(timer),
        "sum_belop": belop(sum_belop),
        "maned_timer": _timer(grunnlag["timer"]),
        "maned_belop": belop(grunnlag["belop"]),
        "belop_kroner": _kroner(int(grunnlag["belop_kroner"])),
        "kid": grunnlag.get("kid") or "Ingen KID (organisasjonen bruker ikke KID)",
        "erklaering": ERKLAERING,
    }


def tittel(grunnlag: dict[str, Any], del_nr: int | None = None, deler: int = 1) -> str:
    """Return the PDF's title: the gjennomføring and the month, never a person."""
    fra, til = (date.fromisoformat(grunnlag["periode"][k]) for k in ("fra", "til"))
    tekst = f"Timedokumentasjon – {grunnlag['gjennomforing']['navn']} – {periode_tekst(fra, til)}"
    return f"{tekst} – del {del_nr} av {deler}" if del_nr else tekst
