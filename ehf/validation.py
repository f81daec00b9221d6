"""Validate UBL invoices with the unchanged official rules: UBL 2.1 XSD, CEN, then PEPPOL.

Order (README of the reference folder): the hardened parser, the XSD (a schema-invalid
document stops there, since Schematron output on it is meaningless), the CEN EN 16931
XSLT, then the PEPPOL BIS Billing XSLT (which carries the Norwegian NO-R rules). The
XSLTs run in-process with SaxonC-HE, compiled once per process, allowed to read files only.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from ehf.errors import ValidationFailedError
from ehf.rulepacks import XSD_FILES, XSD_PACK, RulePack, resolve, version_in_force
from ehf.svrl import FATAL, WARNING, Finding, parse_svrl
from ehf.xmlsafe import parse_xml

__all__ = ["Finding", "Report", "Validator", "get_validator", "rulepack_for"]

UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:"
XSD_RULE = "UBL-XSD"
_ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"


@dataclass(frozen=True)
class Report:
    """What the official rules said about one document, and which rule pack judged it."""

    findings: tuple[Finding, ...]
    rulepack: str
    document_type: str
    note: str = ""

    @property
    def fatal(self) -> list[Finding]:
        """Findings that stop the document (XSD errors and fatal rules)."""
        return [f for f in self.findings if f.flag == FATAL]

    @property
    def warnings(self) -> list[Finding]:
        """Findings flagged as warnings."""
        return [f for f in self.findings if f.flag == WARNING]

    @property
    def ok(self) -> bool:
        """True when no finding is fatal: the document may be sent."""
        return not self.fatal

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a plain JSON-ready dict (round-trips with ``from_dict``)."""
        return {
            "ok": self.ok,
            "rulepack": self.rulepack,
            "document_type": self.document_type,
            "note": self.note,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from ``to_dict`` output."""
        return cls(
            findings=tuple(Finding(**f) for f in data["findings"]),
            rulepack=data["rulepack"],
            document_type=data["document_type"],
            note=data.get("note", ""),
        )


@functools.cache
def saxon_processor() -> PySaxonProcessor:
    """Return this process's one SaxonC processor, restricted to ``file:`` resources."""
    # SaxonC keeps one Java-side VM per process: share one processor, and let it (and the
    # parser it drives) read local files only — no http, no ftp, no jar downloads.
    proc = PySaxonProcessor(license=False)
    proc.set_configuration_property(_ALLOWED_PROTOCOLS, "file")
    return proc


def _compile_xslt(path: Path) -> PyXsltExecutable:
    try:
        return (
            saxon_processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))
        )
    except PySaxonApiError as exc:
        raise ValidationFailedError(f"kunne ikke kompilere {path.name}: {exc}") from None


