"""POST /api/draft: a draft scenario from a news text, with its limits and errors."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from truce.newsdraft import MAX_TEXT_CHARACTERS  # noqa: E402
from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402

TEXT = (
    "Ceasefire talks between Hamas and Israel resumed in Cairo, hosted by Egypt. "
    "Hamas demanded the lifting of the blockade. Israel rejected the demand and sought an end to rocket fire."
)


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as test_client:
        yield test_client


def test_a_text_gives_the_draft_its_yaml_and_the_placeholders_left(client):
    response = client.post("/api/draft", json={"text": TEXT, "source_name": "report.txt"})
    assert response.status_code == 200, response.text
    answer = response.json()
    roles = {actor["id"]: actor["role"] for actor in answer["scenario"]["actors"]}
    assert roles == {"hamas": "party", "israel": "party", "egypt": "mediator"}
    assert answer["scenario"]["actors"][0]["stances"]["blockade"]["position"] == "lifted"
    assert answer["yaml"].startswith("# Draft scenario written by `truce draft`")
    assert {"path": "actors[0].reservation", "text": answer["scenario"]["actors"][0]["reservation"]["placeholder"]} in answer["placeholders"]
    assert {(s["actor"], s["issue"], s["kind"]) for s in answer["reading"]["stances"]} >= {("hamas", "blockade", "demand"), ("israel", "blockade", "refusal")}


def test_the_unfilled_draft_sent_to_parse_lists_its_placeholders(client):
    draft = client.post("/api/draft", json={"text": TEXT}).json()
    parsed = client.post("/api/parse", content=draft["yaml"].encode("utf-8"), headers={"Content-Type": "application/yaml"})
    assert parsed.status_code == 422
    paths = {problem["path"] for problem in parsed.json()["detail"]}
    assert "actors[0].reservation" in paths and all("placeholder to fill in" in p["message"] for p in parsed.json()["detail"])


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ({"text": "   1234  "}, "text", "has no words"),
        ({"text": "abc\u0000def"}, "text", "NUL"),
        ({"text": ""}, "text", "at least 1 character"),
        ({"text": "x" * (MAX_TEXT_CHARACTERS + 1)}, "text", f"at most {MAX_TEXT_CHARACTERS}"),
        ({"text": TEXT, "other": 1}, "other", ""),
        ({}, "text", ""),
    ],
)
def test_bad_texts_are_refused_with_the_path(client, body, path, words):
    response = client.post("/api/draft", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert any(problem["path"] == path and words.replace(",", "") in problem["message"].replace(",", "") for problem in detail), detail


def test_a_text_is_plain_json_not_text_plain(client):
    response = client.post("/api/draft", content=TEXT.encode("utf-8"), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_a_draft_over_the_time_budget_is_stopped():
    # a budget far under what starting a child and loading spaCy take, so the deadline is always reached
    with TestClient(create_app(limits=Limits(max_draft_seconds=0.001))) as slow:
        response = slow.post("/api/draft", json={"text": TEXT})
    assert response.status_code == 422
    assert "drafting took longer than 0.001 s" in response.json()["detail"][0]["message"]


def test_at_most_max_drafts_at_once():
    with TestClient(create_app(limits=Limits(max_drafts=0))) as none:
        response = none.post("/api/draft", json={"text": TEXT})
    assert response.status_code == 429


def test_a_worker_keeps_answering_and_one_killed_over_budget_is_started_again():
    import anyio

    from truce.web.draft_route import Drafter

    drafter = Drafter(Limits(max_draft_seconds=0.001))
    status, content = anyio.run(drafter.draft, TEXT, "t")
    assert status == 422 and "took longer" in content[0][1]
    drafter._limits = Limits()
    first = anyio.run(drafter.draft, TEXT, "t")
    worker = drafter._idle.get_nowait()
    pid = worker.process.pid
    drafter._idle.put(worker)
    second = anyio.run(drafter.draft, TEXT, "t")
    assert first[0] == second[0] == 200 and first[1]["scenario"] == second[1]["scenario"]
    assert drafter._idle.get_nowait().process.pid == pid  # the same worker answered both
