"""Compile a validated :class:`Scenario` to the arrays of a :class:`Problem`.

Value of an option to an actor (the scenario format's definition):

- an explicit ``values`` table wins: option -> value for ordered and
  categorical issues (options it leaves out are worth 0), piecewise-linear
  [x, value] points for numeric issues (constant beyond the end points);
- ordered issues: 1 at the position, falling linearly with the index
  distance, ``1 - |i - position| / (k - 1)``;
- categorical issues: 1 at the position, 0 elsewhere;
- numeric issues: ``max(0, 1 - |x - position| / tolerance)`` on the issue's
  grid, where the tolerance defaults to the issue's span.

Weights are each party's saliences normalised to sum 1; an issue a party
has no stance on gets weight 0. Uncertain numbers take their nominal value.
"""

from __future__ import annotations

import numpy as np

from truce.problem import LEVER_EFFECT_DEFAULTS, PhaseTerms, Problem, UncertainInput
from truce.scenario.distributions import Distribution, nominal
from truce.scenario import defaults
from truce.scenario.schema import LEVER_PROVISIONS, PROVISIONS, NumericIssue, OrderedIssue, Scenario, Stance, ruled_out_options

CLASSES = ("cessation", "preliminary", "definitive")

_PARTY_FIELDS = {
    "reservation": (0.0, 1.0 - 1e-9),
    "cost_of_delay": (0.0, 1.0),
    "discount": (1e-9, 1.0),
    "trust": (0.0, 1.0),
    "exposure": (0.0, 1.0),
}
"""Per-party uncertain numbers and the range their samples are kept in."""


DEFERRED = "deferred"
"""Label of the option a deferrable issue gains: the issue is left open."""


def value_table(issue, stance: Stance | None, no_deal: float = 0.0) -> np.ndarray:
    """The value in [0, 1] of each of the issue's options to one actor, then, for a deferrable
    issue, of leaving it open: the stance's ``deferred`` value, by default ``no_deal``."""
    settled = _settled_values(issue, stance)
    if not issue.deferrable:
        return settled
    deferred = no_deal if stance is None or stance.deferred is None else stance.deferred
    return np.append(settled, deferred)


def _settled_values(issue, stance: Stance | None) -> np.ndarray:
    if isinstance(issue, NumericIssue):
        grid = issue.grid
        if stance is None:
            return np.zeros(len(grid))
        if stance.values is not None:
            xs, ys = np.array(stance.values, dtype=float).T
            return np.interp(grid, xs, ys)
        low, high = issue.range
        tolerance = nominal(stance.tolerance) if stance.tolerance is not None else high - low
        return np.clip(1.0 - np.abs(grid - nominal(stance.position)) / tolerance, 0.0, 1.0)
    options = issue.options
    if stance is None:
        return np.zeros(len(options))
    if stance.values is not None:
        return np.array([stance.values.get(option, 0.0) for option in options], dtype=float)
    position = options.index(stance.position)
    if isinstance(issue, OrderedIssue):
        return 1.0 - np.abs(np.arange(len(options)) - position) / (len(options) - 1)
    return (np.arange(len(options)) == position).astype(float)


def _uncertain(value, field: str, index: tuple[int, ...], bounds: tuple[float, float]) -> list[UncertainInput]:
    if not isinstance(value, Distribution):
        return []
    return [UncertainInput(field, index, value.kind, tuple(value.parameters), bounds)]


