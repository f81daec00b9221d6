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

from dokgen.context import belop, dato, desimal, orgnr
from dokgen.errors import TemplateInvalidError
from dokgen.pipeline import PdfConverter
from dokgen.render import fill
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


def lag_spesifikasjon(
    nummer: str,
    grunnlag: dict[str, Any],
    linjer: list[dict[str, Any]],
    *,
    converter: PdfConverter,
    maler_dir: Path,
) -> bytes:
    """Fill the timeliste template and convert it to PDF/A.

    Raises:
        TemplateInvalidError: the template does not fit the context.
        ConversionFailedError: LibreOffice failed or hung.
    """
    mal = maler_dir / f"{MAL}.docx"
    if not mal.is_file():
        raise TemplateInvalidError([f"malen {mal.name} mangler"])
    docx = fill(mal, kontekst(nummer, grunnlag, linjer))
    return converter.convert(docx)
