"""The red_line field of a stance: what it rules out, and the errors that name its path."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from truce.scenario import ScenarioError, validate

BASE = yaml.safe_load(
    """
truce: 1
name: test
actors:
  - id: a
    name: A
    stances:
      blockade: {position: maintained, salience: 0.7, red_line: {at_most: eased}}
      trucks: {position: 150, salience: 0.4, red_line: {at_most: 425}}
      venue: {position: cairo, salience: 0.1, red_line: {never: [geneva]}}
  - id: b
    name: B
    stances:
      blockade: {position: lifted, salience: 0.9, red_line: {at_least: eased, never: [deferred]}}
      trucks: {position: 600, salience: 0.5, red_line: {at_least: 200, never: [700]}}
      venue: {position: doha, salience: 0.1}
  - id: m
    name: M
    role: mediator
issues:
  - {id: blockade, name: Blockade, kind: ordered, options: [maintained, eased, lifted], deferrable: true}
  - {id: trucks, name: Aid, kind: numeric, unit: trucks per day, range: [0, 800], step: 100}
  - {id: venue, name: Venue, kind: categorical, options: [cairo, doha, geneva]}
"""
)


def test_each_form_rules_out_what_it_says():
    """Blockade (maintained, eased, lifted, deferred): A at most eased rules out lifted; B at least
    eased rules out maintained, and never deferred. Aid on 0, 100, ..., 800: A at most 425 rules
    out 500 to 800; B at least 200 rules out 0 and 100, and never 700 rules out 700. Venue: A never geneva."""
    problem = validate(BASE).compile()
    blockade, trucks, venue = problem.ruled_out
    assert blockade.tolist() == [[0, 1], [0, 0], [1, 0], [0, 1]]
    assert trucks[:, 0].tolist() == [0] * 5 + [1, 2, 3, 4]  # accepting 700 moves A's bound past 500, 600 and 700
    assert trucks[:, 1].tolist() == [2, 1] + [0] * 5 + [1, 0]
    assert venue.tolist() == [[0, 0], [0, 0], [1, 0]]


def changed(edit):
    data = copy.deepcopy(BASE)
    data["actors"][1]["stances"]["trucks"]["red_line"] = {"at_least": 200}
    edit(data)
    return data


def problems_of(data) -> dict[str, str]:
    with pytest.raises(ScenarioError) as caught:
        validate(data, source="case.yaml")
    assert caught.value.source == "case.yaml"
    return dict(caught.value.problems)


def stance(actor, issue):
    return lambda d: d["actors"][actor]["stances"][issue]


@pytest.mark.parametrize(
    "edit, path, words",
    [
        (lambda d: stance(1, "trucks")(d).update(red_line={"never": [750]}), "actors[1].stances.trucks.red_line.never[0]", "expected a grid value from 0 to 800 in steps of 100"),
        (lambda d: stance(1, "trucks")(d).update(red_line={"at_least": "many"}), "actors[1].stances.trucks.red_line.at_least", "found 'many'; expected a number from 0 to 800 trucks per day"),
        (lambda d: stance(1, "trucks")(d).update(red_line={"at_least": 900}), "actors[1].stances.trucks.red_line.at_least", "outside the range"),
        (lambda d: stance(1, "trucks")(d).update(red_line={"at_least": 700}), "actors[1].stances.trucks.red_line", "rules out the party's own position (600 trucks per day)"),
        (lambda d: stance(1, "trucks")(d).update(red_line={}), "actors[1].stances.trucks.red_line", "expected never: [options], at_least or at_most"),
        (lambda d: stance(1, "trucks")(d).update(red_line={"at_least": 500, "at_most": 300}), "actors[1].stances.trucks.red_line", "rules out every option"),
        (lambda d: stance(0, "blockade")(d).update(red_line={"at_most": "open"}), "actors[0].stances.blockade.red_line.at_most", "expected one of the options of ordered issue 'blockade': 'maintained', 'eased', 'lifted'"),
        (lambda d: stance(0, "blockade")(d).update(red_line={"at_most": 2}), "actors[0].stances.blockade.red_line.at_most", "found 2; expected one of the options"),
        (lambda d: stance(0, "blockade")(d).update(red_line={"never": ["maintained"]}), "actors[0].stances.blockade.red_line", "own position (maintained)"),
        (lambda d: stance(0, "venue")(d).update(red_line={"at_least": "doha"}), "actors[0].stances.venue.red_line.at_least", "categorical issue 'venue' has no order; expected never"),
        (lambda d: stance(0, "venue")(d).update(red_line={"never": ["deferred"]}), "actors[0].stances.venue.red_line.never[0]", "is not deferrable"),
        (lambda d: stance(0, "venue")(d).update(red_line={"never": ["oslo"]}), "actors[0].stances.venue.red_line.never[0]", "found 'oslo'; expected one of 'cairo', 'doha', 'geneva'"),
        (lambda d: stance(0, "venue")(d).update(red_line={"never": ["doha"], "veto": True}), "actors[0].stances.venue.red_line.veto", "unknown field"),
        (lambda d: d["actors"][2].update(stances={"venue": {"position": "doha", "salience": 1, "red_line": {"never": ["cairo"]}}}), "actors[2].stances.venue.red_line", "expected red lines only on parties' stances"),
    ],
)
def test_each_problem_is_named_with_its_path(edit, path, words):
    found = problems_of(changed(edit))
    assert path in found, found
    assert words in found[path], found[path]


def test_a_bound_between_grid_points_keeps_the_grid_points_inside_it():
    data = changed(lambda d: stance(1, "trucks")(d).update(red_line={"at_least": 250, "at_most": 650}))
    out = validate(data).compile().ruled_out[1][:, 1]
    assert out.tolist() == [3, 2, 1, 0, 0, 0, 0, 1, 2]  # 300 to 600 accepted


def test_a_later_phases_issue_cannot_refuse_to_be_left_open():
    """gaza-ceasefire settles withdrawal in a later phase, so phase 1 leaves it open: a red line that
    never accepts it deferred would leave no phased agreement at all."""
    from importlib import resources

    data = yaml.safe_load((resources.files("truce.scenario.builtin") / "gaza-ceasefire.yaml").read_text(encoding="utf-8"))
    a = next(i for i, actor in enumerate(data["actors"]) if actor["id"] == "hamas")
    data["actors"][a]["stances"]["withdrawal"]["red_line"] = {"never": ["deferred"]}
    found = problems_of(data)
    path = f"actors[{a}].stances.withdrawal.red_line.never[0]"
    assert path in found and "settled in phase" in found[path] and "expected no 'deferred'" in found[path], found
