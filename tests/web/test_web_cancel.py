"""Jobs can be cancelled (issue 11): DELETE /api/jobs/{id}. A queued job never starts; a running one
stops at its next progress report (a chunk of runs) and keeps no result; a finished one is left as
it is; another client's job is not found. The real engine runs; a test holds it at its first
progress report so that the job is still running when the request to cancel arrives."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import wait_for  # noqa: E402
from test_web_jobs import _no_token_from_the_environment, trade  # noqa: E402, F401 - the same fixtures as the job limits' tests
from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402


@pytest.fixture()
def at_first_report(monkeypatch):
    """Every simulation waits at its first progress report until the returned event is set; its
    ``entered`` event is set once one is waiting there. Counts the reports that got through."""
    from truce.problem import Problem

    release, entered, passed = threading.Event(), threading.Event(), []
    simulate = Problem.simulate

    def held(self, *args, progress=None, **kwargs):
        def report(units: int) -> None:
            if not entered.is_set():
                entered.set()
                assert release.wait(30), "never released"
            progress(units)
            passed.append(units)

        return simulate(self, *args, progress=None if progress is None else report, **kwargs)

    monkeypatch.setattr(Problem, "simulate", held)
    release.entered, release.passed = entered, passed
    yield release
    release.set()


def test_a_running_job_stops_at_its_next_report_and_keeps_no_result(at_first_report, trade):
    with TestClient(create_app(limits=Limits(max_jobs=2))) as client:
        started = client.post("/api/simulate", json={"scenario": trade, "runs": 400})
        assert started.status_code == 202
        assert at_first_report.entered.wait(60)
        asked = client.delete(f"/api/jobs/{started.json()['id']}")
        assert asked.status_code == 200 and asked.json()["status"] == "running"  # it stops at its next report
        at_first_report.set()
        job = wait_for(client, started.json()["id"])
        assert job["status"] == "cancelled" and job["result"] is None
        assert job["error"] == "cancelled after 0 of 400" and job["progress"]["done"] == 0
        assert at_first_report.passed == []  # the engine went no further than the report it was held at
        # the place is free again, and a job after it runs to the end
        after = client.post("/api/simulate", json={"scenario": trade, "runs": 50})
        assert wait_for(client, after.json()["id"])["status"] == "done"


def test_a_queued_job_never_starts_and_a_finished_one_is_left_alone(at_first_report, trade):
    with TestClient(create_app(limits=Limits(max_jobs=3))) as client:
        first = client.post("/api/simulate", json={"scenario": trade, "runs": 50}).json()["id"]
        assert at_first_report.entered.wait(60)
        queued = client.post("/api/simulate", json={"scenario": trade, "runs": 60}).json()["id"]
        answer = client.delete(f"/api/jobs/{queued}")
        assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
        at_first_report.set()
        assert wait_for(client, first)["status"] == "done"
        assert wait_for(client, queued) == {**client.get(f"/api/jobs/{queued}").json(), "status": "cancelled"}
        assert client.get(f"/api/jobs/{queued}").json()["progress"] == {"done": 0, "total": 60}
        finished = client.delete(f"/api/jobs/{first}")
        assert finished.status_code == 200 and finished.json()["status"] == "done" and finished.json()["result"]


def test_another_clients_job_is_not_found(at_first_report, trade):
    app = create_app(limits=Limits(max_jobs=2))
    with TestClient(app, client=("10.0.0.1", 5000)) as one, TestClient(app, client=("10.0.0.2", 5000)) as other:
        job = one.post("/api/simulate", json={"scenario": trade, "runs": 50}).json()["id"]
        refused = other.delete(f"/api/jobs/{job}")
        assert refused.status_code == 404 and "of yours" in refused.json()["detail"][0]["message"]
        at_first_report.set()
        assert wait_for(one, job)["status"] == "done"
        assert one.delete("/api/jobs/nosuchjob").status_code == 404
