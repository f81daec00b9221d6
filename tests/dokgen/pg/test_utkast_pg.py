"""Documents started from a deltaker, prefilled on PostgreSQL: the same tests as on SQLite."""

from __future__ import annotations

import pytest

from tests.dokgen.services.test_utkast import (  # noqa: F401 (fixtures and tests, run here)
    kari,
    test_a_protected_deltaker_has_no_address_in_any_document,
    test_each_type_is_prefilled_with_the_registers_values_and_validates_once_completed,
    test_the_last_finalised_statusrapport_gives_employers_activities_and_absence,
    veileder,
    veiledere,
)

pytestmark = pytest.mark.integration
