"""PDF: DOCX→PDF/A conversion (LibreOffice), certificates and the PAdES seal."""
