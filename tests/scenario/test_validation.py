"""Validation messages name the file, the path inside it, what was found and what was expected."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

import truce
from truce.scenario import ScenarioError, load, load_file, parse, validate
from truce.scenario.loading import MAX_FILE_BYTES

BASE = yaml.safe_load(
    """
truce: 1
name: test
actors:
  - id: a
    name: A
    reservation: 0.2
    stances:
      blockade: {position: maintained, salience: 0.7}
      trucks: {position: 150, salience: 0.4}
  - id: b
    name: B
    reservation: {triangular: [0.1, 0.2, 0.4]}
    stances:
      blockade: {position: lifted, salience: 0.9}
      trucks: {position: 600, salience: {uniform: [0.2, 0.6]}}
  - id: m
    name: M
    role: mediator
issues:
  - {id: blockade, name: Blockade, kind: ordered, options: [maintained, eased, lifted]}
  - {id: trucks, name: Aid, kind: numeric, unit: trucks per day, range: [0, 800], step: 50}
"""
)


def problems_of(data) -> dict[str, str]:
    with pytest.raises(ScenarioError) as caught:
        validate(data, source="case.yaml")
    assert caught.value.source == "case.yaml"
    return dict(caught.value.problems)


def changed(edit):
    data = copy.deepcopy(BASE)
    edit(data)
    return data


def test_base_is_valid():
    scenario = validate(BASE)
    assert [a.id for a in scenario.parties] == ["a", "b"]


@pytest.mark.parametrize(
    "edit, path, words",
    [
        (lambda d: d["actors"][0]["stances"].update(walls={"position": "x", "salience": 1}), "actors[0].stances.walls", "unknown issue 'walls'"),
        (lambda d: d["actors"][1]["stances"]["blockade"].update(position="open"), "actors[1].stances.blockade.position", "expected one of maintained, eased, lifted"),
        (lambda d: d["actors"][0]["stances"]["trucks"].update(position=900), "actors[0].stances.trucks.position", "within [0, 800]"),
        (lambda d: d["actors"][0]["stances"]["blockade"].update(salience=-0.1), "actors[0].stances.blockade.salience", "found -0.1"),
        (lambda d: [s.update(salience=0) for s in d["actors"][0]["stances"].values()], "actors[0].stances", "all saliences are zero"),
        (lambda d: d["actors"][1].update(id="a"), "actors[1].id", "duplicate id 'a'"),
        (lambda d: d["issues"][1].update(id="blockade"), "issues[1].id", "duplicate id 'blockade'"),
        (lambda d: d["actors"][0].update(capability="strong"), "actors[0].capability", "found 'strong'; expected a number or a distribution"),
        (lambda d: d["actors"][0].update(reservation=True), "actors[0].reservation", "expected a number"),
        (lambda d: d["actors"][0].update(reservation={"triangular": [0.5, 0.8, 1.2]}), "actors[0].reservation", "ranges over [0.5, 1.2]"),
        (lambda d: d["actors"][0].update(reservation={"normal": [1.5, 0.1]}), "actors[0].reservation", "normal mean 1.5"),
        (lambda d: d["actors"][0].update(reservation={"gamma": [1, 2]}), "actors[0].reservation.gamma", "unknown field"),
        (lambda d: d["actors"][0].update(reservation={"triangular": [0.3, 0.2, 0.4]}), "actors[0].reservation", "low <= mode <= high"),
        (lambda d: d["actors"][0].update(capability=0), "actors[0].capability", "expected a value > 0"),
        (lambda d: d["actors"][0].update(role="observer"), "actors[0].role", "'party', 'mediator' or 'stakeholder'"),
        (lambda d: d["actors"][0].update(id="Bad Id"), "actors[0].id", "expected an id of 1 to 64 lower-case letters"),
        (lambda d: d["actors"][0].pop("name"), "actors[0].name", "missing"),
        (lambda d: d["actors"][0].update(salary=3), "actors[0].salary", "unknown field"),
        (lambda d: d["issues"][0].update(kind="spatial"), "issues[0].kind", "found 'spatial'; expected kind to be one of"),
        (lambda d: d["issues"][1].update(range=[800, 0]), "issues[1]", "expected [low, high] with low < high"),
        (lambda d: d["issues"][1].update(step=0.01), "issues[1].step", "grid points"),
        (lambda d: d["issues"][0].update(options=["maintained", "eased", "eased"]), "issues[0].options[2]", "duplicate option"),
        (lambda d: d["actors"][0]["stances"]["blockade"].update(values={"maintained": 0.5, "eased": 1}), "actors[0].stances.blockade.position", "highest value"),
        (lambda d: d["actors"][0]["stances"]["blockade"].update(values={"opened": 1}), "actors[0].stances.blockade.values.opened", "unknown option 'opened'"),
        (lambda d: d["actors"][0]["stances"]["trucks"].update(values=[[0, 0.1], [900, 1]]), "actors[0].stances.trucks.values[1]", "expected x within [0, 800]"),
        (lambda d: d["actors"][0]["stances"]["trucks"].update(values=[[300, 0.1], [100, 1]]), "actors[0].stances.trucks.values", "strictly increasing"),
        (lambda d: d["actors"][0]["stances"]["blockade"].update(tolerance=1), "actors[0].stances.blockade.tolerance", "expected a tolerance only on numeric issues"),
        (lambda d: d["actors"][0].update(notes={"capabilty": "typo"}), "actors[0].notes.capabilty", "unknown field 'capabilty'"),
        (lambda d: d["actors"][1].update(role="mediator"), "actors", "expected at least two parties"),
        (lambda d: d.update(rounds="many"), "rounds", "found 'many'"),
        (lambda d: d.update(talks={"breakdown_risk": 1.5}), "talks.breakdown_risk", "found 1.5; expected a value within [0, 1]"),
        (lambda d: d.update(talks={"breakdown_growth": -0.01}), "talks.breakdown_growth", "found -0.01; expected a value within [0, 1]"),
        (lambda d: d["actors"][0].update(bargaining_power=0), "actors[0].bargaining_power", "expected more than 0"),
        (lambda d: d.update(truce=2), "truce", "found 2"),
    ],
)
def test_each_problem_is_named_with_its_path(edit, path, words):
    found = problems_of(changed(edit))
    assert path in found, found
    assert words in found[path], found[path]


def test_all_problems_are_reported_at_once():
    def edit(d):
        d["actors"][0]["stances"]["blockade"]["position"] = "open"
        d["actors"][1]["stances"]["trucks"]["position"] = -5

    assert len(problems_of(changed(edit))) == 2


def test_message_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(changed(lambda d: d["actors"][0].update(capability=-1))))
    with pytest.raises(ScenarioError) as caught:
        load(path)
    text = str(caught.value)
    assert str(path) in text and "actors[0].capability" in text and "expected a value > 0" in text


def test_yaml_is_loaded_safely():
    with pytest.raises(ScenarioError, match="invalid YAML"):
        parse("name: !!python/object/apply:os.system ['true']\n", source="evil.yaml")


def test_syntax_errors_name_the_line():
    with pytest.raises(ScenarioError) as caught:
        parse("name: x\nactors: [\n", source="broken.yaml")
    assert caught.value.problems[0][0].startswith("line ")


def test_json_files_are_read(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(BASE))
    assert load_file(path).name == "test"
    path.write_text("{not json")
    with pytest.raises(ScenarioError, match="invalid JSON"):
        load_file(path)


def test_oversized_files_are_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioError, match="expected at most"):
        load(path)


def test_top_level_must_be_a_mapping():
    with pytest.raises(ScenarioError, match="expected a mapping"):
        parse("- 1\n- 2\n")


def test_unknown_name_lists_the_built_ins():
    with pytest.raises(ScenarioError, match="gaza-ceasefire|two-issue-trade"):
        load("no-such-scenario")


def test_public_api():
    assert isinstance(truce.load("two-issue-trade"), truce.Scenario)
    assert "two-issue-trade" in truce.builtin_scenarios()
    assert isinstance(truce.load("two-issue-trade").compile(), truce.Problem)


@pytest.mark.parametrize(
    "edit, path, words",
    [
        (lambda d: d["actors"][0].update(trust=1.5), "actors[0].trust", "within [0, 1]"),
        (lambda d: d["actors"][0].update(discount=0), "actors[0].discount", "(0, 1]"),
        (lambda d: d["actors"][0].update(exposure={"uniform": [-0.1, 0.2]}), "actors[0].exposure", "ranges over"),
        (lambda d: d.update(levers=[{"id": "g", "by": "nobody", "kind": "guarantee", "trust_gain": 0.2}]), "levers[0].by", "unknown actor 'nobody'"),
        (lambda d: d.update(levers=[{"id": "g", "by": "m", "kind": "guarantee", "parties": ["m"], "trust_gain": 0.2}]), "levers[0].parties[0]", "unknown party 'm'"),
        (lambda d: d.update(levers=[{"id": "g", "by": "m", "kind": "guarantee", "trust_gain": 2}]), "levers[0].trust_gain", "within [0, 1]"),
        (lambda d: d.update(levers=[{"id": "g", "by": "m", "kind": "bribe", "trust_gain": 0.1}]), "levers[0].kind", "'phasing' or 'single_text'"),
    ],
)
def test_trust_and_lever_problems(edit, path, words):
    found = problems_of(changed(edit))
    assert path in found, found
    assert words in found[path], found[path]
