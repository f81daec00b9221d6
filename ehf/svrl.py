"""Read the SVRL report a compiled Schematron XSLT writes into findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
_FIRED = (f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
FATAL = "fatal"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One rule that fired: its id, ``fatal`` or ``warning``, message, XPath and rule pack."""

    rule: str
    flag: str
    message: str
    location: str
    pack: str

    def to_dict(self) -> dict[str, str]:
        """Return the finding as a plain JSON-ready dict."""
        return asdict(self)


def normalise_flag(flag: str | None) -> str:
    """Map an SVRL ``@flag`` to ``fatal`` or ``warning`` (VEFA semantics).

    Only ``warning`` is a warning; ``fatal``, ``error``, no flag — and any flag we do not
    know — count as fatal, so an unexpected flag can never let a bad invoice through.
    """
    return WARNING if (flag or "").strip().lower() == WARNING else FATAL


def _text(node: etree._Element) -> str:
    text = node.find(f"{{{SVRL}}}text")
    raw = "".join(str(t) for t in text.itertext()) if text is not None else ""
    return " ".join(raw.split())


def parse_svrl(svrl: bytes, pack: str) -> list[Finding]:
    """Return every failed assert and successful report in an SVRL document, in order.

    Args:
        svrl: the SVRL output of one of our own compiled stylesheets (trusted bytes).
        pack: the rule pack name each finding carries, e.g. ``PEPPOL-BIS-3.0.21``.

    Returns:
        The findings; a rule without ``@id`` is named by its ``@test`` expression.
    """
    # Our own compiled stylesheet's output, not user input: the plain parser is fine.
    root = etree.fromstring(svrl)
    return [
        Finding(
            rule=node.get("id") or node.get("test") or "?",
            flag=normalise_flag(node.get("flag")),
            message=_text(node),
            location=node.get("location") or "",
            pack=pack,
        )
        for node in root.iter(*_FIRED)
    ]
