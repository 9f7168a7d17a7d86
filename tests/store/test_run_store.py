"""The run store: a run recorded by the command line comes back whole (its seed, scenario content,
versions, results and per-run table equal to what the engine gives), export and compare, a lost
catalog rebuilt from the records, opting out, and a store that cannot be written (a warning, or an
error when the user named the store)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
sys.path.insert(0, str(Path(__file__).parents[1] / "sweep"))
from fuzz_cli import run_cli  # noqa: E402

from truce.scenario import load  # noqa: E402
from truce.scenario.schema import Scenario  # noqa: E402
from truce.simulate import simulate  # noqa: E402
from truce.store import Catalog  # noqa: E402


def cli_json(args: list[str]):
    code, out, err = run_cli([*args, "--json"])
    assert code == 0, err
    return json.loads(out)


def test_a_simulation_comes_back_whole(store):
    printed = cli_json(["simulate", "two-issue-trade", "--runs", "60", "--seed", "3"])
    listed = cli_json(["runs", "list"])
    assert len(listed) == 1 and listed[0]["command"] == "simulate" and listed[0]["seed"] == 3 and listed[0]["runs"] == 60
    shown = cli_json(["runs", "show", listed[0]["run_id"][:12]])
    expected = load("two-issue-trade")
    assert shown["scenario_hash"] == hashlib.sha256(expected.model_dump_json().encode()).hexdigest()
    assert shown["arguments"] == ["simulate", "two-issue-trade", "--runs", "60", "--seed", "3", "--json"]
    assert shown["versions"]["truce"] and shown["versions"]["numpy"] and shown["seconds"] > 0
    engine = simulate(expected.compile(), runs=60, seed=3)
    assert shown["summary"]["agreement_rate"] == engine.agreement_rate == printed["agreement_rate"]
    assert shown["summary"]["mean_utilities"] == printed["mean_utilities"]
    with Catalog(store) as catalog:
        table = catalog.table(shown["run_id"], "runs")
        assert Scenario.model_validate_json(catalog.scenario(shown["scenario_hash"])) == expected
    assert table["agreed"].tolist() == engine.agreed.tolist() and len(table) == 60
    assert table["u_north"].fillna(-1).tolist() == pd.Series(engine.utilities[:, 0]).fillna(-1).tolist()


def test_export_and_compare(store, tmp_path):
    run_cli(["simulate", "two-issue-trade", "--runs", "40", "--seed", "1"])
    run_cli(["simulate", "two-issue-trade", "--runs", "40", "--seed", "2", "--noise", "0.5"])
    newest, older = [row["run_id"] for row in cli_json(["runs", "list"])]
    code, out, err = run_cli(["runs", "export", older, "-o", str(tmp_path / "exported")])
    assert code == 0, err
    exported = tmp_path / "exported"
    assert sorted(p.name for p in exported.iterdir()) == ["run.json", "runs.csv", "scenario.json"]
    assert len(pd.read_csv(exported / "runs.csv")) == 40
    assert Scenario.model_validate_json((exported / "scenario.json").read_text(encoding="utf-8")) == load("two-issue-trade")
    code, _, err = run_cli(["runs", "export", older, "-o", str(exported)])
    assert code == 2 and "not an empty folder" in err
    compared = cli_json(["runs", "compare", older, newest])
    assert compared["inputs"] == {"seed": [1, 2]}
    assert "noise" in compared["results"] and compared["results"]["noise"] == [0.1, 0.5]
    code, out, _ = run_cli(["runs", "compare", older, "last"])
    assert code == 0 and "seed" in out


def test_other_commands_are_recorded(store, tmp_path):
    from sweep_helpers import write_sweep

    run_cli(["forecast", "two-issue-trade", "--model", "compromise"])
    run_cli(["whatif", "gaza-ceasefire", "--runs", "20"])
    run_cli(["sweep", str(write_sweep(tmp_path)), "--out", str(tmp_path / "sw")])
    listed = cli_json(["runs", "list"])
    assert [row["command"] for row in listed] == ["sweep", "whatif", "forecast"]
    sweep = cli_json(["runs", "show", listed[0]["run_id"]])
    assert sweep["summary"]["points"] == 6 and sweep["summary"]["tasks"] == 18 and sweep["tables"]["points"]["rows"] == 6
    assert sweep["scenario_name"] == load("two-issue-trade").name
    assert cli_json(["runs", "list", "--command", "whatif"])[0]["scenario"] == "gaza-ceasefire"


def test_a_lost_or_damaged_catalog_is_rebuilt_from_the_records(store):
    run_cli(["simulate", "two-issue-trade", "--runs", "10"])
    assert len(cli_json(["runs", "list"])) == 1
    (store / "catalog.duckdb").unlink()
    assert len(cli_json(["runs", "list"])) == 1
    (store / "catalog.duckdb").write_bytes(b"not a database")
    assert len(cli_json(["runs", "list"])) == 1
    assert any(p.name.startswith("catalog.duckdb.unreadable-") for p in store.iterdir())


def test_opting_out_records_nothing(store, monkeypatch):
    run_cli(["--no-store", "simulate", "two-issue-trade", "--runs", "10"])
    monkeypatch.setenv("TRUCE_NO_STORE", "1")
    run_cli(["simulate", "two-issue-trade", "--runs", "10"])
    assert not (store / "runs").exists()
    code, _, err = run_cli(["runs", "list"])
    assert code == 2 and "no runs recorded there" in err


def test_a_store_that_cannot_be_written(tmp_path, monkeypatch):
    monkeypatch.delenv("TRUCE_NO_STORE", raising=False)
    monkeypatch.delenv("TRUCE_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".truce").write_text("a file where the default store would go", encoding="utf-8")
    code, out, err = run_cli(["simulate", "two-issue-trade", "--runs", "10", "--json"])
    assert code == 0 and json.loads(out)["runs"] == 10  # the command's results, complete
    assert err.startswith("warning: the run was not recorded in .truce") and "--no-store" in err
    code, out, err = run_cli(["--store", str(tmp_path / ".truce" / "inside"), "simulate", "two-issue-trade", "--runs", "10"])
    assert code == 2 and err.startswith(f"error: --store {tmp_path / '.truce' / 'inside'}: cannot write") and out == ""


def test_a_child_started_with_its_own_environment_records_nothing(tmp_path):
    """The suite's guard (tests/conftest.py): a `python -m truce` child given a made-up environment records no run."""
    import subprocess

    done = subprocess.run([sys.executable, "-m", "truce", "simulate", "two-issue-trade", "--runs", "5"], cwd=tmp_path,
                          env={"COLUMNS": "160", "PATH": ""}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / ".truce").exists()
