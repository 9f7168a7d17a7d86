"""`truce forecast`: where each issue settles, for scenarios and for KTAB / EU-example CSVs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.common import JsonOption, UserError, app, console, errors, print_json
from truce.cli.context import about, check_rounds_option
from truce.cli.recording import record
from truce.errors import InputError


@app.command()
def forecast(
    scenario: Annotated[str, typer.Argument(help="A built-in name, a scenario file, or a CSV in KTAB's or the EU example's format.")],
    model: Annotated[str, typer.Option(help="compromise, smp (KTAB's Spatial Model of Politics) or expected_utility.")] = "smp",
    rounds: Annotated[Optional[int], typer.Option(help="smp: most rounds (default 100); expected_utility: rounds (default 10).")] = None,
    seed: Annotated[Optional[int], typer.Option(help="smp with --stochastic: random seed (default 0).")] = None,
    stochastic: Annotated[bool, typer.Option(help="smp: stochastic state transitions.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Where each issue settles once every actor's influence counts, and how positions move."""
    from truce.scenario import load
    from truce.forecast.issues import MODELS

    if model not in MODELS:
        raise UserError(f"--model: found '{model}'; expected one of {', '.join(MODELS)}")
    check_rounds_option(rounds, least=0)
    options: dict = {}
    if seed is not None and not stochastic:
        errors.print("note: --seed has no effect without --stochastic (the deterministic models draw nothing)", markup=False, highlight=False)
    if model == "smp" and rounds == 0:
        raise UserError("--rounds: found 0; the smp model needs at least 1 round")
    if stochastic and model != "smp":
        raise UserError(f"--stochastic: applies only to --model smp, not {model}")
    if model == "smp":
        options = {
            "max_rounds": 100 if rounds is None else rounds,
            "seed": (seed if seed is not None else 0) if stochastic else None,
            "state_transitions": "Stochastic" if stochastic else "Deterministic",
        }
    elif model == "expected_utility" and rounds is not None:
        options = {"rounds": rounds}
    if scenario.lower().endswith(".csv"):
        _forecast_csv(Path(scenario), model, options, as_json)
        return
    with about(scenario):
        loaded = load(scenario)
        problem = loaded.compile()
        result = problem.forecast(model, **options)
    summary = result.to_dict()
    record("forecast", scenario, loaded, seed=options.get("seed"), summary=summary, tables={"positions": result.to_frame()})
    if as_json:
        print_json(summary)
        return
    console.print(f"[bold]{problem.name}[/bold]: forecast by {model}, {result.positions.shape[0] - 1} round(s)")
    if result.left_out:
        console.print(f"Left out (categorical, no order): {', '.join(result.left_out)}")
    if result.left_out_actors:
        console.print(f"Actors left out (no stance on any ordered or numeric issue): {', '.join(result.left_out_actors)}")
    table = Table(title="Where each issue settles")
    table.add_column("issue")
    if model == "compromise":
        table.add_column("weighted mean")
        table.add_column("weighted median")
        for j, name in enumerate(result.issue_names):
            table.add_row(name, result.describe(result.forecast[-1, j], j), result.describe(result.median[j], j))
    else:
        table.add_column("start (model's expected position)")
        table.add_column("forecast")
        for j, name in enumerate(result.issue_names):
            table.add_row(name, result.describe(result.forecast[0, j], j), result.describe(result.forecast[-1, j], j))
    console.print(table)
    if result.engine is not None and result.engine.moves:
        _print_moves(result.engine.moves, result.actor_names)


def _print_moves(moves, names) -> None:
    counts: dict[tuple[str, str, str], int] = {}
    for move in moves:
        if move.kind in ("accept", "confrontation", "compromise"):
            key = (names[move.actor], names[move.counterpart], move.kind)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return
    table = Table(title="Who moved toward whom (moves over all rounds)")
    for column in ("actor", "moved toward", "how", "times"):
        table.add_column(column)
    for (actor, counterpart, kind), times in sorted(counts.items(), key=lambda item: -item[1])[:12]:
        table.add_row(actor, counterpart, {"accept": "accepted a bargain", "confrontation": "gave way", "compromise": "compromised"}[kind], str(times))
    console.print(table)


