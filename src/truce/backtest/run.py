"""Run a back-test: score each case's simulation, solution points, forecast and durability against what happened.

For every case (a scenario as of a date, and what followed; see
:mod:`truce.backtest.casefile`):

1. the simulation (``runs`` Monte Carlo runs from ``seed``) gives P(deal),
   scored against whether a deal came by the Brier score; among its deals,
   the share that agreed exactly the real package and each real term, each
   scored by its log score with a stated floor, and the real package's rank
   by frequency among the packages it produced;
2. the Nash and Kalai-Smorodinsky points (of the nominal problem) and the
   spatial forecast (``forecast_model``) are set against the real term of
   each issue: the signed distance in the issue's own units (numbers for a
   numeric issue, option steps for an ordered one; 0 or 1 for a
   categorical one), none where either side is ``deferred``;
3. the durability model, given the real package signed in every run, gives
   the survival at the real duration (breakdown: the event; expiry and
   still holding: right-censored) and at the calibration checkpoints, set
   against a Kaplan-Meier estimate over the cases.

Cases share nothing but the seed; results are plain dataclasses with
``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from truce.backtest.casefile import ResolvedCase
from truce.backtest.scores import DEFAULT_FLOOR, at_risk, brier_score, discrimination, kaplan_meier, known_at, log_score, package_rank
from truce.errors import InputError
from truce.problem import Problem

CALIBRATION_DAYS = (7, 30, 90, 365, 730)
"""Checkpoints of the durability calibration table (days after the deal took effect)."""


@dataclass(frozen=True)
class TermScore:
    """One issue of one case: the real term, what the simulation gave it, and where the points sit."""

    issue: str
    issue_name: str
    scale: str
    """'unit' of a numeric issue, 'option steps' (ordered), 'match' (categorical)."""
    real: str
    real_position: float | None
    """The real term on the issue's scale (None: deferred, or categorical)."""
    p_term: float
    log_score: float
    nash: str | None
    nash_distance: float | None
    kalai_smorodinsky: str | None
    kalai_smorodinsky_distance: float | None
    forecast: str | None
    forecast_position: float | None
    forecast_distance: float | None
    simulated_mean: float | None
    simulated_low: float | None
    """10th percentile of the simulated deals' position (not deferred ones)."""
    simulated_high: float | None
    """90th percentile."""
    simulated_deferred: float | None
    """Share of simulated deals that deferred the issue."""
    options: tuple[str, ...] = ()
    """Option labels of an ordered issue (the scale's tick labels)."""


@dataclass(frozen=True)
class DurabilityScore:
    """The durability model given the real package, against how long it held."""

    ended: str
    days: float
    broke_down: bool
    survival_at_real: float
    """Predicted P(no breakdown by the real duration); for a breakdown this is where it fell in the
    predicted distribution (uniform over cases if calibrated), for a censored end an upper bound."""
    median_days: float | None
    survival: dict[int, float]
    """Predicted P(no breakdown by each checkpoint)."""


@dataclass(frozen=True)
class CaseScore:
    case: str
    name: str
    scenario: str
    as_of: str
    deal: bool
    days_to_deal: int | None
    p_deal: float
    p_deal_interval: tuple[float, float]
    brier: float
    median_rounds_to_deal: float | None
    deals: int
    p_package: float | None
    package_log_score: float | None
    package_rank: int | None
    distinct_packages: int
    real_package: dict[str, str] | None
    most_common_package: dict[str, str] | None
    terms: list[TermScore] = field(default_factory=list)
    durability: DurabilityScore | None = None

    @property
    def term_log_score(self) -> float | None:
        return float(np.mean([t.log_score for t in self.terms])) if self.terms else None


@dataclass(frozen=True)
class CalibrationRow:
    days: int
    predicted: float
    """Mean predicted P(no breakdown by then) over the cases with a durability score."""
    kaplan_meier: float
    """Kaplan-Meier estimate of the share that had not broken down by then."""
    known: int
    """Cases whose fate by then is known (broke down by then, or held past it)."""
    at_risk: int
    held: int


