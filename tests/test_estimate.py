"""The time estimate before long runs (issue 17): the probe's fit against a simulated cost whose
line is known, the budget's message worked by hand, and the command line refusing past the
budget before any run starts and with nothing written, going on with --force."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.estimate import (  # noqa: E402
    DEFAULT_MAX_SECONDS,
    Estimate,
    OverBudget,
    check_budget,
    duration,
    probe,
    time_budget,
)
from truce.errors import InputError  # noqa: E402


class Machine:
    """A clock that only the simulated work moves: play(n) costs setup + n x per_run seconds."""

    def __init__(self, setup: float, per_run: float, first_call: float = 0.0):
        self.now, self.setup, self.per_run, self.first_call = 0.0, setup, per_run, first_call
        self.played: list[int] = []

    def clock(self) -> float:
        return self.now

    def play(self, runs: int) -> None:
        self.now += self.setup + runs * self.per_run + (self.first_call if not self.played else 0.0)
        self.played.append(runs)


@pytest.mark.parametrize("setup, per_run", [(0.02, 0.0005), (0.5, 0.3), (2.0, 0.001), (0.0, 0.05)])
def test_the_probe_recovers_a_straight_cost_line(setup, per_run):
    machine = Machine(setup, per_run, first_call=1.3)  # the first call's loading is not counted
    estimate = probe(machine.play, runs=10_000, simulations=3, clock=machine.clock)
    assert estimate.setup == pytest.approx(setup, abs=1e-9)
    assert estimate.per_run == pytest.approx(per_run, rel=1e-9)
    assert estimate.seconds == pytest.approx(3 * (setup + 10_000 * per_run))
    assert machine.played[0] == 1 and max(machine.played) <= 10_000 / 4
    assert estimate.probe_seconds == pytest.approx(sum(setup + n * per_run for n in machine.played) + 1.3)


def test_the_probe_stays_small_next_to_the_work():
    machine = Machine(0.5, 0.3)  # six parties over 390,625 packages: about 0.3 s a run
    estimate = probe(machine.play, runs=10_000, clock=machine.clock)
    assert machine.played == [1, 2, 4]  # 2 runs took 1.1 s, so the next probe is only twice as large
    assert estimate.seconds == pytest.approx(0.5 + 3000)
    assert estimate.probe_seconds < estimate.seconds / 100


def test_a_short_command_stops_probing_at_once():
    machine = Machine(0.001, 0.00001)
    estimate = probe(machine.play, runs=2000, clock=machine.clock)
    assert machine.played == [1, 2]
    # all of the probe's time per run, an upper bound: 2,000 x (0.001 + 2 x 0.00001) / 2 = 1.02 s, still short
    assert estimate.seconds == pytest.approx(1.02)


def test_slow_runs_are_probed_on_few():
    machine = Machine(0.0, 10.0)  # ten seconds a run
    estimate = probe(machine.play, runs=1000, clock=machine.clock)
    assert machine.played == [1, 2, 4]
    assert estimate.per_run == pytest.approx(10.0) and estimate.setup == 0


def test_a_large_setup_is_not_counted_per_run():
    machine = Machine(2.0, 0.001)  # a candidate pool that takes 2 s to build, then a millisecond a run
    estimate = probe(machine.play, runs=10_000, clock=machine.clock)
    assert estimate.seconds == pytest.approx(12.0)  # not 10,000 x (2 + 2 x 0.001) / 2 = 10,010 s from the first probe alone


def test_the_message_over_the_budget_worked_by_hand():
    estimate = Estimate(runs=10_000, simulations=2, setup=1.0, per_run=0.3, probe_runs=8, probe_seconds=4.0)
    assert estimate.seconds == pytest.approx(6002)  # 2 x (1 + 10,000 x 0.3)
    # 600 s for two simulations: 300 s each, 299 s after the setup, 996 runs of 0.3 s
    assert estimate.runs_within(600) == 996
    with pytest.raises(OverBudget) as refused:
        check_budget(estimate, 600, force=False)
    message = str(refused.value)
    for words in ("estimated time: about 1.7 h", "10,000 runs x 2 simulations", "0.3 s a run", "measured on 8 runs",
                  "at most 10 min", "TRUCE_MAX_SECONDS=600", "--runs 996 would fit", "--force", "Nothing was written"):
        assert words in message, (words, message)
    assert isinstance(refused.value, InputError)  # the CLI's exit 2
    going_on = check_budget(estimate, 600, force=True)
    assert "going on (--force)" in going_on and "about 1.7 h" in going_on
    assert check_budget(estimate, None, force=False).startswith("Estimated time: about 1.7 h")
    assert check_budget(Estimate(1000, 1, 0.1, 0.001, 64, 0.2), 600, force=False) is None  # 1.1 s: nothing to say


def test_other_work_adds_its_own_time_worked_by_hand():
    backtest = Estimate(runs=1000, simulations=1, setup=2.0, per_run=0.01, probe_runs=64, probe_seconds=1.0)
    report = Estimate(runs=1000, simulations=3, setup=1.0, per_run=0.002, probe_runs=64, probe_seconds=1.0, also=(("the back-test of 7 cases", backtest),))
    assert report.seconds == pytest.approx(3 * (1 + 1000 * 0.002) + (2 + 1000 * 0.01))  # 9 + 12 s
    # within 15 s: 3 x 1 + 2 s of setups leave 10 s for 3 x 0.002 + 0.01 = 0.016 s a run: 625 runs
    assert report.runs_within(15) == 625
    assert report.words() == "about 21 s (1,000 runs x 3 simulations; 2 ms a run, measured on 64 runs; the back-test of 7 cases: about 12 s)"


def test_a_budget_too_small_for_one_run_says_so():
    with pytest.raises(OverBudget, match="even one run would not fit"):
        check_budget(Estimate(100, 1, 50.0, 1.0, 2, 60.0), 30, force=False)


def test_the_budget_comes_from_the_environment():
    assert time_budget({}) == DEFAULT_MAX_SECONDS == 600
    assert time_budget({"TRUCE_MAX_SECONDS": "90"}) == 90
    assert time_budget({"TRUCE_MAX_SECONDS": "1_800"}) == 1800
    assert time_budget({"TRUCE_MAX_SECONDS": "0"}) is None
    for bad in ("soon", "-5", "inf", "nan"):
        with pytest.raises(InputError, match="TRUCE_MAX_SECONDS: found"):
            time_budget({"TRUCE_MAX_SECONDS": bad})


def test_durations_in_words():
    assert [duration(s) for s in (0.31, 4, 40, 300, 3120, 9360, 200_000)] == ["0.31 s", "4 s", "40 s", "5 min", "52 min", "2.6 h", "2.3 days"]


def six_parties(options: int, issues: int) -> dict:
    """The issue's case in small: six parties, every party weighing every issue (``options ** issues`` packages)."""
    rng = np.random.default_rng(1)
    return {
        "truce": 1, "name": "six parties", "rounds": 200, "talks": {"breakdown_risk": 0.02},
        "issues": [{"id": f"i{j}", "name": f"I{j}", "kind": "ordered", "options": [f"o{k}" for k in range(options)]} for j in range(issues)],
        "actors": [
            {"id": f"p{p}", "name": f"P{p}", "role": "party", "reservation": 0.3, "cost_of_delay": 0.01,
             "stances": {f"i{j}": {"position": f"o{rng.integers(options)}", "salience": float(rng.uniform(0.2, 1))} for j in range(issues)}}
            for p in range(6)
        ],
    }


