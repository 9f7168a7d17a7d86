"""Scenario discovery on synthetic sweeps whose answer is known by construction: a grid of points where
the result is high exactly inside a box (or two), so PRIM and the tree must find that box, and its
coverage and density are counted here from the grid."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.errors import InputError  # noqa: E402
from truce.sweep.discover import Limit, discover  # noqa: E402

STEPS = np.round(np.linspace(0.0, 1.0, 11), 10)


def grid(columns=("a", "b", "c")) -> pd.DataFrame:
    return pd.DataFrame(list(itertools.product(STEPS, repeat=len(columns))), columns=list(columns))


def one_box() -> pd.DataFrame:
    """P(deal) 0.9 where a >= 0.6 and b <= 0.5, 0.1 elsewhere; c does nothing."""
    table = grid()
    table["p_deal"] = np.where((table["a"] >= 0.6) & (table["b"] <= 0.5), 0.9, 0.1)
    return table


def as_dict(box) -> dict:
    return {limit.input: (limit.low, limit.high) for limit in box.limits}


@pytest.mark.parametrize("method", ["prim", "tree"])
def test_the_box_of_a_known_region_is_found_with_its_coverage_and_density(method):
    table = one_box()
    found = discover(table, ["a", "b", "c"], "p_deal", above=0.5, method=method)
    # by construction: a takes 5 values in [0.6, 1], b 6 in [0, 0.5], c all 11: 330 of 1,331 points
    assert found.points == 11**3 and found.of_interest == 5 * 6 * 11
    box = found.boxes[0]
    assert as_dict(box) == {"a": (0.6, None), "b": (None, 0.5)}  # c left free
    assert (box.coverage, box.density, box.points, box.mass) == (1.0, 1.0, 330, 330 / 1331)
    assert box.words() == "a >= 0.6 and b <= 0.5"


def test_prim_finds_two_separate_regions_one_after_the_other():
    table = grid()
    first = (table["a"] >= 0.7) & (table["b"] <= 0.3)  # 4 x 4 x 11 = 176 points
    second = (table["a"] <= 0.2) & (table["c"] >= 0.8)  # 3 x 11 x 3 = 99 points
    table["p_deal"] = np.where(first | second, 0.8, 0.2)
    found = discover(table, ["a", "b", "c"], "p_deal", above=0.5, boxes=3)
    assert [as_dict(box) for box in found.boxes] == [{"a": (0.7, None), "b": (None, 0.3)}, {"a": (None, 0.2), "c": (0.8, None)}]
    assert [box.points for box in found.boxes] == [176, 99]
    assert [box.coverage for box in found.boxes] == pytest.approx([176 / 275, 99 / 275])
    assert [box.density for box in found.boxes] == [1.0, 1.0]
    assert found.trajectory is not None and found.trajectory["chosen"].sum() == 1


def test_a_threshold_below_and_an_input_of_text():
    table = grid(("a", "b"))
    table["protocol"] = np.where(np.arange(len(table)) % 2 == 0, "alternating", "single-text")
    table["rounds_mean"] = np.where((table["protocol"] == "single-text") & (table["a"] <= 0.3), 4.0, 20.0)
    found = discover(table, ["a", "b", "protocol"], "rounds_mean", below=10)
    assert found.rule == "rounds_mean < 10"
    box = found.boxes[0]
    assert set(box.limits) == {Limit("a", None, 0.3), Limit("protocol", values=("single-text",))}
    assert box.density == 1.0 and box.coverage == 1.0
    with pytest.raises(InputError, match="--method tree: found inputs of text"):
        discover(table, ["a", "b", "protocol"], "rounds_mean", below=10, method="tree")


def test_a_range_ends_at_the_box_s_own_points():
    # x = 0..19, the text input alternating a, b: of interest the b points below 8 (x = 1, 3, 5, 7); the box's
    # range on x ends at its last point, 7, not at 8, which is in no box (an a point)
    table = pd.DataFrame({"x": np.arange(20.0), "protocol": ["a", "b"] * 10})
    table["p_deal"] = np.where((table["x"] < 8) & (table["protocol"] == "b"), 0.9, 0.1)
    box = discover(table, ["protocol", "x"], "p_deal", above=0.5).boxes[0]
    assert box.words() == "protocol in {b} and x <= 7" and (box.points, box.density, box.coverage) == (4, 1.0, 1.0)


def test_nothing_to_tell_apart_gives_no_box():
    table = one_box()
    assert discover(table, ["a", "b"], "p_deal", above=0.95).boxes == []
    assert discover(table, ["a", "b"], "p_deal", above=0.0).boxes == []


def sweep_folder(root: Path) -> Path:
    """A finished sweep's folder as `truce sweep` leaves it (manifest and points), with the one-box answer."""
    root.mkdir()
    parameters = [{"path": "actors[x].reservation", "name": "a"}, {"path": "actors[y].reservation", "name": "b"}, {"path": "talks.breakdown_risk", "name": "c"}]
    (root / "sweep.json").write_text(json.dumps({"fingerprint": "synthetic", "sweep": {"parameters": parameters}}), encoding="utf-8")
    table = one_box()
    table.insert(0, "point", range(len(table)))
    table.to_parquet(root / "points.parquet", index=False)
    return root


