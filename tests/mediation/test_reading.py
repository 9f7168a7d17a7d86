"""One best-lever reading for the CLI, the report and the page (issue 17: the report named a
"best lever" at "+0.0 points (-0.2 to +0.2)", the CLI printed none, and the page said "No variant
could be compared" beside a chart of two)."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

from truce.mediation.reading import Change, read_changes, variant_in_words
from truce.mediation.whatif import what_if
from truce.scenario import validate


def test_the_best_lever_is_the_largest_change_whose_interval_lies_above_zero():
    """B has the larger mean, but its interval includes zero: A, the larger of the clear changes, is the best."""
    reading = read_changes(
        [Change("add a", "adding a", 0.03, 0.01, 0.05), Change("add b", "adding b", 0.05, -0.01, 0.11), Change("drop c", "taking away c", -0.02, -0.04, 0.0)],
        "P(deal)",
    )
    assert reading.best.name == "add a" and reading.largest.name == "add b" and reading.helps
    assert reading.sentence == "The lever that raises P(deal) most is adding a: +3.0 percentage points (95% interval +1.0 to +5.0)."


def test_no_lever_helps_significantly_when_every_interval_includes_zero():
    reading = read_changes([Change("add a", "adding a", 0.0, -0.002, 0.002), Change("add b", "adding b", -0.01, -0.03, 0.01)], "P(deal)")
    assert reading.best is None and not reading.helps
    assert reading.sentence.startswith("No lever helps significantly: the largest change in P(deal), from adding a, is +0.0 percentage points")
    assert "which includes no change" in reading.sentence
    assert read_changes([], "P(deal)").sentence == "No lever could be compared with the baseline."


def test_variants_in_words():
    names = {"un": "United Nations", "donor": "Donor"}
    assert variant_in_words("add un_monitoring", "lever", "un", names) == "adding un_monitoring (United Nations)"
    assert variant_in_words("drop aid", "lever", "donor", names) == "taking away aid (Donor)"
    assert variant_in_words("donor: a + b", "combination", "donor", names) == "Donor's best affordable combination (a + b)"


# exposure 0: trust does not change what a party accepts, so a guarantee changes no run (Fearon's
# commitment problem needs something to lose); the paired difference is exactly 0 with interval [0, 0]
NULL_LEVER = {
    "name": "A guarantee that changes nothing",
    "kind": "negotiation",
    "actors": [
        {"id": "a", "name": "A", "reservation": {"uniform": [0.2, 0.4]}, "cost_of_delay": 0.03, "trust": 0.5,
         "stances": {"x": {"position": "high", "salience": 1}, "y": {"position": "low", "salience": 0.5}}},
        {"id": "b", "name": "B", "reservation": 0.3, "cost_of_delay": 0.03, "trust": 0.5,
         "stances": {"x": {"position": "low", "salience": 0.5}, "y": {"position": "high", "salience": 1}}},
        {"id": "m", "name": "Mediator M", "role": "mediator"},
    ],
    "issues": [
        {"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"]},
        {"id": "y", "name": "Y", "kind": "ordered", "options": ["low", "mid", "high"]},
    ],
    "levers": [{"id": "guarantee", "by": "m", "kind": "guarantee", "trust_gain": 0.5, "active": False}],
}
EXPECTED = (
    "No lever helps significantly: the largest change in P(deal), from adding guarantee by Mediator M, is +0.0 "
    "percentage points (95% interval +0.0 to +0.0, which includes no change)."
)


def test_the_engine_reads_a_lever_that_changes_nothing_as_no_help():
    result = what_if(validate(NULL_LEVER).compile(), runs=300, seed=1)
    assert result.variants[0].delta_deal.mean == 0.0 and result.variants[0].delta_deal.low == 0.0
    assert result.best is None
    assert result.reading().sentence == EXPECTED
    assert result.to_dict()["reading"]["sentence"] == EXPECTED and result.to_dict()["best"] is None


def test_cli_report_and_page_give_the_same_reading(tmp_path):
    import yaml

    path = tmp_path / "null-lever.yaml"
    path.write_text(yaml.safe_dump(NULL_LEVER))
    done = subprocess.run(
        [sys.executable, "-m", "truce", "whatif", str(path), "--runs", "300", "--seed", "1"],
        capture_output=True, text=True, timeout=300, env={"COLUMNS": "400", **__import__("os").environ},
    )
    assert done.returncode == 0, done.stderr
    assert EXPECTED in " ".join(done.stdout.split())

    from truce.report.html import render_report

    html = render_report(validate(NULL_LEVER), runs=300, seed=1)
    assert EXPECTED in html and "Best lever" in html and "none helps significantly" in html

    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    with TestClient(create_app()) as client:
        started = client.post("/api/whatif", json={"scenario": NULL_LEVER, "runs": 300, "seed": 1})
        assert started.status_code == 202, started.text
        job = _wait(client, started.json()["id"])
    assert job["status"] == "done", job
    assert job["result"]["whatif"]["reading"]["sentence"] == EXPECTED
    # the page shows the server's reading, not a sentence of its own
    from truce.web.static import FILES

    script = "\n".join(resources.files("truce.web").joinpath(f"static/{name}").read_text() for name in FILES if name.endswith(".js"))
    assert "result.reading.sentence" in script and "No variant could be compared" not in script


def _wait(client, job_id: str) -> dict:
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")