@pytest.fixture
def counted_runs(monkeypatch):
    """Every simulation the command plays, by its number of runs."""
    import truce.simulate as package
    from truce.simulate import montecarlo

    played: list[int] = []
    real = montecarlo.simulate

    def counting(problem, **options):
        played.append(options.get("runs"))
        return real(problem, **options)

    monkeypatch.setattr(package, "simulate", counting)
    return played


def test_the_six_party_case_is_refused_before_any_run_and_writes_nothing(tmp_path, monkeypatch, counted_runs):
    path = tmp_path / "six.yaml"
    path.write_text(yaml.safe_dump(six_parties(5, 5)), encoding="utf-8")  # 3,125 packages: the 390,625 of the issue in small
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "2")
    rows = tmp_path / "runs.csv"
    code, out, err = run_cli(["simulate", str(path), "--runs", "100000", "--per-run", str(rows)])
    assert code == 2, err
    assert "estimated time: about" in err and "100,000 runs" in err and "TRUCE_MAX_SECONDS=2 " in err and "--force" in err, err
    assert out == "" and not rows.exists()
    assert counted_runs and max(counted_runs) <= 100_000 / 4  # only the probe's small runs were played


def test_force_goes_on_past_the_budget_and_says_so(monkeypatch, counted_runs):
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "0.000001")
    code, _, err = run_cli(["simulate", "three-party-truce", "--runs", "300"])
    assert code == 2 and "estimated time" in err, err
    code, out, err = run_cli(["simulate", "three-party-truce", "--runs", "300", "--force"])
    assert code == 0, err
    assert "going on (--force)" in err and "300 runs" in out
    assert counted_runs[-1] == 300


