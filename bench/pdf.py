"""Benchmark the document pipeline: fill → PDF/A-2b → seal, against a new soffice per document.

Prints numbers, asserts nothing:

* warm pipeline on the contract statusrapport (2 pages): render, convert and seal medians and
  p95, and the whole pipeline;
* baseline in the same run: ``soffice --headless --convert-to pdf`` (PDF/A-2b) as a new process
  per document, and the ratio;
* throughput with one converter per core over ``--docs`` documents;
* LibreOffice RSS after ``--rss-docs`` documents through one warm instance.

Run: ``.venv/bin/python bench/pdf.py [--rounds 20] [--baseline 5] [--docs 200] [--rss-docs 500]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.common import ms, p95, rss_mb  # noqa: E402 - after the path fix
from dokgen.documents.models import parse_dokument  # noqa: E402
from dokgen.documents.pdf.convert import Converter, ConverterPool  # noqa: E402
from dokgen.documents.pdf.seal import Godkjenningslinje, Sealer  # noqa: E402
from dokgen.documents.render import render_docx  # noqa: E402

# One approval, as most documents carry: the seal's block fits below the last page's text.
BENCH = [
    Godkjenningslinje("Bench Benchmark", "Tiltaksarrangør", "innlogget bruker", datetime.now(UTC))
]

KONTRAKT = REPO.parent / "shared" / "kontrakt" / "statusrapport.json"
PDFA = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def report(name: str, samples: list[float]) -> float:
    """Print median and p95 of a list of seconds; return the median."""
    median = statistics.median(samples)
    print(f"  {name:<26} median {ms(median)}  p95 {ms(p95(samples))}  (n={len(samples)})")
    return median


def soffice_rss() -> float:
    """Return the summed RSS (MB) of every soffice.bin process."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"soffice.bin" in (proc / "cmdline").read_bytes():
                total += rss_mb(proc.name)
        except OSError:
            continue
    return total


def warm(docx: bytes, sealer: Sealer, rounds: int) -> float:
    """Time each step of the warm pipeline; return the whole pipeline's median."""
    data = json.loads(KONTRAKT.read_text("utf-8"))
    dump = parse_dokument(data, tillat_syntetiske=True).model_dump(mode="json")
    steps: dict[str, list[float]] = {"render": [], "convert": [], "seal": [], "pipeline": []}
    with Converter(timeout=120) as converter:
        converter.convert(docx)
        for i in range(rounds):
            t0 = time.perf_counter()
            filled = render_docx("statusrapport", dump)
            t1 = time.perf_counter()
            pdf = converter.convert(filled)
            t2 = time.perf_counter()
            sealer.seal(pdf, godkjenninger=BENCH, dokument_id=f"bench-{i}")
            t3 = time.perf_counter()
            for key, value in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
                steps[key].append(value)
    print("warm pipeline (one LibreOffice kept running):")
    for key, samples in steps.items():
        report(key, samples)
    return statistics.median(steps["pipeline"])


def baseline(docx: bytes, runs: int) -> float:
    """Time a new soffice process per document (own profile, PDF/A-2b); return the median."""
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "dok.docx"
        src.write_bytes(docx)
        for i in range(runs):
            profile = Path(tmp) / f"profil-{i}"
            start = time.perf_counter()
            subprocess.run(
                ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                 "--convert-to", PDFA, "--outdir", tmp, str(src)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            samples.append(time.perf_counter() - start)
    print("baseline (new soffice --convert-to per document):")
    return report("convert", samples)


def throughput(docx: bytes, sealer: Sealer, docs: int) -> None:
    """Convert and seal ``docs`` documents with one converter per core."""
    workers = os.cpu_count() or 1
    pool = ConverterPool(workers, timeout=120)
    try:
        list(ThreadPoolExecutor(workers).map(pool.convert, [docx] * workers))
        start = time.perf_counter()

        def one(i: int) -> None:
            sealer.seal(pool.convert(docx), godkjenninger=BENCH, dokument_id=f"t-{i}")

        with ThreadPoolExecutor(workers) as executor:
            list(executor.map(one, range(docs)))
        elapsed = time.perf_counter() - start
    finally:
        pool.close()
    print(f"throughput: {docs} documents, {workers} workers: {docs / elapsed:.1f} documents/s")


def memory(docx: bytes, docs: int) -> None:
    """Print LibreOffice's RSS before and after ``docs`` conversions in one instance."""
    with Converter(timeout=120) as converter:
        converter.convert(docx)
        before = soffice_rss()
        for _ in range(docs):
            converter.convert(docx)
        after = soffice_rss()
    print(f"LibreOffice RSS: {before:.0f} MB after warm-up, {after:.0f} MB after {docs} documents")


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--baseline", type=int, default=5)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rss-docs", type=int, default=500)
    args = parser.parse_args()
    data = json.loads(KONTRAKT.read_text("utf-8"))
    dump = parse_dokument(data, tillat_syntetiske=True).model_dump(mode="json")
    docx = render_docx("statusrapport", dump)
    with tempfile.TemporaryDirectory() as certs:
        sealer = Sealer(pkcs12=None, passord=None, dev_cert_dir=Path(certs))
        pipeline = warm(docx, sealer, args.rounds)
        per_process = baseline(docx, args.baseline)
        print(f"ratio: new process per document / warm pipeline = {per_process / pipeline:.1f}x")
        throughput(docx, sealer, args.docs)
    memory(docx, args.rss_docs)


if __name__ == "__main__":
    main()
