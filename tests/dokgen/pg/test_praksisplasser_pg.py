"""The praksisplass register on PostgreSQL: the same tests as on SQLite, the capacity's
row lock (``FOR UPDATE``) included."""

from __future__ import annotations

import pytest

from tests.dokgen.services.test_praksisplasser import (  # noqa: F401 (the tests, run here)
    test_a_broken_rule_changes_nothing_and_names_the_field,
    test_a_full_place_refuses_one_more_bekreftet_and_ledig_lists_only_free_places,
    test_a_placement_goes_through_the_routines_statuses_with_a_history,
    test_a_protected_deltakers_placement_is_hidden_but_still_holds_its_place,
    test_another_organisations_rows_are_not_found,
)
from tests.dokgen.services.test_praksisplasser_samtidig import (  # noqa: F401
    test_the_last_free_place_confirmed_at_once_is_given_once,
)

pytestmark = pytest.mark.integration
