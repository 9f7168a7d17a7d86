"""`truce tournament`: the ranking, the files it writes, and its refusals (exit 2, naming the file and field or option)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

SPEC = "name: Small\nstrategies: [hardliner, conceder]\nscenarios: [two-issue-trade]\nrepetitions: 2\nnoise: 0\n"


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    return path


def test_ranking_table_files_and_plot(spec: Path, tmp_path: Path) -> None:
    csv, page, seats = tmp_path / "ranking.csv", tmp_path / "plot.html", tmp_path / "seats.csv"
    code, out, err = run_cli(["tournament", str(spec), "-o", str(csv), "--plot", str(page), "--seats", str(seats)])
    assert code == 0, err
    assert "Small" in out and "Ranked by mean utility" in out
    ranking = pd.read_csv(csv)
    assert list(ranking["strategy"]) == sorted(ranking["strategy"], key=lambda s: -ranking.set_index("strategy").loc[s, "utility"])
    assert (ranking["utility_low"] <= ranking["utility"]).all() and (ranking["utility"] <= ranking["utility_high"]).all()
    assert len(pd.read_csv(seats)) == 4 * 2 * 2  # 4 matches x 2 repetitions x 2 roles
    assert "<html" in page.read_text()[:200] and "plotly" in page.read_text()

    code, _, err = run_cli(["tournament", str(spec), "-o", str(csv)])
    assert code == 2 and "--output" in err and "--force" in err
    code, _, err = run_cli(["tournament", str(spec), "-o", str(tmp_path / "ranking.json"), "--json"])
    assert code == 0, err
    written = json.loads((tmp_path / "ranking.json").read_text())
    assert written["matches"] == 4 and {entry["label"] for entry in written["ranking"]} == {"hardliner", "conceder"}


@pytest.mark.parametrize(
    "text, words",
    [
        ("strategies: [boulware]\nscenarios: [two-issue-trade]\nrounds: 0\n", ("spec.yaml", "rounds", "found 0; expected at least 1")),
        ("strategies: boulware\nscenarios: [two-issue-trade]\n", ("spec.yaml", "strategies", "expected a list")),
        ("- boulware\n", ("spec.yaml", "expected a mapping with strategies and scenarios")),
        ("strategies: [boulware]\nscenarios: [two-issue-trade]\nrepetitions: 100000\nrounds: 100000\n", ("spec.yaml", "rounds")),
    ],
)
def test_a_bad_spec_exits_2_naming_file_and_field(tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    code, _, err = run_cli(["tournament", str(path)])
    assert code == 2 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def test_a_bad_output_or_a_spec_over_the_budget_is_refused_before_any_match(spec: Path, tmp_path: Path, monkeypatch) -> None:
    code, _, err = run_cli(["tournament", str(spec), "-o", str(tmp_path / "ranking.txt")])
    assert code == 2 and "expected a file ending in .csv or .json" in err
    spec.write_text(SPEC.replace("repetitions: 2", "repetitions: 3"))  # past the 8 runs a command plays without a probe
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "0.000001")
    code, _, err = run_cli(["tournament", str(spec), "-o", str(tmp_path / "ranking.csv")])
    assert code == 2 and "estimated time" in err and "repetitions" in err and "matches" in err, err
    assert not (tmp_path / "ranking.csv").exists()
    code, _, err = run_cli(["tournament", str(tmp_path / "absent.yaml")])
    assert code == 2 and "absent.yaml: no such file" in err


def test_a_scenario_imported_from_genius_plays_like_any_scenario_file(tmp_path: Path) -> None:
    """`truce import` writes a scenario file; a spec names it as it names any other (the holiday fixture of tests/interchange)."""
    holiday = Path(__file__).parents[1] / "interchange" / "data" / "holiday"
    code, _, err = run_cli(["import", str(holiday), "-o", str(tmp_path / "holiday.yaml")])
    assert code == 0, err
    (tmp_path / "spec.yaml").write_text("strategies: [hardliner, conceder]\nscenarios: [holiday.yaml, two-issue-trade]\nrepetitions: 2\nnoise: 0\n")
    code, out, err = run_cli(["tournament", str(tmp_path / "spec.yaml"), "--json", "--seats", str(tmp_path / "seats.csv")])
    assert code == 0, err
    result = json.loads(out)
    assert result["scenarios"] == ["holiday.yaml", "two-issue-trade"] and result["matches"] == 8
    # the fixture's two profiles have different best packages (ann's and bob's weights and evaluations),
    # each worth 1 to its owner only: two hard-liners never agree, and without a deal each gets its reservation value
    seats = pd.read_csv(tmp_path / "seats.csv")
    stubborn = seats.groupby("match").filter(lambda match: (match["strategy"] == "hardliner").all())
    holiday_only = stubborn[stubborn["scenario"] == "holiday.yaml"]
    assert len(holiday_only) == 4 and not holiday_only["agreed"].any()
    assert sorted(holiday_only.groupby("role")["utility"].first()) == pytest.approx([0.1, 0.2])
