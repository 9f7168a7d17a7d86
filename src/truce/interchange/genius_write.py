"""Writing a scenario as GENIUS XML: a domain file and one profile per party (see
:mod:`truce.interchange.genius` for the format and its semantics).

The export is made from the compiled problem, the arrays truce's engines analyse, so the agreement
space GENIUS reads is the one truce analyses: each party's value of each option, its weights, its
reservation value and its discount factor. What GENIUS cannot say is listed in the report
(:func:`truce.interchange.losses.scenario_losses`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import numpy as np

from truce.interchange.common import Report, exact_text, make_id, number_text
from truce.interchange.losses import scenario_losses
from truce.interchange.genius import WEIGHT_SUM_TOLERANCE
from truce.scenario.schema import NumericIssue, Scenario

DOMAIN_FILE = "domain.xml"


def profile_file(party_id: str) -> str:
    return f"{party_id}.xml" if f"{party_id}.xml" != DOMAIN_FILE else f"{party_id}-profile.xml"


def linear_fit(points: np.ndarray, values: np.ndarray) -> tuple[float, float] | None:
    """(slope, offset) with ``values == clip(offset + slope (x - x0), 0, 1)`` at every point, if there are
    such (GENIUS's integer evaluator); None when the values are not a clipped line."""
    inside = np.flatnonzero((values > 0) & (values < 1))
    if len(inside) >= 2:
        a, b = inside[0], inside[-1]
        slope = (values[b] - values[a]) / (points[b] - points[a])
        offset = values[a] - slope * (points[a] - points[0])
    else:
        slope = (values[-1] - values[0]) / (points[-1] - points[0])
        offset = values[0]
    slope, offset = float(number_text(slope)), float(number_text(offset))
    line = np.clip(offset + slope * (points - points[0]), 0.0, 1.0)
    return (slope, offset) if np.allclose(line, values, rtol=0, atol=1e-9) else None


def _integer_fits(scenario: Scenario, problem, j: int) -> list[tuple[float, float]] | None:
    issue = scenario.issues[j]
    if not isinstance(issue, NumericIssue) or issue.deferrable or issue.step != 1:
        return None
    low, high = issue.range
    if not (float(low).is_integer() and float(high).is_integer()):
        return None
    points = problem.grids[j]
    fits = [linear_fit(points, problem.values[j][:, p]) for p in range(problem.n_parties)]
    return None if any(fit is None for fit in fits) else fits


def written_weights(problem) -> np.ndarray:
    """Each party's weights as written: its saliences as they are when they already sum to 1 (within what an
    import accepts), so that weights read from a file are written back unchanged; else normalised."""
    saliences = problem.salience
    totals = saliences.sum(axis=1, keepdims=True)
    return np.where(np.abs(totals - 1.0) <= WEIGHT_SUM_TOLERANCE, saliences, problem.weights)


def _issue_element(parent, problem, j: int, index: int, description: str, integer: tuple | None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, "issue", name=problem.issue_names[j], index=str(index))
    if description:
        element.set("description", description)
    if integer is not None:
        low, high = integer
        for attribute in ("etype", "type", "vtype"):
            element.set(attribute, "integer")
        element.set("lowerbound", str(int(low)))
        element.set("upperbound", str(int(high)))
        return element
    for attribute in ("etype", "type", "vtype"):
        element.set(attribute, "discrete")
    return element


def _text(root: ElementTree.Element) -> str:
    ElementTree.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def write(scenario: Scenario) -> tuple[dict[str, str], Report]:
    """File name -> XML text of the domain and each party's profile, and what GENIUS cannot say."""
    problem = scenario.compile()
    report = Report(f"Exported to GENIUS ({DOMAIN_FILE} and {problem.n_parties} profiles)")
    scenario_losses(scenario, report, "GENIUS", keeps=frozenset({"discount", "reservation"}))
    for party in scenario.parties:
        if party.name != party.id:
            report.add(f"actor '{party.id}': its name '{party.name}'; a GENIUS profile is named by its file, {profile_file(party.id)}")
    for issue in scenario.issues:
        if make_id(issue.name, issue.id) != issue.id:
            report.add(f"issue '{issue.id}': its id; GENIUS names issues by name ('{issue.name}'), from which an import makes the id")
    fits = [_integer_fits(scenario, problem, j) for j in range(problem.n_issues)]
    bounds = [tuple(scenario.issues[j].range) if fits[j] else None for j in range(problem.n_issues)]
    for j, issue in enumerate(scenario.issues):
        if isinstance(issue, NumericIssue) and fits[j] is None:
            report.add(f"issue '{issue.id}': numeric, written as a discrete issue with one value per grid point ({len(issue.grid)}); its range, step and unit are lost")
        if issue.deferrable:
            report.add(f"issue '{issue.id}': deferrable, written with an ordinary value '{problem.option_labels[j][-1]}'")
    domain = ElementTree.Element("negotiation_template")
    space = ElementTree.SubElement(domain, "utility_space", number_of_issues=str(problem.n_issues))
    objective = ElementTree.SubElement(space, "objective", index="0", etype="objective", type="objective", description="", name=scenario.name)
    for j, issue in enumerate(scenario.issues):
        element = _issue_element(objective, problem, j, j + 1, issue.description, bounds[j])
        if bounds[j] is None:
            for k, label in enumerate(problem.option_labels[j], 1):
                ElementTree.SubElement(element, "item", index=str(k), value=label)
    files = {DOMAIN_FILE: _text(domain)}
    weights = written_weights(problem)
    for p, party_id in enumerate(problem.party_ids):
        root = ElementTree.Element("utility_space", type="additive", number_of_issues=str(problem.n_issues))
        objective = ElementTree.SubElement(root, "objective", index="0", etype="objective", type="objective", description="", name=scenario.name)
        for j, issue in enumerate(scenario.issues):
            element = _issue_element(objective, problem, j, j + 1, issue.description, bounds[j])
            values = problem.values[j][:, p]
            if bounds[j] is not None:
                slope, offset = fits[j][p]
                ElementTree.SubElement(element, "evaluator", ftype="linear", slope=number_text(slope), offset=number_text(offset))
            else:
                for k, (label, value) in enumerate(zip(problem.option_labels[j], values), 1):
                    ElementTree.SubElement(element, "item", index=str(k), value=label, evaluation=exact_text(value))
                if 1e-5 <= values.max() < 1 - 1e-12:
                    report.add(
                        f"party '{party_id}', issue '{issue.id}': its best option is worth {values.max():g}, not 1; "
                        "GENIUS divides every evaluation by the issue's highest, so it reads this issue as worth up to 1"
                    )
            ElementTree.SubElement(objective, "weight", index=str(j + 1), value=exact_text(weights[p, j]))
        ElementTree.SubElement(root, "reservation", value=exact_text(problem.reservation[p]))
        discount = float(problem.discount[p]) ** scenario.rounds
        ElementTree.SubElement(root, "discount_factor", value=number_text(discount))
        files[profile_file(party_id)] = _text(root)
    return files, report
