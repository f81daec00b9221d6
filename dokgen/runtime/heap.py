"""Keep a long-running process's start-up heap out of the garbage collector's full passes.

A process has some 185,000 objects tracked by the cyclic garbage collector once the app is
built (modules, the ORM's mappings, pydantic's and Jinja's compiled forms), and they live
as long as the process. Every full (generation 2) collection walks all of them: work that
makes many objects, such as the month's checks of 20,000 activities, triggers three full
collections of 0.15-0.25 s each, about half of the checks' CPU time (``bench/maned.py``).
:func:`gc.freeze` moves what is alive at start-up to the permanent generation, which the
collector no longer walks; what the process makes afterwards is collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect the start-up garbage, then freeze what is left; return how many objects.

    Call once, when the process has built what it keeps (the app, its collaborators) and
    before it serves. An object frozen here and later part of an unreachable cycle is never
    freed: start-up objects live as long as the process, so this costs nothing in practice.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
