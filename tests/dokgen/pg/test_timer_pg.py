"""Registered hours on PostgreSQL: the all-or-none import, every refusal by row, claimed
months, the no-show's frist and the statusrapport's hours, as on SQLite."""

from __future__ import annotations

import pytest

from tests.dokgen.services.test_timer import (  # noqa: F401 (the tests and their fixtures)
    jon,
    kari,
    test_a_claimed_month_can_neither_be_added_to_changed_nor_deleted,
    test_a_csv_rows_error_names_the_files_own_row,
    test_a_no_show_raises_the_frist_to_notify_nav_that_day_until_marked_done,
    test_every_refused_row_is_named_by_its_number_and_field_and_nothing_is_stored,
    test_the_contract_timeliste_is_stored_with_each_rows_adjustment_in_words,
    test_the_statusrapport_is_prefilled_with_the_billed_hours_per_month,
    test_the_week_view_lists_the_deltakere_and_their_minutes_per_day,
)
from tests.dokgen.web.test_api_timer import (  # noqa: F401
    register,
    test_every_rows_errors_answer_422_and_nothing_is_stored,
    test_the_timeliste_csv_is_registered_and_a_preview_writes_nothing,
)

pytestmark = pytest.mark.integration
