"""What-if: which lever raises the chance of a lasting deal most, at what cost.

For the baseline (the levers the scenario puts in force), each lever
switched the other way, and the best combination of levers each actor can
afford, the same Monte Carlo runs are played with the same draws (common
random numbers: the same seed draws the same inputs, because switching a
lever changes what the draws do, not what is drawn). Differences are then
paired run by run, so their intervals are much narrower than those of two
independent estimates (common random numbers: Law & Kelton 2000, section 11.2).

Measures, per variant and as a paired difference from the baseline:
P(deal within the deadline); P(a deal is signed and still holds after
``hold_days``), the "lasting deal" that ranks the variants of a ceasefire;
and the mean round of agreement over the runs that agree in both. Where the
scenario is not a ceasefire (``Problem.ceasefire``), durability does not
apply: the lasting-deal figures are None and P(deal) ranks the variants.

A phased agreement (``Problem.phases``) is played phase by phase
(:func:`truce.simulate.simulate_phases`) unless ``all_at_once``: the deal is
phase 1 signed, its round phase 1's, and a lasting deal one in which some
phase is still in force ``hold_days`` after phase 1 came into force (a
fixed-term phase that expires without the next one signed has ended).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Callable

import numpy as np
import pandas as pd

from truce.errors import InputError
from truce.mediation.names import lever_names, variant_words
from truce.mediation.reading import LeverReading, read_whatif, variant_in_words
from truce.limits import Limits, check_levers, check_work
from truce.problem import Problem
from truce.simulate.durability import durability
from truce.simulate.montecarlo import simulate
from truce.simulate.phases import simulate_phases
from truce.simulate.strategies import DEFAULT_STRATEGY

Z95 = 1.959963984540054
MAX_COMBINATIONS = 64
"""Combinations of one actor's levers tried at most (the cheapest first)."""
MAX_COMBINED_LEVERS = 12
"""Combinations are drawn from an actor's cheapest levers not in force, at most this many
(4,083 combinations of two or more), so the search never lists 2^n of them."""


@dataclass(frozen=True)
class Difference:
    """A paired mean difference (variant - baseline) with a normal 95% interval."""

    mean: float
    low: float
    high: float

    @classmethod
    def paired(cls, variant: np.ndarray, baseline: np.ndarray) -> "Difference | None":
        if len(variant) == 0:
            return None
        delta = variant.astype(float) - baseline.astype(float)
        half = Z95 * delta.std(ddof=1) / np.sqrt(len(delta)) if len(delta) > 1 else float("nan")
        return cls(float(delta.mean()), float(delta.mean() - half), float(delta.mean() + half))

    def to_dict(self) -> dict:
        return {"mean": self.mean, "interval": [self.low, self.high]}


@dataclass(frozen=True, eq=False)
class Variant:
    """One set of levers in force, what it costs, and what it does against the baseline."""

    name: str
    kind: str
    """baseline, lever or combination."""
    active: tuple[str, ...]
    by: str | None
    cost: float
    protocol: str
    p_deal: float
    p_lasting: float | None
    """None where durability does not apply."""
    mean_round: float | None
    delta_deal: Difference | None
    delta_lasting: Difference | None
    delta_rounds: Difference | None
    agreed: np.ndarray = field(repr=False)
    lasting: np.ndarray = field(repr=False)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "levers_in_force": list(self.active),
            "by": self.by,
            "cost": self.cost,
            "protocol": self.protocol,
            "p_deal": self.p_deal,
            "p_lasting_deal": self.p_lasting,
            "mean_round_of_agreement": self.mean_round,
            "delta_p_deal": None if self.delta_deal is None else self.delta_deal.to_dict(),
            "delta_p_lasting_deal": None if self.delta_lasting is None else self.delta_lasting.to_dict(),
            "delta_rounds": None if self.delta_rounds is None else self.delta_rounds.to_dict(),
        }


