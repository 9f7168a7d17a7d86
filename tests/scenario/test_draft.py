"""Draft agreements: a mapping issue -> option read as a package of the flagship."""

from __future__ import annotations

import pytest

import truce
from truce.scenario.draft import DraftError, draft_package, load_draft

FLAGSHIP = {
    "ceasefire": "truce of weeks",
    "crossings": "eased for aid and relief",
    "security": "verbal commitment",
    "exchange": "26-50 per captive",
    "aid": 400,
    "withdrawal": "deferred",
    "reconstruction": "funds pledged",
}


@pytest.fixture(scope="module")
def flagship():
    return truce.load("gaza-ceasefire").compile()


def test_ids_names_numbers_units_and_deferred(flagship):
    package = draft_package(FLAGSHIP, flagship)
    assert [flagship.option_labels[j][o] for j, o in enumerate(package)] == [
        "truce of weeks", "eased for aid and relief", "verbal commitment", "26-50 per captive", "400 trucks/day", "deferred", "funds pledged",
    ]
    by_name = {flagship.issue_names[j]: value for j, value in enumerate(FLAGSHIP.values())}
    by_name["Humanitarian aid (trucks per day)"] = " 400 Trucks/Day "
    assert draft_package(by_name, flagship).tolist() == package.tolist()


def test_every_problem_is_listed_with_its_issue_and_expectation(flagship):
    draft = dict(FLAGSHIP, aid=420, exchange="deferred", fences="high")
    del draft["security"]
    with pytest.raises(DraftError) as caught:
        draft_package(draft, flagship, source="draft.yaml")
    message = str(caught.value)
    assert message.startswith("draft.yaml: 4 problem(s) in the draft")
    assert "aid: found 420, not a grid value; expected a value from 0 to 800 in steps of 50" in message and "(nearest: 400)" in message
    assert "exchange: found 'deferred'; expected one of" in message
    assert "fences: not an issue" in message
    assert "security: missing" in message


def test_files_yaml_json_and_unreadable(tmp_path, flagship):
    path = tmp_path / "draft.json"
    path.write_text('{"ceasefire": "truce of weeks"}', encoding="utf-8")
    with pytest.raises(DraftError, match="crossings: missing"):
        load_draft(path, flagship)
    with pytest.raises(DraftError, match="no such file"):
        load_draft(tmp_path / "none.yaml", flagship)
    bad = tmp_path / "bad.yaml"
    bad.write_text("ceasefire: [unclosed\n", encoding="utf-8")
    with pytest.raises(DraftError, match="invalid YAML"):
        load_draft(bad, flagship)
