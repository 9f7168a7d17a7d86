"""The analyses beyond a plain simulation that a sweep plays at each point: what-if and forecast
(and the back-test, in :mod:`truce.sweep.backtesting`).

- ``whatif``: each task plays its runs with the point's own levers (the point's baseline) and
  with each lever switched the other way (added when it is not in force there, dropped when it
  is), every variant from the task's one seed: common random numbers, as :func:`truce.mediation.whatif.what_if`
  plays them (Law & Kelton 2000, section 11.2). A task's row holds, per variant, the deals and the
  lasting deals (a ceasefire's deals still in force after ``hold_days``), and per lever the number
  of runs whose outcome the switch changed: the paired differences are -1, 0 or 1, so their sum is
  the difference of the deal counts and the sum of their squares the count of changed runs.
  From these sums each lever's paired difference gets its mean and normal 95% interval
  (mean +- 1.96 sd / sqrt(runs)), as what-if's own intervals.
- ``forecast``: one task per point, one call of :meth:`truce.problem.Problem.forecast`; its row is
  where each ordered or numeric issue settles in the issue's units (a number, or a fractional
  option index), and with the compromise model the weighted median too. The smp model with
  ``stochastic: true`` draws from the task's seed.

Every figure depends only on the sweep file, never on where or in which order tasks ran.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from truce.errors import InputError
from truce.sweep.results import TIMINGS, _mean_interval, _wilson

NO_LEVERS = "levers: found none in the scenario; expected a `levers:` list to switch (analysis: whatif)"


def _head(task) -> dict:
    return {"task": task.index, "point": task.point, "chunk": task.chunk, "seed": task.seed, "runs": task.runs}


def whatif_row(task, problem, options: dict) -> dict:
    """The task's runs with the point's levers and with each lever switched (see the module docstring)."""
    from truce.mediation.whatif import evaluate_levers

    if problem.n_levers == 0:
        raise InputError(NO_LEVERS)
    options = dict(options)
    all_at_once = options.pop("all_at_once", False)
    phased = bool(problem.phases) and not all_at_once
    options.pop("mediator_noise", None)  # evaluate_levers gives the mediator the parties' noise, as the sweep's simulate does
    play = partial(evaluate_levers, problem, runs=task.runs, seed=task.seed, hold_days=task.hold_days, phased=phased, **options)
    base = problem.lever_active.copy()
    _, agreed, lasting, _ = play(base)
    row = _head(task)
    row["deals"] = int(agreed.sum())
    row["lasting"] = int(lasting.sum()) if problem.ceasefire else -1
    for l, lever in enumerate(problem.lever_ids):
        switched = base.copy()
        switched[l] = not switched[l]
        _, agreed_l, lasting_l, _ = play(switched)
        row[f"deals:{lever}"] = int(agreed_l.sum())
        row[f"deal_changes:{lever}"] = int((agreed_l != agreed).sum())
        if problem.ceasefire:
            row[f"lasting:{lever}"] = int(lasting_l.sum())
            row[f"lasting_changes:{lever}"] = int((lasting_l != lasting).sum())
    return row


def forecast_row(task, problem, options: dict) -> dict:
    """Where each issue settles at the point (see the module docstring)."""
    model, rounds = options["model"], options.get("rounds")
    engine: dict = {}
    if model == "smp":
        stochastic = bool(options.get("stochastic"))
        engine = {"max_rounds": 100 if rounds is None else rounds, "seed": task.seed if stochastic else None,
                  "state_transitions": "Stochastic" if stochastic else "Deterministic"}
    elif model == "expected_utility" and rounds is not None:
        engine = {"rounds": rounds}
    result = problem.forecast(model, **engine)
    row = _head(task)
    row["forecast_rounds"] = int(result.forecast.shape[0] - 1)
    for j, issue in enumerate(result.issue_ids):
        row[f"forecast:{issue}"] = float(result.to_issue_scale(result.forecast[-1, j], j))
        if result.median is not None:
            row[f"median:{issue}"] = float(result.to_issue_scale(result.median[j], j))
    return row


def _backtest_row(task, problem, options: dict) -> dict:
    from truce.sweep.backtesting import backtest_row

    return backtest_row(task, problem, options)


ROWS = {"whatif": whatif_row, "forecast": forecast_row, "backtest": _backtest_row}


def _paired(changed_sum: np.ndarray, changes: np.ndarray, runs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and 95% interval of differences in {-1, 0, 1} from their sum and the sum of their squares."""
    return _mean_interval(changed_sum.astype(float), changes.astype(float), runs.astype(float))