@dataclass(frozen=True, eq=False)
class WhatIfResult:
    baseline: Variant
    variants: list[Variant]
    """Single levers and best combinations, ranked by the change in P(lasting deal)."""
    runs: int
    seed: int
    hold_days: int
    budgets: dict[str, float]
    ranked_by: str = "p_lasting_deal"
    """p_lasting_deal for a ceasefire, p_deal where durability does not apply."""
    phased: bool = False
    """Played phase by phase: P(deal) is P(phase 1 signed), a lasting deal some phase in force after hold_days."""
    actor_names: dict[str, str] = field(default_factory=dict)
    """Actor id -> name, to put the variants in words."""
    lever_names: dict[str, str] = field(default_factory=dict)
    """Lever id -> the lever in words ("monitoring by United Nations", :mod:`truce.mediation.names`)."""
    variant_words: dict[str, str] = field(default_factory=dict)
    """Variant name ("add un_monitoring") -> in words ("adding monitoring by United Nations")."""

    def words(self, variant: Variant) -> str:
        """A variant in the scenario's words, for readers (its ``name`` keeps the ids)."""
        if variant.kind == "baseline":
            return "baseline"
        return self.variant_words.get(variant.name) or variant_in_words(variant.name, variant.kind, variant.by, self.actor_names)

    def reading(self) -> LeverReading:
        """The one reading the CLI, the report and the page give (:mod:`truce.mediation.reading`)."""
        return read_whatif(self, self.actor_names)

    @property
    def best(self) -> Variant | None:
        """The variant that raises the ranking measure most among those whose 95% interval lies above
        zero; None when no lever helps significantly."""
        best = self.reading().best
        return None if best is None else next(v for v in self.variants if v.name == best.name)

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for v in [self.baseline, *self.variants]:
            row = {"variant": v.name, "words": self.words(v), "kind": v.kind, "by": v.by, "cost": v.cost, "p_deal": v.p_deal, "p_lasting_deal": v.p_lasting}
            for label, diff in (("deal", v.delta_deal), ("lasting", v.delta_lasting), ("rounds", v.delta_rounds)):
                row[f"delta_{label}"] = None if diff is None else diff.mean
                row[f"delta_{label}_low"] = None if diff is None else diff.low
                row[f"delta_{label}_high"] = None if diff is None else diff.high
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "hold_days": self.hold_days,
            "ranked_by": self.ranked_by,
            "phased": self.phased,
            "common_random_numbers": True,
            "budgets": self.budgets,
            "baseline": self.baseline.to_dict(),
            "variants": [{**v.to_dict(), "words": self.words(v)} for v in self.variants],
            "lever_names": self.lever_names,
            "best": None if self.best is None else self.best.name,
            "reading": self.reading().to_dict(),
        }


def what_if(
    problem: Problem,
    *,
    runs: int = 5000,
    seed: int = 0,
    protocol: str | None = None,
    strategies=DEFAULT_STRATEGY,
    budget: float | None = None,
    hold_days: int = 90,
    rounds: int | None = None,
    progress: Callable[[str], None] | None = None,
    all_at_once: bool = False,
    first_proposer: int | str = "random",
    mapper: Callable | None = None,
) -> WhatIfResult:
    """Baseline, each lever switched, and each actor's best affordable combination.

    ``budget`` overrides every actor's budget (scenario field ``budget``);
    actors without one get no combination. Levers an actor already has in
    force are paid for out of its budget first. ``first_proposer`` as in
    :func:`truce.simulate.simulate`, for every variant. ``mapper(function, items)``
    plays the variants (default: the built-in ``map``, one after the other); it
    must give the results in the items' order, e.g. a process pool's map
    (:func:`truce.sweep.executor.ordered_map`): each variant draws from the same
    seed, so the results do not depend on where it is played.
    """
    if problem.n_levers == 0:
        raise InputError("levers: found none; expected a `levers:` list to compare (see docs/reference/scenario.md)")
    base_active = problem.lever_active.copy()
    phased = bool(problem.phases) and not all_at_once
    budgets = {actor: float(budget) for actor in set(problem.lever_by)} if budget is not None else dict(problem.budgets)
    combinations = {actor: affordable_combinations(problem, actor, amount) for actor, amount in sorted(budgets.items())}
    limits = Limits.from_env()
    check_levers(problem.n_levers, limits)
    simulations = 1 + problem.n_levers + sum(len(found) for found in combinations.values())
    check_work(runs, problem.rounds if rounds is None else rounds, limits, simulations=simulations * (len(problem.phases) if phased else 1))

    # every variant's lever settings, the baseline first: one simulation each, independent of the others
    jobs = [("baseline", "baseline", base_active, None, 0.0)]
    for l, lever in enumerate(problem.lever_ids):
        active = base_active.copy()
        active[l] = not active[l]
        verb = "add" if active[l] else "drop"
        cost = float(problem.lever_cost[l]) if active[l] else -float(problem.lever_cost[l])
        jobs.append((f"{verb} {lever}", "lever", active, problem.lever_by[l], cost))
    for actor in sorted(budgets):
        for combo in combinations[actor]:
            active = base_active.copy()
            active[list(combo)] = True
            names = " + ".join(problem.lever_ids[l] for l in combo)
            jobs.append((f"{actor}: {names}", "combination", active, actor, float(problem.lever_cost[list(combo)].sum())))
    play = partial(
        evaluate_levers, problem, protocol=protocol, strategies=strategies, runs=runs, seed=seed, rounds=rounds, hold_days=hold_days, phased=phased,
        first_proposer=first_proposer,
    )
    outcomes = []
    for job, outcome in zip(jobs, (mapper or map)(play, [job[2] for job in jobs])):
        outcomes.append(outcome)
        if progress is not None:
            progress(", ".join(problem.lever_ids[l] for l in np.flatnonzero(job[2])) or "no levers")
    base_protocol, base_agreed, base_lasting, base_rounds = outcomes[0]

    def variant(name, kind, active, by, cost, outcome):
        used, agreed, lasting, rounds_of = outcome
        both = agreed & base_agreed
        return Variant(
            name=name,
            kind=kind,
            active=tuple(problem.lever_ids[l] for l in np.flatnonzero(active)),
            by=by,
            cost=cost,
            protocol=used,
            p_deal=float(agreed.mean()),
            p_lasting=float(lasting.mean()),
            mean_round=float(rounds_of[agreed].mean() + 1) if agreed.any() else None,
            delta_deal=Difference.paired(agreed, base_agreed),
            delta_lasting=Difference.paired(lasting, base_lasting),
            delta_rounds=Difference.paired(rounds_of[both], base_rounds[both]),
            agreed=agreed,
            lasting=lasting,
        )

    baseline = Variant(
        name="baseline",
        kind="baseline",
        active=tuple(problem.lever_ids[l] for l in np.flatnonzero(base_active)),
        by=None,
        cost=float(problem.lever_cost[base_active].sum()),
        protocol=base_protocol,
        p_deal=float(base_agreed.mean()),
        p_lasting=float(base_lasting.mean()),
        mean_round=float(base_rounds[base_agreed].mean() + 1) if base_agreed.any() else None,
        delta_deal=None,
        delta_lasting=None,
        delta_rounds=None,
        agreed=base_agreed,
        lasting=base_lasting,
    )

    variants = [variant(name, kind, active, by, cost, outcome) for (name, kind, active, by, cost), outcome in zip(jobs[1:], outcomes[1:]) if kind == "lever"]
    for actor in sorted(budgets):
        tried = [variant(name, kind, active, by, cost, outcome) for (name, kind, active, by, cost), outcome in zip(jobs, outcomes) if kind == "combination" and by == actor]
        if tried:
            variants.append(max(tried, key=lambda v: (v.p_lasting, v.p_deal)))

    ranked_by = "p_lasting_deal" if problem.ceasefire else "p_deal"
    if problem.ceasefire:
        variants.sort(key=lambda v: -(v.delta_lasting.mean if v.delta_lasting else 0.0))
    else:
        variants.sort(key=lambda v: -(v.delta_deal.mean if v.delta_deal else 0.0))
        variants = [replace(v, p_lasting=None, delta_lasting=None) for v in variants]
        baseline = replace(baseline, p_lasting=None)
    return WhatIfResult(
        baseline=baseline, variants=variants, runs=runs, seed=seed, hold_days=hold_days, budgets=budgets, ranked_by=ranked_by,
        actor_names=dict(zip(problem.actor_ids, problem.actor_names)), phased=phased, lever_names=lever_names(problem),
        variant_words={v.name: variant_words(problem, v.name, v.kind, v.by) for v in variants},
    )


