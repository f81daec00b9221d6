"""Make LibreOffice's PDF/A-2b with PDF/UA-1 a valid PDF/A: declare ``pdfuaid`` in the XMP.

LibreOffice 7.4 writes the PDF/UA identification (``pdfuaid:part`` 1, ISO 14289-1 §5) into
the XMP but not the PDF/A extension schema that describes it. PDF/A-2 allows in the XMP only
the predefined schemas and those an extension schema declares (ISO 19005-2 §6.6.2.3), so a
validator refuses the file. This adds the declaration veraPDF and Acrobat expect, in an
incremental update of the unsigned file; newer LibreOffice versions write it themselves, and
the file is then returned unchanged. The seal's update keeps it (pyHanko re-writes the XMP
with every property it read).
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
from pyhanko.pdf_utils.misc import PdfReadError

from dokgen.errors import ConversionFailedError

PDFUAID = b"http://www.aiim.org/pdfua/ns/id/"
_EXTENSION_NS = b"http://www.aiim.org/pdfa/ns/extension/"
_END = b"</rdf:RDF>"
_EXTENSION = b"""<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
 <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
  <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
  <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
  <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
   <pdfaProperty:name>part</pdfaProperty:name>
   <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
   <pdfaProperty:category>internal</pdfaProperty:category>
   <pdfaProperty:description>Indicates which part of ISO 14289 standard is followed\
</pdfaProperty:description>
  </rdf:li></rdf:Seq></pdfaSchema:property>
 </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def declare_pdfua(pdf: bytes) -> bytes:
    """Return ``pdf`` with the PDF/A extension schema for ``pdfuaid`` in its XMP.

    Args:
        pdf: A PDF/A-2 file from LibreOffice that claims PDF/UA-1 in its XMP.

    Returns:
        The file with the declaration added in an incremental update, or unchanged when
        its XMP claims no PDF/UA or already declares the schema.

    Raises:
        ConversionFailedError: The file or its XMP could not be read.
    """
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        metadata = writer.root.get("/Metadata")
        if metadata is None:
            return pdf
        xmp = metadata.get_object().data
        if PDFUAID not in xmp or _EXTENSION_NS in xmp:
            return pdf
        if xmp.count(_END) != 1:
            raise ConversionFailedError("PDF-ens XMP-metadata har uventet form")
        stream = MetadataStream(stream_data=xmp.replace(_END, _EXTENSION + _END))
        writer.root["/Metadata"] = writer.add_object(stream)
        writer.update_root()
        _align_producer(writer)
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, ValueError, KeyError) as error:
        raise ConversionFailedError(f"kunne ikke lese PDF-en fra LibreOffice: {error}") from error
    return out.getvalue()


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Set Info /Producer to what pyHanko writes into the XMP: PDF/A requires them equal."""
    if "/Info" not in writer.trailer:
        return
    info = writer.trailer.raw_get("/Info").get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)
