"""Benchmark EHF validation (and building, when available) against Saxon-HE Java's CLI.

Prints numbers, asserts nothing:

* startup: a fresh interpreter importing ``ehf.validation`` and compiling the 3.0.21 pack;
* per document (official BIS 3.0.21 examples, the Norwegian example and — when the
  builder modules exist — the contract fakturagrunnlag): validation median and p95, and
  build + validation for the contract example;
* baseline: Debian's Saxon-HE Java CLI, one process per XSLT per file (CEN, then PEPPOL;
  no XSD step, so the baseline does less work than we do), and the ratio;
* memory: RSS after compiling and after N validations in a row (``--memory 10000``).

Run: ``.venv/bin/python bench/ehf.py [--peppol DIR] [--rounds 20] [--java-files 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.common import ms, p95, rss_mb, timed  # noqa: E402 - after the path fix

DEFAULT_PEPPOL = Path(
    os.environ.get("DOKGEN_REFERANSE_PEPPOL", REPO.parent / "shared" / "reference" / "peppol")
)
KONTRAKT = REPO.parent / "shared" / "kontrakt" / "fakturagrunnlag.json"
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
VERSION = "3.0.21"

_STARTUP = """
import json, sys, time
t0 = time.perf_counter()
from ehf.validation import Validator
t1 = time.perf_counter()
Validator(__import__("pathlib").Path(sys.argv[1]), version=sys.argv[2])
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "compile": t2 - t1}))
"""


def startup(peppol: Path, runs: int = 3) -> None:
    """Print median import and compile time of a fresh interpreter."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _STARTUP, str(peppol), VERSION],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout))
    imp = statistics.median(r["import"] for r in results)
    comp = statistics.median(r["compile"] for r in results)
    print(
        f"startup (median of {runs} fresh processes): import {ms(imp)}, compile {ms(comp)}, "
        f"total {ms(imp + comp)}"
    )


def contract_builder() -> Callable[[], bytes] | None:
    """Return a function building the contract example's invoice XML, or None if unavailable."""
    try:
        from ehf.grunnlag import Fakturagrunnlag
        from ehf.rules import get_regelsett
        from ehf.translate import invoice_from_grunnlag
        from ehf.ubl import build
    except ImportError as exc:
        print(f"build: not available yet ({exc}); benchmarking validation only")
        return None
    data = json.loads(KONTRAKT.read_text(encoding="utf-8"))

    def make() -> bytes:
        grunnlag = Fakturagrunnlag.model_validate(data)
        fakturering = get_regelsett(grunnlag.regelsett).beregn(grunnlag.aktiviteter)
        return build(invoice_from_grunnlag(grunnlag, fakturering))

    try:
        make()
    except Exception as exc:
        print(f"build: contract example could not be built ({type(exc).__name__}: {exc})")
        return None
    return make


def documents(peppol: Path, build: Callable[[], bytes] | None) -> dict[str, bytes]:
    """Return the benchmark documents by name."""
    paths = sorted((peppol / "bis-billing-3.0.21" / "examples").glob("*.xml"))
    paths += sorted((peppol / "bis-billing-3.0.19" / "national-examples" / "NO").glob("*.xml"))
    docs = {p.name: p.read_bytes() for p in paths}
    if build is not None:
        docs["kontrakt/fakturagrunnlag.json"] = build()
    return docs


def per_document(validator: object, docs: dict[str, bytes], rounds: int) -> list[float]:
    """Print validation median/p95 per document and return all samples."""
    from ehf.validation import Validator

    assert isinstance(validator, Validator)
    every: list[float] = []
    print(f"\nvalidation, {rounds} rounds per document (XSD + CEN + PEPPOL {VERSION}):")
    for name, xml in docs.items():
        report = validator.validate(xml)
        samples = timed(lambda xml=xml: validator.validate(xml), rounds)  # type: ignore[misc]
        every += samples
        print(
            f"  {name:40s} median {ms(statistics.median(samples))}  p95 {ms(p95(samples))}"
            f"  fatal {len(report.fatal)} warnings {len(report.warnings)}"
        )
    print(f"  {'ALL':40s} median {ms(statistics.median(every))}  p95 {ms(p95(every))}")
    return every


def build_and_validate(validator: object, build: Callable[[], bytes], rounds: int) -> None:
    """Print build and build + validation timing for the contract example."""
    from ehf.validation import Validator

    assert isinstance(validator, Validator)
    only = timed(build, rounds)
    both = timed(lambda: validator.validate(build()), rounds)
    print(
        f"\ncontract example: build median {ms(statistics.median(only))}; build + validate "
        f"median {ms(statistics.median(both))}  p95 {ms(p95(both))}"
    )


def java_baseline(peppol: Path, docs: dict[str, Path], files: int) -> float | None:
    """Return the median seconds per file of Saxon-HE Java CLI (one process per XSLT)."""
    if files <= 0 or not SAXON_JAR.is_file():
        print(f"\nbaseline skipped ({SAXON_JAR} missing or --java-files 0)")
        return None
    sheets = [
        peppol / f"bis-billing-{VERSION}/xslt/{n}-EN16931-UBL.xslt" for n in ("CEN", "PEPPOL")
    ]
    samples = []
    print(f"\nbaseline: Saxon-HE Java CLI, one process per XSLT, {files} file(s):")
    for name, path in list(docs.items())[:files]:
        start = time.perf_counter()
        for sheet in sheets:
            subprocess.run(
                [
                    "java",
                    "-cp",
                    str(SAXON_JAR),
                    "net.sf.saxon.Transform",
                    f"-s:{path}",
                    f"-xsl:{sheet}",
                    "-o:/dev/null",
                ],
                check=True,
                capture_output=True,
            )
        samples.append(time.perf_counter() - start)
        print(f"  {name:40s} {ms(samples[-1])}")
    return statistics.median(samples)


def memory(validator: object, docs: dict[str, bytes], count: int) -> None:
    """Print RSS before and after ``count`` validations in a row."""
    from ehf.validation import Validator

    assert isinstance(validator, Validator)
    items = list(docs.values())
    before = rss_mb()
    for i in range(count):
        validator.validate(items[i % len(items)])
    after = rss_mb()
    print(
        f"\nmemory: RSS {before:.1f} MB after warm-up, {after:.1f} MB after {count} "
        f"validations ({after - before:+.1f} MB)"
    )


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peppol", type=Path, default=DEFAULT_PEPPOL)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--java-files", type=int, default=3, help="files for the Java baseline")
    parser.add_argument("--memory", type=int, default=500, help="validations for the RSS check")
    args = parser.parse_args()

    startup(args.peppol)
    from ehf.validation import get_validator

    validator = get_validator(args.peppol, VERSION)
    build = contract_builder()
    docs = documents(args.peppol, build)
    every = per_document(validator, docs, args.rounds)
    if build is not None:
        build_and_validate(validator, build, args.rounds)
    paths = {
        p.name: p for p in sorted((args.peppol / "bis-billing-3.0.21" / "examples").glob("*.xml"))
    }
    baseline = java_baseline(args.peppol, paths, args.java_files)
    if baseline is not None:
        ours = statistics.median(every)
        print(
            f"  ratio: Java CLI per file / in-process validation median = {baseline / ours:,.0f}x"
        )
    memory(validator, docs, args.memory)


if __name__ == "__main__":
    main()