def compile_problem(scenario: Scenario) -> Problem:
    parties = scenario.parties
    issues = scenario.issues
    party_index = {party.id: p for p, party in enumerate(parties)}
    uncertain: list[UncertainInput] = []
    for field, bounds in _PARTY_FIELDS.items():
        for p, party in enumerate(parties):
            uncertain += _uncertain(getattr(party, field), field, (p,), bounds)

    talks = scenario.talks
    for field in ("breakdown_risk", "breakdown_growth"):
        uncertain += _uncertain(getattr(talks, field), field, (), (0.0, 1.0))

    saliences = np.zeros((len(parties), len(issues)))
    linear_shape = np.full((len(parties), len(issues), 2), np.nan)
    for p, party in enumerate(parties):
        for j, issue in enumerate(issues):
            stance = party.stances.get(issue.id)
            if stance is None:
                continue
            saliences[p, j] = nominal(stance.salience)
            uncertain += _uncertain(stance.salience, "salience", (p, j), (0.0, 1.0))
            if isinstance(issue, NumericIssue) and stance.values is None:
                low, high = issue.range
                tolerance = stance.tolerance if stance.tolerance is not None else high - low
                linear_shape[p, j] = nominal(stance.position), nominal(tolerance)
                uncertain += _uncertain(stance.position, "position", (p, j), (low, high))
                uncertain += _uncertain(tolerance, "tolerance", (p, j), (1e-9, np.inf))

    levers = scenario.levers
    lever_parties = np.zeros((len(levers), len(parties)), dtype=bool)
    lever_effects = {name: np.full(len(levers), neutral) for name, neutral in LEVER_EFFECT_DEFAULTS.items()}
    for l, lever in enumerate(levers):
        lever_parties[l, [party_index[i] for i in (lever.parties or party_index)]] = True
        for name in lever_effects:
            value = getattr(lever, name)
            if value is not None:
                lever_effects[name][l] = nominal(value)
                uncertain += _uncertain(value, f"lever:{name}", (l,), (0.0, 1.0))

    values = tuple(
        np.stack([value_table(issue, party.stances.get(issue.id), nominal(party.reservation)) for party in parties], axis=1)
        for issue in issues
    )
    issue_ids = [issue.id for issue in issues]
    durability, durability_uncertain = _durability(scenario)
    uncertain += durability_uncertain
    return Problem(
        name=scenario.name,
        party_ids=tuple(p.id for p in parties),
        party_names=tuple(p.name for p in parties),
        issue_ids=tuple(i.id for i in issues),
        issue_names=tuple(i.name for i in issues),
        option_labels=tuple(tuple(i.labels) + ((DEFERRED,) if i.deferrable else ()) for i in issues),
        deferrable=tuple(i.deferrable for i in issues),
        phases=tuple(
            PhaseTerms(phase.id, phase.name or phase.id, tuple(issue_ids.index(i) for i in phase.issues), np.inf if phase.term_days is None else float(phase.term_days))
            for phase in scenario.phases
        ),
        round_days=float(talks.round_days),
        values=values,
        weights=saliences / saliences.sum(axis=1, keepdims=True),
        reservation=np.array([nominal(p.reservation) for p in parties]),
        cost_of_delay=np.array([nominal(p.cost_of_delay) for p in parties]),
        rounds=scenario.rounds,
        breakdown_risk=nominal(talks.breakdown_risk),
        breakdown_growth=nominal(talks.breakdown_growth),
        bargaining_power=np.array([p.bargaining_power for p in parties]),
        discount=np.array([nominal(p.discount) for p in parties]),
        trust=np.array([nominal(p.trust) for p in parties]),
        exposure=np.array([nominal(p.exposure) for p in parties]),
        salience=saliences,
        grids=tuple(i.grid if isinstance(i, NumericIssue) else None for i in issues),
        linear_shape=linear_shape,
        lever_ids=tuple(lever.id for lever in levers),
        lever_kinds=tuple(lever.kind for lever in levers),
        lever_by=tuple(lever.by for lever in levers),
        lever_cost=np.array([lever.cost for lever in levers], dtype=float),
        lever_effects=lever_effects,
        budgets={actor.id: actor.budget for actor in scenario.actors if actor.budget is not None},
        lever_parties=lever_parties,
        lever_active=np.array([lever.active for lever in levers], dtype=bool),
        uncertain=tuple(uncertain),
        option_provisions=tuple(_option_provisions(issue) for issue in issues),
        lever_provisions=np.array(
            [[_lever_provision(lever) == name for name in PROVISIONS] for lever in levers], dtype=bool
        ).reshape(len(levers), len(PROVISIONS)),
        durability=durability,
        ceasefire=scenario.is_ceasefire,
        actor_ids=tuple(a.id for a in scenario.actors),
        actor_names=tuple(a.name for a in scenario.actors),
        actor_roles=tuple(a.role for a in scenario.actors),
        capability=np.array([nominal(a.capability) for a in scenario.actors]),
        spatial_positions=np.array([[_spatial_position(issue, a.stances.get(issue.id)) for issue in issues] for a in scenario.actors]),
        spatial_salience=np.array(
            [[nominal(a.stances[issue.id].salience) if issue.id in a.stances else 0.0 for issue in issues] for a in scenario.actors]
        ),
        issue_kinds=tuple(i.kind for i in issues),
        issue_units=tuple(getattr(i, "unit", "") for i in issues),
        issue_ranges=tuple(tuple(i.range) if isinstance(i, NumericIssue) else None for i in issues),
        spatial_uncertain=tuple(_spatial_uncertain(scenario)),
        ruled_out=tuple(
            np.stack([ruled_out_options(issue, getattr(party.stances.get(issue.id), "red_line", None)) for party in parties], axis=1)
            for issue in issues
        ),
    )