@dataclass(frozen=True, eq=False)
class BacktestResult:
    name: str
    runs: int
    seed: int
    noise: float
    floor: float
    forecast_model: str
    cases: list[CaseScore]
    calibration: list[CalibrationRow]
    settings: dict = field(default_factory=dict)
    """The model settings that differ from the scenarios' own (protocol, strategies, first
    proposer, rounds, a fixed breakdown risk), as given; empty: every scenario as written."""

    def overall(self) -> dict:
        """Means over cases: Brier, log scores, ranks, absolute distances per issue, survival at breakdown."""
        with_package = [c for c in self.cases if c.p_package is not None]
        ranks = [c.package_rank for c in with_package]
        distances: dict[str, dict[str, list[float]]] = {}
        for case in self.cases:
            for term in case.terms:
                slot = distances.setdefault(term.issue, {"nash": [], "kalai_smorodinsky": [], "forecast": []})
                for key in slot:
                    value = getattr(term, f"{key}_distance")
                    if value is not None:
                        slot[key].append(abs(value))
        breakdowns = [c.durability.survival_at_real for c in self.cases if c.durability is not None and c.durability.broke_down]
        p_deal, came = [c.p_deal for c in self.cases], [c.deal for c in self.cases]
        return {
            "cases": len(self.cases),
            "deals": sum(c.deal for c in self.cases),
            "brier": float(np.mean([c.brier for c in self.cases])),
            "mean_p_deal": float(np.mean(p_deal)),
            "mean_p_deal_where_deal": _mean([p for p, y in zip(p_deal, came) if y]),
            "mean_p_deal_where_none": _mean([p for p, y in zip(p_deal, came) if not y]),
            "discrimination_auc": discrimination(p_deal, came),
            "package_log_score": _mean([c.package_log_score for c in with_package]),
            "term_log_score": _mean([c.term_log_score for c in with_package]),
            "package_rank_median": None if not ranks or None in ranks else float(np.median(ranks)),
            "packages_never_simulated": sum(r is None for r in ranks),
            "mean_absolute_distance": {
                issue: {key: _mean(values) for key, values in slot.items()} for issue, slot in distances.items()
            },
            "survival_at_breakdown_mean": _mean(breakdowns),
            "breakdowns": len(breakdowns),
        }

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "conditions": {"runs": self.runs, "seed": self.seed, "noise": self.noise, "log_score_floor": self.floor, "forecast_model": self.forecast_model, **self.settings},
            "overall": self.overall(),
            "cases": [{**asdict(case), "term_log_score": case.term_log_score} for case in self.cases],
            "calibration": [asdict(row) for row in self.calibration],
        }


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else None


def position(problem: Problem, issue: int, index: int) -> float | None:
    """An option index on the issue's own scale: the number (numeric), the option step (ordered),
    None for deferred or a categorical option."""
    if problem.deferrable and problem.deferrable[issue] and index == len(problem.option_labels[issue]) - 1:
        return None
    grid = problem.grids[issue]
    if grid is not None:
        return float(grid[index])
    return None if problem.issue_kinds[issue] == "categorical" else float(index)


def _distance(problem: Problem, issue: int, point: int | None, real: int, real_position: float | None) -> float | None:
    if point is None:
        return None
    if problem.issue_kinds[issue] == "categorical":
        return float(point != real)
    here = position(problem, issue, point)
    if here is None or real_position is None:
        return 0.0 if here is None and real_position is None else None
    return here - real_position


def _scale(problem: Problem, issue: int) -> str:
    kind = problem.issue_kinds[issue]
    return problem.issue_units[issue] or "value" if kind == "numeric" else "option steps" if kind == "ordered" else "match"


