"""The official rule packs as data: which compiled XSLT files make up each version.

The files themselves are public standards kept outside the repository; a setting
(``DOKGEN_REFERANSE_PEPPOL``) points at their folder. A new BIS release is one new entry
in ``RULE_PACKS`` (and, if it replaces the current one on a date, one in ``_IN_FORCE``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ehf.errors import RulePackMissingError

log = logging.getLogger(__name__)

XSD_PACK = "UBL-2.1-XSD"
XSD_FILES = {
    "Invoice": "ubl-2.1/xsdrt/maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "ubl-2.1/xsdrt/maindoc/UBL-CreditNote-2.1.xsd",
}


@dataclass(frozen=True)
class Stylesheet:
    """One compiled Schematron XSLT: the pack name findings carry, and its relative path."""

    pack: str
    path: str


@dataclass(frozen=True)
class RulePack:
    """A versioned set of official rules: CEN EN 16931 and/or PEPPOL BIS Billing XSLT.

    ``replaces`` names the pack to fall back on while this one's files are not yet in
    the reference folder (a release announced but not downloaded).
    """

    version: str
    cen: Stylesheet | None
    peppol: Stylesheet | None
    replaces: str | None = None

    def stylesheets(self) -> dict[str, Stylesheet]:
        """Return the pack's stylesheets by kind (``"cen"``, ``"peppol"``), CEN first."""
        found = {"cen": self.cen, "peppol": self.peppol}
        return {kind: sheet for kind, sheet in found.items() if sheet is not None}


def _bis(version: str, cen_pack: str, replaces: str | None = None) -> RulePack:
    folder = f"bis-billing-{version}/xslt"
    return RulePack(
        version=version,
        cen=Stylesheet(cen_pack, f"{folder}/CEN-EN16931-UBL.xslt"),
        peppol=Stylesheet(f"PEPPOL-BIS-{version}", f"{folder}/PEPPOL-EN16931-UBL.xslt"),
        replaces=replaces,
    )


RULE_PACKS: dict[str, RulePack] = {
    "3.0.19": _bis("3.0.19", "CEN-EN16931-BIS-3.0.19"),
    "3.0.21": _bis("3.0.21", "CEN-EN16931-1.3.16"),
    # Announced for 2026-11-23, mandatory 2027-02-24; the CEN version it embeds is named
    # by the release, so the pack name stays neutral until it is added to the folder.
    "3.0.22": _bis("3.0.22", "CEN-EN16931-BIS-3.0.22", replaces="3.0.21"),
    "cen-1.3.16": RulePack(
        version="cen-1.3.16",
        cen=Stylesheet("CEN-EN16931-1.3.16", "cen-en16931-1.3.16/xslt/EN16931-UBL-validation.xslt"),
        peppol=None,
    ),
}

# (first issue date, version): the last entry whose date is on or before the issue date wins.
_IN_FORCE: tuple[tuple[date, str], ...] = (
    (date(2026, 8, 24), "3.0.21"),
    (date(2027, 2, 24), "3.0.22"),
)
CURRENT = "3.0.21"


def version_in_force(issue_date: date) -> str:
    """Return the BIS version mandatory on ``issue_date`` (3.0.21 before its start too)."""
    chosen = CURRENT
    for start, version in _IN_FORCE:
        if issue_date >= start:
            chosen = version
    return chosen


def _missing(peppol_dir: Path, pack: RulePack) -> list[Path]:
    paths = [peppol_dir / rel for rel in XSD_FILES.values()]
    paths += [peppol_dir / s.path for s in pack.stylesheets().values()]
    return [p for p in paths if not p.is_file()]


def resolve(peppol_dir: Path, version: str) -> RulePack:
    """Return the pack for ``version``, falling back to its predecessor if not yet present.

    Args:
        peppol_dir: the folder of the official artifacts (setting ``DOKGEN_REFERANSE_PEPPOL``).
        version: a key of ``RULE_PACKS``.

    Returns:
        The pack whose files are all present (the fallback is logged).

    Raises:
        RulePackMissingError: unknown version, or its files (and any fallback's) are missing.
    """
    pack = RULE_PACKS.get(version)
    if pack is None:
        known = ", ".join(sorted(RULE_PACKS))
        raise RulePackMissingError(f"ukjent regelpakke {version!r} (kjente: {known})")
    missing = _missing(peppol_dir, pack)
    if not missing:
        return pack
    if pack.replaces is not None:
        log.warning(
            "regelpakke %s mangler i %s; bruker %s til den er lagt inn",
            version,
            peppol_dir,
            pack.replaces,
        )
        return resolve(peppol_dir, pack.replaces)
    raise RulePackMissingError(
        f"regelpakke {version} mangler i {peppol_dir} ({missing[0].name} finnes ikke); "
        "sett DOKGEN_REFERANSE_PEPPOL til mappen med de offisielle PEPPOL/UBL-filene"
    )
