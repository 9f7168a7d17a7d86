"""Every command's clean errors name the file, the field path inside it and what was expected,
or the option and what was expected: not only the loader's, also those an engine finds later
(forecast, whatif, sensitivity, durability, simulate)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from fuzz_cli import run_cli


def builtin(name: str) -> dict:
    return yaml.safe_load((resources.files("truce.scenario.builtin") / f"{name}.yaml").read_text(encoding="utf-8"))


def write(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def refused(args: list[str], *needles: str) -> str:
    code, _, err = run_cli(args)
    assert code == 2, (code, err)
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)
    assert "expected" in err, err
    return err


@pytest.fixture
def categorical(tmp_path) -> str:
    data = builtin("three-party-truce")
    data["issues"][0]["kind"] = "categorical"  # both issues now without an order: nothing to forecast
    return write(tmp_path, "unordered.yaml", data)


@pytest.fixture
def trade(tmp_path) -> str:
    """No levers, no uncertain input, not a ceasefire."""
    return write(tmp_path, "plain.yaml", builtin("two-issue-trade"))


@pytest.mark.parametrize("model", ["smp", "compromise", "expected_utility"])
def test_forecast_without_an_ordered_issue_names_file_and_issues(categorical, model):
    refused(["forecast", categorical, "--model", model], "unordered.yaml", "issues", "ordered or numeric")


def test_sensitivity_of_the_forecast_names_file_and_issues(categorical):
    refused(["sensitivity", categorical, "--target", "forecast"], "unordered.yaml", "issues")


def test_whatif_without_levers_names_file_and_levers(trade):
    refused(["whatif", trade, "--runs", "20"], "plain.yaml", "levers")


def test_sensitivity_without_uncertain_inputs_names_file_and_where_to_write_one(trade):
    refused(["sensitivity", trade, "--runs", "20"], "plain.yaml", "actors[0].reservation", "distribution")
    refused(["sensitivity", trade, "--target", "forecast"], "plain.yaml", "actors[0].capability", "distribution")


def test_durability_of_a_negotiation_names_file_and_kind(trade):
    refused(["durability", trade, "--runs", "20"], "plain.yaml", "kind", "ceasefire")


@pytest.mark.parametrize("command", ["simulate", "whatif", "sensitivity", "durability"])
def test_an_unknown_strategy_names_the_option(command):
    refused([command, "gaza-ceasefire", "--runs", "16", "-s", "bogus"], "--strategy", "bogus", "cost-based")


@pytest.mark.parametrize("command", ["simulate", "whatif", "sensitivity", "durability"])
def test_an_unknown_protocol_names_the_option(command):
    refused([command, "gaza-ceasefire", "--runs", "16", "--protocol", "bogus"], "--protocol", "bogus", "alternating")


def test_a_two_party_strategy_with_three_parties_names_option_and_parties():
    refused(["simulate", "three-party-truce", "--runs", "10", "-s", "spe"], "--strategy", "spe", "3 parties", "two")


def test_a_strategy_parameter_names_the_option():
    refused(["simulate", "two-issue-trade", "--runs", "10", "-s", "boulware:e=-1"], "--strategy", "e", "> 0")


@pytest.mark.parametrize("option, value", [("--rounds", "0"), ("--noise", "-1")])
def test_simulate_options_name_themselves(option, value):
    refused(["simulate", "two-issue-trade", "--runs", "10", option, value], option, value)


def test_strategies_for_unknown_parties_name_the_option_and_the_parties():
    refused(["simulate", "two-issue-trade", "--runs", "10", "-s", "north=linear", "-s", "west=linear"], "--strategy", "west", "north, south")


def test_whatif_budget_and_hold_days_name_themselves():
    refused(["whatif", "gaza-ceasefire", "--runs", "10", "--hold-days", "-5"], "--hold-days", "-5")


def test_a_builtin_scenario_is_named_in_engine_errors():
    data = builtin("two-issue-trade")
    assert "levers" not in data
    refused(["whatif", "two-issue-trade", "--runs", "20"], "two-issue-trade", "levers")