@pytest.mark.parametrize("command", [
    ["whatif", "gaza-ceasefire", "--runs", "50"],
    ["sensitivity", "gaza-ceasefire", "--runs", "50"],
    ["sensitivity", "gaza-ceasefire", "--method", "sobol", "--runs", "16"],
    ["durability", "gaza-ceasefire", "--runs", "50", "--all-at-once"],
])
def test_every_long_command_is_estimated_first(monkeypatch, command, tmp_path):
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "0.000001")
    code, out, err = run_cli(command)
    assert code == 2 and "estimated time: about" in err and "--force" in err, err
    assert out == ""


def test_the_report_is_estimated_before_anything_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "0.000001")
    output = tmp_path / "report.html"
    code, _, err = run_cli(["report", "gaza-ceasefire", "-o", str(output), "--runs", "50"])
    assert code == 2 and "estimated time: about" in err and "simulations" in err, err
    assert not output.exists()
    # the back-test's cases are other scenarios, each with its forecast and durability: timed on their own
    code, _, err = run_cli(["report", "gaza-ceasefire", "-o", str(output), "--runs", "50", "--backtest", "israel-hamas"])
    assert code == 2 and "; the back-test of 7 cases: about " in err, err
    assert not output.exists()


def test_a_bad_budget_is_a_user_error(monkeypatch):
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "soon")
    code, _, err = run_cli(["simulate", "three-party-truce", "--runs", "300"])
    assert code == 2 and "TRUCE_MAX_SECONDS: found 'soon'" in err, err


def test_a_kept_probe_ends_on_the_work_itself():
    """With ``keep_within`` the last probe is the command's own simulation (its result kept by the
    caller), so the probe plays for nothing only its small runs; the estimate is then measured on it."""
    machine = Machine(0.002, 0.0001)  # the flagship's size: about 0.2 s a simulation of 2,000 runs
    estimate = probe(machine.play, runs=2000, simulations=61, clock=machine.clock, keep_within=600)
    assert machine.played[-1] == 2000 and machine.played.count(2000) == 1 and estimate.kept
    assert sum(machine.played[:-1]) <= 2000 / 16  # the rest: the first call, 2 runs and one step to within GROWTH of the work
    assert estimate.seconds == pytest.approx(61 * (0.002 + 2000 * 0.0001))
    assert "measured on 2,000 runs (the first simulation itself)" in estimate.words()
    plain = Machine(0.002, 0.0001)
    probe(plain.play, runs=2000, simulations=61, clock=plain.clock)
    assert sum(plain.played) > sum(machine.played[:-1])  # without it the probes play more, all of it for nothing


def test_a_kept_probe_never_plays_the_work_past_the_budget():
    """The work is played as a probe only while the estimate so far fits the budget: a command over
    it is refused before its work, as without ``keep_within``."""
    machine = Machine(0.5, 0.3)
    estimate = probe(machine.play, runs=2000, simulations=61, clock=machine.clock, keep_within=600)
    assert max(machine.played) < 2000 and not estimate.kept
    with pytest.raises(OverBudget):
        check_budget(estimate, 600, force=False)


def test_the_report_plays_the_probed_simulation_once(monkeypatch, tmp_path):
    """The report's own simulation and back-test, played by the estimate's last probes, are handed to
    the report: the scenario's simulation of the report's runs and each case's are played once each
    (counted by a wrapper of the engine, not timed)."""
    import truce.simulate as package

    played: list[tuple[str, int]] = []
    real = package.simulate

    def counting(problem, **options):
        played.append((problem.name, options.get("runs")))
        return real(problem, **options)

    monkeypatch.setattr(package, "simulate", counting)
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "600")
    code, _, err = run_cli(["report", "gaza-ceasefire", "-o", str(tmp_path / "r.html"), "--runs", "300", "--backtest", "israel-hamas"])
    assert code == 0, err
    whole = [name for name, runs in played if runs == 300]
    assert len(whole) == 8 and len(set(whole)) == 8, whole  # the scenario's and the 7 cases', once each
    scenario = played[0][0]
    # the scenario's own simulation was the estimate's last probe: played before the back-test's probes start
    assert played.index((scenario, 300)) < min(k for k, (name, _) in enumerate(played) if name != scenario), played
    probes = sum(runs for _, runs in played if runs != 300)
    assert probes <= 8 * (1 + 2 + 64), played  # the probes of 1, 2 and at most 64 runs (scenario and cases), nothing more
