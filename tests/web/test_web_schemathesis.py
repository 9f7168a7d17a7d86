"""Property-based run of the whole API against its own OpenAPI description: no input gives a 5xx."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402

# Small budgets keep every generated request fast (a generated valid scenario may be run).
LIMITS = Limits(max_runs=200, max_report_runs=200, max_run_rounds=20_000, max_outcomes={2: 10**5, 3: 10**4}, max_actors=12, max_parties=3, max_jobs=2)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(token=None, limits=LIMITS))


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
