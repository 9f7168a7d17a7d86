"""Every cap of truce.limits is checked before work starts, names itself, and can be set from the
environment; the command line and the server apply the same ones. "Before work" is checked by
replacing the engine's first step with one that fails: a refused input must never reach it."""

from __future__ import annotations

import itertools
from importlib import resources

import numpy as np
import pytest
import yaml
from fuzz_cli import run_cli

from truce.limits import FRONTIER_OUTCOMES, LimitError, Limits, check_forecast, check_frontier, check_work
from truce.scenario import load, validate



def builtin(name: str) -> dict:
    return yaml.safe_load((resources.files("truce.scenario.builtin") / f"{name}.yaml").read_text(encoding="utf-8"))


def many_parties(parties: int, issues: int, options: int) -> dict:
    rng = np.random.default_rng(0)
    return {
        "truce": 1,
        "name": "large",
        "rounds": 20,
        "issues": [{"id": f"i{j}", "name": f"I{j}", "kind": "ordered", "options": [f"o{k}" for k in range(options)]} for j in range(issues)],
        "actors": [
            {
                "id": f"p{p}", "name": f"P{p}", "role": "party", "reservation": 0.2,
                "stances": {f"i{j}": {"position": f"o{rng.integers(options)}", "salience": 0.5} for j in range(issues)},
            }
            for p in range(parties)
        ],
    }


