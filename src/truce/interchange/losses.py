"""What of a truce scenario another format cannot say: the lines of an export's report that every
format shares (each format module adds its own, such as numeric issues written as lists of values)."""

from __future__ import annotations

from truce.interchange.common import Report
from truce.scenario.distributions import Distribution, nominal
from truce.scenario.schema import Scenario

_PARTY_DEFAULTS = {"cost_of_delay": 0.0, "trust": 1.0, "exposure": 0.0, "bargaining_power": 1.0, "capability": 1.0}


def scenario_losses(scenario: Scenario, report: Report, target: str, *, keeps: frozenset[str] = frozenset()) -> None:
    """Add to ``report`` what ``target`` cannot carry. ``keeps`` names what this format does carry among
    the optional things: ``"other_actors"`` (mediators, stakeholders), ``"capability"``, ``"order"``
    (ordered issues' order), ``"discount"``, ``"reservation"``."""
    if "other_actors" not in keeps:
        for actor in scenario.actors:
            if actor.role != "party":
                report.add(f"actor '{actor.id}' ({actor.role}): not exported; {target} describes parties only")
    for lever in scenario.levers:
        report.add(f"lever '{lever.id}' ({lever.kind} by {lever.by}): {target} has no mediator levers")
    if scenario.durability is not None or scenario.is_ceasefire:
        report.add(f"durability: the ceasefire durability model (provisions, durability block) has no counterpart in {target}")
    if scenario.phases:
        report.add(f"phases: {len(scenario.phases)} phases; {target} describes one agreement on every issue")
    talks = scenario.talks
    if nominal(talks.breakdown_risk) or nominal(talks.breakdown_growth):
        report.add(f"talks: breakdown risk and its growth; {target} has none")
    if scenario.sources or set(scenario.notes) - {"import"} or scenario.date is not None:
        report.add(f"sources, notes and date of the scenario: {target} files carry none")
    for actor in scenario.actors:
        if actor.role != "party" and "other_actors" not in keeps:
            continue
        where = f"actor '{actor.id}'"
        for name, default in _PARTY_DEFAULTS.items():
            if (name == "capability" and "capability" in keeps) or (name != "capability" and actor.role != "party"):
                continue
            value = getattr(actor, name)
            if nominal(value) != default:
                report.add(f"{where}: {name} {nominal(value):g}; {target} has no {name.replace('_', ' ')}")
        if "discount" not in keeps and nominal(actor.discount) != 1 and actor.role == "party":
            report.add(f"{where}: discount {nominal(actor.discount):g} per round; {target} has no discount factor")
        if "reservation" not in keeps and nominal(actor.reservation) != 0 and actor.role == "party":
            report.add(f"{where}: reservation {nominal(actor.reservation):g}; {target} has no reservation value")
        if actor.budget is not None:
            report.add(f"{where}: budget {actor.budget:g}")
        uncertain = [name for name in ("capability", "reservation", "cost_of_delay", "discount", "trust", "exposure") if isinstance(getattr(actor, name), Distribution)]
        for issue_id, stance in actor.stances.items():
            if stance.red_line is not None:
                report.add(f"{where}: a red line on issue '{issue_id}'; {target} has no hard constraints, so packages across it are scored like any other")
            uncertain += [f"stances.{issue_id}.{name}" for name in ("position", "salience", "tolerance") if isinstance(getattr(stance, name), Distribution)]
        if uncertain:
            report.add(f"{where}: {', '.join(uncertain)} given as distributions; written at their nominal values")
    for issue in scenario.issues:
        if issue.kind == "ordered" and "order" not in keeps:
            report.add(f"issue '{issue.id}': ordered; {target} has unordered values, so the order is kept only in the values")
        if issue.provisions:
            report.add(f"issue '{issue.id}': ceasefire provisions of its options")
