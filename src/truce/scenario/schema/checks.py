"""Checks that relate fields to each other (a stance names a known issue, ids are unique, ...),
each yielding the path of the problem inside the file and what was expected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from truce.scenario.distributions import Distribution, check_within, nominal
from truce.scenario.schema.actors import Actor, Stance
from truce.scenario.schema.common import MAX_OPTIONS_PER_ISSUE
from truce.scenario.schema.issues import NumericIssue
from truce.scenario.schema.levers import LEVER_EFFECTS
from truce.scenario.schema.red_lines import phased_red_line_problems, red_line_problems

if TYPE_CHECKING:
    from truce.scenario.schema.scenario import Scenario


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    repeated = []
    for index, identifier in enumerate(ids):
        if identifier in seen:
            repeated.append(index)
        seen.add(identifier)
    return repeated


def find_problems(scenario: Scenario):
    """Yield (path, message) for every cross-reference problem."""
    for collection, items in (
        ("actors", scenario.actors),
        ("issues", scenario.issues),
        ("sources", scenario.sources),
        ("levers", scenario.levers),
        ("phases", scenario.phases),
    ):
        for index in _duplicates([item.id for item in items]):
            yield f"{collection}[{index}].id", f"duplicate id '{items[index].id}'; expected ids unique within {collection}"

    for index, source in enumerate(scenario.sources):
        if scenario.date is not None and source.date is not None and source.date > scenario.date:
            yield f"sources[{index}].date", (
                f"found {source.date.isoformat()}, after the scenario's date {scenario.date.isoformat()}; "
                "expected only sources published on or before the date the scenario describes"
            )

    if len(scenario.parties) < 2:
        yield "actors", (
            f"found {len(scenario.parties)} actor(s) with role party; expected at least two parties "
            "(a party holds a veto over any agreement)"
        )

    if (message := check_within(scenario.talks.breakdown_risk, 0.0, 1.0)) is not None:
        yield "talks.breakdown_risk", message
    if (message := check_within(scenario.talks.breakdown_growth, 0.0, 1.0)) is not None:
        yield "talks.breakdown_growth", message
    for field in scenario.talks.notes:
        if field not in ("breakdown_risk", "breakdown_growth", "round_days"):
            yield f"talks.notes.{field}", f"unknown field '{field}'; expected breakdown_risk, breakdown_growth or round_days"
    yield from _phase_problems(scenario)
    yield from phased_red_line_problems(scenario)

    issues = {issue.id: issue for issue in scenario.issues}
    for a, actor in enumerate(scenario.actors):
        where = f"actors[{a}]"
        if (message := _positive(actor.capability)) is not None:
            yield f"{where}.capability", message
        if (message := check_within(actor.reservation, 0.0, 1.0, high_open=True)) is not None:
            yield f"{where}.reservation", message
        for name in ("cost_of_delay", "trust", "exposure"):
            if (message := check_within(getattr(actor, name), 0.0, 1.0)) is not None:
                yield f"{where}.{name}", message
        if (message := check_within(actor.discount, 0.0, 1.0)) is not None or nominal(actor.discount) <= 0:
            yield f"{where}.discount", message or "found 0; expected a discount factor in (0, 1]"
        for field in actor.notes:
            if field not in Actor.model_fields:
                yield f"{where}.notes.{field}", f"unknown field '{field}'; expected one of {', '.join(Actor.model_fields)}"
        for issue_id, stance in actor.stances.items():
            spot = f"{where}.stances.{issue_id}"
            if issue_id not in issues:
                yield spot, f"unknown issue '{issue_id}'; expected one of {', '.join(issues)}"
                continue
            yield from _stance_problems(spot, stance, issues[issue_id])
            yield from red_line_problems(spot, stance, issues[issue_id], actor.role)
        if actor.stances and all(nominal(stance.salience) == 0 for stance in actor.stances.values()):
            yield f"{where}.stances", "all saliences are zero; expected at least one salience > 0"
        if actor.role == "party" and not actor.stances:
            yield f"{where}.stances", "found no stances; expected a stance on at least one issue (a party needs one to value a deal)"

    for i, issue in enumerate(scenario.issues):
        if isinstance(issue, NumericIssue) and issue.grid_size > MAX_OPTIONS_PER_ISSUE:
            yield f"issues[{i}].step", (
                f"found {issue.step:g}, which gives {issue.grid_size} grid points over {list(issue.range)}; "
                f"expected at most {MAX_OPTIONS_PER_ISSUE} (use a larger step)"
            )
        if not isinstance(issue, NumericIssue):
            for index in _duplicates(list(issue.options)):
                yield f"issues[{i}].options[{index}]", f"duplicate option '{issue.options[index]}'; expected option names unique"
        for option in issue.provisions:
            if isinstance(issue, NumericIssue):
                yield f"issues[{i}].provisions", f"found provisions on numeric issue '{issue.id}'; expected provisions only on ordered and categorical issues (per option)"
                break
            if option not in issue.options:
                yield f"issues[{i}].provisions.{option}", f"unknown option '{option}'; expected one of {', '.join(issue.options)}"
    if scenario.durability is not None:
        for name, value in scenario.durability.median_days.items():
            if (message := _positive(value)) is not None:
                yield f"durability.median_days.{name}", message
        for name, value in scenario.durability.hazard_ratios.items():
            if (message := _positive(value)) is not None:
                yield f"durability.hazard_ratios.{name}", message
        if scenario.durability.spoiler_hazard is not None and (message := check_within(scenario.durability.spoiler_hazard, 0.0, 1.0)) is not None:
            yield "durability.spoiler_hazard", message
        term_issue = scenario.durability.term_issue
        if term_issue is not None and not any(issue.id == term_issue and isinstance(issue, NumericIssue) for issue in scenario.issues):
            numeric = [issue.id for issue in scenario.issues if isinstance(issue, NumericIssue)]
            yield "durability.term_issue", f"found '{term_issue}'; expected the id of a numeric issue in days ({', '.join(numeric) or 'none in this scenario'})"
        for name, value in scenario.durability.shape.items():
            if (message := _positive(value)) is not None:
                yield f"durability.shape.{name}", message
        if scenario.kind == "negotiation":
            yield "durability", "a negotiation (kind: negotiation) has no ceasefire to follow; expected no durability block, or kind: ceasefire"
        dissatisfaction = scenario.durability.dissatisfaction
        if dissatisfaction is not None and (message := _positive(dissatisfaction.hazard_ratio_at_no_gain)) is not None:
            yield "durability.dissatisfaction.hazard_ratio_at_no_gain", message

    actor_ids = [actor.id for actor in scenario.actors]
    party_ids = [party.id for party in scenario.parties]
    for index, lever in enumerate(scenario.levers):
        where = f"levers[{index}]"
        if lever.by not in actor_ids:
            yield f"{where}.by", f"unknown actor '{lever.by}'; expected one of {', '.join(actor_ids)}"
        for p, party in enumerate(lever.parties or []):
            if party not in party_ids:
                yield f"{where}.parties[{p}]", f"unknown party '{party}'; expected one of {', '.join(party_ids)}"
        allowed = LEVER_EFFECTS[lever.kind]
        given = [name for name in ("trust_gain", "cost_of_delay", "reservation_drop", "side_payment", "exposure_factor") if getattr(lever, name) is not None]
        for name in given:
            if name not in allowed:
                yield f"{where}.{name}", f"a {lever.kind} lever has no {name}; expected only {', '.join(allowed) or 'no effect fields'}"
            elif (message := check_within(getattr(lever, name), 0.0, 1.0)) is not None:
                yield f"{where}.{name}", message
        if allowed and not any(name in allowed for name in given):
            yield where, f"found no effect; expected {' and/or '.join(allowed)} on a {lever.kind} lever"
        if lever.monitoring_kind is not None and lever.kind != "monitoring":
            yield f"{where}.monitoring_kind", f"a {lever.kind} lever has no monitoring_kind; expected it on monitoring levers only"
        if lever.kind == "single_text" and lever.by in actor_ids and scenario.actors[actor_ids.index(lever.by)].role != "mediator":
            yield f"{where}.by", f"'{lever.by}' is not a mediator; expected the id of an actor with role mediator"


def _phase_problems(scenario: Scenario):
    """Every issue in exactly one phase, known issues and sources, issues of later phases deferrable, terms > 0."""
    if not scenario.phases:
        return
    position = {issue.id: i for i, issue in enumerate(scenario.issues)}
    sources = [source.id for source in scenario.sources]
    settled_in: dict[str, int] = {}
    for k, phase in enumerate(scenario.phases):
        where = f"phases[{k}]"
        if phase.term_days is not None and not phase.term_days > 0:
            yield f"{where}.term_days", f"found {phase.term_days:g}; expected a number of days > 0 (or no term_days for an open-ended phase)"
        for s, source in enumerate(phase.sources):
            if source not in sources:
                yield f"{where}.sources[{s}]", f"unknown source '{source}'; expected one of {', '.join(sources) or 'the ids under sources (none given)'}"
        for n, issue_id in enumerate(phase.issues):
            spot = f"{where}.issues[{n}]"
            if issue_id not in position:
                yield spot, f"unknown issue '{issue_id}'; expected one of {', '.join(position)}"
            elif issue_id in settled_in:
                first = settled_in[issue_id]
                yield spot, f"issue '{issue_id}' is already settled in phase '{scenario.phases[first].id}' (phases[{first}]); expected each issue in one phase"
            else:
                settled_in[issue_id] = k
                if k > 0 and not scenario.issues[position[issue_id]].deferrable:
                    yield spot, (
                        f"issue '{issue_id}' is settled in phase {k + 1}, so the phases before it leave it open; "
                        f"expected deferrable: true on issues[{position[issue_id]}]"
                    )
    missing = [issue_id for issue_id in position if issue_id not in settled_in]
    if missing:
        yield "phases", f"issue(s) {', '.join(missing)} in no phase; expected every issue in exactly one phase"
    if scenario.durability is not None:
        for name in ("term_days", "term_issue"):
            if getattr(scenario.durability, name) is not None:
                yield f"durability.{name}", f"a phased agreement gives each phase its own term; expected term_days on the phases, not durability.{name}"


def _positive(value: float | Distribution) -> str | None:
    if isinstance(value, Distribution):
        low = value.support[0] if value.kind != "normal" else value.parameters[0]
        return None if low > 0 else f"found {value.describe()}; expected a distribution of values > 0"
    return None if value > 0 else f"found {value:g}; expected a value > 0"


def _stance_problems(spot: str, stance: Stance, issue):
    if (message := check_within(stance.salience, 0.0, 1.0)) is not None:
        yield f"{spot}.salience", message
    if stance.deferred is not None:
        if not issue.deferrable:
            yield f"{spot}.deferred", f"issue '{issue.id}' is not deferrable; expected no deferred value, or deferrable: true on the issue"
        elif not 0 <= stance.deferred <= 1:
            yield f"{spot}.deferred", f"found {stance.deferred:g}; expected a value in [0, 1]"
    if isinstance(issue, NumericIssue):
        low, high = issue.range
        if isinstance(stance.position, str):
            yield f"{spot}.position", f"found '{stance.position}'; expected a number in [{low:g}, {high:g}] {issue.unit}".rstrip()
        elif (message := check_within(stance.position, low, high)) is not None:
            yield f"{spot}.position", f"{message} (the range of issue '{issue.id}')"
        if stance.tolerance is not None and (message := _positive(stance.tolerance)) is not None:
            yield f"{spot}.tolerance", message
        if isinstance(stance.values, dict):
            yield f"{spot}.values", f"found a table option -> value; expected a list of [x, value] points for numeric issue '{issue.id}'"
        elif stance.values is not None:
            xs = [x for x, _ in stance.values]
            if len(xs) < 2 or any(b <= a for a, b in zip(xs, xs[1:])):
                yield f"{spot}.values", f"found x = {xs}; expected at least two points with strictly increasing x"
            for p, (x, value) in enumerate(stance.values):
                if not low <= x <= high:
                    yield f"{spot}.values[{p}]", f"found x = {x:g}; expected x within [{low:g}, {high:g}]"
                if not 0 <= value <= 1:
                    yield f"{spot}.values[{p}]", f"found value {value:g}; expected a value in [0, 1]"
        return
    if not isinstance(stance.position, str) or stance.position not in issue.options:
        found = f"'{stance.position}'" if isinstance(stance.position, str) else f"{stance.position}"
        yield f"{spot}.position", f"found {found}; expected one of {', '.join(issue.options)}"
    if stance.tolerance is not None:
        yield f"{spot}.tolerance", f"found a tolerance, but issue '{issue.id}' is {issue.kind}; expected a tolerance only on numeric issues"
    if isinstance(stance.values, list):
        yield f"{spot}.values", f"found a list of [x, value] points; expected a table option -> value for {issue.kind} issue '{issue.id}'"
    elif stance.values is not None:
        for option, value in stance.values.items():
            if option not in issue.options:
                yield f"{spot}.values.{option}", f"unknown option '{option}'; expected one of {', '.join(issue.options)}"
            elif not 0 <= value <= 1:
                yield f"{spot}.values.{option}", f"found {value:g}; expected a value in [0, 1]"
        best = max(stance.values.values(), default=0.0)
        if isinstance(stance.position, str) and stance.values.get(stance.position, 0.0) < best:
            yield f"{spot}.position", (
                f"found '{stance.position}', worth {stance.values.get(stance.position, 0.0):g} in the values table; "
                f"expected the position to be an option of highest value ({best:g})"
            )
