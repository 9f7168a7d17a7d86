"""Crash safety: a sweep killed with SIGKILL mid-way and finished with --resume has exactly the numbers
of a sweep that was never interrupted, every task committed once; a folder that cannot take the
sweep is refused before any work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import uncertain_scenario, write_sweep

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.sweep import plan, run  # noqa: E402
from truce.sweep.folder import FolderError, SweepFolder  # noqa: E402


def test_a_killed_sweep_resumes_to_the_uninterrupted_numbers(tmp_path):
    scenario = uncertain_scenario(tmp_path)
    parameters = [{"path": "actors[north].reservation", "values": [0.2, 0.4]}]
    path = write_sweep(tmp_path, scenario=scenario.name, parameters=parameters, runs=240, runs_per_task=10)  # 2 points x 24 tasks
    folder = tmp_path / "killed"
    tasks = folder / "tasks"
    command = [sys.executable, "-m", "truce", "sweep", str(path), "--out", str(folder), "--workers", "1"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "TRUCE_MAX_SECONDS": "0"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if tasks.is_dir() and len([name for name in os.listdir(tasks) if name.endswith(".parquet")]) >= 2:
            break
        time.sleep(0.005)
    assert child.poll() is None, f"the sweep ended before it could be killed: {child.stderr.read().decode()[-2000:]}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    committed = SweepFolder(folder).committed()
    total = len(plan(path).tasks)
    assert 2 <= len(committed) < total == 48
    # a write the kill cut short leaves a temporary file under another name: never read, never counted
    (tasks / ".task-00000047.parquet.tmp-cut").write_bytes(b"PAR1 cut short")

    code, out, err = run_cli(["sweep", str(path), "--out", str(folder), "--resume", "--workers", "1", "--json"])
    assert code == 0, err
    resumed = json.loads(out)
    assert resumed["played"] == total - len(committed) and resumed["tasks"] == total
    assert sorted(SweepFolder(folder).committed()) == list(range(total))
    uninterrupted = run(plan(path), workers=1)
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "points.parquet"), uninterrupted.points, check_exact=True)


def test_a_task_is_never_committed_twice(tmp_path):
    chosen = plan(write_sweep(tmp_path))
    folder = SweepFolder(tmp_path / "out")
    folder.prepare(chosen.manifest(), resume=False, force=False, tasks=len(chosen.tasks))
    row = {"task": 3, "point": 1, "runs": 25, "deals": 1}
    folder.commit(row)
    with pytest.raises(FolderError, match="exists"):
        folder.commit({**row, "deals": 2})
    assert folder.rows()["deals"].tolist() == [1]
    folder.release()


def test_resume_refuses_a_changed_sweep_and_force_starts_over(tmp_path):
    path = write_sweep(tmp_path)
    out = tmp_path / "out"
    assert run_cli(["sweep", str(path), "--out", str(out)])[0] == 0
    write_sweep(tmp_path, seed=8)
    code, _, err = run_cli(["sweep", str(path), "--out", str(out), "--resume"])
    assert code == 2 and "holds a different sweep" in err and "--force" in err
    code, out_text, err = run_cli(["sweep", str(path), "--out", str(out), "--force", "--json"])
    assert code == 0 and json.loads(out_text)["played"] == 18


def test_a_folder_that_cannot_take_the_sweep_is_refused_before_any_work(tmp_path, monkeypatch):
    path = write_sweep(tmp_path)
    code, _, err = run_cli(["sweep", str(path), "--out", "/proc/truce-sweep"])
    assert code == 2 and err.startswith("error: --out /proc/truce-sweep: cannot create it") and "expected a writable folder" in err
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run_cli(["sweep", str(path), "--out", str(blocker)])
    assert code == 2 and "is not a folder" in err

    class Full:
        free = 1024

    played = []
    monkeypatch.setattr("truce.sweep.folder.shutil.disk_usage", lambda where: Full())
    monkeypatch.setattr("truce.sweep.executor.run_task", lambda task: played.append(task) or {})
    code, _, err = run_cli(["sweep", str(path), "--out", str(tmp_path / "full")])
    assert code == 2 and "MiB free; expected at least" in err and "full" in err
    assert played == [] and not list((tmp_path / "full" / "tasks").iterdir())


def test_a_second_sweep_on_a_busy_folder_is_refused(tmp_path):
    chosen = plan(write_sweep(tmp_path))
    first = SweepFolder(tmp_path / "out")
    first.prepare(chosen.manifest(), resume=False, force=False, tasks=len(chosen.tasks))
    with pytest.raises(FolderError, match="another sweep is running in this folder"):
        SweepFolder(tmp_path / "out").prepare(chosen.manifest(), resume=True, force=False, tasks=len(chosen.tasks))
    first.release()
