"""Fill → convert → seal: the one function the CLI, the service and the benchmarks call."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from dokgen.documents.models import Dokumentmodell
from dokgen.documents.pdf.seal import Godkjenningslinje, Sealer
from dokgen.documents.render import TIME_LIMIT, fill, render_docx
from dokgen.documents.utkast import merk_utkast
from dokgen.errors import TemplateInvalidError
from dokgen.settings import Miljo, Settings


class PdfConverter(Protocol):
    """Anything that turns DOCX bytes into PDF/A bytes (a Converter or a ConverterPool)."""

    def convert(self, docx: bytes) -> bytes: ...


def pdf_fra_mal(
    navn: str,
    kontekst: dict[str, Any],
    tittel: str,
    *,
    converter: PdfConverter,
    maler_dir: Path,
    timeout: float = TIME_LIMIT,
) -> bytes:
    """Fill the service's own template ``maler/<navn>.docx`` (a report dokgen makes from its
    data, not a document type) in the limited child process and convert it to PDF/A-2b,
    unsealed.

    Raises:
        TemplateInvalidError: the template is missing or does not fit the context.
        TemplateLimitError: the template passed a limit, or ran longer than ``timeout``.
        ConversionFailedError: LibreOffice failed or hung.
    """
    mal = maler_dir / f"{navn}.docx"
    if not mal.is_file():
        raise TemplateInvalidError([f"malen {mal.name} mangler"])
    return converter.convert(fill(mal, kontekst, tittel=tittel, timeout=timeout))


@dataclass(frozen=True)
class Produsert:
    """The outcome of one document: the filled DOCX and the PDF/A, sealed unless a preview."""

    dokument_id: str
    docx: bytes
    pdf: bytes
    forseglet: bool = True

    @property
    def sha256(self) -> str:
        """Return the SHA-256 of the sealed PDF, as stored and served."""
        return hashlib.sha256(self.pdf).hexdigest()


def sealer_from_settings(settings: Settings, dev_cert: Callable[[], bytes] | None = None) -> Sealer:
    """Build the sealer the settings describe (a development certificate outside production).

    Args:
        dev_cert: Returns the development certificate's PKCS#12 bytes when it is kept in the
            database (PostgreSQL); None keeps it in the instance folder. Called only when the
            development certificate is used.
    """
    brukes = settings.sertifikat is None and settings.miljo is not Miljo.PRODUKSJON
    return Sealer(
        pkcs12=settings.sertifikat,
        passord=settings.sertifikat_passord,
        tidsstempel_url=settings.tidsstempel_url,
        dev_cert_dir=settings.instans / "utviklingssertifikat",
        dev_cert=dev_cert() if dev_cert is not None and brukes else None,
        produksjon=settings.miljo is Miljo.PRODUKSJON,
        skrift=settings.segl_skrift,
    )


KOMMANDOLINJE = "oppgitt ved utstedelse fra kommandolinjen"  # the method of a CLI approval


def lag_dokument(
    dok: Dokumentmodell,
    *,
    converter: PdfConverter,
    sealer: Sealer | None,
    godkjent_av: str | None = None,
    godkjenninger: Sequence[Godkjenningslinje] = (),
    dokument_id: str | None = None,
    maler_dir: Path | None = None,
    tidspunkt: datetime | None = None,
) -> Produsert:
    """Fill the type's template, convert it to PDF/A-2b and seal it with its approvals.

    Without a sealer or any approval, the PDF is an unsealed preview.

    Args:
        godkjent_av: One approver named by the operator (``dokgen lag --godkjent-av``): an
            approval for the type's first party, made now (or at ``tidspunkt``).
        godkjenninger: The approvals the seal shows, when known one by one.

    Raises:
        TemplateInvalidError: the template does not fit the data.
        ConversionFailedError: LibreOffice failed or hung.
        SigningFailedError: the certificate could not be used.
    """
    dokument_id = dokument_id or str(uuid.uuid4())
    docx = render_docx(dok.type, dok.model_dump(mode="json"), maler_dir=maler_dir)
    linjer = list(godkjenninger)
    if godkjent_av:
        rolle = dict(dok.parter).get(dok.approving_parties(dok.model_dump(mode="json"))[0], "")
        when = tidspunkt or datetime.now(UTC)
        linjer.append(Godkjenningslinje(godkjent_av, rolle, KOMMANDOLINJE, when))
    if sealer is None or not linjer:  # a preview: marked UTKAST on every page
        pdf = converter.convert(merk_utkast(docx))
        return Produsert(dokument_id=dokument_id, docx=docx, pdf=pdf, forseglet=False)
    sealed = sealer.seal(converter.convert(docx), godkjenninger=linjer, dokument_id=dokument_id)
    return Produsert(dokument_id=dokument_id, docx=docx, pdf=sealed)
