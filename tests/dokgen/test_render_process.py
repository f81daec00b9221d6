"""Bounded templates: the sandbox's counted limits, and the child process killed on time."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from typing import Any

import docx
import pytest

from dokgen.documents import render, render_process
from dokgen.documents.context import build_context
from dokgen.documents.models import parse_dokument
from dokgen.documents.render import MALER_DIR, fill, fill_here
from dokgen.errors import TemplateInvalidError, TemplateLimitError
from tests.dokgen.test_render import make_docx

# Bombs that only the clock stops: each round is one call into C (sum over 100,000 numbers,
# ~1 ms), so 100,000 rounds stay under the round limit and the output stays small.
C_LOOP = "{% for a in range(10**5) %}{{ range(10**5)|sum }}{% endfor %}"


def _text(docx_bytes: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)


@pytest.fixture
def ctx(kontrakt: Any) -> dict[str, Any]:
    data = parse_dokument(kontrakt("statusrapport"), tillat_syntetiske=True)
    return build_context("statusrapport", data.model_dump(mode="json"))


def _stopped(text: str, context: dict[str, Any]) -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(TemplateLimitError) as caught:
        fill_here(make_docx(text), context)
    return caught.value.reasons[0], time.perf_counter() - start


@pytest.mark.parametrize(
    "bomb",
    [
        "{% for a in range(10**5) %}{% for b in range(10**5) %}x{% endfor %}{% endfor %}",
        "{% for a in range(10**5) %}{% for b in range(10**5) %}{% endfor %}{% endfor %}",
        "{% for a in 'x' * 10**5 %}{% for b in 'y' * 10**5 %}{% endfor %}{% endfor %}",
        "{% for x in range(10) recursive %}{{ loop(range(10)) if loop.depth < 9 }}{% endfor %}",
    ],
    ids=["nested-range", "nested-empty", "repeated-strings", "recursive-loop"],
)
def test_loops_stop_at_the_round_limit_with_the_reason(
    bomb: str, ctx: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nested loops (10¹⁰ rounds) stop at the limit; a lower limit here keeps the test short."""
    monkeypatch.setattr(render, "MAX_ROUNDS", 50_000)
    reason, _ = _stopped(bomb, ctx)
    assert reason == "malen gikk mer enn 50 000 runder i løkker og kall og ble stoppet"


def test_the_default_round_limit_stops_a_nested_loop_within_the_time_limit(
    ctx: dict[str, Any],
) -> None:
    reason, tid = _stopped(
        "{% for a in range(10**5) %}{% for b in range(10**5) %}{% endfor %}{% endfor %}", ctx
    )
    assert reason == "malen gikk mer enn 1 000 000 runder i løkker og kall og ble stoppet"
    assert tid < render.TIME_LIMIT


def test_macro_calls_count_as_rounds(ctx: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """A macro calling itself twice per level (2⁴⁰ calls, no loop at all) is counted too."""
    monkeypatch.setattr(render, "MAX_ROUNDS", 50_000)
    bomb = (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}"
    )
    reason, _ = _stopped(bomb, ctx)
    assert "gikk mer enn 50 000 runder" in reason


@pytest.mark.parametrize(
    "bomb",
    ["{{ 'x' * 10**9 }}", "{{ 2 ** 100000000 }}", "{{ [1] * 10**9 }}", "{{ 10**3000 * 10**3000 }}"],
)
def test_huge_values_are_refused_before_they_are_made(bomb: str, ctx: dict[str, Any]) -> None:
    """*, ** and + are checked before they run (nor are they folded when compiling)."""
    reason, tid = _stopped(bomb, ctx)
    assert reason == "malen regnet ut for store tall eller tekster og ble stoppet"
    assert tid < 1.0


