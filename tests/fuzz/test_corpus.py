"""The fuzz corpus (tests/fuzz/corpus.py) through every command and every API route that takes a
scenario: for every input either a result or exit 2 (a 4xx) with a message naming the file, each
problem's field and what was expected; never a traceback, an exit 70 or a 500; never a half-written
output (tests/fuzz/fuzz_cli.py's :func:`failure` is the bar).

Cost: every case goes through ``validate`` (the loader and its messages), and every case that
validates through ``analyze``; a fixed sample (every ``STRIDE``-th case) through every command and
route, with small runs. ``TRUCE_FUZZ_FULL=1`` takes every case everywhere and draws more hypothesis
examples; ``benchmarks/fuzz.py`` runs the whole corpus through every command, each run in its own
process, and measures time and memory against the budget.
"""

from __future__ import annotations

import json
import os
import time

import pytest
import yaml
from corpus import FOLDER, LOADER, UNREADABLE, corpus, materialise, mutated
from fuzz_cli import COMMANDS, OUTPUTS, command_line, failure, run_cli
from hypothesis import HealthCheck, given, settings

FULL = os.environ.get("TRUCE_FUZZ_FULL") == "1"
CASES = corpus()
STRIDE = 1 if FULL else 23
SAMPLE = CASES[::STRIDE]
IDS = [label for label, _ in CASES]


@pytest.fixture
def case_file(tmp_path):
    """Write a case into its own folder (made readable again afterwards)."""
    made = []

    def write(label: str, content: bytes) -> str:
        path = str(materialise(tmp_path, label, content))
        made.append(path)
        return path

    yield write
    for path in made:
        os.chmod(path, 0o700)


def check(command: str, path: str) -> int:
    """Run one command on one case and hold it to the bar; its exit status."""
    folder = os.path.dirname(path)
    arguments = command_line(command, path, folder)
    before = set(os.listdir(folder))
    code, _, err = run_cli(arguments)
    problem = failure(code, err, path, "draft.yaml")
    assert problem is None, (command, path, problem, err[-1500:])
    left = set(os.listdir(folder)) - before - {"draft.yaml"}
    if code == 0 and command == "report":
        assert (open(os.path.join(folder, OUTPUTS[0]), encoding="utf-8").read().rstrip().endswith("</html>")), "a half-written report"
        left.discard(OUTPUTS[0])
    assert not left, f"{command} left {left} behind"  # no partial, temporary or refused output
    for name in OUTPUTS:
        if os.path.exists(os.path.join(folder, name)):
            os.unlink(os.path.join(folder, name))
    return code


@pytest.mark.parametrize("label, content", CASES, ids=IDS)
def test_every_case_validates_or_is_refused_cleanly(case_file, label, content):
    path = case_file(label, content)
    if check("validate", path) == 0:
        check("analyze", path)


@pytest.mark.parametrize("command", [name for name in COMMANDS if name not in ("validate", "analyze")] if not FULL else list(COMMANDS))
@pytest.mark.parametrize("label, content", SAMPLE, ids=[label for label, _ in SAMPLE])
def test_a_sample_through_every_command(case_file, command, label, content):
    check(command, case_file(label, content))


def test_the_sample_reaches_the_engines():
    """The sample must hold cases that load (else the commands' engines would never run on it) and cases that do not."""
    loaded = refused = 0
    for label, content in SAMPLE:
        if content in (FOLDER, UNREADABLE):
            continue
        try:
            from truce.scenario import ScenarioError, parse

            parse(content.decode("utf-8"), source=label)
            loaded += 1
        except (ScenarioError, UnicodeDecodeError):
            refused += 1
    assert loaded >= 4 and refused >= 8, (loaded, refused)


