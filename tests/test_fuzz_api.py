"""Schemathesis against /openapi.json: no 500s, and every response matches the schema.

Runs as the admin role (every route open to it) inside the test's rolled-back session,
with a bounded number of examples per operation so it stays within a few minutes.
(Schemathesis's pytest plugin does not load under pytest 9, so the operations are
driven through its Python API with Hypothesis directly.)
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from landgov.auth.service import create_key

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 25


def test_api_conforms(app, district):
    app.state.limiter.capacity = 10**9  # the fuzzer is one caller sending many requests
    headers = {"X-API-Key": create_key(district, "fuzz", "admin")}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, not just the first
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
