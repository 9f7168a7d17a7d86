"""`truce sweep SWEEP.yaml`: a scenario's fields varied over many points, on this machine's cores or a Dask cluster."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from truce.cli.common import JsonOption, UserError, app, console, errors, print_json, progress_bar

IN_PROCESS_BELOW_SECONDS = 10.0
"""Without --workers, a sweep estimated under this much CPU time runs in the command's own process
(starting worker processes costs a few seconds: each imports truce and compiles its kernels)."""
SHOW_ABOVE_SECONDS = 5.0
SHOWN_POINTS = 30
"""Points listed in the table at most (all of them in the folder's points.csv and in --json)."""


@app.command()
def sweep(
    sweep_file: Annotated[Path, typer.Argument(metavar="SWEEP", help="A sweep file (YAML): the scenario, the fields to vary, the design, the runs.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="The sweep's folder: one file per committed task, then the points' table and plot (default: SWEEP's name + '-sweep' here).")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Worker processes on this machine (default: its cores, or this process alone for a sweep estimated under 10 s of CPU; 1: in this process).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(help="Run the tasks on an existing Dask cluster: its scheduler's address, e.g. tcp://HOST:8786.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Finish an interrupted sweep in --out: play only the tasks it has not committed.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Go on when the time estimate is over the budget (TRUCE_MAX_SECONDS), and start over in an --out folder that holds an earlier sweep.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Sweep a scenario's fields over a grid, random or Latin hypercube design: P(deal), rounds and utilities at every point (resumable)."""
    from truce.sweep import plan, run
    from truce.sweep.executor import cluster_threads

    if workers is not None and not 1 <= workers <= 1024:
        raise UserError(f"--workers: found {workers}; expected 1 to 1024")
    if workers is not None and scheduler is not None:
        raise UserError("--workers: found it with --scheduler; expected one of them (the cluster has its own workers)")
    chosen = plan(sweep_file)
    folder = out if out is not None else Path(f"{sweep_file.stem}-sweep")
    threads = cluster_threads(scheduler) if scheduler is not None else None
    committed = _committed(folder) if resume else set()
    todo = [task for task in chosen.tasks if task.index not in committed]
    estimate = _estimate(chosen, todo)
    if threads is None:
        small = estimate is None or estimate.seconds < IN_PROCESS_BELOW_SECONDS
        threads = max(1, min(workers or (1 if small else os.cpu_count() or 1), len(todo)))
    _check_budget(estimate, threads, force=force, where="the cluster" if scheduler else None)
    total = sum(task.runs for task in chosen.tasks)
    with progress_bar(as_json) as bar:
        progress = bar.add_task(f"Sweeping {len(chosen.variants):,} points", total=total)
        result = run(
            chosen, folder, workers=threads, scheduler=scheduler, resume=resume, force=force,
            progress=lambda runs: bar.advance(progress, runs),
            committed_before=lambda tasks, runs: bar.advance(progress, runs),
        )
    from truce.cli.recording import record

    summary = {key: value for key, value in result.to_dict().items() if key != "points"}
    summary.update(points=len(result.points), sweep_file=str(sweep_file), design=chosen.sweep.design, workers=threads, scheduler=scheduler, cases=chosen.sweep.cases)
    record("sweep", chosen.sweep.scenario, chosen.scenario, seed=chosen.sweep.seed, runs=chosen.sweep.runs, summary=summary, tables={"points": result.points})
    if as_json:
        print_json(result.to_dict())
        return
    _print(chosen, result, threads, scheduler)


def _committed(folder: Path) -> set[int]:
    from truce.sweep.folder import SweepFolder

    return set(SweepFolder(folder).committed())


def _estimate(chosen, todo):
    """Play one run of the first task (bad options fail here, naming the sweep file), then time a few
    (:func:`truce.estimate.probe`): the estimate of the tasks to play, or None when they are too few to time."""
    from truce.cli.budget import QUICK_RUNS
    from truce.errors import InputError
    from truce.estimate import probe
    from truce.sweep.spec import SweepError
    from truce.sweep.tasks import run_task

    first = chosen.tasks[0]

    def play(runs: int):
        return run_task(replace(first, runs=runs))

    analysis = chosen.sweep.analysis
    try:
        play(1)
    except InputError as error:
        raise SweepError(chosen.source, (("forecast" if analysis == "forecast" else "simulate", str(error)),)) from None
    runs_per_task = 1 if analysis == "forecast" else chosen.sweep.runs if analysis == "backtest" else chosen.sweep.runs_per_task
    if not todo or len(todo) * runs_per_task <= QUICK_RUNS:
        return None
    return probe(play, runs_per_task, len(todo))


def _check_budget(estimate, workers: int, *, force: bool, where: str | None) -> None:
    """Print the estimate when it is long; refuse past the budget (on the wall clock: CPU / workers) without --force."""
    from truce.estimate import BUDGET_VARIABLE, DOCS, OverBudget, duration, time_budget

    if estimate is None:
        return
    budget = time_budget()
    wall = estimate.seconds / workers
    on = f"{where} ({workers} threads)" if where else f"{workers} worker{'s' if workers > 1 else ''}"
    words = f"about {duration(wall)} on {on}: {estimate.words()} of CPU in all"
    if budget is not None and wall > budget:
        if not force:
            raise OverBudget(
                f"estimated time: {words}; expected at most {duration(budget)} (budget {BUDGET_VARIABLE}={budget:g} seconds, see {DOCS}). "
                f"Nothing was written: fewer points or runs would fit; or pass --force to go on, or set {BUDGET_VARIABLE}."
            )
        errors.print(f"Estimated time: {words}, over the budget of {duration(budget)}; going on (--force).", markup=False, highlight=False)
    elif wall > SHOW_ABOVE_SECONDS:
        errors.print(f"Estimated time: {words}.", markup=False, highlight=False)


def _print(chosen, result, workers: int, scheduler: str | None) -> None:
    table = result.points
    earlier = result.tasks - result.played
    where = f"on the Dask scheduler at {scheduler}" if scheduler else (f"on {workers} worker processes" if workers > 1 else "in this process")
    forecast = chosen.sweep.analysis == "forecast"
    size = f"{len(table):,} points, one forecast each ({result.tasks:,} tasks" if forecast else (
        f"{len(table):,} points x {chosen.sweep.runs:,} runs a case ({result.tasks:,} tasks, one a case" if chosen.sweep.analysis == "backtest" else None) or (
        f"{len(table):,} points x {chosen.sweep.runs:,} runs ({result.tasks:,} tasks of up to {chosen.sweep.runs_per_task:,} runs")
    console.print(
        f"[bold]{escape(chosen.name)}[/bold]: {size}, seed {chosen.sweep.seed}, design {chosen.sweep.design}, analysis {chosen.sweep.analysis}); "
        f"{result.played:,} tasks played {where} in {result.seconds:.1f} s" + (f", {earlier:,} committed before (--resume)" if earlier else "")
    )
    if chosen.sweep.analysis == "whatif":
        shown = _whatif_table(chosen, result)
    elif chosen.sweep.analysis == "forecast":
        shown = _forecast_table(chosen, result)
    elif chosen.sweep.analysis == "backtest":
        shown = _backtest_table(chosen, result)
    else:
        shown = _simulate_table(chosen, result)
    console.print(shown)
    if len(table) > SHOWN_POINTS:
        console.print(f"The first {SHOWN_POINTS} of {len(table):,} points; all of them in points.csv.")
    if result.folder is not None:
        folder = escape(str(result.folder))
        console.print(f"Wrote {folder}/points.csv, {folder}/points.parquet and {folder}/plot.html; the tasks' rows in {folder}/tasks/.")


def _simulate_table(chosen, result) -> Table:
    table = result.points
    parties = [c.split(":", 1)[1] for c in table.columns if c.startswith("utility:")]
    shown = Table(title="P(deal) at each point (95% interval, %); mean rounds and utilities among deals")
    for column in ["point", *result.columns, "P(deal)", "mean rounds", *[f"utility {p}" for p in parties]]:
        shown.add_column(escape(column))
    lasting = "p_lasting" in table.columns
    if lasting:
        shown.add_column(f"P(in force after {chosen.sweep.hold_days} days)")
    for _, row in table.head(SHOWN_POINTS).iterrows():
        cells = [str(int(row["point"]))] + [_value(row[c]) for c in result.columns]
        cells.append(_share(row["p_deal"], row["p_deal_low"], row["p_deal_high"]))
        cells.append(_number(row["rounds_mean"], "{:.1f}"))
        cells += [_number(row[f"utility:{p}"], "{:.3f}") for p in parties]
        if lasting:
            cells.append(_share(row["p_lasting"], row["p_lasting_low"], row["p_lasting_high"]))
        shown.add_row(*cells)
    return shown


def _whatif_table(chosen, result) -> Table:
    """Each point's P(deal) (P(lasting deal)) with its own levers, and the switch that raises it most."""
    table = result.points
    lasting = "p_lasting" in table.columns
    measure = f"P(in force after {chosen.sweep.hold_days} days)" if lasting else "P(deal)"
    shown = Table(title=f"At each point: {'P(deal), ' if lasting else ''}{measure} with the point's levers (95% interval, %); the lever switch that raises {measure} most")
    for column in ["point", *result.columns, "P(deal)", *([measure] if lasting else []), "best switch", "change"]:
        shown.add_column(escape(column))
    for _, row in table.head(SHOWN_POINTS).iterrows():
        cells = [str(int(row["point"]))] + [_value(row[c]) for c in result.columns]
        cells.append(_share(row["p_deal"], row["p_deal_low"], row["p_deal_high"]))
        if lasting:
            cells.append(_share(row["p_lasting"], row["p_lasting_low"], row["p_lasting_high"]))
        best = row["best_lever"]
        if best:
            key = "lasting" if lasting else "deal"
            cells += [escape(best), f"{row['best_delta']:+.1%} ({row[f'delta_{key}_low:{best}'] * 100:+.0f} to {row[f'delta_{key}_high:{best}'] * 100:+.0f})"]
        else:
            cells += ["none significant", "-"]
        shown.add_row(*cells)
    return shown


def _backtest_table(chosen, result) -> Table:
    """The back-test's scores over the cases at each point (as `truce backtest`'s overall figures)."""
    shown = Table(title="The back-test at each point: mean Brier score (lower is better), discrimination (AUC), mean log scores")
    for column in ["point", *result.columns, "Brier", "AUC", "package log score", "term log score"]:
        shown.add_column(escape(column))
    for _, row in result.points.head(SHOWN_POINTS).iterrows():
        shown.add_row(str(int(row["point"])), *[_value(row[c]) for c in result.columns], f"{row['brier']:.3f}", _number(row["discrimination_auc"], "{:.2f}"),
                      _number(row["package_log_score"], "{:.2f}"), _number(row["term_log_score"], "{:.2f}"))
    return shown


def _forecast_table(chosen, result) -> Table:
    """Where each issue settles at each point, in the issue's units (an option index for an ordered issue)."""
    table = result.points
    issues = [c.split(":", 1)[1] for c in table.columns if c.startswith("forecast:")]
    shown = Table(title=f"Where each issue settles at each point ({chosen.sweep.forecast.model}; issue's units, option index for an ordered issue)")
    for column in ["point", *result.columns, *issues]:
        shown.add_column(escape(column))
    for _, row in table.head(SHOWN_POINTS).iterrows():
        shown.add_row(str(int(row["point"])), *[_value(row[c]) for c in result.columns], *[f"{row[f'forecast:{i}']:.4g}" for i in issues])
    return shown


def _share(share: float, low: float, high: float) -> str:
    """``46.3% (41-51)``: the share and its interval in percent."""
    return f"{share:.1%} ({low * 100:.0f}-{high * 100:.0f})"


def _number(value: float, form: str) -> str:
    return "-" if value != value else form.format(value)  # NaN: no deal at the point


def _value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return escape(str(value))
