"""Readers get the scenario's names, and changes of a probability in percentage points (issue 17:
the report showed "add un_monitoring" and "hamas.reservation", and "%" for differences)."""

from __future__ import annotations

import subprocess
import sys

from truce.mediation.names import input_words, lever_names, variant_words
from truce.scenario import validate

SCENARIO = {
    "name": "Two levers of one kind",
    "actors": [
        {"id": "a", "name": "Upland", "reservation": {"uniform": [0.2, 0.4]}, "cost_of_delay": 0.03,
         "stances": {"x": {"position": "high", "salience": {"uniform": [0.4, 0.6]}}}},
        {"id": "b", "name": "Lowland", "reservation": 0.3, "cost_of_delay": 0.03, "stances": {"x": {"position": "low", "salience": 1}}},
        {"id": "m", "name": "Mediator M", "role": "mediator"},
    ],
    "issues": [{"id": "x", "name": "Water share", "kind": "ordered", "options": ["low", "mid", "high"]}],
    "levers": [
        {"id": "push_a", "by": "m", "kind": "pressure", "parties": ["a"], "reservation_drop": {"uniform": [0.0, 0.1]}},
        {"id": "push_1", "by": "m", "kind": "pressure", "cost_of_delay": 0.01, "active": False},
        {"id": "push_2", "by": "m", "kind": "pressure", "cost_of_delay": 0.02, "active": False},
        {"id": "pay", "by": "m", "kind": "side_payment", "parties": ["b"], "side_payment": 0.05, "active": False},
    ],
}


def test_levers_are_named_by_kind_actor_and_parties_and_twins_keep_their_ids():
    problem = validate(SCENARIO).compile()
    assert lever_names(problem) == {
        "push_a": "pressure by Mediator M on Upland",
        "push_1": "pressure by Mediator M (push_1)",
        "push_2": "pressure by Mediator M (push_2)",
        "pay": "side payment by Mediator M to Lowland",
    }
    assert variant_words(problem, "add pay", "lever", "m") == "adding side payment by Mediator M to Lowland"
    assert variant_words(problem, "drop push_a", "lever", "m") == "taking away pressure by Mediator M on Upland"
    assert variant_words(problem, "m: push_1 + pay", "combination", "m") == "Mediator M's best affordable combination (pressure and side payment to Lowland)"


def test_uncertain_inputs_in_words():
    problem = validate(SCENARIO).compile()
    words = [input_words(problem, k) for k in range(len(problem.uncertain))]
    assert words[:3] == ["Upland: no-deal value", "Upland: salience of Water share", "pressure by Mediator M on Upland: no-deal value lost"]
    # the durability model's defaults are distributions too
    assert "durability: median days to breakdown of a preliminary ceasefire" in words
    assert not any("[" in word or "durability:" in word and "_" in word for word in words)


def truce(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "", "TRUCE_NO_STORE": "1"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_cli_names_levers_and_inputs_and_says_pp():
    whatif = truce("whatif", "gaza-2014-07", "--runs", "40")
    assert "levers in force: guarantee by Egypt" in whatif and "taking away guarantee by Egypt" in whatif
    assert "egypt_guarantee" not in whatif and " pp (" in whatif and "pts" not in whatif
    tornado = truce("sensitivity", "gaza-2014-07", "--runs", "20")
    assert "Hamas: no-deal value" in tornado and "hamas.reservation" not in tornado
    assert " pp" in tornado and "pts" not in tornado
