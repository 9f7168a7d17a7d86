"""The placeholder convention: found with their paths, refused by the loader before any type check."""

from __future__ import annotations

import pytest

from truce.scenario import ScenarioError, validate
from truce.scenario.placeholders import find_placeholders, placeholder

VALID = {
    "name": "Two parties",
    "actors": [
        {"id": "a", "name": "A", "reservation": 0.2, "stances": {"x": {"position": "low", "salience": 1.0}}},
        {"id": "b", "name": "B", "reservation": 0.2, "stances": {"x": {"position": "high", "salience": 1.0}}},
    ],
    "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "high"]}],
}


def test_paths_in_file_order():
    data = {"actors": [{"reservation": placeholder("r"), "stances": {"x": {"salience": placeholder("s")}}}], "issues": [placeholder("i")]}
    assert list(find_placeholders(data)) == [("actors[0].reservation", "r"), ("actors[0].stances.x.salience", "s"), ("issues[0]", "i")]


def test_a_mapping_with_other_keys_is_not_a_placeholder():
    assert list(find_placeholders({"a": {"placeholder": "x", "other": 1}, "b": {"placeholder": 3}})) == []


def test_the_loader_names_each_remaining_placeholder_instead_of_a_type_error():
    data = {**VALID, "actors": [dict(VALID["actors"][0], reservation=placeholder("a number in [0, 1)")), VALID["actors"][1]]}
    with pytest.raises(ScenarioError) as raised:
        validate(data, source="draft.yaml")
    assert raised.value.problems == (("actors[0].reservation", "placeholder to fill in: found a placeholder; expected a number in [0, 1)"),)
    assert str(raised.value) == "draft.yaml: 1 problem(s) in the scenario\n  actors[0].reservation: placeholder to fill in: found a placeholder; expected a number in [0, 1)"


def test_filled_in_the_same_data_is_valid():
    assert validate(VALID).actors[0].reservation == 0.2