def score_case(
    resolved: ResolvedCase, *, runs: int, seed: int, noise: float, floor: float, forecast_model: str = "smp", progress: Callable[[int], None] | None = None, **simulation
) -> CaseScore:
    """Every score of one case (see the module's docstring)."""
    from truce.simulate import simulate
    from truce.simulate.durability import package_durability

    problem, case = resolved.problem, resolved.case
    result = simulate(problem, runs=runs, seed=seed, noise=noise, mediator_noise=noise, progress=progress, **simulation)
    deal = case.deal.signed
    deals = result.packages[result.agreed]
    common = result.most_common_package()
    timing = result.rounds_to_agreement()
    score = dict(
        case=case.id, name=case.name, scenario=case.scenario, as_of=resolved.as_of.isoformat(), deal=deal,
        days_to_deal=None if case.deal.date is None else (case.deal.date - resolved.as_of).days,
        p_deal=result.agreement_rate, p_deal_interval=result.agreement_interval,
        brier=float(brier_score(result.agreement_rate, deal)), median_rounds_to_deal=timing["median"], deals=len(deals),
        p_package=None, package_log_score=None, package_rank=None, distinct_packages=len(np.unique(deals, axis=0)) if len(deals) else 0,
        real_package=None, most_common_package=None if common is None else common[0],
    )
    if resolved.package is None:
        return CaseScore(**score)
    real = resolved.package
    p_package = float(np.all(deals == real[None, :], axis=1).mean()) if len(deals) else 0.0
    rank, distinct = package_rank(deals, real)
    score.update(
        p_package=p_package, package_log_score=float(log_score(p_package, floor)), package_rank=rank,
        distinct_packages=distinct, real_package=problem.terms(real),
    )
    terms = _term_scores(resolved, deals, floor, forecast_model)
    durability = None
    if problem.ceasefire and resolved.held_days is not None:
        outcome = package_durability(problem, real, runs=runs, seed=seed)
        checkpoints = {days: float(np.nanmean(outcome.survival_at(days))) for days in CALIBRATION_DAYS}
        median = outcome.median_days()
        durability = DurabilityScore(
            ended=case.held.ended, days=resolved.held_days, broke_down=bool(resolved.broke_down),
            survival_at_real=float(np.nanmean(outcome.survival_at(resolved.held_days))),
            median_days=None if median is None or not np.isfinite(median) else median, survival=checkpoints,
        )
    return CaseScore(**score, terms=terms, durability=durability)


def _term_scores(resolved: ResolvedCase, deals: np.ndarray, floor: float, forecast_model: str) -> list[TermScore]:
    problem, real = resolved.problem, resolved.package
    nash, kalai = problem.nash_point(), problem.kalai_smorodinsky_point()
    forecast = None
    try:
        forecast = problem.forecast(forecast_model)
    except ValueError:
        pass
    scores = []
    for j, issue in enumerate(problem.issue_ids):
        labels = problem.option_labels[j]
        real_position = position(problem, j, int(real[j]))
        if problem.grids[j] is not None and real_position is not None:
            real_position = float(resolved.real_values[issue])
        shares = deals[:, j] if len(deals) else np.zeros(0, dtype=np.int64)
        p_term = float((shares == real[j]).mean()) if len(shares) else 0.0
        scale = np.array([np.nan if (v := position(problem, j, k)) is None else v for k in range(len(labels))])
        placed = scale[shares]
        numbers = placed[~np.isnan(placed)]
        forecast_position = forecast_label = None
        if forecast is not None and issue in forecast.issue_ids:
            k = forecast.issue_ids.index(issue)
            forecast_position = float(forecast.to_issue_scale(forecast.forecast[-1, k], k))
            named = forecast.labels[k]
            forecast_label = f"{forecast_position:.4g}" if named is None else f"{named[int(round(forecast_position))]} ({forecast_position:.2f})"
        forecast_distance = None
        if forecast_position is not None and real_position is not None:
            forecast_distance = forecast_position - real_position
        scores.append(
            TermScore(
                issue=issue, issue_name=problem.issue_names[j], scale=_scale(problem, j), real=labels[int(real[j])] if problem.grids[j] is None or real_position is None else f"{real_position:g}",
                real_position=real_position, p_term=p_term, log_score=float(log_score(p_term, floor)),
                nash=None if nash is None else labels[int(nash.package[j])],
                nash_distance=None if nash is None else _distance(problem, j, int(nash.package[j]), int(real[j]), real_position),
                kalai_smorodinsky=None if kalai is None else labels[int(kalai.package[j])],
                kalai_smorodinsky_distance=None if kalai is None else _distance(problem, j, int(kalai.package[j]), int(real[j]), real_position),
                forecast=forecast_label, forecast_position=forecast_position, forecast_distance=forecast_distance,
                simulated_mean=float(numbers.mean()) if len(numbers) else None,
                simulated_low=float(np.quantile(numbers, 0.1)) if len(numbers) else None,
                simulated_high=float(np.quantile(numbers, 0.9)) if len(numbers) else None,
                simulated_deferred=float(np.isnan(placed).mean()) if len(placed) and problem.issue_kinds[j] != "categorical" else None,
                options=tuple(problem.settled_labels(j)) if problem.issue_kinds[j] == "ordered" else (),
            )
        )
    return scores