def evaluate_levers(
    problem: Problem, active: np.ndarray, *, protocol, strategies, runs: int, seed: int, rounds, hold_days: int, phased: bool, first_proposer: int | str = "random",
    noise: float = 0.1,
):
    """One variant: the problem with the levers ``active`` in force, played with ``seed``:
    (protocol used, agreed, lasting, round of each run). ``noise``: the parties' and the mediator's
    knowledge noise. A module-level function, so that a worker process can play it."""
    variant = problem.with_levers(active)
    knowledge = {"noise": noise, "mediator_noise": noise}
    if phased:
        played = simulate_phases(variant, protocol=protocol, strategies=strategies, runs=runs, seed=seed, rounds=rounds, first_proposer=first_proposer, **knowledge)
        first = played.phases[0]
        lasting = played.in_force_after(hold_days) if problem.ceasefire else first.reached
        return played.first.protocol, first.reached, lasting, first.round
    result = simulate(variant, protocol=protocol, strategies=strategies, runs=runs, seed=seed, rounds=rounds, first_proposer=first_proposer, **knowledge)
    if problem.ceasefire:
        survival = durability(variant, result, seed=seed)
        lasting = result.agreed & (np.nan_to_num(survival.breakdown_day, nan=-1.0) > hold_days)
    else:
        lasting = result.agreed
    return result.protocol, result.agreed, lasting, result.rounds


def affordable_combinations(problem: Problem, actor: str, budget: float) -> list[tuple[int, ...]]:
    """The cheapest combinations (two levers or more, at most :data:`MAX_COMBINATIONS`) of the actor's
    levers not in force that its budget affords; levers already in force are paid for out of it first.
    Combinations come from the actor's :data:`MAX_COMBINED_LEVERS` cheapest levers."""
    active = problem.lever_active
    mine = [l for l in range(problem.n_levers) if problem.lever_by[l] == actor]
    available = budget - float(problem.lever_cost[[l for l in mine if active[l]]].sum())
    options = sorted((l for l in mine if not active[l]), key=lambda l: (problem.lever_cost[l], l))[:MAX_COMBINED_LEVERS]
    options.sort()
    found = [
        combo
        for size in range(2, len(options) + 1)
        for combo in itertools.combinations(options, size)
        if problem.lever_cost[list(combo)].sum() <= available + 1e-12
    ]
    return sorted(found, key=lambda c: problem.lever_cost[list(c)].sum())[:MAX_COMBINATIONS]