def test_output_is_limited(ctx: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MAX_CHARS", 100_000)
    reason, _ = _stopped("{% for a in range(10**4) %}{{ 'x' * 1000 }}{% endfor %}", ctx)
    assert reason == "malen lagde mer enn 100 000 tegn og ble stoppet"


def test_self_recursion_is_a_reason_not_a_crash(ctx: dict[str, Any]) -> None:
    reason, _ = _stopped("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", ctx)
    assert reason == "malen kalte seg selv for dypt (makroer eller løkker) og ble stoppet"


def test_ordinary_loops_and_arithmetic_still_work(ctx: dict[str, Any]) -> None:
    tekst = _text(
        fill(make_docx("{% for m in oppfolgingstimer_per_maned %}{{ m.maned }};{% endfor %}"
                   "{{ 2 ** 10 + 3 * 4 }} {{ 'ab' * 3 }} {{ [1, 2] + [3] }}"), ctx)
    )  # fmt: skip
    assert tekst.startswith("juni 2026;")
    assert tekst.endswith("1036 ababab [1, 2, 3]")


def test_a_fill_that_runs_past_the_time_limit_is_killed_and_the_next_one_works(
    ctx: dict[str, Any],
) -> None:
    """A computation inside C that no counter sees: the child is killed at the limit."""
    fill(make_docx("{{ deltaker.navn }}"), ctx)  # a child is running: its start is not timed
    start = time.perf_counter()
    with pytest.raises(TemplateLimitError) as caught:
        fill(make_docx(C_LOOP), ctx, timeout=1.0)
    tid = time.perf_counter() - start
    assert caught.value.reasons == ["malen brukte for lang tid (over 1 sekund) og ble stoppet"]
    assert caught.value.what == "brukte for lang tid (over 1 sekund)"
    assert 1.0 <= tid < 3.0
    mal = (MALER_DIR / "statusrapport.docx").read_bytes()
    assert "Kari Nordmann" in "\n".join(_table_text(fill(mal, ctx)))


def _table_text(docx_bytes: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return parts


def test_a_killed_child_is_gone_and_replaced(ctx: dict[str, Any]) -> None:
    fill(make_docx("{{ deltaker.navn }}"), ctx)
    before = {c._process.pid for c in render_process._idle}
    with pytest.raises(TemplateLimitError):
        fill(make_docx(C_LOOP), ctx, timeout=0.5)
    after = {c._process.pid for c in render_process._idle}
    killed = before - after
    assert len(killed) == 1
    [pid] = killed
    assert not os.path.exists(f"/proc/{pid}")  # killed and reaped, not left spinning


def test_a_memory_bomb_ends_as_a_reason_in_the_child(ctx: dict[str, Any]) -> None:
    """The child's address space is capped: a gigabyte string is MemoryError, not OOM."""
    with pytest.raises(TemplateLimitError) as caught:
        fill(make_docx("{{ 'x'|center(3 * 10**9) }}"), ctx)
    assert caught.value.reasons == ["malen brukte for mye minne og ble stoppet"]


def test_template_errors_cross_the_process_boundary_whole(ctx: dict[str, Any]) -> None:
    with pytest.raises(TemplateInvalidError) as caught:
        fill(make_docx("{{ skonummer }}"), ctx)
    assert caught.value.reasons == ["malen bruker feltet «skonummer», som modellen ikke har"]


def test_a_range_over_the_sandbox_cap_is_a_reason(ctx: dict[str, Any]) -> None:
    reason, _ = _stopped("{% for a in range(10**9) %}{% endfor %}", ctx)
    assert reason == "malen lagde en range() med mer enn 100 000 tall og ble stoppet"


def _stopped_child(ctx: dict[str, Any]) -> int:
    """Warm a child, stop it (SIGSTOP: it gets no CPU, as if starved) and return its pid."""
    fill(make_docx("{{ deltaker.navn }}"), ctx)
    pid = render_process._idle[-1]._process.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    return pid


def test_a_job_workers_child_that_gets_no_cpu_is_waited_for_not_blamed(
    ctx: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a SCHED_IDLE job worker the limit is the child's CPU time: a child that got no CPU
    for twice the limit (busy web processes) still finishes its document."""
    monkeypatch.setattr(render_process, "_idle_priority", lambda: True)
    pid = _stopped_child(ctx)
    threading.Timer(1.0, os.kill, (pid, signal.SIGCONT)).start()
    start = time.perf_counter()
    assert "Kari Nordmann" in _text(fill(make_docx("{{ deltaker.navn }}"), ctx, timeout=0.5))
    assert time.perf_counter() - start >= 1.0


def _refused_by_stopped_child(ctx: dict[str, Any]) -> tuple[int, float]:
    """Fill with a 0.5 s limit while the warm child is stopped; return the child's pid and
    how long the refusal took."""
    pid = _stopped_child(ctx)
    start = time.perf_counter()
    with pytest.raises(TemplateLimitError, match="brukte for lang tid"):
        fill(make_docx("{{ deltaker.navn }}"), ctx, timeout=0.5)
    return pid, time.perf_counter() - start


def test_a_starved_job_child_is_still_killed_at_four_times_the_limit(
    ctx: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_process, "_idle_priority", lambda: True)
    pid, took = _refused_by_stopped_child(ctx)
    assert 2.0 <= took < 3.5
    assert not os.path.exists(f"/proc/{pid}")


def test_elsewhere_the_limit_is_wall_clock_time(ctx: dict[str, Any]) -> None:
    """A web process checking an upload waits the limit and no longer, CPU or not."""
    pid, took = _refused_by_stopped_child(ctx)
    assert 0.5 <= took < 1.5
    assert not os.path.exists(f"/proc/{pid}")


def test_an_idle_child_is_stopped_after_its_idle_time_and_made_again_when_needed(
    ctx: dict[str, Any],
) -> None:
    """A web process checks an upload now and then: its child does not stay for ever."""
    fill(make_docx("{{ deltaker.navn }}"), ctx)
    pids = {c._process.pid for c in render_process._idle}
    render_process._stop_idle(3600.0)
    assert {c._process.pid for c in render_process._idle} == pids  # not idle that long
    render_process._stop_idle(0.0)
    assert render_process._idle == []
    assert not any(os.path.exists(f"/proc/{pid}") for pid in pids)
    assert "Kari Nordmann" in _text(fill(make_docx("{{ deltaker.navn }}"), ctx))
    assert {c._process.pid for c in render_process._idle}.isdisjoint(pids)
