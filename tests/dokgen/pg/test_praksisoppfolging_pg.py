"""A placement's oppstartsmøte and absences on PostgreSQL: the same tests as on SQLite (the
rows written, other organisations, errors writing nothing, the statusrapport's fravær and
the frist «Varsle NAV samme dag»), the placement's row lock (``FOR UPDATE``) included."""

from __future__ import annotations

import pytest

from tests.dokgen.services.test_praksisoppfolging import (  # noqa: F401 (the tests, run here)
    oppsett,
    test_a_wrong_absence_names_its_field_and_nothing_is_written,
    test_an_absence_is_registered_with_its_reason_listed_and_deleted,
    test_an_absence_without_a_valid_reason_raises_varsle_nav_until_marked_or_deleted,
    test_another_organisation_and_a_leser_cannot_write_the_meeting,
    test_startet_needs_the_meeting_recorded_on_or_before_the_start,
    test_the_meeting_needs_veileder_leder_and_deltaker_and_nothing_is_written_without,
    test_the_oppstartsmote_is_recorded_corrected_in_place_and_audited,
    test_the_statusrapport_counts_the_absence_per_reason_in_its_period,
    test_two_overlapping_absences_registered_at_once_are_stored_once,
)

pytestmark = pytest.mark.integration
