import pytest
from tests.workflows.test_api_incidents import test_two_concurrent_creates_with_one_key_make_one_incident as t, _no_throttling, category  # noqa
from tests.workflows import test_idempotency as ti

@pytest.mark.parametrize("n", range(15))
@pytest.mark.django_db(transaction=True)
def test_stress(n, category):
    t(category)

@pytest.mark.parametrize("n", range(5))
@pytest.mark.django_db(transaction=True)
def test_stress_inflight(n):
    ti.test_a_duplicate_while_the_first_is_in_flight_is_told_to_retry()
    