def _named(message: str, actors: list[str], dimensions: list[str]) -> str:
    """An engine's ``actor 3`` and ``dimension 0`` (indices) as the file names them (issue 17)."""
    import re

    def actor(match: re.Match) -> str:
        k = int(match[1])
        return f"actor {actors[k]!r} (row {k + 1} of the actors)" if k < len(actors) else match[0]

    def dimension(match: re.Match) -> str:
        k = int(match[1])
        return f"dimension {dimensions[k]!r}" if k < len(dimensions) else match[0]

    return re.sub(r"\bdimension (\d+)\b", dimension, re.sub(r"\bactor (\d+)\b", actor, message))


def _forecast_csv(path: Path, model: str, options: dict, as_json: bool) -> None:
    """A KTAB-style or EU-example CSV, run as is and reported on its own scale."""
    import numpy as np
    from truce.forecast import read_expected_utility_csv, read_ktab_csv, smp, weighted_mean, weighted_median
    from truce.forecast import expected_utility as run_expected_utility
    from truce.forecast.readers import KTAB_SCALE

    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        data, scale = read_ktab_csv(path), KTAB_SCALE
    except InputError as ktab_error:
        try:
            data, scale = read_expected_utility_csv(path), 1.0
        except InputError as eu_error:
            raise UserError(f"{path}: neither a KTAB CSV ({ktab_error}) nor an actor/capability/position/salience CSV ({eu_error})") from None
    names = list(data.actor_names)
    dimensions = list(getattr(data, "dimension_names", ("Position",)))
    try:
        if model == "compromise":
            mean = weighted_mean(data.positions, data.capability, data.salience) * scale
            median = weighted_median(data.positions, data.capability, data.salience) * scale
            summary = {"model": model, "dimensions": dimensions, "weighted_mean": mean.tolist(), "weighted_median": median.tolist()}
            if as_json:
                print_json(summary)
                return
            table = Table(title=f"{path.name}: compromise (input scale)")
            for column in ("dimension", "weighted mean", "weighted median"):
                table.add_column(column)
            for d, name in enumerate(dimensions):
                table.add_row(name, f"{mean[d]:.4g}", f"{median[d]:.4g}")
            console.print(table)
            return
        if model == "smp":
            result = smp(data.capability, data.positions, data.salience, **options)
        else:
            result = run_expected_utility(data.capability, data.positions, data.salience, **options)
    except ValueError as error:
        raise UserError(f"{path}: {_named(str(error), names, dimensions)}") from None
    positions = result.trace.positions * scale
    forecasts = result.trace.forecast * scale
    if as_json:
        print_json(
            {
                "model": model,
                "scale": "0-100 (KTAB)" if scale != 1.0 else "as in the file",
                "actors": names,
                "dimensions": dimensions,
                "rounds": [
                    {
                        "round": t,
                        "positions": np.round(positions[t], 9).tolist(),
                        "forecast": np.round(forecasts[t], 9).tolist(),
                        "win_probabilities": None
                        if result.trace.win_probabilities is None
                        else np.round(result.trace.win_probabilities[t], 9).tolist(),
                    }
                    for t in range(positions.shape[0])
                ],
                "converged": bool(result.converged),
                "moves": [{**m.to_dict(), "position": [float(v * scale) for v in m.position]} for m in result.moves],
            }
        )
        return
    table = Table(title=f"{path.name}: {model}, {positions.shape[0] - 1} round(s), positions on the input's scale")
    table.add_column("actor")
    for d in dimensions:
        table.add_column(f"{d} start")
        table.add_column(f"{d} end")
    for a, name in enumerate(names):
        cells = []
        for d in range(len(dimensions)):
            cells += [f"{positions[0, a, d]:.2f}", f"{positions[-1, a, d]:.2f}"]
        table.add_row(name, *cells)
    table.add_row("forecast", *[f"{forecasts[t, d]:.2f}" for d in range(len(dimensions)) for t in (0, -1)], style="bold")
    console.print(table)
