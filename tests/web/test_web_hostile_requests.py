"""Requests an attacker (or a careless client) would send, each checked from the outside (issue 18):
a scenario text that is slow to read must not hold up the server, and a JSON body with NaN or
Infinity (which Python's reader takes, and a range check passes) is refused naming the field."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from live_server import live_server  # noqa: E402
from truce import load  # noqa: E402
from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402

YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def trade_json() -> str:
    import json

    return json.dumps(load("two-issue-trade").model_dump(mode="json", exclude_none=True))


def slow_yaml() -> bytes:
    """480,000 one-digit YAML values in 1.9 MB, under the 2 MiB body limit: about 6 s of CPU to count and
    build even with libyaml's C loader (1.1 s for 80,000 values measured on the shared test machine), so
    well over the 1 s budget the test sets on a machine several times faster."""
    return ("name: slow\nvalues:\n" + "- 1\n" * 480_000).encode()


# ----------------------------------------------------------- parsing off the event loop
def test_a_slow_scenario_text_holds_up_no_other_request_and_is_stopped_at_the_time_budget(trade_json):
    app = create_app(limits=Limits(max_parse_seconds=1, max_parses=1))
    answers: dict[str, httpx.Response] = {}
    with live_server(app) as base, httpx.Client(base_url=base, timeout=120) as http:
        sent = threading.Event()

        def slow_body():
            yield slow_yaml()
            sent.set()

        slow = threading.Thread(target=lambda: answers.setdefault("slow", http.post("/api/parse", content=slow_body(), headers=YAML)))
        slow.start()
        assert sent.wait(60)
        time.sleep(0.2)  # for the server to take the body in (not a timed assertion)
        # Wait until the slow text is being read: a second text is then refused as busy (429), at once.
        # On an event loop held by the slow reading, this second request would only be answered after it.
        while True:
            second = http.post("/api/parse", content=trade_json.encode(), headers=JSON)
            assert "slow" not in answers, "a request waited for the slow reading to end"
            if second.status_code == 429:
                break
            assert second.status_code == 200, second.text
        assert "at most 1 scenario texts at once" in second.json()["detail"][0]["message"]
        assert http.get("/api/limits").status_code == 200
        assert "slow" not in answers, "a GET waited for the slow reading to end"
        slow.join(timeout=120)
    refused = answers["slow"]
    assert refused.status_code == 422
    assert "took longer than 1 s" in refused.json()["detail"][0]["message"]


def test_parse_in_a_child_process_keeps_its_answers(client, trade_json):
    bad = trade_json.replace('"reservation":0.3', '"reservation":"lots"', 1).replace('"reservation": 0.3', '"reservation": "lots"', 1)
    answer = client.post("/api/parse", content=bad.encode(), headers=JSON)
    assert answer.status_code == 422 and [p["path"] for p in answer.json()["detail"]] == ["actors[0].reservation"]
    syntax = client.post("/api/parse", content=b"name: [unclosed\n", headers=YAML)
    assert syntax.status_code == 422 and "line" in syntax.text
    deep = client.post("/api/parse", content=b"a: " + b"[" * 600 + b"]" * 600, headers=YAML)
    assert deep.status_code == 422 and "nested more than 32 levels deep" in deep.text


# ----------------------------------------------------------- NaN and Infinity in JSON bodies
def test_an_infinite_budget_is_refused_naming_the_field(client):
    gaza = client.get("/api/scenarios/gaza-ceasefire").text
    body = '{"scenario": ' + gaza + ', "runs": 50, "budget": Infinity}'
    answer = client.post("/api/whatif", content=body.encode(), headers=JSON)
    assert answer.status_code == 422, answer.text  # the range check (>= 0) lets infinity through
    assert [p["path"] for p in answer.json()["detail"]] == ["budget"]
    assert "found Infinity; expected a finite number" in answer.json()["detail"][0]["message"]


@pytest.mark.parametrize("literal", ["NaN", "-Infinity", "1e999"])
@pytest.mark.parametrize("route", ["/api/validate", "/api/parse"])
def test_non_finite_numbers_in_a_scenario_body_are_refused_naming_each_field(client, trade_json, literal, route):
    import json

    data = json.loads(trade_json)
    data["actors"][0]["reservation"] = "@"
    data["actors"][1]["cost_of_delay"] = "@"
    body = json.dumps(data).replace('"@"', literal)
    answer = client.post(route, content=body.encode(), headers=JSON)
    assert answer.status_code == 422, answer.text
    problems = answer.json()["detail"]
    assert [p["path"] for p in problems] == ["actors[0].reservation", "actors[1].cost_of_delay"]
    assert all(f"found {literal}; expected a finite number" in p["message"] for p in problems)


def test_finite_numbers_and_the_words_nan_and_infinity_in_text_pass(client, trade_json):
    body = trade_json.replace('"Two-issue trade (teaching)"', '"NaN, Infinity and 1e999 as words"', 1)
    answer = client.post("/api/validate", content=body.encode(), headers=JSON)
    assert answer.status_code == 200, answer.text


# ----------------------------------------------------------- a body that never finishes arriving
def test_a_body_that_trickles_in_is_cut_off_with_408():
    import socket

    with live_server(create_app(limits=Limits(max_body_seconds=0.5))) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
            answer = ""  # the rest of the body never comes
            while "did not arrive" not in answer and (chunk := connection.recv(65536)):
                answer += chunk.decode("latin-1")
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert "did not arrive within 0.5 s" in answer
