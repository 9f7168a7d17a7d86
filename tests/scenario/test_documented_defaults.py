"""Defaults the scenario reference states are the ones the schema and the compiler use (issue 17:
`dissatisfaction.hazard_ratio_at_no_gain` defaulted to 2.0 in the schema, 1.0 in the docs and the model)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from truce.scenario import Scenario, validate

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "scenario.md"

SCENARIO = {
    "name": "defaults",
    "actors": [
        {"id": "a", "name": "A", "stances": {"x": {"position": "low", "salience": 1}}},
        {"id": "b", "name": "B", "stances": {"x": {"position": "high", "salience": 1}}},
    ],
    "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "high"]}],
}


def documented_default(field: str) -> float:
    row = next(line for line in REFERENCE.read_text().splitlines() if line.startswith(f"| `{field}` |"))
    return float(re.search(r"`([0-9.]+)`", row.split("|")[3]).group(1))


def test_hazard_ratio_at_no_gain_defaults_as_documented():
    documented = documented_default("hazard_ratio_at_no_gain")
    assert documented == 1.0
    schema = Scenario.json_schema()["$defs"]["Dissatisfaction"]["properties"]["hazard_ratio_at_no_gain"]
    assert schema["default"] == documented
    # a dissatisfaction block that sets only the reference gain keeps the documented ratio
    with_block = validate({**SCENARIO, "kind": "ceasefire", "durability": {"dissatisfaction": {"reference_gain": 0.3}}}).compile()
    without = validate({**SCENARIO, "kind": "ceasefire"}).compile()
    assert float(with_block.durability["no_gain_ratio"]) == float(without.durability["no_gain_ratio"]) == documented
    assert np.isclose(with_block.durability["reference_gain"], 0.3)
