"""The mediator's advice over the API and on the page: ``/api/explain`` and ``/api/improve``.

The improvements are checked against brute force over every package of a small scenario;
the page builds a text, finds its improvements, puts one on the table and reads a pasted text.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from truce.scenario import load  # noqa: E402
from truce.web.app import create_app  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as test_client:
        yield test_client


def _scenario(name: str) -> dict:
    return load(name).model_dump(mode="json", exclude_none=True)


def _brute_force_improvements(problem, draft: np.ndarray, most_changes: int) -> set[tuple[int, ...]]:
    """Every package changing 1..most_changes issues that no party likes less and some party likes more,
    found by listing the whole product space."""
    counts = [len(labels) for labels in problem.option_labels]
    packages = np.indices(counts).reshape(len(counts), -1).T
    changed = (packages != draft).sum(axis=1)
    gain = problem.utilities(packages) - problem.utilities(draft)[0]
    better = (changed >= 1) & (changed <= most_changes) & (gain >= -1e-9).all(axis=1) & (gain > 1e-9).any(axis=1)
    return {tuple(row) for row in packages[better].tolist()}


@pytest.mark.parametrize("changes", [1, 2, 3])
def test_improvements_over_the_api_are_exactly_the_brute_force_ones(client, changes):
    scenario = _scenario("gaza-ceasefire")
    problem = load("gaza-ceasefire").compile()
    draft = np.array([len(labels) // 2 for labels in problem.option_labels])  # every issue at a middle option
    text = {issue: problem.option_labels[j][draft[j]] for j, issue in enumerate(problem.issue_ids)}
    answer = client.post("/api/improve", json={"scenario": scenario, "text": text, "changes": changes, "most": 50})
    assert answer.status_code == 200, answer.text
    result = answer.json()["improvements"]
    expected = _brute_force_improvements(problem, draft, changes)
    assert result["small_changes_found"] == len(expected) > 0
    labels = {issue: list(problem.option_labels[j]) for j, issue in enumerate(problem.issue_ids)}
    for item in result["small_changes"]:
        package = draft.copy()
        for change in item["changes"]:
            j = problem.issue_ids.index(change["issue"])
            assert labels[change["issue"]][draft[j]] == change["from"]
            package[j] = labels[change["issue"]].index(change["to"])
        assert tuple(package.tolist()) in expected
        gains = problem.utilities(package)[0] - problem.utilities(draft)[0]
        assert [item["gains"][p] for p in problem.party_ids] == pytest.approx(gains.tolist(), abs=1e-9)
    # fewest changes first
    sizes = [len(item["changes"]) for item in result["small_changes"]]
    assert sizes == sorted(sizes)
    assert answer.json()["reading"].startswith("The text gives ")


def test_an_efficient_text_is_said_to_be_efficient(client):
    scenario = _scenario("two-issue-trade")
    analysis = client.post("/api/analyze", json=scenario).json()["analysis"]
    nash = next(s for s in analysis["solutions"] if "nash" in s["name"].lower())
    answer = client.post("/api/improve", json={"scenario": scenario, "text": nash["terms"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["improvements"]["draft_is_efficient"] is True
    assert "It is efficient" in answer.json()["reading"]


def test_explain_gives_the_reading_the_report_gives_and_every_issues_options(client):
    from truce.analysis.explain import explain
    from truce.report.sections.advice import advice_section

    problem = load("gaza-ceasefire").compile()
    answer = client.post("/api/explain", json={"scenario": _scenario("gaza-ceasefire")})
    assert answer.status_code == 200, answer.text
    payload = answer.json()
    assert payload["options"] == {issue: list(labels) for issue, labels in zip(problem.issue_ids, problem.option_labels)}
    section = advice_section(explain(problem), dict(zip(problem.party_ids, problem.party_names)))
    assert payload["reading"] == section.reading
    assert payload["explanation"]["zopa"] is True and payload["explanation"]["joint_gains"]["trades"]
    # two parties: Adjusted Winner on the stakes, as `truce divide gaza-ceasefire --json` gives it
    from truce.analysis.stake_division import divide_scenario

    division = payload["division"]
    assert division["reading"].startswith("Adjusted Winner (Brams & Taylor 1996)")
    assert {k: v for k, v in division.items() if k != "reading"} == json.loads(json.dumps(divide_scenario(problem).to_dict()))
    three = client.post("/api/explain", json={"scenario": _scenario("three-party-truce")}).json()
    assert three["division"] is None


def test_a_bad_text_names_each_issue_under_text(client):
    scenario = _scenario("two-issue-trade")
    answer = client.post("/api/improve", json={"scenario": scenario, "text": {"no such issue": "x"}})
    assert answer.status_code == 422
    paths = [problem["path"] for problem in answer.json()["detail"]]
    assert "text.no such issue" in paths
    assert all(path.startswith("text.") for path in paths) and len(paths) == 1 + len(scenario["issues"])
    missing = next(p for p in answer.json()["detail"] if p["path"] != "text.no such issue")
    assert "missing; expected" in missing["message"]
    too_many = client.post("/api/improve", json={"scenario": scenario, "text": {}, "changes": 5})
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["path"] == "changes"


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
def test_the_page_builds_a_text_finds_improvements_and_reads_a_pasted_text(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.web.live_server import live_server

    monkeypatch.delenv("TRUCE_TOKEN", raising=False)
    problem = load("gaza-ceasefire").compile()
    with live_server(create_app(token=None)) as address, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(address + "/")
        page.wait_for_function("() => document.querySelectorAll('#scenario-select option').length > 1")
        page.select_option("#scenario-select", "gaza-ceasefire")
        page.wait_for_function("() => document.getElementById('reading-explain').textContent.length > 0", timeout=30_000)
        assert "zone of agreement exists" in page.inner_text("#reading-explain")
        assert page.locator("#text-form select").count() == problem.n_issues
        assert page.is_visible("#division-block") and page.locator("#division-table tr").count() == problem.n_issues + 1
        # the first text is the issue-by-issue compromise; its improvements
        page.click("#run-improve")
        page.wait_for_selector("#improve-table table", timeout=30_000)
        assert page.inner_text("#reading-improve").startswith("The text gives ")
        first = page.locator("#improve-table table").first.locator("tr").nth(1)
        change = first.locator("td").first.inner_text().split("; ")[0]
        issue, move = change.split(": ", 1)
        first.locator("button").click()
        assert page.locator(f'#text-form select[data-issue="{issue}"]').input_value() == move.split(" \u2192 ")[1]
        assert page.is_visible("#improve-stale")
        # a pasted text, by issue name and in another case, read by the server into the options' labels
        page.click("#text-paste-box summary")
        j = problem.issue_ids.index("aid")
        page.fill("#text-paste", f"# the mediator's text\n{problem.issue_names[j].upper()}: 600\n")
        page.click("#use-paste")
        page.wait_for_function("() => document.querySelector('#text-form select[data-issue=\"aid\"]').value === '600 trucks/day'", timeout=30_000)
        assert not page.is_visible("#improve-stale")
        assert errors == []
        browser.close()


def test_red_lines_on_single_issues_over_the_api(client):
    """two-issue-trade with North at most 'limited' patrols and South at least 'full': no package at all;
    the smallest change of red lines opens (open, full) by North accepting 'full' (tests/analysis/test_red_lines.py
    works it by hand). A text with full patrols crosses North's red line, and its reading says so."""
    scenario = _scenario("two-issue-trade")
    for actor in scenario["actors"]:
        actor["stances"]["patrols"]["red_line"] = {"at_most": "limited"} if actor["id"] == "north" else {"at_least": "full"}
    payload = client.post("/api/explain", json={"scenario": scenario}).json()
    explanation = payload["explanation"]
    assert explanation["zopa"] is False and "blocked_by" not in explanation
    assert explanation["red_lines"]["joint"]["moves"] == [{"party": "north", "issue": "patrols", "accept": "full", "options_admitted": 1}]
    assert payload["reading"].startswith("No package within the parties' red lines on single issues")
    scenario["actors"][1]["stances"]["patrols"]["red_line"] = {"at_least": "limited"}
    answer = client.post("/api/improve", json={"scenario": scenario, "text": {"crossings": "partly open", "patrols": "full"}}).json()
    assert answer["improvements"]["draft_crosses_red_lines"] == [{"party": "north", "issue": "patrols", "option": "full"}]
    assert "crosses red lines (North's on patrols (full))" in answer["reading"]