def _compile_xsd(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


@functools.cache
def _xmlschema(path: Path) -> Any:
    # Imported and compiled only when lxml rejects a document (about a second, and a
    # tenth of startup if imported eagerly), but right about whitespace-padded xs:date
    # values that libxml2 wrongly refuses.
    import xmlschema

    return xmlschema.XMLSchema(str(path), allow="local")


def _xsd_key(root: etree._Element) -> str | None:
    qname = etree.QName(root)
    for name in XSD_FILES:
        if qname.localname == name and qname.namespace == f"{UBL_NS}{name}-2":
            return name
    return None


def _finding(message: str, location: str) -> Finding:
    return Finding(XSD_RULE, FATAL, " ".join(message.split()), location, XSD_PACK)


class Validator:
    """The official rule pack of one version, compiled once, ready to judge documents."""

    def __init__(self, peppol_dir: Path, *, version: str = "3.0.21") -> None:
        """Compile the UBL XSDs and the pack's XSLTs (about a second; do it once).

        Args:
            peppol_dir: folder of the official artifacts (setting ``DOKGEN_REFERANSE_PEPPOL``).
            version: a rule pack version, e.g. ``"3.0.21"``; a newer one not yet in the
                folder falls back to the one it replaces, and every report says so.

        Raises:
            RulePackMissingError: the version is unknown or its files are missing.
            ValidationFailedError: SaxonC could not compile a stylesheet.
        """
        pack: RulePack = resolve(peppol_dir, version)
        self.peppol_dir = peppol_dir
        self.rulepack = pack.version
        self.note = ""
        if pack.version != version:
            self.note = f"regelpakke {version} finnes ikke i referansemappen; {pack.version} brukt"
        self._xsd_paths = {k: peppol_dir / rel for k, rel in XSD_FILES.items()}
        self._xsd = {k: _compile_xsd(p) for k, p in self._xsd_paths.items()}
        self._sheets = {
            kind: (sheet.pack, _compile_xslt(peppol_dir / sheet.path))
            for kind, sheet in pack.stylesheets().items()
        }
        # SaxonC executables are not documented as thread-safe; web workers share one.
        self._lock = threading.Lock()

    def validate(self, xml: bytes) -> Report:
        """Judge a UBL Invoice or CreditNote: XSD, then CEN, then PEPPOL rules.

        Args:
            xml: the document's bytes (untrusted).

        Returns:
            The report; with XSD findings the Schematron rules are not run.

        Raises:
            XmlUnsafeError: a DTD, entity or malformed XML (refused before parsing).
            ValidationFailedError: SaxonC failed on the document.
        """
        root = parse_xml(xml)
        doc_type = etree.QName(root).localname
        findings = self._check_xsd(root)
        if not findings:
            findings = self._schematron(root, tuple(self._sheets))
        return Report(tuple(findings), self.rulepack, doc_type, self.note)

    def run_schematron(self, xml: bytes, which: Literal["cen", "peppol"]) -> list[Finding]:
        """Run one of the pack's Schematron XSLTs alone, without the XSD (unit tests).

        Args:
            xml: the document's bytes (untrusted; a fragment is fine).
            which: ``"cen"`` or ``"peppol"``.

        Returns:
            The findings of that stylesheet alone.

        Raises:
            XmlUnsafeError: a DTD, entity or malformed XML.
            ValidationFailedError: the pack has no such stylesheet, or SaxonC failed.
        """
        if which not in self._sheets:
            raise ValidationFailedError(f"regelpakke {self.rulepack} har ikke {which}-regler")
        root = parse_xml(xml)
        return self._schematron(root, (which,))

    def _check_xsd(self, root: etree._Element) -> list[Finding]:
        key = _xsd_key(root)
        if key is None:
            found = etree.QName(root).text
            return [
                _finding(
                    f"rotelementet må være UBL 2.1 Invoice eller CreditNote, fant {found}", "/"
                )
            ]
        if self._xsd[key].validate(root):
            return []
        # libxml2 said no; xmlschema decides (it is slower but correct on whitespace facets).
        return [
            _finding(err.reason or err.message, err.path or "/")
            for err in _xmlschema(self._xsd_paths[key]).iter_errors(root)
        ]

    def _schematron(self, root: etree._Element, kinds: tuple[str, ...]) -> list[Finding]:
        # The document was already accepted by the hardened parser; Saxon re-reads its
        # serialisation once (no DTD left to resolve) and every stylesheet shares the tree.
        text = etree.tostring(root, encoding="unicode")
        findings: list[Finding] = []
        with self._lock:
            try:
                node = saxon_processor().parse_xml(xml_text=text)
            except PySaxonApiError as exc:
                raise ValidationFailedError(f"Saxon kunne ikke lese dokumentet: {exc}") from None
            for kind in kinds:
                findings += self._transform(kind, node)
        return findings

    def _transform(self, kind: str, node: PyXdmNode) -> list[Finding]:
        pack, executable = self._sheets[kind]
        try:
            svrl = executable.transform_to_string(xdm_node=node)
        except PySaxonApiError as exc:
            raise ValidationFailedError(f"{pack} kunne ikke kjøres: {exc}") from None
        if svrl is None:
            raise ValidationFailedError(f"{pack} ga ingen rapport")
        return parse_svrl(svrl.encode("utf-8"), pack)


def rulepack_for(issue_date: date, peppol_dir: Path | None = None) -> str:
    """Return the BIS Billing rule pack version in force on an invoice's issue date (BT-2).

    3.0.21 today; 3.0.22 from 2027-02-24. Given ``peppol_dir``, a version whose files are
    not there yet falls back to the one it replaces (and that is logged).

    Args:
        issue_date: the document's issue date.
        peppol_dir: optional folder of the official artifacts, to check what is present.

    Returns:
        A key of ``ehf.rulepacks.RULE_PACKS``.

    Raises:
        RulePackMissingError: ``peppol_dir`` given and neither version's files are there.
    """
    version = version_in_force(issue_date)
    return version if peppol_dir is None else resolve(peppol_dir, version).version


_cache: dict[tuple[Path, str], Validator] = {}
_cache_lock = threading.Lock()


def get_validator(peppol_dir: Path, version: str) -> Validator:
    """Return this process's validator for a folder and version, compiling it on first use.

    Raises:
        RulePackMissingError: the version is unknown or its files are missing.
    """
    key = (Path(peppol_dir).resolve(), version)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = Validator(key[0], version=version)
        return _cache[key]
