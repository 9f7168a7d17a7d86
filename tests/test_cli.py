"""The command line: output, exit codes, and no tracebacks on user errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from truce.scenario import Scenario

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "src" / "truce" / "scenario" / "truce-scenario.schema.json"


def truce(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "truce", *args], capture_output=True, text=True, cwd=cwd, env={"COLUMNS": "160", "PATH": ""}
    )


def test_scenarios_lists_the_built_ins():
    listed = json.loads(truce("scenarios", "--json").stdout)
    assert {"gaza-ceasefire", "two-issue-trade", "three-party-truce"} <= set(listed)


def test_analyze_json_gives_the_hand_worked_nash_point():
    result = truce("analyze", "two-issue-trade", "--json")
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    nash = next(s for s in analysis["solutions"] if s["name"].startswith("Nash"))
    assert nash["terms"] == {"Border crossings": "open", "Border patrols": "full"}
    assert analysis["zopa"]["count"] == 4


def test_analyze_tables_name_the_solution_concepts():
    result = truce("analyze", "three-party-truce")
    assert result.returncode == 0, result.stderr
    for words in ("Zone of possible agreement", "Nash", "Kalai-Smorodinsky", "Egalitarian", "Utilitarian", "joint"):
        assert words in result.stdout


def test_show_prints_actors_issues_and_stances():
    result = truce("show", "gaza-ceasefire")
    assert result.returncode == 0, result.stderr
    for words in ("Actors", "Issues", "Stances", "Egypt", "Qatar"):
        assert words in result.stdout


def test_validate_accepts_a_good_file(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(truce("show", "two-issue-trade", "--json").stdout)
    result = truce("validate", str(path))
    assert result.returncode == 0 and "valid" in result.stdout


@pytest.mark.parametrize(
    "content, words",
    [
        ("name: x\nactors: [\n", "invalid YAML"),
        ("name: x\nactors: []\nissues: []\n", "actors"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_bad_files_exit_2_without_traceback(tmp_path, content, words):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = truce("validate", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_scenario_and_bad_options_exit_2():
    for args in (("analyze", "no-such"), ("analyze", "two-issue-trade", "--epsilon", "-1"), ("analyze",), ("nonsense",)):
        result = truce(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_shipped_schema_is_current():
    """The JSON Schema shipped for editors equals the one the models produce (`truce schema -o` to refresh)."""
    assert json.loads(SCHEMA_FILE.read_text()) == Scenario.json_schema()
    assert json.loads(truce("schema").stdout) == Scenario.json_schema()


def test_schema_output_file_is_written_whole(tmp_path):
    target = tmp_path / "schema.json"
    assert truce("schema", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text())["title"] == "truce scenario"
    missing = tmp_path / "no" / "schema.json"
    result = truce("schema", "-o", str(missing))
    assert result.returncode == 2 and not missing.exists()


def test_simulate_json_and_per_run_table(tmp_path):
    table = tmp_path / "runs.csv"
    result = truce("simulate", "two-issue-trade", "--runs", "50", "--seed", "3", "-s", "linear", "--noise", "0", "--json", "--per-run", str(table))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["agreement_rate"] == 1.0 and summary["rounds_to_agreement"]["median"] == 7
    assert summary["most_common_package"]["terms"] == {"Border crossings": "open", "Border patrols": "full"}
    assert len(table.read_text().splitlines()) == 51


def test_simulate_tables_and_bad_options():
    result = truce("simulate", "three-party-truce", "--runs", "100", "--protocol", "single-text")
    assert result.returncode == 0 and "P(deal)" in result.stdout
    for args in (("--protocol", "auction"), ("-s", "stubborn"), ("-s", "north=linear"), ("--runs", "0")):
        bad = truce("simulate", "two-issue-trade", *args)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr, args


def test_strategies_lists_sources():
    listed = json.loads(truce("strategies", "--json").stdout)
    assert {"boulware", "linear", "conceder", "tit-for-tat", "hardliner", "spe"} <= set(listed)
    assert all(entry["source"] for entry in listed.values())


def test_whatif_durability_sensitivity_levers_json():
    whatif = truce("whatif", "gaza-ceasefire", "--runs", "200", "--json")
    assert whatif.returncode == 0, whatif.stderr
    data = json.loads(whatif.stdout)
    assert data["common_random_numbers"] and data["baseline"]["levers_in_force"] == ["egypt_guarantee"]
    assert {v["name"] for v in data["variants"]} >= {"add un_monitoring", "drop egypt_guarantee"}

    assert data["phased"]  # the flagship is a phased agreement: a deal is phase 1 signed

    durability = json.loads(truce("durability", "gaza-ceasefire", "--runs", "300", "--json", "--all-at-once").stdout)
    assert set(durability["holds"]) == {"30", "90", "365"}
    curve = durability["survival_curve"]["share_holding"]
    assert curve[0] == 1.0 and all(a >= b for a, b in zip(curve, curve[1:]))

    oat = json.loads(truce("sensitivity", "gaza-ceasefire", "--runs", "100", "--json").stdout)
    assert oat["inputs"][0]["swing"] >= oat["inputs"][-1]["swing"]

    kinds = json.loads(truce("levers", "--json").stdout)
    assert set(kinds) == {"guarantee", "monitoring", "pressure", "side_payment", "phasing", "single_text"}
    assert len(json.loads(truce("levers", "gaza-ceasefire", "--json").stdout)) >= 5


def test_mediation_commands_refuse_bad_options():
    for args in (("whatif", "two-issue-trade"), ("sensitivity", "gaza-ceasefire", "--method", "morris"), ("whatif", "gaza-ceasefire", "--budget", "-1")):
        result = truce(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, args