def calibration_table(cases: list[CaseScore], checkpoints=CALIBRATION_DAYS) -> list[CalibrationRow]:
    """Per checkpoint: mean predicted survival against the Kaplan-Meier estimate over the cases."""
    scored = [c.durability for c in cases if c.durability is not None]
    if not scored:
        return []
    durations = np.array([d.days for d in scored])
    observed = np.array([d.broke_down for d in scored])
    estimate = kaplan_meier(durations, observed, checkpoints)
    risk = at_risk(durations, checkpoints)
    rows = []
    for k, days in enumerate(checkpoints):
        known, held = known_at(durations, observed, days)
        rows.append(
            CalibrationRow(
                days=days, predicted=float(np.mean([d.survival[days] for d in scored])), kaplan_meier=float(estimate[k]),
                known=int(known.sum()), at_risk=int(risk[k]), held=int(held.sum()),
            )
        )
    return rows


def fixed_breakdown(problem: Problem, risk: float) -> Problem:
    """The same problem with talks that break down with probability ``risk`` after every round
    without agreement: the scenario's breakdown risk, its growth and their distributions replaced
    (``risk`` 0 with a round cap: a pure deadline)."""
    from dataclasses import replace

    if not 0 <= risk <= 1:
        raise InputError(f"breakdown risk: found {risk:g}; expected a probability in [0, 1]")
    kept = tuple(item for item in problem.uncertain if item.field not in ("breakdown_risk", "breakdown_growth"))
    return replace(problem, breakdown_risk=float(risk), breakdown_growth=0.0, uncertain=kept)


def _with_settings(case: ResolvedCase, breakdown_risk: float | None) -> ResolvedCase:
    if breakdown_risk is None:
        return case
    from dataclasses import replace

    return replace(case, problem=fixed_breakdown(case.problem, breakdown_risk))


def backtest(
    cases: list[ResolvedCase], *, name: str = "back-test", runs: int = 2000, seed: int = 0, noise: float = 0.1, floor: float = DEFAULT_FLOOR,
    forecast_model: str = "smp", progress: Callable[[int], None] | None = None, breakdown_risk: float | None = None, **simulation,
) -> BacktestResult:
    """Score every case (see :func:`score_case`); ``progress`` is called with runs done, across cases.

    ``simulation`` goes to :func:`truce.simulate.simulate` for every case (``protocol``,
    ``strategies``, ``first_proposer``, ``rounds``); ``breakdown_risk`` replaces every scenario's
    breakdown risk (see :func:`fixed_breakdown`). The settings given are recorded in the result."""
    simulation = {key: value for key, value in simulation.items() if value is not None}
    settings = dict(simulation) if breakdown_risk is None else {**simulation, "breakdown_risk": breakdown_risk}
    scores = [
        score_case(_with_settings(case, breakdown_risk), runs=runs, seed=seed, noise=noise, floor=floor, forecast_model=forecast_model, progress=progress, **simulation)
        for case in cases
    ]
    return BacktestResult(
        name=name, runs=runs, seed=seed, noise=noise, floor=floor, forecast_model=forecast_model, cases=scores, calibration=calibration_table(scores),
        settings=settings,
    )
