"""The labelled set (tests/data/draft): every text has a gold file, and the drafter stays above a floor.

The floors sit a few points under the figures measured when they were set
(benchmarks/README.md, `.venv/bin/python benchmarks/draft.py`): a change to
the rules or the lexicon that loses several actors, roles, issues or
demands on the 23 texts fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from truce.newsdraft.evaluate import labelled_texts, score
from truce.newsdraft.lexicon import lexicon

FOLDER = Path(__file__).resolve().parents[1] / "data" / "draft"
FLOORS = {  # part: (precision, recall); measured 2026-12-03: see benchmarks/README.md
    "actors": (0.93, 0.95),
    "roles": (0.88, 0.90),
    "issues": (0.85, 0.92),
    "demands": (0.82, 0.70),
}


@pytest.fixture(scope="module")
def result():
    return score(labelled_texts(FOLDER))


def test_at_least_twenty_labelled_texts_each_with_valid_labels():
    pairs = labelled_texts(FOLDER)
    assert len(pairs) >= 20
    assert len(list(FOLDER.glob("*.txt"))) == len(pairs)  # no text without its labels
    issues = {entry.id for entry in lexicon().issues}
    for name, _, gold_file in pairs:
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        actors = {actor["id"] for actor in gold["actors"]}
        assert all(actor["role"] in ("party", "mediator", "stakeholder") for actor in gold["actors"]), name
        assert set(gold["issues"]) <= issues, name
        for demand in gold.get("demands") or []:
            assert demand["actor"] in actors and demand["issue"] in gold["issues"], (name, demand)
            assert demand["kind"] in ("demand", "refusal"), (name, demand)


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_precision_and_recall_stay_above_the_floor(result, part):
    counts = result.counts[part]
    precision, recall = FLOORS[part]
    assert counts.precision >= precision and counts.recall >= recall, (part, counts, [m for m in result.misses if f" {part} " in m])


def test_the_scoring_counts_by_hand():
    from truce.newsdraft.evaluate import Counts

    counts = Counts()
    counts.add({"a", "b", "c"}, {"b", "c", "d", "e"})
    assert (counts.precision, counts.recall) == (2 / 3, 2 / 4)


def test_every_labelled_text_drafts_a_scenario_that_validates_once_filled():
    from drafting_helpers import fill
    from truce.newsdraft import read_text
    from truce.scenario import validate
    from truce.scenario.placeholders import find_placeholders

    for name, text_file, _ in labelled_texts(FOLDER):
        data = read_text(text_file.read_text(encoding="utf-8")).scenario(text_file.name)
        assert list(find_placeholders(data)), name  # every draft leaves the reservation values to a person
        scenario = validate(fill(data), source=name)
        assert len(scenario.parties) >= 2, name
