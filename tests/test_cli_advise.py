"""The mediator's advice commands on the command line: `truce divide` (and later `improve`, `explain`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def truce(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""})


BOB_AND_CAROL = "item,Carol,Bob\nRetirement account,50,40\nHome,20,30\nSummer cottage,15,10\nInvestments,10,10\nOther,5,10\n"


def test_divide_prints_the_split_and_the_three_properties(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(BOB_AND_CAROL, encoding="utf-8")
    result = truce("divide", str(path))
    assert result.returncode == 0, result.stderr
    assert "Split issue: Retirement account" in result.stdout
    assert "Carol 56.67, Bob 56.67" in result.stdout
    assert "Envy-free: yes" in result.stdout and "Efficient: yes" in result.stdout
    data = json.loads(truce("divide", str(path), "--json").stdout)
    assert data["split_issue"] == "Retirement account"
    assert data["points_received"] == pytest.approx({"Carol": 170 / 3, "Bob": 170 / 3})
    assert data["equitable"] and data["envy_free"] and data["efficient"]


@pytest.mark.parametrize(
    "content, words",
    [
        (None, ["no such file"]),
        ("issue,A,B\nLand,50,50\nWater,40,50\n", ["column 2 (A)", "add up to 90", "expected"]),
        ("issue,A,B\nLand,50,lots\nWater,50,50\n", ["row 2, column 3 (B)", "expected a number of points"]),
    ],
)
def test_divide_bad_input_exits_2_without_traceback(tmp_path, content, words):
    path = tmp_path / "points.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = truce("divide", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