def test_the_command_prints_the_boxes_and_writes_the_plot(tmp_path):
    folder = sweep_folder(tmp_path / "synthetic-sweep")
    code, out, err = run_cli(["discover", str(folder), "--target", "p_deal", "--above", "0.5", "--json"])
    assert code == 0, err
    found = json.loads(out)
    assert found["of_interest"] == 330 and found["inputs"] == ["a", "b", "c"]
    assert found["boxes"][0]["rule"] == "a >= 0.6 and b <= 0.5" and found["boxes"][0]["density"] == 1.0
    plot = tmp_path / "boxes.html"
    code, out, err = run_cli(["discover", str(folder), "--above", "0.5", "--method", "tree", "--plot", str(plot)])
    assert code == 0, err
    assert "a >= 0.6 and b <= 0.5" in out and "100.0%" in out and plot.read_text(encoding="utf-8").count("plotly") > 0
    table = pd.read_parquet(folder / "points.parquet")
    table.to_csv(tmp_path / "points.csv", index=False)
    code, out, err = run_cli(["discover", str(tmp_path / "points.csv"), "--inputs", "a,b", "--above", "0.5", "--json"])
    assert code == 0 and json.loads(out)["boxes"][0]["rule"] == "a >= 0.6 and b <= 0.5"


@pytest.mark.parametrize("arguments, message", [
    (["--target", "p_dael", "--above", "0.5"], "error: --target: found 'p_dael', which is not a column of the points; expected one of: point, a, b, c, p_deal"),
    (["--above", "0.5", "--below", "0.2"], "error: --above/--below: found both; expected exactly one threshold"),
    (["--above", "0.5", "--inputs", "a,z"], "error: --inputs: found 'z', not columns of the points"),
    (["--above", "0.5", "--density", "0"], "error: --density: found 0; expected a share in (0, 1]"),
    (["--above", "0.5", "--method", "forest"], "error: --method: found 'forest'; expected one of prim, tree"),
])
def test_bad_options_are_named(tmp_path, arguments, message):
    folder = sweep_folder(tmp_path / "s")
    code, _, err = run_cli(["discover", str(folder), *arguments])
    assert code == 2 and err.startswith(message), err


def test_a_folder_without_a_finished_sweep_is_named(tmp_path):
    code, _, err = run_cli(["discover", str(tmp_path), "--above", "0.5"])
    assert code == 2 and "no finished sweep there" in err
    code, _, err = run_cli(["discover", str(tmp_path / "points.csv"), "--above", "0.5"])
    assert code == 2 and "no such folder or file" in err
