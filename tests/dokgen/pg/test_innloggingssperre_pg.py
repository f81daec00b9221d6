"""The login lock's count on PostgreSQL, where transactions run side by side: first failures
for a new name at once all count, though only one of their inserts can make the row."""

from __future__ import annotations

import pytest

from dokgen.services import Deps
from tests.dokgen.web.test_innloggingssperre import (
    assert_failures_at_once_count_each_and_lock_once,
)

pytestmark = pytest.mark.integration


def test_first_failures_at_once_count_each_and_lock_once_on_postgresql(deps: Deps) -> None:
    """Eight threads, one barrier: one lock reported, the count right, no error."""
    assert deps.sessions.kw["bind"].dialect.name == "postgresql"
    assert_failures_at_once_count_each_and_lock_once(deps)
