"""The job leases on PostgreSQL: the same tests as on SQLite (``tests/dokgen/services/
test_jobbleie.py``, and the retry through the API in ``tests/dokgen/web/
test_api_dokumenter.py``), with the database URL pointing at a fresh PostgreSQL database."""

from __future__ import annotations

import pytest

from tests.dokgen.services.test_jobbleie import (
    kort,
    test_a_full_file_store_fails_the_document_and_the_invoice_with_the_reason,
    test_a_job_killed_every_time_fails_the_version_after_three_starts,
    test_a_job_longer_than_its_lease_keeps_it_and_runs_once,
    test_a_result_that_could_not_be_written_is_made_again_when_the_lease_runs_out,
    test_a_version_all_approved_but_never_sealed_is_sealed_at_the_next_start,
    test_an_interrupted_send_is_resumed_once_with_the_same_idempotency_key,
)
from tests.dokgen.web.test_api_dokumenter import (
    test_retry_seals_an_approved_version_and_takes_up_a_seal_whose_job_died,
)

pytestmark = pytest.mark.integration

__all__ = [
    "kort",
    "test_a_full_file_store_fails_the_document_and_the_invoice_with_the_reason",
    "test_a_job_killed_every_time_fails_the_version_after_three_starts",
    "test_a_job_longer_than_its_lease_keeps_it_and_runs_once",
    "test_a_result_that_could_not_be_written_is_made_again_when_the_lease_runs_out",
    "test_a_version_all_approved_but_never_sealed_is_sealed_at_the_next_start",
    "test_an_interrupted_send_is_resumed_once_with_the_same_idempotency_key",
    "test_retry_seals_an_approved_version_and_takes_up_a_seal_whose_job_died",
]
