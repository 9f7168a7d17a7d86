"""The job limits over HTTP (issue 18): the server's places, one client's share, and the work
answered while the client waits (a report, an analysis) taking a place too. Each engine is held
until the test lets it go, so a job stays running as long as the test needs."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import wait_for  # noqa: E402
from truce import load  # noqa: E402
from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.fixture(scope="module")
def trade() -> dict:
    return load("two-issue-trade").model_dump(mode="json", exclude_none=True)


class _Held(threading.Event):
    """Set it to let the engines go on; ``entered`` is set once a request is waiting in one."""

    entered: threading.Event


@pytest.fixture()
def held(monkeypatch):
    """Every simulation and analysis (so every report) waits until the fixture is set: a job then stays running."""
    from truce.problem import Problem

    release = _Held()
    release.entered = threading.Event()
    simulate, analyze = Problem.simulate, Problem.analyze

    def wait(engine):
        def held_engine(self, *args, **kwargs):
            release.entered.set()
            assert release.wait(30), "never released"
            return engine(self, *args, **kwargs)

        return held_engine

    monkeypatch.setattr(Problem, "simulate", wait(simulate))
    monkeypatch.setattr(Problem, "analyze", wait(analyze))
    yield release
    release.set()


def test_too_many_jobs_at_once_is_429_over_http(held, trade):
    with TestClient(create_app(limits=Limits(max_jobs=1))) as busy:
        first = busy.post("/api/simulate", json={"scenario": trade, "runs": 50})
        assert first.status_code == 202
        second = busy.post("/api/simulate", json={"scenario": trade, "runs": 50})
        assert second.status_code == 429 and "at most 1 at once" in second.json()["detail"][0]["message"]
        held.set()
        assert wait_for(busy, first.json()["id"])["status"] == "done"
        assert busy.post("/api/simulate", json={"scenario": trade, "runs": 50}).status_code == 202  # a place again


def test_one_client_gets_at_most_its_share_of_the_jobs(held, trade):
    app = create_app(limits=Limits(max_jobs=4, max_jobs_per_client=2))
    with TestClient(app, client=("10.0.0.1", 5000)) as one, TestClient(app, client=("10.0.0.2", 5000)) as other:
        started = [one.post("/api/simulate", json={"scenario": trade, "runs": 50}) for _ in range(2)]
        assert [answer.status_code for answer in started] == [202, 202]
        third = one.post("/api/simulate", json={"scenario": trade, "runs": 50})
        assert third.status_code == 429 and "at most 2 at once for one client" in third.json()["detail"][0]["message"]
        assert other.post("/api/simulate", json={"scenario": trade, "runs": 50}).status_code == 202
        held.set()
        for answer in started:
            assert wait_for(one, answer.json()["id"])["status"] == "done"


@pytest.mark.parametrize("route", ["/api/report", "/api/analyze"])
def test_reports_and_analyses_take_a_place_among_the_jobs(held, trade, route):
    # Answered while the client waits, they once bypassed the job limit: six concurrent reports were admitted.
    body = {"scenario": trade, "runs": 50} if route == "/api/report" else trade
    with TestClient(create_app(limits=Limits(max_jobs=1))) as busy:
        answers = {}
        waiting = threading.Thread(target=lambda: answers.setdefault("first", busy.post(route, json=body)))
        waiting.start()
        try:
            assert held.entered.wait(60)  # the first request is in the engine, holding its place
            job = busy.post("/api/simulate", json={"scenario": trade, "runs": 50})
            again = busy.post(route, json=body)
        finally:
            held.set()  # on a failure too: else the held engines keep the server from stopping
            waiting.join(timeout=120)
        assert job.status_code == 429 and "at most 1 at once" in job.json()["detail"][0]["message"]
        assert again.status_code == 429 and "at most 1 at once" in again.json()["detail"][0]["message"]
        assert answers["first"].status_code == 200
