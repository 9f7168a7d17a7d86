"""Small sweep files for the sweep tests (each plays in well under a second in this process)."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_sweep(folder: Path, name: str = "sweep.yaml", **fields) -> Path:
    data = {
        "scenario": "two-issue-trade",
        "parameters": [
            {"path": "actors[north].reservation", "values": [0.2, 0.99]},
            {"path": "actors[south].cost_of_delay", "range": [0.01, 0.05], "steps": 3},
        ],
        "runs": 60,
        "runs_per_task": 25,
        "seed": 7,
    }
    data.update(fields)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def uncertain_scenario(folder: Path) -> Path:
    """two-issue-trade with uncertain no-deal values and a breakdown risk: every run draws its own inputs."""
    from importlib import resources

    data = yaml.safe_load((resources.files("truce.scenario.builtin") / "two-issue-trade.yaml").read_text(encoding="utf-8"))
    data["actors"][0]["reservation"] = {"triangular": [0.2, 0.35, 0.5]}
    data["actors"][1]["reservation"] = {"uniform": [0.2, 0.5]}
    data["talks"] = {"breakdown_risk": 0.05}
    path = folder / "uncertain-trade.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
