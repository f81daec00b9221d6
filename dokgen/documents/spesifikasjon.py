"""The timeliste specification: the PDF/A an invoice carries as its attachment.

Per deltaker every activity with date, minutes, the rule applied and the billed hours, then
the totals — made from the invoice's stored lines by filling ``maler/timeliste.docx`` and
converting it with LibreOffice. Deltakere appear by number and name, never a fødselsnummer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from dokgen.documents.context import belop, dato, desimal, orgnr
from dokgen.documents.pipeline import PdfConverter
from dokgen.documents.render import TIME_LIMIT, fill
from dokgen.errors import TemplateInvalidError
from ehf.rules import get_regelsett
from ehf.translate import periode_tekst

MAL = "timeliste"


def _aktivitet(a: dict[str, Any], beskrivelser: dict[str, str]) -> dict[str, str]:
    return {
        "rad": str(a["rad"]),
        "dato": dato(a["dato"]),
        "aktivitet": beskrivelser.get(a["aktivitet"], a["aktivitet"]),
        "minutter": desimal(format(Decimal(a["minutter"]).normalize(), "f")),
        "forklaring": a["forklaring"],
        "timer": desimal(a["timer"]),
    }


def _deltaker(linje: dict[str, Any], beskrivelser: dict[str, str]) -> dict[str, Any]:
    return {
        "nr": linje["deltaker_nr"],
        "navn": linje["deltaker_navn"],
        "timer": desimal(linje["timer"]),
        "belop": belop(linje["belop"]),
        "aktiviteter": [_aktivitet(a, beskrivelser) for a in linje["aktiviteter"]],
    }


def kontekst(nummer: str, grunnlag: dict[str, Any], linjer: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the template context of an invoice's specification.

    Args:
        nummer: the invoice number.
        grunnlag: the stored fakturagrunnlag (``model_dump(mode="json")``).
        linjer: the stored invoice lines with their activities (see ``Beregning.linjer``).
    """
    regelsett = get_regelsett(grunnlag["regelsett"])
    beskrivelser = {k: r.beskrivelse for k, r in regelsett.aktiviteter.items()}
    periode = grunnlag["periode"]
    timer = sum((Decimal(x["timer"]) for x in linjer), Decimal("0"))
    return {
        "nummer": nummer,
        "fakturadato": dato(grunnlag["fakturadato"]),
        "periode": periode_tekst(
            date.fromisoformat(periode["fra"]), date.fromisoformat(periode["til"])
        ),
        "selger": {"navn": grunnlag["selger"]["navn"], "orgnr": orgnr(grunnlag["selger"]["orgnr"])},
        "kjoper": {"navn": grunnlag["kjoper"]["navn"], "orgnr": orgnr(grunnlag["kjoper"]["orgnr"])},
        "deres_referanse": grunnlag.get("deres_referanse") or "—",
        "bestillingsnummer": grunnlag.get("bestillingsnummer") or "—",
        "regelsett": f"{regelsett.navn} ({regelsett.beskrivelse})",
        "timepris": belop(grunnlag["timepris"]),
        "deltakere": [_deltaker(x, beskrivelser) for x in linjer],
        "sum_timer": desimal(str(timer)),
        "sum_belop": belop(sum((Decimal(x["belop"]) for x in linjer), Decimal("0"))),
    }


# What an organisation's own timeliste template must show: per deltaker each activity with
# its date, minutes and billed hours, the deltaker's hours, and the invoice's totals.
PAKREVD = frozenset(
    {
        "nummer",
        "deltakere.*.nr",
        "deltakere.*.timer",
        "deltakere.*.aktiviteter.*.dato",
        "deltakere.*.aktiviteter.*.aktivitet",
        "deltakere.*.aktiviteter.*.minutter",
        "deltakere.*.aktiviteter.*.timer",
        "sum_timer",
        "sum_belop",
    }
)


def eksempel_kontekst() -> dict[str, Any]:
    """Return a complete context with every field, to check an uploaded template against."""
    aktivitet = {
        "rad": "1",
        "dato": "06.10.2026",
        "aktivitet": "Individuell oppfølging",
        "minutter": "60",
        "forklaring": "rundet opp til nærmeste kvarter",
        "timer": "1,00",
    }
    deltaker = {
        "nr": 1,
        "navn": "Deltaker Eksempel",
        "timer": "1,00",
        "belop": "1\u00a0150,00",
        "aktiviteter": [aktivitet],
    }
    part = {"navn": "Eksempel AS", "orgnr": "998 877 660"}
    return {
        "nummer": "2026-0001",
        "fakturadato": "03.11.2026",
        "periode": "oktober 2026",
        "selger": part,
        "kjoper": part,
        "deres_referanse": "—",
        "bestillingsnummer": "—",
        "regelsett": "Eksempel",
        "timepris": "1\u00a0150,00",
        "deltakere": [deltaker],
        "sum_timer": "1,00",
        "sum_belop": "1\u00a0150,00",
    }


def lag_spesifikasjon(
    nummer: str,
    grunnlag: dict[str, Any],
    linjer: list[dict[str, Any]],
    *,
    converter: PdfConverter,
    maler_dir: Path,
    mal: bytes | None = None,
    timeout: float = TIME_LIMIT,
) -> bytes:
    """Fill the timeliste template (the organisation's own ``mal`` if it uploaded one) and
    convert it to PDF/A.

    Raises:
        TemplateInvalidError: the template does not fit the context.
        TemplateLimitError: the template passed a limit, or ran longer than ``timeout``.
        ConversionFailedError: LibreOffice failed or hung.
    """
    standard = maler_dir / f"{MAL}.docx"
    if mal is None and not standard.is_file():
        raise TemplateInvalidError([f"malen {standard.name} mangler"])
    source = mal if mal is not None else standard
    tittel = f"Timeliste – faktura {nummer}"
    docx = fill(source, kontekst(nummer, grunnlag, linjer), tittel=tittel, timeout=timeout)
    return converter.convert(docx)
