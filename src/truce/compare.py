"""Two scenarios, or two versions of one, side by side (issue 17): what differs in the inputs, and
in the headline answers.

1. The inputs: both files as validated (defaults filled in) are compared field by field; lists
   of things with an ``id`` (actors, issues, levers, sources, phases) are matched by id, so a path
   reads ``actors[hamas].reservation`` whatever the order, and an actor added or removed is one row.
2. The answers, for each scenario: the size of the zone of possible agreement, the Nash bargaining
   package (the analysis's predicted settlement), and from a simulation of both with the same
   seed and runs, P(deal) (phase 1 signed when the scenario has phases) and, where durability
   applies (a ceasefire), P(a deal still in force after ``hold_days``).
3. The differences B - A of the simulated shares are paired run by run: run i of both simulations
   draws from the same seeded streams (common random numbers, as in ``truce whatif``), and the 95%
   interval is the normal interval of the per-run differences, valid for any such pairing (the
   runs are independent pairs); the closer the two scenarios, the narrower it is against two
   independent simulations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from truce.mediation.whatif import Difference

ID_LISTS = ("actors", "issues", "levers", "sources", "phases")
"""Lists whose items are matched by their ``id`` rather than by position."""


PROSE = ("name", "description", "note", "notes", "sources", "title", "date")
"""Fields that document the model without changing any answer (``truce compare`` lists them apart)."""


@dataclass(frozen=True)
class Change:
    """One input that differs: its path, and its value in A and in B (``None``: absent there)."""

    path: str
    a: Any
    b: Any

    @property
    def prose(self) -> bool:
        """A change to what documents the model (names, notes, sources, the date), not to what it computes."""
        import re

        keys = re.sub(r"\[[^\]]*\]", "", self.path).split(".")
        return keys[0] in PROSE or any(key in ("description", "note", "notes") for key in keys)

    def to_dict(self) -> dict:
        return {"path": self.path, "a": self.a, "b": self.b}


@dataclass(frozen=True, eq=False)
class Answers:
    """The headline answers for one scenario."""

    name: str
    zopa_count: float
    zopa_exact: bool
    nash_terms: dict[str, str] | None
    phased: bool
    ceasefire: bool
    agreed: np.ndarray
    lasting: np.ndarray | None

    @property
    def p_deal(self) -> float:
        return float(self.agreed.mean())

    @property
    def p_lasting(self) -> float | None:
        return None if self.lasting is None else float(self.lasting.mean())

    def to_dict(self) -> dict:
        from truce.analysis.zopa import wilson_interval

        runs = len(self.agreed)
        return {
            "name": self.name,
            "zopa": {"count": self.zopa_count, "exact": self.zopa_exact},
            "nash": self.nash_terms,
            "phased": self.phased,
            "ceasefire": self.ceasefire,
            "p_deal": self.p_deal,
            "p_deal_interval": list(wilson_interval(int(self.agreed.sum()), runs)),
            "p_lasting": self.p_lasting,
            "p_lasting_interval": None if self.lasting is None else list(wilson_interval(int(self.lasting.sum()), runs)),
        }


@dataclass(frozen=True, eq=False)
class Comparison:
    changes: list[Change]
    a: Answers
    b: Answers
    runs: int
    seed: int
    hold_days: int

    @property
    def delta_deal(self) -> Difference | None:
        return Difference.paired(self.b.agreed, self.a.agreed)

    @property
    def delta_lasting(self) -> Difference | None:
        if self.a.lasting is None or self.b.lasting is None:
            return None
        return Difference.paired(self.b.lasting, self.a.lasting)

    def to_dict(self) -> dict:
        deal, lasting = self.delta_deal, self.delta_lasting
        return {
            "runs": self.runs,
            "seed": self.seed,
            "hold_days": self.hold_days,
            "paired": True,
            "changes": [change.to_dict() for change in self.changes],
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "delta_p_deal": None if deal is None else deal.to_dict(),
            "delta_p_lasting": None if lasting is None else lasting.to_dict(),
        }


def input_changes(a: Any, b: Any, path: str = "") -> list[Change]:
    """Every field whose value differs between ``a`` and ``b`` (plain data: dicts, lists, scalars), by path."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in list(a) + [k for k in b if k not in a]:
            where = f"{path}.{key}" if path else str(key)
            if key not in b:
                found.append(Change(where, a[key], None))
            elif key not in a:
                found.append(Change(where, None, b[key]))
            elif key in ID_LISTS and _by_id(a[key]) is not None and _by_id(b[key]) is not None:
                found += input_changes(_by_id(a[key]), _by_id(b[key]), where + "[]")
            else:
                found += input_changes(a[key], b[key], where)
        return [_bracket(change) for change in found]
    if a != b:
        return [Change(path, a, b)]
    return []


def _by_id(items: Any) -> dict | None:
    if not isinstance(items, list) or not all(isinstance(item, dict) and "id" in item for item in items):
        return None
    return {item["id"]: item for item in items}


def _bracket(change: Change) -> Change:
    """``actors[].hamas.reservation`` -> ``actors[hamas].reservation``."""
    head, marker, tail = change.path.partition("[].")
    if not marker:
        return change
    key, _, rest = tail.partition(".")
    return Change(f"{head}[{key}]" + (f".{rest}" if rest else ""), change.a, change.b)


def answers(problem, *, runs: int, seed: int, hold_days: int, **options) -> Answers:
    """The analysis's ZOPA and Nash package, and P(deal) and P(lasting deal) per run from a simulation."""
    from truce.simulate import simulate, simulate_phases
    from truce.simulate.durability import durability

    analysis = problem.analyze()
    nash = analysis.solution("Nash")
    phased = bool(problem.phases)
    if phased:
        played = simulate_phases(problem, runs=runs, seed=seed, **options)
        agreed = played.phases[0].reached
        lasting = played.in_force_after(hold_days) if problem.ceasefire else None
    else:
        result = simulate(problem, runs=runs, seed=seed, **options)
        agreed = result.agreed
        lasting = None
        if problem.ceasefire:
            survival = durability(problem, result, seed=seed)
            lasting = result.agreed & (np.nan_to_num(survival.breakdown_day, nan=-1.0) > hold_days)
    return Answers(
        name=problem.name,
        zopa_count=float(analysis.zopa.count),
        zopa_exact=bool(analysis.zopa.exact),
        nash_terms=None if nash is None else dict(nash.terms),
        phased=phased,
        ceasefire=bool(problem.ceasefire),
        agreed=np.asarray(agreed, dtype=bool),
        lasting=None if lasting is None else np.asarray(lasting, dtype=bool),
    )


def compare(a, b, *, runs: int = 2000, seed: int = 0, hold_days: int = 90, **options) -> Comparison:
    """Compare two loaded :class:`~truce.scenario.Scenario` objects (see the module docstring);
    ``options`` go to both simulations (protocol, strategies, rounds, noise)."""
    changes = input_changes(a.model_dump(mode="json"), b.model_dump(mode="json"))
    first = answers(a.compile(), runs=runs, seed=seed, hold_days=hold_days, **options)
    second = answers(b.compile(), runs=runs, seed=seed, hold_days=hold_days, **options)
    return Comparison(changes=changes, a=first, b=second, runs=runs, seed=seed, hold_days=hold_days)
