"""Small helpers the benchmarks share: timing, percentiles, memory."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path


def rss_mb(pid: int | str = "self") -> float:
    """Return a process's resident set size in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ms(seconds: float) -> str:
    """Format seconds as milliseconds."""
    return f"{seconds * 1000:8.2f} ms"


def p95(samples: list[float]) -> float:
    """Return the 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    """Return wall times of ``rounds`` calls after one warm-up call."""
    fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples
