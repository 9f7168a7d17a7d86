"""Writing a scenario as GeniusWeb JSON: ``domain.json`` and one linear additive profile per party
(see :mod:`truce.interchange.geniusweb` for the format), made from the compiled problem."""

from __future__ import annotations

import json

import numpy as np

from truce.interchange.common import Report, make_id
from truce.interchange.genius_write import written_weights
from truce.interchange.geniusweb import DOMAIN_FILE
from truce.interchange.losses import scenario_losses
from truce.scenario.schema import NumericIssue, Scenario


MAX_BID_SEARCH = 5_000_000
"""Packages searched at most for a reservation bid."""


def profile_file(party_id: str) -> str:
    return f"{party_id}.json" if f"{party_id}.json" != DOMAIN_FILE else f"{party_id}-profile.json"


def _number_issue(scenario: Scenario, problem, j: int) -> bool:
    """A numeric issue GeniusWeb can say as a number value set: the grid low, low + step, ..., high, and
    every party's values linear between the ends."""
    issue = scenario.issues[j]
    if not isinstance(issue, NumericIssue) or issue.deferrable:
        return False
    low, high = issue.range
    points = problem.grids[j]
    if abs(points[-1] - points[-2] - issue.step) > 1e-9 * max(1.0, abs(issue.step)):
        return False
    values = problem.values[j]
    line = values[0] + (values[-1] - values[0]) * ((points - low) / (high - low))[:, None]
    return bool(np.allclose(line, values, rtol=0, atol=1e-12))


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def write(scenario: Scenario) -> tuple[dict[str, str], Report]:
    """File name -> JSON text of the domain and each party's profile, and what GeniusWeb cannot say."""
    problem = scenario.compile()
    report = Report(f"Exported to GeniusWeb ({DOMAIN_FILE} and {problem.n_parties} profiles)")
    scenario_losses(scenario, report, "GeniusWeb", keeps=frozenset({"reservation"}))
    numbers = [_number_issue(scenario, problem, j) for j in range(problem.n_issues)]
    issues_values = {}
    for j, issue in enumerate(scenario.issues):
        if numbers[j]:
            low, high = issue.range
            issues_values[issue.name] = {"range": {"low": _number(low), "high": _number(high), "step": _number(issue.step)}}
        else:
            issues_values[issue.name] = {"values": list(problem.option_labels[j])}
            if isinstance(issue, NumericIssue):
                report.add(f"issue '{issue.id}': numeric, written as a discrete issue with one value per grid point ({len(issue.grid)}); its range, step and unit are lost")
        if issue.deferrable:
            report.add(f"issue '{issue.id}': deferrable, written with an ordinary value '{problem.option_labels[j][-1]}'")
        if make_id(issue.name, issue.id) != issue.id:
            report.add(f"issue '{issue.id}': its id; GeniusWeb names issues by name ('{issue.name}'), from which an import makes the id")
    if len(set(issues_values)) != len(scenario.issues):
        report.add("issue names: two issues share a name; GeniusWeb keys issues by name, so the later one replaces the earlier")
    domain = {"name": scenario.name, "issuesValues": issues_values}
    files = {DOMAIN_FILE: json.dumps(domain, indent=2, ensure_ascii=False) + "\n"}
    weights = written_weights(problem)
    for p, party in enumerate(scenario.parties):
        utilities = {}
        for j, issue in enumerate(scenario.issues):
            values = problem.values[j][:, p]
            if numbers[j]:
                low, high = issue.range
                utilities[issue.name] = {"NumberValueSetUtilities": {
                    "lowValue": _number(low), "lowUtility": float(values[0]), "highValue": _number(high), "highUtility": float(values[-1]),
                }}
            else:
                utilities[issue.name] = {"DiscreteValueSetUtilities": {"valueUtilities": dict(zip(problem.option_labels[j], map(float, values)))}}
        space = {
            "domain": domain,
            "name": party.name,
            "issueUtilities": utilities,
            "issueWeights": {issue.name: float(weights[p, j]) for j, issue in enumerate(scenario.issues)},
        }
        reservation = float(problem.reservation[p])
        if reservation > 0:
            found = _reservation_bid(problem, p, reservation)
            if found is None:
                report.add(f"actor '{party.id}': reservation {reservation:g}; GeniusWeb gives a reservation as a bid, and the space is too large to search for one")
            else:
                bid, worth = found
                space["reservationBid"] = {"issuevalues": {scenario.issues[j].name: _bid_value(problem, j, k, numbers[j]) for j, k in enumerate(bid)}}
                if abs(worth - reservation) > 1e-12:
                    report.add(f"actor '{party.id}': reservation {reservation:g} written as the reservation bid nearest it, worth {worth:g} (GeniusWeb gives a reservation as a bid)")
        if nominal_discount(party) != 1:
            report.add(f"actor '{party.id}': discount {nominal_discount(party):g} per round; GeniusWeb profiles have no discount factor")
        files[profile_file(party.id)] = json.dumps({"LinearAdditiveUtilitySpace": space}, indent=2, ensure_ascii=False) + "\n"
    return files, report


def nominal_discount(party) -> float:
    from truce.scenario.distributions import nominal

    return nominal(party.discount)


def _bid_value(problem, j: int, k: int, number: bool):
    return _number(problem.grids[j][k]) if number else problem.option_labels[j][k]


def _reservation_bid(problem, p: int, reservation: float) -> tuple[tuple[int, ...], float] | None:
    """The package whose utility to party p is nearest its reservation value (the first in the space's
    order among equals) and that utility: GeniusWeb states a reservation as a bid. None on a space too
    large to search (more than :data:`MAX_BID_SEARCH` packages)."""
    if problem.n_outcomes > MAX_BID_SEARCH:
        return None
    utilities = np.zeros(1)
    for j in range(problem.n_issues):
        utilities = np.add.outer(utilities, problem.weights[p, j] * problem.values[j][:, p]).ravel()
    best = int(np.argmin(np.abs(utilities - reservation)))
    return tuple(int(k) for k in np.unravel_index(best, tuple(problem.n_options))), float(utilities[best])