def whatif_table(rows: pd.DataFrame, points: list[dict], columns: list[str]) -> pd.DataFrame:
    """One row per point: the point's P(deal) (and P(lasting deal)), then per lever the figure with it
    switched and the paired difference with its interval; ``best_lever``: the switch that raises the
    ranking measure (P(lasting deal) for a ceasefire, else P(deal)) most among those whose interval lies
    above zero (empty when none does), and ``best_delta`` its difference."""
    summed = rows.drop(columns=list(TIMINGS) + ["seed", "chunk", "task"], errors="ignore").groupby("point", sort=True).sum()
    table = pd.DataFrame({"point": summed.index.astype(int)})
    for column in columns:
        table[column] = [points[i][column] for i in table["point"]]
    runs = summed["runs"].to_numpy()
    table["tasks"] = rows.groupby("point", sort=True).size().to_numpy()
    table["runs"] = runs
    measures = ["deal"] + (["lasting"] if (rows["lasting"] >= 0).all() else [])
    for measure in measures:
        counts = summed["deals" if measure == "deal" else "lasting"].to_numpy()
        table[f"p_{measure}"] = counts / runs
        table[f"p_{measure}_low"], table[f"p_{measure}_high"] = _wilson(counts, runs)
    levers = [c.split(":", 1)[1] for c in summed.columns if c.startswith("deals:")]
    ranked = measures[-1]
    best = np.full(len(table), "", dtype=object)
    best_delta = np.full(len(table), np.nan)
    for lever in levers:
        for measure in measures:
            base = summed["deals" if measure == "deal" else "lasting"].to_numpy()
            counts = summed[f"{'deals' if measure == 'deal' else 'lasting'}:{lever}"].to_numpy()
            mean, low, high = _paired(counts - base, summed[f"{measure}_changes:{lever}"].to_numpy(), runs)
            table[f"p_{measure}:{lever}"] = counts / runs
            table[f"delta_{measure}:{lever}"], table[f"delta_{measure}_low:{lever}"], table[f"delta_{measure}_high:{lever}"] = mean, low, high
            if measure == ranked:
                better = (low > 0) & ~(mean <= best_delta)
                best = np.where(better, lever, best)
                best_delta = np.where(better, mean, best_delta)
    table["best_lever"] = best
    table["best_delta"] = best_delta
    return table


def forecast_table(rows: pd.DataFrame, points: list[dict], columns: list[str]) -> pd.DataFrame:
    """One row per point: its parameter values, the forecast's rounds and where each issue settles."""
    ordered = rows.sort_values("point", kind="stable").reset_index(drop=True)
    table = pd.DataFrame({"point": ordered["point"].astype(int)})
    for column in columns:
        table[column] = [points[i][column] for i in table["point"]]
    table["tasks"] = 1
    figures = ["forecast_rounds"] + [c for c in ordered.columns if c.startswith(("forecast:", "median:"))]
    for column in figures:
        table[column] = ordered[column].to_numpy()
    return table


def _backtest_table(rows: pd.DataFrame, points: list[dict], columns: list[str]) -> pd.DataFrame:
    from truce.sweep.backtesting import backtest_table

    return backtest_table(rows, points, columns)


TABLES = {"whatif": whatif_table, "forecast": forecast_table, "backtest": _backtest_table}
