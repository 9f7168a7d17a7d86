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


def test_divide_a_two_party_scenario_on_its_stakes():
    # two-issue-trade: North's stakes 0.8 / 0.2, South's 0.2 / 0.8: each wins the issue it cares about, 80 points each
    result = truce("divide", "two-issue-trade")
    assert result.returncode == 0, result.stderr
    assert "North 80.00, South 80.00" in result.stdout
    assert "crossings: open; patrols: full" in result.stdout
    assert "It gives North 0.800 (no deal 0.300), South 0.800 (no deal 0.300)." in result.stdout
    data = json.loads(truce("divide", "two-issue-trade", "--json").stdout)
    assert data["package"] == {"crossings": "open", "patrols": "full"} and data["split_issue"] is None
    three = truce("divide", "three-party-truce")
    assert three.returncode == 2 and "expected exactly 2" in three.stderr and "Traceback" not in three.stderr


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


def test_improve_lists_the_trade_of_the_two_issue_example(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text("crossings: partly open\nBorder patrols: limited\n", encoding="utf-8")
    result = truce("improve", "two-issue-trade", "--text", str(draft))
    assert result.returncode == 0, result.stderr
    assert "crossings: partly open -> open" in result.stdout and "patrols: limited -> full" in result.stdout
    data = json.loads(truce("improve", "two-issue-trade", "--text", str(draft), "--json").stdout)
    assert data["small_changes_found"] == 1 and data["efficient_improvements_found"] == 1
    assert data["small_changes"][0]["gains"] == pytest.approx({"north": 0.3, "south": 0.3})
    assert data["small_changes"][0]["score_gain"] == pytest.approx(0.25 - 0.04)


def test_improve_says_when_the_draft_is_efficient(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text("crossings: open\npatrols: full\n", encoding="utf-8")
    result = truce("improve", "two-issue-trade", "--text", str(draft))
    assert result.returncode == 0 and "The draft is efficient" in result.stdout


@pytest.mark.parametrize(
    "content, options, words",
    [
        ("crossings: wide open\npatrols: full\n", [], ["crossings", "found 'wide open'", "one of 'closed', 'partly open', 'open'"]),
        ("crossings: open\n", [], ["patrols", "missing"]),
        ("crossings: open\npatrols: full\nfences: high\n", [], ["fences", "not an issue"]),
        ("- open\n", [], ["expected a mapping"]),
        ("crossings: open\npatrols: full\n", ["--by", "best"], ["--by", "expected one of nash"]),
        ("crossings: open\npatrols: full\n", ["--changes", "9"], ["--changes", "1 to 4"]),
    ],
)
def test_improve_bad_drafts_and_options_exit_2(tmp_path, content, options, words):
    draft = tmp_path / "draft.yaml"
    draft.write_text(content, encoding="utf-8")
    result = truce("improve", "two-issue-trade", "--text", str(draft), *options)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_explain_blocked_and_open_scenarios(tmp_path):
    from importlib import resources

    text = (resources.files("truce.scenario.builtin") / "two-issue-trade.yaml").read_text(encoding="utf-8")
    blocked = tmp_path / "blocked.yaml"
    blocked.write_text(text.replace("reservation: 0.3", "reservation: 0.85"), encoding="utf-8")
    result = truce("explain", str(blocked))
    assert result.returncode == 0, result.stderr
    assert "Zone of possible agreement: none" in result.stdout and "smallest total drop is 0.100" in result.stdout
    data = json.loads(truce("explain", str(blocked), "--json", "--runs", "200").stdout)
    assert data["zopa"] is False and data["blocked_by"]["equal"]["drop"] == pytest.approx(0.05)
    assert {e["ending"] for e in data["simulation"]["endings"]} == {"walked_away", "broke_down", "deadline"}
    opened = json.loads(truce("explain", "two-issue-trade", "--json").stdout)
    assert opened["zopa"] is True
    # from the compromise (partly open, limited), opening the crossings with full patrols is the one trade
    assert opened["joint_gains"]["compromise"] == {"crossings": "partly open", "patrols": "limited"}
    assert [[c["to"] for c in t["changes"]] for t in opened["joint_gains"]["trades"]] == [["open", "full"]]


def test_explain_refuses_bad_options():
    for options, words in ((["--runs", "-1"], "--runs"), (["--forecast", "crystal"], "--forecast"), (["--trades", "0"], "--trades")):
        result = truce("explain", "two-issue-trade", *options)
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
