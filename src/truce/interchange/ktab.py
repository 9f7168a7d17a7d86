"""KTAB's SMP input CSV (the Spatial Model of Politics): actors with a capability and, per dimension,
a position and a salience on 0-100. The reader is :func:`truce.forecast.readers.read_ktab_csv`, the
one ``truce forecast`` uses; this module maps its result to a scenario and writes scenarios back.

Import: every dimension becomes a numeric issue on [0, 100] with step :data:`STEP`; every actor a
party (KTAB does not say who holds a veto: the report says so), its capability KTAB's Power, its
stance on each dimension the position and the salience / 100. Export: every actor with a stance,
parties, mediators and stakeholders alike; numeric and ordered issues as dimensions, positions on
0-100 as ``truce forecast`` places them (a numeric issue's share of its range, an ordered option
100 i / (k - 1)); categorical issues have no place on a line and are left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from truce.forecast.readers import KTAB_SCALE, read_ktab_csv
from truce.interchange.common import InterchangeError, Report, number_text, read_bytes, unique_ids
from truce.interchange.losses import scenario_losses
from truce.scenario.distributions import nominal
from truce.scenario.schema import NumericIssue, Scenario

STEP = 1.0
"""Grid step of an imported dimension (positions themselves keep every decimal)."""
FILE = "scenario.csv"


def read(paths: list[Path]) -> tuple[dict, Report]:
    """A KTAB SMP input CSV as scenario data, and what the import assumed."""
    if len(paths) != 1:
        raise InterchangeError(paths[0], "", f"{len(paths)} paths", "one KTAB SMP input CSV (a KTAB scenario is one file)")
    path = paths[0]
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if len(files) != 1:
            raise InterchangeError(path, "", f"{len(files)} CSV files", "exactly one KTAB SMP input CSV in the folder, or the file itself")
        path = files[0]
    read_bytes(path, "KTAB SMP input CSV")  # the size cap, before the reader reads it whole
    ktab = read_ktab_csv(path)
    report = Report(f"Imported from KTAB ({path.name})")
    report.add("roles: KTAB does not say who holds a veto, so every actor is a party; set role: mediator or stakeholder where it fits")
    report.add("reservation values: KTAB has none, so every party's is 0 (what no agreement is worth)")
    issue_ids = unique_ids(list(ktab.dimension_names), "dimension")
    actor_ids = unique_ids(list(ktab.actor_names), "actor")
    issues = [
        {"id": issue_id, "name": name, "kind": "numeric", "range": [0.0, KTAB_SCALE], "step": STEP}
        for issue_id, name in zip(issue_ids, ktab.dimension_names)
    ]
    actors = []
    for a, (actor_id, name) in enumerate(zip(actor_ids, ktab.actor_names)):
        actor: dict = {"id": actor_id, "name": name, "role": "party"}
        if ktab.actor_descriptions[a]:
            actor["description"] = ktab.actor_descriptions[a]
        actor["capability"] = float(ktab.capability[a])
        # the reader divides by 100; positions go back to the 0-100 scale as written (12 digits undo the division)
        actor["stances"] = {
            issue_id: {"position": float(number_text(ktab.positions[a, d] * KTAB_SCALE)), "salience": float(ktab.salience[a, d])}
            for d, issue_id in enumerate(issue_ids)
        }
        actors.append(actor)
    if all(all(stance["salience"] == 0 for stance in actor["stances"].values()) for actor in actors):
        raise InterchangeError(path, "", "every salience 0", "at least one actor with a salience above 0")
    data = {
        "truce": 1,
        "name": ktab.scenario_name or path.stem,
        "description": ktab.description,
        "kind": "negotiation",
        "actors": actors,
        "issues": issues,
    }
    return data, report


def _spatial(issue, stance) -> float:
    """A stance's position on 0-100, as the forecasting models place it."""
    if isinstance(issue, NumericIssue):
        low, high = issue.range
        return (nominal(stance.position) - low) * (KTAB_SCALE / (high - low))
    return KTAB_SCALE * issue.options.index(stance.position) / (len(issue.options) - 1)


def write(scenario: Scenario) -> tuple[dict[str, str], Report]:
    """``scenario.csv``: the scenario as a KTAB SMP input, and what KTAB cannot say."""
    report = Report(f"Exported to KTAB ({FILE})")
    scenario_losses(scenario, report, "KTAB", keeps=frozenset({"other_actors", "capability", "order"}))
    dimensions = [issue for issue in scenario.issues if issue.kind != "categorical"]
    for issue in scenario.issues:
        if issue.kind == "categorical":
            report.add(f"issue '{issue.id}': categorical, so it has no place on a 0-100 line; left out")
        elif isinstance(issue, NumericIssue) and tuple(issue.range) != (0.0, KTAB_SCALE):
            report.add(f"issue '{issue.id}': numeric on [{issue.range[0]:g}, {issue.range[1]:g}] {issue.unit}".rstrip() + "; written as the share of its range on 0-100")
        elif issue.kind == "ordered":
            report.add(f"issue '{issue.id}': ordered; option i of k written at 100 i / (k - 1)")
        if any(actor.stances.get(issue.id) is not None and (actor.stances[issue.id].values is not None or actor.stances[issue.id].tolerance is not None) for actor in scenario.actors):
            report.add(f"issue '{issue.id}': values tables and tolerances; KTAB has a position and a salience only")
    if not dimensions:
        raise InterchangeError("--to ktab", "issues", "only categorical issues", "at least one ordered or numeric issue (a KTAB dimension)")
    saliences = {
        actor.id: [nominal(actor.stances[i.id].salience) if i.id in actor.stances else 0.0 for i in dimensions] for actor in scenario.actors
    }
    # KTAB's saliences sum to at most 100 per actor: one factor for every actor keeps their comparison
    largest = max(sum(values) for values in saliences.values())
    scale = 1.0 if largest <= 1 + 1e-12 else 1.0 / largest
    if scale != 1.0:
        report.add(f"saliences: an actor's sum to {largest:g}; every salience written times {scale:g}, so that none sums above 100 (KTAB's cap)")
    rows = []
    for actor in scenario.actors:
        if sum(saliences[actor.id]) == 0:
            report.add(f"actor '{actor.id}': no salience on any dimension; left out (KTAB needs saliences above 0)")
            continue
        if any(i.id not in actor.stances for i in dimensions):
            report.add(f"actor '{actor.id}': no stance on some dimensions; written at 50 with salience 0")
        row = [actor.name, actor.description, number_text(nominal(actor.capability))]
        for issue, salience in zip(dimensions, saliences[actor.id]):
            stance = actor.stances.get(issue.id)
            row += [number_text(_spatial(issue, stance)) if stance is not None else "50", number_text(salience * scale * KTAB_SCALE)]
        rows.append(row)
    if not rows:
        raise InterchangeError("--to ktab", "actors", "no actor with a salience above 0", "at least one actor with a stance on an ordered or numeric issue")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([scenario.name, scenario.description.strip(), len(rows), len(dimensions)])
    writer.writerow(["Actor", "Description", "Power"] + [name for k, issue in enumerate(dimensions, 1) for name in (issue.name, f"Sal{k}")])
    writer.writerows(rows)
    return {FILE: out.getvalue()}, report
