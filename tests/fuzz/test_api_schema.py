"""schemathesis over /api/schema/, in-process through the WSGI-style test client: no answer is a 5xx.

Bounded (max_examples per operation) so it runs in CI; reads and the report endpoint are fuzzed.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 25


@pytest.fixture(autouse=True)
def _data_and_limits(db, settings):
    from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"incident_create": "100000/hour", "incident_support": "100000/hour"},
    }
    NeighbourhoodFactory()
    SubSectionFactory(slug="luminaria-apagada")


def test_no_operation_answers_a_server_error():
    from django.core.handlers.wsgi import WSGIHandler

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    calls = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            response = case.call(headers={"Host": "testserver"})
            calls.append((case.method, case.path, response.status_code))
            assert response.status_code < 500, (
                case.method,
                case.path,
                response.status_code,
                response.text[:500],
            )

        fuzz()
    assert len({(method, path) for method, path, _ in calls}) >= 4  # every operation was exercised
    print(f"schemathesis: {len(calls)} calls, 0 server errors")