def write(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def no_work(monkeypatch):
    """Make the engines' first steps fail loudly: a test that reaches one has started work."""

    def started(*_, **__):
        raise AssertionError("work started before the cap was checked")

    def forbid(*targets: str) -> None:
        for target in targets:
            monkeypatch.setattr(target, started)

    return forbid


def refused(args: list[str], *needles: str) -> str:
    code, _, err = run_cli(args)
    assert code == 2, (code, err)
    for needle in needles:
        assert needle in err, (needle, err)
    assert "expected at most" in err and "docs/reference/limits.md" in err, err
    return err


def test_a_frontier_over_too_many_packages_for_six_parties_is_refused_before_work(tmp_path, no_work):
    path = write(tmp_path, "six.yaml", many_parties(6, 9, 10))  # 10^9 packages: about 10^8 take seconds with six parties
    no_work("truce.analysis.pareto._prune")
    refused(["analyze", path], "six.yaml", "issues", "1,000,000,000 possible packages among 6 parties", "100,000,000", "TRUCE_MAX_OUTCOMES_BY_PARTIES")


def test_the_frontier_cap_follows_the_party_table():
    limits = Limits()
    assert [limits.frontier_outcomes(n) for n in (1, 2, 3, 4, 5, 6, 7, 10, 11, 100)] == [
        10**15, 10**15, 10**15, 10**12, 10**10, 10**8, 10**6, 10**6, 10**5, 10**4,
    ]  # fmt: skip
    assert limits.frontier_outcomes(101) == 0
    check_frontier(5, 10**10, limits)
    with pytest.raises(LimitError, match="expected at most 10,000,000,000 with 5 parties"):
        check_frontier(5, 10**10 + 1, limits)


def test_the_party_table_is_set_from_the_environment():
    limits = Limits.from_env({"TRUCE_MAX_OUTCOMES_BY_PARTIES": "3=5e8, 200=10"})
    assert dict(limits.max_outcomes_by_parties) == {**dict(FRONTIER_OUTCOMES), 3: 500_000_000, 200: 10}
    for bad in ("3", "x=5", "3=-1", "3=0.5"):
        with pytest.raises(LimitError, match="TRUCE_MAX_OUTCOMES_BY_PARTIES.*expected PARTIES=PACKAGES"):
            Limits.from_env({"TRUCE_MAX_OUTCOMES_BY_PARTIES": bad})


def test_runs_times_rounds_is_capped_and_the_cap_is_configurable(monkeypatch, no_work):
    no_work("truce.simulate.montecarlo.candidate_pool")
    monkeypatch.setenv("TRUCE_MAX_RUN_ROUNDS", "1999")
    refused(["simulate", "two-issue-trade", "--runs", "100"], "--runs", "100 runs x 20 rounds = 2,000", "1,999", "TRUCE_MAX_RUN_ROUNDS")
    refused(["simulate", "two-issue-trade", "--runs", "10", "--rounds", "200"], "--runs", "10 runs x 200 rounds")


def test_a_scenario_deadline_over_the_cap_names_the_field(monkeypatch, tmp_path, no_work):
    no_work("truce.simulate.montecarlo.candidate_pool")
    monkeypatch.setenv("TRUCE_MAX_ROUNDS", "10")
    refused(["simulate", "two-issue-trade", "--runs", "5"], "two-issue-trade", "rounds", "TRUCE_MAX_ROUNDS")
    short = write(tmp_path, "short.yaml", {**builtin("two-issue-trade"), "rounds": 5})
    refused(["simulate", short, "--runs", "5", "--rounds", "11"], "--rounds", "TRUCE_MAX_ROUNDS")


def test_a_raised_rounds_cap_admits_a_longer_deadline(monkeypatch, tmp_path):
    """The scenario's `rounds` has no bound of its own: TRUCE_MAX_ROUNDS alone decides, both ways."""
    long = write(tmp_path, "long.yaml", {**builtin("two-issue-trade"), "rounds": 150_000})
    refused(["validate", long], "long.yaml", "rounds", "found 150,000", "expected at most 100,000", "TRUCE_MAX_ROUNDS")
    monkeypatch.setenv("TRUCE_MAX_ROUNDS", "200000")
    assert load(long).rounds == 150_000
    assert run_cli(["validate", long])[0] == 0


def test_runs_over_the_memory_budget_are_refused_before_any_draw(monkeypatch, no_work):
    monkeypatch.setenv("TRUCE_MAX_RUN_ROUNDS", str(10**12))
    no_work("truce.simulate.montecarlo.candidate_pool", "truce.problem.Problem.sample")
    err = refused(["simulate", "gaza-ceasefire", "--runs", "9000000", "--all-at-once"], "--runs", "MiB", "TRUCE_MAX_MEMORY_MB")
    assert "at most" in err and "runs here" in err


def test_phased_simulations_count_every_phase(monkeypatch, no_work):
    problem = load("gaza-ceasefire").compile()
    assert len(problem.phases) == 2 and problem.rounds == 300
    monkeypatch.setenv("TRUCE_MAX_RUN_ROUNDS", "5000")  # 10 runs x 300 rounds = 3,000 for one simulation, 6,000 for two phases
    assert run_cli(["simulate", "gaza-ceasefire", "--runs", "10", "--all-at-once", "--json"])[0] == 0
    no_work("truce.simulate.phases.simulate", "truce.problem.Problem.sample")
    refused(["simulate", "gaza-ceasefire", "--runs", "10"], "x 2 simulations = 6,000", "TRUCE_MAX_RUN_ROUNDS")


def test_whatif_counts_every_variant_before_the_first(monkeypatch, no_work):
    problem = load("gaza-ceasefire").compile()
    from truce.mediation.whatif import affordable_combinations

    variants = 1 + problem.n_levers + sum(len(affordable_combinations(problem, actor, budget)) for actor, budget in problem.budgets.items())
    assert variants > 1 + problem.n_levers  # the flagship has affordable combinations
    simulations = variants * len(problem.phases)  # the flagship is phased: every variant plays each phase's talks
    no_work("truce.mediation.whatif.simulate", "truce.mediation.whatif.simulate_phases")
    monkeypatch.setenv("TRUCE_MAX_RUN_ROUNDS", str(20 * 300 * simulations - 1))
    refused(["whatif", "gaza-ceasefire", "--runs", "20"], f"x {simulations} simulations", "TRUCE_MAX_RUN_ROUNDS")


def test_sensitivity_counts_every_setting_before_the_first(monkeypatch, no_work):
    from truce.mediation.sensitivity import deal_inputs

    inputs = len(deal_inputs(load("gaza-ceasefire").compile()))
    no_work("truce.mediation.sensitivity.simulate", "truce.mediation.sensitivity.candidate_pool")
    monkeypatch.setenv("TRUCE_MAX_RUN_ROUNDS", str(20 * 300 * (1 + 2 * inputs) - 1))
    refused(["sensitivity", "gaza-ceasefire", "--runs", "20"], f"x {1 + 2 * inputs} simulations", "TRUCE_MAX_RUN_ROUNDS")
    monkeypatch.setenv("TRUCE_MAX_RUN_ROUNDS", str(16 * (inputs + 2) * 300 - 1))
    refused(["sensitivity", "gaza-ceasefire", "--method", "sobol", "--runs", "16"], f"{16 * (inputs + 2):,} runs", "TRUCE_MAX_RUN_ROUNDS")


def test_levers_are_capped_at_loading(monkeypatch):
    assert len(builtin("gaza-ceasefire")["levers"]) == 7
    monkeypatch.setenv("TRUCE_MAX_LEVERS", "6")
    refused(["validate", "gaza-ceasefire"], "levers", "found 7 levers", "TRUCE_MAX_LEVERS")


def test_a_dynamic_forecast_over_the_work_cap_is_refused_before_its_first_round(monkeypatch, no_work):
    problem = load("gaza-ceasefire").compile()
    ordered = sum(kind != "categorical" for kind in problem.issue_kinds)
    work = 100 * len(problem.actor_ids) ** 3 * ordered
    no_work("truce.forecast.issues.smp", "truce.forecast.issues.expected_utility")
    monkeypatch.setenv("TRUCE_MAX_FORECAST_WORK", str(work - 1))
    refused(["forecast", "gaza-ceasefire", "--model", "smp"], "--rounds", f"= {work:,}", "TRUCE_MAX_FORECAST_WORK")
    assert run_cli(["forecast", "gaza-ceasefire", "--model", "compromise", "--json"])[0] == 0  # no rounds: not capped
    check_forecast(100, len(problem.actor_ids), ordered, Limits())


def test_check_work_multiplies_runs_rounds_and_simulations():
    limits = Limits(max_run_rounds=1_000)
    check_work(10, 10, limits, simulations=10)
    with pytest.raises(LimitError, match=r"10 runs x 10 rounds x 11 simulations = 1,100"):
        check_work(10, 10, limits, simulations=11)
    with pytest.raises(LimitError, match="expected at least 1"):
        check_work(0, 10, limits)


def test_combinations_come_from_the_cheapest_levers_and_match_brute_force_when_few():
    from truce.mediation.whatif import MAX_COMBINATIONS, MAX_COMBINED_LEVERS, affordable_combinations

    def scenario_with(levers: int, budget: float):
        data = builtin("two-issue-trade")
        data["actors"][0]["budget"] = budget
        data["levers"] = [
            {"id": f"l{k}", "by": "north", "kind": "guarantee", "cost": float(1 + (k * 7) % levers), "trust_gain": 0.1, "active": False}
            for k in range(levers)
        ]
        return validate(data).compile()

    few = scenario_with(6, 9.0)
    brute = sorted(
        (c for size in range(2, 7) for c in itertools.combinations(range(6), size) if few.lever_cost[list(c)].sum() <= 9.0),
        key=lambda c: few.lever_cost[list(c)].sum(),
    )[:MAX_COMBINATIONS]
    assert affordable_combinations(few, "north", 9.0) == brute
    many = scenario_with(40, 1e9)  # 2^40 subsets: listing them would never end
    found = affordable_combinations(many, "north", 1e9)
    cheapest = set(np.argsort(many.lever_cost, kind="stable")[:MAX_COMBINED_LEVERS].tolist())
    assert len(found) == MAX_COMBINATIONS and all(set(c) <= cheapest for c in found)


def test_the_server_applies_the_shared_caps(monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    monkeypatch.setenv("TRUCE_MAX_LEVERS", "6")
    with TestClient(create_app()) as client:
        response = client.post("/api/validate", json=builtin("gaza-ceasefire"))
        assert response.status_code == 422
        assert any(item["path"] == "levers" and "TRUCE_MAX_LEVERS" in item["message"] for item in response.json()["detail"]), response.text
        monkeypatch.delenv("TRUCE_MAX_LEVERS")
        monkeypatch.setenv("TRUCE_MAX_OUTCOMES_BY_PARTIES", "2=5")  # tighter than the server's own budget
        response = client.post("/api/analyze", json=builtin("two-issue-trade"))
        assert response.status_code == 422, response.text
        assert "TRUCE_MAX_OUTCOMES_BY_PARTIES" in response.text


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "two-issue-trade", "--runs", "10", "--rounds", "1000000000"],
        ["forecast", "two-issue-trade", "--model", "smp", "--rounds", "1000000000"],
        ["forecast", "two-issue-trade", "--model", "expected_utility", "--rounds", "100001"],
        ["backtest", "israel-hamas", "--runs", "10", "--rounds", "1000000000"],
    ],
    ids=lambda args: " ".join(args[:1] + args[2:4]),
)
def test_every_rounds_option_is_capped_before_the_scenario_is_read(args, no_work):
    """`--rounds` of every command that takes it, against TRUCE_MAX_ROUNDS, before any loading or work
    (before issue 11's fix `simulate --rounds 1000000000` reached the engine's own check, and the others had caps of their own)."""
    no_work("truce.scenario.loading.load", "truce.backtest.casefile.load_cases", "truce.simulate.montecarlo.candidate_pool")
    refused(args, "--rounds", "100,000", "TRUCE_MAX_ROUNDS")


