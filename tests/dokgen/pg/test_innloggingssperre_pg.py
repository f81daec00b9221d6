"""The login lock and sessions on PostgreSQL, where transactions run side by side: first
failures for a new name at once all count though only one of their inserts can make the
row, forty logins at once check five passwords, a logged-out session is dead, and two
admins demoting each other at once leave one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon
from tests.dokgen.web.test_innlogging_sikkerhet import (
    assert_a_cookie_copied_before_logout_is_dead_after_it,
    assert_old_counter_rows_are_purged_and_live_locks_kept,
    assert_two_admins_demoting_each_other_at_once_leave_one,
)
from tests.dokgen.web.test_innloggingssperre import (
    assert_failures_at_once_count_each_and_lock_once,
    assert_forty_at_once_check_five_passwords,
)

pytestmark = pytest.mark.integration


def _pg(deps: Deps) -> None:
    assert deps.sessions.kw["bind"].dialect.name == "postgresql"


def test_first_failures_at_once_count_each_and_lock_once_on_postgresql(deps: Deps) -> None:
    """Eight threads, one barrier: one lock reported, the count right, no error."""
    _pg(deps)
    assert_failures_at_once_count_each_and_lock_once(deps)


def test_forty_at_once_check_five_passwords_on_postgresql(
    app: Any, deps: Deps, bruker: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the form: five password checks, one lock, one audit line."""
    _pg(deps)
    assert_forty_at_once_check_five_passwords(app, deps, bruker("admin"), monkeypatch)


def test_a_cookie_copied_before_logout_is_dead_after_it_on_postgresql(
    app: Any, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The session's row is checked on every page and deleted at logout."""
    _pg(deps)
    assert_a_cookie_copied_before_logout_is_dead_after_it(app, deps, bruker("leser"))


def test_two_admins_demoting_each_other_at_once_leave_one_on_postgresql(
    deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """The organisation's row lock orders the two changes: one succeeds, one is refused."""
    _pg(deps)
    assert_two_admins_demoting_each_other_at_once_leave_one(deps, bruker, org)


def test_old_counter_rows_are_purged_and_live_locks_kept_on_postgresql(
    app: Any, deps: Deps
) -> None:
    """The purge's DELETE … IN (SELECT … FOR UPDATE SKIP LOCKED) on PostgreSQL."""
    _pg(deps)
    assert_old_counter_rows_are_purged_and_live_locks_kept(app, deps)
