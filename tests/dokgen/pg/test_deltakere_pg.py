"""The deltaker register and its frister on PostgreSQL: the same tests as on SQLite, with
the test's PostgreSQL database behind the collaborators (``database_url`` of this folder's
conftest)."""

from __future__ import annotations

import pytest

from tests.dokgen.services.test_deltakere import (  # noqa: F401 (the tests, run here)
    test_a_duplicate_fodselsnummer_or_nr_is_refused_without_echoing_the_number,
    test_a_protected_deltaker_is_seen_only_by_their_veiledere_and_admins,
    test_a_status_change_is_a_history_entry_and_the_same_status_is_not,
    test_another_organisations_deltaker_and_gjennomforing_are_not_found,
    test_numbers_come_from_the_organisations_sequence_and_skip_taken_ones,
    test_the_admins_export_is_the_one_csv_with_the_fodselsnummer_and_is_audited,
    test_the_contract_deltaker_is_stored_with_its_status_as_history,
    test_the_list_filters_searches_and_sorts,
)
from tests.dokgen.services.test_deltakere_samtidig import (  # noqa: F401
    test_a_double_click_registers_one_deltaker_and_tells_the_other_why,
    test_deltakere_registered_at_once_get_distinct_numbers,
    test_the_same_import_committed_twice_at_once_writes_each_deltaker_once,
)
from tests.dokgen.services.test_deltakerimport import (  # noqa: F401
    ase,
    test_any_row_error_writes_nothing_and_names_row_and_column,
    test_the_coordinator_csv_sets_the_veileder_by_name_and_changes_show_field_by_field,
    test_the_nav_json_is_previewed_then_written_and_a_second_import_changes_nothing,
    test_two_thousand_rows_of_nav_json_preview_and_commit,
)
from tests.dokgen.services.test_frister_tjeneste import (  # noqa: F401
    test_a_finalised_document_of_the_deltaker_meets_its_frist_late_or_in_time,
    test_a_manual_link_delivers_a_frist_and_is_audited,
    test_a_protected_deltakers_frister_are_hidden_from_others,
    test_my_frister_are_those_of_the_deltakere_i_follow_overdue_first,
    test_the_calendar_feed_is_private_renewable_and_names_the_nr_only,
    test_the_gjennomforings_evaluering_has_no_deltaker_and_the_filters_narrow,
)

pytestmark = pytest.mark.integration
