"""The report of the flagship scenario (shared/source) drafted: its parties, mediators, issues and demands.

Expected by reading the text (DESIGN.md's table of the report's elements):
parties Hamas and Israel ("ceasefire negotiations between Hamas and Israel");
mediators Egypt ("is reportedly hosting the talks"), Qatar ("another key
mediator") and the United Nations (one of "these entities" that "worked to
broker a lasting truce"); Hamas demands the lifting of the blockade and a
prisoner exchange, Israel the end of rocket fire and tunnels.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting_helpers import fill
from truce.newsdraft import read_text
from truce.scenario import validate
from truce.scenario.placeholders import find_placeholders

SOURCE = Path(__file__).resolve().parents[1] / "data" / "draft" / "00.txt"
"""A copy of shared/source/000_8de2dbe327e0f3c6.txt (the report), also item 00 of the labelled set."""


@pytest.fixture(scope="module")
def reading():
    return read_text(SOURCE.read_text(encoding="utf-8"))


def test_actors_and_roles(reading):
    assert reading.roles == {"hamas": "party", "israel": "party", "egypt": "mediator", "qatar": "mediator", "un": "mediator"}
    assert "hosting the talks" in reading.reasons["egypt"]
    assert "another key mediator" in reading.reasons["qatar"]


def test_issues(reading):
    assert {"blockade", "hostilities", "prisoners", "humanitarian"} <= set(reading.issue_ids)
    assert set(reading.issue_ids) <= {"blockade", "hostilities", "prisoners", "humanitarian", "reconstruction", "political"}


def test_demands_are_attributed_to_who_makes_them_with_their_sentence(reading):
    found = {(a.actor, a.issue, a.kind, a.option) for a in reading.attributions if a.actor in ("hamas", "israel")}
    assert found == {
        ("hamas", "blockade", "demand", "lifted"),
        ("hamas", "prisoners", "demand", "full"),
        ("israel", "hostilities", "demand", "complete"),
    }
    blockade = next(a for a in reading.attributions if a.issue == "blockade")
    assert blockade.sentence.startswith("Among them is the demand by Hamas for the lifting of the blockade")


def test_figures_with_units(reading):
    words = {(figure.value, figure.unit, figure.qualifier) for figure in reading.figures}
    assert (2_000_000, "residents", "over") in words
    assert (2007, "year", "since") in words


def test_the_draft_has_placeholders_and_validates_once_they_are_filled(reading):
    data = reading.scenario("report.txt")
    paths = [path for path, _ in find_placeholders(data)]
    assert "actors[0].reservation" in paths and "actors[1].reservation" in paths
    assert all(not path.startswith("actors[2].reservation") for path in paths)  # mediators have no reservation value
    hamas = data["actors"][0]
    assert hamas["stances"]["blockade"]["position"] == "lifted"
    assert "the demand by Hamas" in hamas["stances"]["blockade"]["note"]
    blockade = next(issue for issue in data["issues"] if issue["id"] == "blockade")
    assert "since 2007" in blockade["note"]
    scenario = validate(fill(data), source="filled draft")
    assert [actor.id for actor in scenario.parties] == ["hamas", "israel"]
    assert scenario.is_ceasefire
