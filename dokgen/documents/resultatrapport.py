"""The resultatrapport as files: a spreadsheet (XLSX), and a PDF/A from
``maler/resultatrapport.docx``.

JMO §9.2 (Bilag 8 vedlegg 3, «Resultatrapport (Excel-ark vedlagt)»): «Det skal rapporteres
månedlig om antall aktive og avsluttede deltakere i tiltaket, og hvilken status disse har på
arbeidsmarkedet ved avslutning av tiltaket.» The seed names the sheet but does not hold it,
so the labels are §9.2's own words. Made from the report's data as
:func:`dokgen.services.resultatrapport.beregn` returns it; it names no person.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from dokgen.documents.context import dato, orgnr
from ehf.translate import periode_tekst

MAL = "resultatrapport"

# JMO §9.2, word for word: what the report is, and when it is sent.
FORMAL = (
    "Det skal rapporteres månedlig om antall aktive og avsluttede deltakere i tiltaket, og "
    "hvilken status disse har på arbeidsmarkedet ved avslutning av tiltaket."
)
SENDES = "Rapporten for foregående måned skal sendes NAV Tiltak Oslo i henhold til lokale rutiner."

# The numbers' labels (from §9.2's words), in the report's order.
ETIKETTER: dict[str, str] = {
    "aktive": "Antall aktive deltakere i tiltaket",
    "startet": "Antall deltakere som startet i måneden",
    "avsluttet": "Antall avsluttede deltakere i tiltaket",
}
STATUS_OVERSKRIFT = "Status på arbeidsmarkedet ved avslutning av tiltaket"
KARTLEGGING_OVERSKRIFT = ("Status i sluttrapporten", "Teller som")

_FET = Font(bold=True)


def kolonner(rapport: dict[str, Any]) -> list[tuple[str, Any]]:
    """Return the spreadsheet's columns for one month: (header, value), numbers as numbers."""
    g = rapport["gjennomforing"]
    rader: list[tuple[str, Any]] = [
        ("Måned", rapport["maned"]),
        ("Gjennomføring", g["navn"]),
        ("Tiltaksnummer", g.get("tiltaksnummer") or ""),
    ]
    rader += [(etikett, int(rapport[nokkel])) for nokkel, etikett in ETIKETTER.items()]
    rader += [
        (f"Avsluttet – {STATUS_OVERSKRIFT.lower()}: {s['tekst']}", int(s["antall"]))
        for s in rapport["avsluttet_etter_status"]
    ]
    return rader


def lag_xlsx(rapport: dict[str, Any]) -> bytes:
    """Return the report as a workbook: the sheet «Resultatrapport» with a header row and one
    row per month (a month column), and «Kartlegging» with the status mapping."""
    bok = Workbook()
    bok.remove(bok.worksheets[0])
    ark = bok.create_sheet("Resultatrapport")
    kol = kolonner(rapport)
    ark.append([navn for navn, _ in kol])
    ark.append([verdi for _, verdi in kol])
    for celle in ark[1]:
        celle.font = _FET
    for bokstav, (navn, _) in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", kol, strict=False):
        ark.column_dimensions[bokstav].width = max(12, min(45, len(navn) + 2))
    kart = bok.create_sheet("Kartlegging")
    kart.append(list(KARTLEGGING_OVERSKRIFT))
    for celle in kart[1]:
        celle.font = _FET
    for rad in rapport["kartlegging"]["rader"]:
        kart.append([rad["status"], rad["kategori"]])
    kart.append([])
    kart.append([f"Kilde: {rapport['kartlegging']['kilde']}"])
    kart.column_dimensions["A"].width = kart.column_dimensions["B"].width = 45
    bok.properties.title = tittel(rapport)
    bok.properties.creator = "dokgen"
    ut = io.BytesIO()
    bok.save(ut)
    return ut.getvalue()


def kontekst(rapport: dict[str, Any]) -> dict[str, Any]:
    """Return the PDF template's context: the numbers as text, the mapping in words."""
    g, a = rapport["gjennomforing"], rapport["arrangor"]
    fra, til = (date.fromisoformat(rapport["periode"][k]) for k in ("fra", "til"))
    return {
        "arrangor": {"navn": a["navn"], "orgnr": orgnr(a["orgnr"])},
        "gjennomforing": {
            "navn": g["navn"],
            "tiltaksnummer": g.get("tiltaksnummer") or "—",
            "avtalenummer": g.get("avtalenummer") or "—",
            "regelsett": g["regelsett_tekst"],
        },
        "maned": periode_tekst(fra, til),
        "periode": f"{fra:%d.%m.%Y}–{til:%d.%m.%Y}",
        "frist": dato(rapport["frist"]) if rapport.get("frist") else "—",
        "formal": FORMAL,
        "sendes": SENDES,
        "tall": [
            {"etikett": etikett, "antall": str(rapport[nokkel])}
            for nokkel, etikett in ETIKETTER.items()
        ],
        "status_overskrift": STATUS_OVERSKRIFT,
        "statuser": [
            {"tekst": s["tekst"], "antall": str(s["antall"])}
            for s in rapport["avsluttet_etter_status"]
        ],
        "kartlegging": rapport["kartlegging"]["rader"],
        "kilde": rapport["kartlegging"]["kilde"],
    }


def tittel(rapport: dict[str, Any]) -> str:
    """Return the report's title: the gjennomføring and the month, never a person."""
    fra, til = (date.fromisoformat(rapport["periode"][k]) for k in ("fra", "til"))
    return f"Resultatrapport – {rapport['gjennomforing']['navn']} – {periode_tekst(fra, til)}"
