"""The invoice list on PostgreSQL: the buyer read from the JSON grunnlag (``->>``), the
amount cast to a number for sorting, the month matched by ``maned`` or the period."""

from __future__ import annotations

import pytest

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon
from tests.dokgen.services.test_fakturaliste import assert_the_list_searches_sorts_pages_and_sums

pytestmark = pytest.mark.integration


def test_search_sort_pages_and_totals_on_postgresql(deps: Deps, org: Organisasjon) -> None:
    """The same list behaviour as on SQLite."""
    assert deps.sessions.kw["bind"].dialect.name == "postgresql"
    assert_the_list_searches_sorts_pages_and_sums(deps, org)