def test_the_rounds_cap_is_configurable_on_the_command_line(monkeypatch):
    monkeypatch.setenv("TRUCE_MAX_ROUNDS", "50")
    refused(["simulate", "two-issue-trade", "--runs", "10", "--rounds", "51"], "--rounds", "found 51", "at most 50", "TRUCE_MAX_ROUNDS")
    code, _, err = run_cli(["simulate", "two-issue-trade", "--runs", "10", "--rounds", "50", "--json"])
    assert code == 0, err


def test_the_server_applies_the_shared_rounds_cap(monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    monkeypatch.setenv("TRUCE_MAX_ROUNDS", "30")  # lower than the server's own 1,000
    body = {"scenario": builtin("two-issue-trade"), "runs": 10, "rounds": 31}
    with TestClient(create_app()) as client:
        for route in ("/api/simulate", "/api/durability", "/api/report"):
            response = client.post(route, json=body)
            assert response.status_code == 422, (route, response.text)
            assert any(item["path"] == "rounds" and "TRUCE_MAX_ROUNDS" in item["message"] for item in response.json()["detail"]), response.text
        response = client.post("/api/forecast", json={"scenario": builtin("two-issue-trade"), "model": "expected_utility", "rounds": 31})
        assert response.status_code == 422 and "TRUCE_MAX_ROUNDS" in response.text, response.text
