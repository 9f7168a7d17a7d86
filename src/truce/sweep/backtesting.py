"""A back-test at every point of a sweep: how the scores over a case file move with the model's inputs.

With ``analysis: backtest`` the sweep file names a case file (``cases``) instead of a scenario;
each parameter's path is set in every case's scenario (so a path must exist in each of them, e.g.
``talks.breakdown_risk`` or ``actors[hamas].reservation`` when every case has that actor). A task
is (point, case): :func:`truce.backtest.run.score_case` on the case with its scenario at the point's
values, ``runs`` runs seeded from ``SeedSequence(seed, spawn_key=(1, k))`` for case ``k`` (paired,
the default: case k has the same seed at every point) or ``(1, i, k)``, as every sweep task. Its
row holds the case's scores; the points' table gives per point the scores over the cases as
``truce backtest`` does (the mean Brier score, the discrimination AUC, the mean log scores), and
each case's P(deal). A sweep varies values, not the issues or their options, so each case's real
package keeps its option indices.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from truce.sweep.design import Variant, variants
from truce.sweep.results import TIMINGS
from truce.sweep.spec import Sweep, SweepError


def load_case_file(sweep: Sweep, source: str):
    """The sweep's case file, relative to the sweep file's folder if there is one, else a shipped name or path."""
    from truce.backtest.casefile import CaseFileError, load_cases

    given = Path(sweep.cases)
    beside = given if given.is_absolute() else Path(source).parent / given
    try:
        return load_cases(beside if beside.is_file() else sweep.cases)
    except CaseFileError as error:
        raise SweepError(source, (("cases", str(error).replace("\n", " ")),)) from None


def plan_backtest(sweep: Sweep, source: str):
    """The points (each holding every case's scenario at its values) and the tasks (point, case) of a back-test sweep."""
    from truce.sweep.run import Plan
    from truce.sweep.spec import MAX_TASKS
    from truce.sweep.tasks import Task, engine_options, task_seed

    case_file, label, resolved = load_case_file(sweep, source)
    by_scenario: dict[str, list[Variant]] = {}
    for case in resolved:
        name = case.case.scenario
        if name not in by_scenario:
            try:
                by_scenario[name] = variants(sweep, case.scenario, source)
            except SweepError as error:
                raise SweepError(source, tuple((where, f"{message} (in the scenario {name} of the cases)") for where, message in error.problems)) from None
            _same_issues(case, by_scenario[name][0], source)
    points = len(next(iter(by_scenario.values())))
    if points * len(resolved) > MAX_TASKS:
        raise SweepError(source, (("parameters", f"found {points * len(resolved):,} tasks ({points:,} points x {len(resolved)} cases); expected at most {MAX_TASKS:,}"),))
    found, tasks = [], []
    blobs = [_case_blob(case) for case in resolved]
    options = tuple(sorted({**engine_options(sweep), **sweep.backtest.model_dump()}.items()))
    options = tuple((key, tuple(sorted(value.items())) if isinstance(value, dict) else value) for key, value in options)
    for point in range(points):
        scenarios = [by_scenario[case.case.scenario][point].scenario_json for case in resolved]
        # the point's "scenario" for the sweep's fingerprint: every case's scenario and what happened after it
        whole = json.dumps({"scenarios": scenarios, "cases": blobs})
        found.append(Variant(index=point, values=by_scenario[resolved[0].case.scenario][point].values, scenario_json=whole))
        for k, (blob, scenario_json) in enumerate(zip(blobs, scenarios)):
            tasks.append(Task(
                index=len(tasks), point=point, chunk=k, runs=sweep.runs, seed=task_seed(sweep.seed, point, k, sweep.paired),
                scenario_json=scenario_json, analysis="backtest", options=(*options, ("case", blob)), hold_days=sweep.hold_days,
            ))
    return Plan(sweep=sweep, source=source, scenario=None, variants=found, tasks=tasks, title=f"{case_file.name}: {len(resolved)} cases")


def _same_issues(case, variant: Variant, source: str) -> None:
    from truce.scenario.schema import Scenario

    problem = Scenario.model_validate_json(variant.scenario_json).compile()
    if problem.issue_ids != case.problem.issue_ids or problem.n_options.tolist() != case.problem.n_options.tolist():
        raise SweepError(source, (("parameters", f"change the issues or their options of {case.case.scenario}; expected values only, so that "
                                   f"case {case.case.id}'s real package keeps its meaning"),))


def _case_blob(case) -> str:
    """What a worker needs of a resolved case besides its scenario, as JSON (a task must pickle and hash)."""
    return json.dumps({
        "case": case.case.model_dump_json(), "as_of": case.as_of.isoformat(),
        "package": None if case.package is None else case.package.tolist(), "real_values": case.real_values,
        "held_days": case.held_days, "broke_down": case.broke_down,
    }, sort_keys=True)


def backtest_row(task, problem, options: dict) -> dict:
    """One case scored at one point (see the module docstring)."""
    import datetime

    from truce.backtest.casefile import Case, ResolvedCase
    from truce.backtest.run import score_case
    from truce.scenario.schema import Scenario

    options = dict(options)
    blob = json.loads(options.pop("case"))
    resolved = ResolvedCase(
        Case.model_validate_json(blob["case"]), Scenario.model_validate_json(task.scenario_json), problem,
        datetime.date.fromisoformat(blob["as_of"]), None if blob["package"] is None else np.array(blob["package"], dtype=np.int64),
        blob["real_values"], blob["held_days"], blob["broke_down"],
    )
    noise, floor, model = options.pop("noise"), options.pop("floor"), options.pop("forecast_model")
    for unused in ("mediator_noise", "all_at_once"):
        options.pop(unused, None)
    simulation = {key: value for key, value in options.items() if value is not None}
    score = score_case(resolved, runs=task.runs, seed=task.seed, noise=noise, floor=floor, forecast_model=model, **simulation)
    durable = score.durability
    return {
        "task": task.index, "point": task.point, "chunk": task.chunk, "seed": task.seed, "runs": task.runs, "case": score.case,
        "deal": int(score.deal), "p_deal": score.p_deal, "brier": score.brier,
        "package_log_score": np.nan if score.package_log_score is None else score.package_log_score,
        "term_log_score": np.nan if score.term_log_score is None else score.term_log_score,
        "broke_down": -1 if durable is None else int(durable.broke_down),
        "survival_at_real": np.nan if durable is None else durable.survival_at_real,
    }


def backtest_table(rows: pd.DataFrame, points: list[dict], columns: list[str]) -> pd.DataFrame:
    """One row per point: the parameters, then the scores over the cases (as ``truce backtest``'s overall
    figures) and each case's P(deal) (``p_deal:CASE``)."""
    from truce.backtest.scores import discrimination

    rows = rows.drop(columns=list(TIMINGS), errors="ignore").sort_values(["point", "chunk"], kind="stable")
    table = []
    for point, group in rows.groupby("point", sort=True):
        came = group["deal"].to_numpy() == 1
        p_deal = group["p_deal"].to_numpy(dtype=float)
        broke = group["broke_down"].to_numpy() == 1
        row = {"point": int(point), **{column: points[int(point)][column] for column in columns}, "tasks": len(group), "cases": len(group),
               "deals": int(came.sum()), "brier": float(group["brier"].mean()), "discrimination_auc": _number(discrimination(p_deal, came)),
               "mean_p_deal_where_deal": _mean(p_deal[came]), "mean_p_deal_where_none": _mean(p_deal[~came]),
               "package_log_score": _mean(group["package_log_score"].to_numpy(dtype=float)),
               "term_log_score": _mean(group["term_log_score"].to_numpy(dtype=float)),
               "survival_at_breakdown_mean": _mean(group["survival_at_real"].to_numpy(dtype=float)[broke])}
        row.update({f"p_deal:{case}": p for case, p in zip(group["case"], p_deal)})
        table.append(row)
    return pd.DataFrame(table)


def _number(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _mean(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else float("nan")