@settings(max_examples=200 if FULL else 12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(case=mutated())
def test_hypothesis_mutations_through_the_main_commands(tmp_path_factory, case):
    name, content = case
    path = str(materialise(tmp_path_factory.mktemp("mutated"), name, content))
    for command in ("validate", "analyze", "simulate"):
        check(command, path)


def test_the_corpus_covers_every_kind_of_hostile_input():
    labels = " ".join(IDS)
    for kind in ("set:", "drop:", "unknown-field", "duplicate-actor", "unknown-option", "unknown-issue", "unknown-actor-lever",
                 "many-actors", "many-options", "huge-rounds", "alias-bomb", "python-tag", "deep", "binary", "latin-1", "bom",
                 "huge-string", "huge-int", "nan", "folder", "unreadable", "json"):
        assert kind in labels, kind
    assert len(CASES) > 300


def test_the_bar_catches_what_it_is_for():
    """The judge itself: each kind of bad outcome is caught, a good one passes."""
    good = "case.yaml: 1 problem(s) in the scenario\n  actors[0].id: found 3; expected text\n"
    assert failure(2, good, "/tmp/case.yaml") is None
    assert failure(0, "", "/tmp/case.yaml") is None
    assert failure(2, "error: --rounds: found 0; expected a whole number >= 1\n", "/tmp/case.yaml") is None
    assert "traceback" in failure("traceback", "Traceback (most recent call last):\n", "/tmp/case.yaml")
    assert failure(70, "error: internal error (KeyError): this is a bug", "/tmp/case.yaml") == "exit 70"
    assert "name the file" in failure(2, "other.yaml: found 3; expected text\n", "/tmp/case.yaml")
    assert "no expectation" in failure(2, good.replace("expected", "should be"), "/tmp/case.yaml")
    assert "no field" in failure(2, "case.yaml: 1 problem(s) in the scenario\n  found 3; expected text\n", "/tmp/case.yaml")
    assert "no expectation" in failure(2, "case.yaml: a party needs a stance\n", "/tmp/case.yaml")


# --- the API --------------------------------------------------------------------------------------

ROUTES = (
    "/api/validate", "/api/analyze", "/api/explain", "/api/improve", "/api/forecast", "/api/simulate", "/api/durability", "/api/whatif", "/api/report",
)
"""Every route that takes a scenario (besides /api/parse, which takes its text), with small runs."""


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


def _data(content: bytes):
    try:
        return yaml.load(content.decode("utf-8"), Loader=LOADER)
    except Exception:  # noqa: BLE001 - not every case is YAML; those go to /api/parse only
        return None


def _body(route: str, data) -> str:
    if route in ("/api/validate", "/api/analyze"):
        body = data
    elif route == "/api/forecast":
        body = {"scenario": data, "model": "compromise"}
    elif route == "/api/explain":
        body = {"scenario": data}
    elif route == "/api/improve":
        body = {"scenario": data, "text": {}}  # no text: the scenario's problems, else one 'missing' per issue
    else:
        body = {"scenario": data, "runs": 8, "seed": 0}
    return json.dumps(body, allow_nan=True, default=str)


def _judge(answer, route: str) -> None:
    assert answer.status_code < 500, (route, answer.status_code, answer.text[:600])
    if answer.status_code >= 400:
        detail = answer.json()["detail"]
        assert detail, (route, answer.text[:600])
        for item in detail:
            assert isinstance(item.get("path"), str) and "expected" in item["message"], (route, item)


def _finish(client, answer, route: str) -> None:
    """Poll a job to its end: done, or failed with a message that says what to change (never an internal error)."""
    job = answer.json()
    for _ in range(600):
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
        job = client.get(f"/api/jobs/{job['id']}").json()
    assert job["status"] in ("done", "failed"), (route, job["status"])
    if job["status"] == "failed":
        assert "internal error" not in job["error"] and "expected" in job["error"], (route, job["error"])


def test_the_api_routes_are_every_route_that_takes_a_scenario(client):
    # a route added later must join ROUTES (or take a text, like /api/parse and /api/draft)
    posted = {route.path for route in client.app.routes if "POST" in getattr(route, "methods", ())}
    assert posted - {"/api/parse", "/api/draft"} == set(ROUTES)


@pytest.mark.parametrize("label, content", SAMPLE, ids=[label for label, _ in SAMPLE])
def test_a_sample_through_the_api(client, label, content):
    if content in (FOLDER, UNREADABLE):
        return
    _judge(client.post("/api/parse", content=content, headers={"content-type": "application/yaml"}), "/api/parse")
    data = _data(content)
    if data is None:
        return
    for route in ROUTES:
        answer = client.post(route, content=_body(route, data), headers={"content-type": "application/json"})
        _judge(answer, route)
        if answer.status_code == 202:
            _finish(client, answer, route)
