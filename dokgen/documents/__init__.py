"""The documents: their types and registry, parsing, schemas, the template context,
rendering (docxtpl in a limited process), the template check, and the PDF pipeline."""
