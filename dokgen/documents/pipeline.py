"""Fill → convert → seal: the one function the CLI, the service and the benchmarks call."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from dokgen.documents.models import Dokumentmodell
from dokgen.documents.pdf.seal import Sealer
from dokgen.documents.render import render_docx
from dokgen.settings import Miljo, Settings


class PdfConverter(Protocol):
    """Anything that turns DOCX bytes into PDF/A bytes (a Converter or a ConverterPool)."""

    def convert(self, docx: bytes) -> bytes: ...


@dataclass(frozen=True)
class Produsert:
    """The outcome of one document: the filled DOCX and the sealed PDF/A."""

    dokument_id: str
    docx: bytes
    pdf: bytes

    @property
    def sha256(self) -> str:
        """Return the SHA-256 of the sealed PDF, as stored and served."""
        return hashlib.sha256(self.pdf).hexdigest()


def sealer_from_settings(settings: Settings) -> Sealer:
    """Build the sealer the settings describe (a development certificate outside production)."""
    return Sealer(
        pkcs12=settings.sertifikat,
        passord=settings.sertifikat_passord,
        tidsstempel_url=settings.tidsstempel_url,
        dev_cert_dir=settings.instans / "utviklingssertifikat",
        produksjon=settings.miljo is Miljo.PRODUKSJON,
    )


def lag_dokument(
    dok: Dokumentmodell,
    *,
    converter: PdfConverter,
    sealer: Sealer,
    godkjent_av: str,
    dokument_id: str | None = None,
    maler_dir: Path | None = None,
    tidspunkt: datetime | None = None,
) -> Produsert:
    """Fill the type's template, convert it to PDF/A-2b and seal it.

    Raises:
        TemplateInvalidError: the template does not fit the data.
        ConversionFailedError: LibreOffice failed or hung.
        SigningFailedError: the certificate could not be used.
    """
    dokument_id = dokument_id or str(uuid.uuid4())
    docx = render_docx(dok.type, dok.model_dump(mode="json"), maler_dir=maler_dir)
    pdf = converter.convert(docx)
    sealed = sealer.seal(pdf, godkjent_av=godkjent_av, dokument_id=dokument_id, tidspunkt=tidspunkt)
    return Produsert(dokument_id=dokument_id, docx=docx, pdf=sealed)
