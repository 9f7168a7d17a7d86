"""Property-based run of the whole API against its own OpenAPI description: no input gives a 5xx,
and every response matches what the description says of it (schema, status code, content type,
headers).

The suite runs schemathesis's examples and fuzzing phases with a few examples per route (about a
minute of CPU). ``benchmarks/api_fuzz.py`` runs this same test with more examples and the coverage
phase (every boundary and missing part of every body: thousands of requests per route), and counts
the answers; its figures are in docs/reference/limits.md.
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402

CHECK_NAMES = ("not_a_server_error", "response_schema_conformance", "status_code_conformance", "content_type_conformance", "response_headers_conformance")
CHECKS = [getattr(checks, name) for name in CHECK_NAMES]
EXAMPLES = int(os.environ.get("TRUCE_API_FUZZ_EXAMPLES", "15"))
LOG = os.environ.get("TRUCE_API_FUZZ_LOG", "")
"""When set (by the benchmark), each request's route and status are appended to this file."""

# Small budgets keep every generated request fast (a generated valid scenario may be run).
LIMITS = Limits(max_runs=200, max_report_runs=200, max_run_rounds=20_000, max_outcomes={2: 10**5, 3: 10**4}, max_actors=12, max_parties=3, max_jobs=2)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(token=None, limits=LIMITS))
schema.config.phases.coverage.enabled = os.environ.get("TRUCE_API_FUZZ_COVERAGE") == "1"


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_no_schema_violation(case):
    if not LOG:
        case.call_and_validate(checks=CHECKS)
        return
    response = case.call()
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{case.operation.label}\t{response.status_code}\n")
    case.validate_response(response, checks=CHECKS)


def test_missing_content_type_is_documented():
    """The coverage phase found this one: a body sent with no Content-Type gets 415, and the
    description lists 415 on every route that reads a body (it did not)."""
    from fastapi.testclient import TestClient

    app = create_app(token=None, limits=LIMITS)
    paths = app.openapi()["paths"]
    answer = TestClient(app).post("/api/validate", content=b"{}")
    assert answer.status_code == 415
    assert all("415" in operation["responses"] for path in paths.values() for method, operation in path.items() if method == "post")


def test_every_example_in_the_description_is_answered():
    """The examples the API's description shows (and schemathesis sends first) are accepted: a
    reader who copies one gets an answer, not a 422."""
    from fastapi.testclient import TestClient

    from test_web_api import wait_for

    app = create_app(token=None)
    client = TestClient(app)
    sent = 0
    for path, methods in app.openapi()["paths"].items():
        for method, operation in methods.items():
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                bodies = [example["value"] for example in content.get("examples", {}).values()] + ([content["example"]] if "example" in content else [])
                for body in bodies:
                    data = body.encode() if isinstance(body, str) else __import__("json").dumps(body).encode()
                    answer = client.request(method, path, content=data, headers={"Content-Type": media_type})
                    assert answer.status_code in (200, 202), (path, media_type, answer.text[:500])
                    if answer.status_code == 202:
                        assert wait_for(client, answer.json()["id"], timeout=120)["status"] == "done", path
                    sent += 1
            for parameter in operation.get("parameters", []):
                for example in parameter.get("examples", {}).values():
                    answer = client.request(method, path.replace("{" + parameter["name"] + "}", example["value"]))
                    assert answer.status_code == 200, (path, answer.text[:500])
                    sent += 1
    assert sent == 13  # every route that takes a body or a name has one (parse: one per media type)