def _spatial_uncertain(scenario: Scenario):
    """The forecasting models' uncertain inputs: every actor's capability, saliences and numeric positions."""
    for a, actor in enumerate(scenario.actors):
        yield from _uncertain(actor.capability, "capability", (a,), (1e-9, np.inf))
        for j, issue in enumerate(scenario.issues):
            stance = actor.stances.get(issue.id)
            if stance is None or issue.kind == "categorical":
                continue
            yield from _uncertain(stance.salience, "spatial_salience", (a, j), (0.0, 1.0))
            if isinstance(issue, NumericIssue):
                yield from _uncertain(stance.position, "spatial_position", (a, j), tuple(issue.range))


def _spatial_position(issue, stance: Stance | None) -> float:
    """A stance as a point on [0, 100]: the share of a numeric range, or the option index over k - 1."""
    if stance is None or issue.kind == "categorical":
        return np.nan
    if isinstance(issue, NumericIssue):
        low, high = issue.range
        return 100.0 * (nominal(stance.position) - low) / (high - low)
    return 100.0 * issue.options.index(stance.position) / (len(issue.options) - 1)


def _option_provisions(issue) -> np.ndarray:
    """(n_options, n_provisions) boolean: the provisions a deal on each option contains."""
    labels = issue.labels
    table = np.zeros((len(labels) + issue.deferrable, len(PROVISIONS)), dtype=bool)  # a deferred issue adds none
    for option, provisions in issue.provisions.items():
        for provision in provisions:
            table[labels.index(option), PROVISIONS.index(provision)] = True
    return table


def _lever_provision(lever) -> str | None:
    """The provision an active lever adds to a deal: a monitoring lever's own kind when it states one."""
    if lever.kind == "monitoring" and lever.monitoring_kind is not None:
        return lever.monitoring_kind
    return LEVER_PROVISIONS.get(lever.kind)


def _durability(scenario: Scenario) -> tuple[dict, list[UncertainInput]]:
    """Nominal durability parameters (scenario overrides on top of the documented defaults) and
    the uncertain ones."""
    settings = scenario.durability
    median = {**defaults.MEDIAN_DAYS, **(settings.median_days if settings else {})}
    shape = {**defaults.SHAPE, **(settings.shape if settings else {})}
    ratios = {**defaults.HAZARD_RATIOS, **(settings.hazard_ratios if settings else {})}
    spoiler = settings.spoiler_hazard if settings and settings.spoiler_hazard is not None else defaults.SPOILER_HAZARD
    dissatisfaction = settings.dissatisfaction if settings and settings.dissatisfaction is not None else None
    no_gain = dissatisfaction.hazard_ratio_at_no_gain if dissatisfaction else defaults.DISSATISFACTION_RATIO_AT_NO_GAIN
    reference = dissatisfaction.reference_gain if dissatisfaction else defaults.DISSATISFACTION_REFERENCE_GAIN
    uncertain = []
    for c, name in enumerate(CLASSES):
        uncertain += _uncertain(median[name], "durability:median_days", (c,), (1e-6, np.inf))
        uncertain += _uncertain(shape[name], "durability:shape", (c,), (1e-3, np.inf))
    for k, name in enumerate(PROVISIONS):
        uncertain += _uncertain(ratios[name], "durability:hazard_ratios", (k,), (1e-6, np.inf))
    uncertain += _uncertain(spoiler, "durability:spoiler", (), (0.0, 1.0))
    uncertain += _uncertain(no_gain, "durability:no_gain_ratio", (), (1e-6, np.inf))
    nominal_values = {
        "median_days": np.array([nominal(median[name]) for name in CLASSES]),
        "shape": np.array([nominal(shape[name]) for name in CLASSES]),
        "in_baseline": np.array([[p in defaults.IN_BASELINE[c] for p in PROVISIONS] for c in CLASSES]),
        "term_days": float(settings.term_days) if settings and settings.term_days is not None else np.inf,
        "term_issue": [issue.id for issue in scenario.issues].index(settings.term_issue) if settings and settings.term_issue else -1,
        "hazard_ratios": np.array([nominal(ratios[name]) for name in PROVISIONS]),
        "spoiler": np.array(nominal(spoiler)),
        "no_gain_ratio": np.array(nominal(no_gain)),
        "reference_gain": float(reference),
        "horizon_days": settings.horizon_days if settings else defaults.HORIZON_DAYS,
    }
    return nominal_values, uncertain
