"""`truce tournament`: strategies x scenarios x role assignments, ranked by mean utility."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.budget import QUICK_RUNS
from truce.cli.common import FollowSymlinksOption, JsonOption, UserError, app, check_output, console, errors, print_json, progress_bar, write_atomically

OUTPUT_KINDS = (".csv", ".json")
HEADINGS = {"utility": "utility", "gain": "gain", "agreement": "agreed", "nash_distance": "to Nash", "welfare": "welfare"}
CAPTION = (
    "utility: mean utility of the outcome (no deal: the reservation value); gain: over no deal; agreed: share of "
    "negotiations with a deal; to Nash: distance of the outcome to the Nash point; welfare: sum of the parties' "
    "utilities. 95% intervals: Student's t (±), Wilson's for the share agreed."
)


@app.command()
def tournament(
    spec: Annotated[Path, typer.Argument(help="A tournament spec (YAML or JSON): strategies, scenarios, repetitions, seed.", show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the ranking to this .csv or .json file.")] = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write an HTML page with the figure (mean utility and agreement rate with their intervals).")] = None,
    seats: Annotated[Optional[Path], typer.Option("--seats", help="Write one CSV row per seat (a role in a negotiation) to this file.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Go on even when the time estimate is over the budget (TRUCE_MAX_SECONDS), and overwrite output files that exist.")
    ] = False,
    follow_symlinks: FollowSymlinksOption = False,
    as_json: JsonOption = False,
) -> None:
    """Play an ANAC-style tournament: every strategy against every other in every role of every scenario; rank them by mean utility."""
    from truce.tournament import play_tournament, read_spec, resolve, schedule

    for path, option in ((output, "--output"), (plot, "--plot"), (seats, "--seats")):
        if path is not None:
            check_output(path, force=force, follow_symlinks=follow_symlinks, option=option)
    if output is not None and output.suffix.lower() not in OUTPUT_KINDS:
        raise UserError(f"--output {output}: found '{output.suffix or 'no extension'}'; expected a file ending in .csv or .json")
    document, source, folder = read_spec(spec)
    contestants, venues = resolve(document, source, folder)
    matches = schedule(document, contestants, venues)
    _check_caps(document, venues, matches, source)
    _estimate_first(document, contestants, venues, matches, source, force=force)
    with progress_bar(as_json) as bar:
        task = bar.add_task(f"Playing {len(matches):,} matches", total=len(matches))
        result = play_tournament(document, contestants, venues, progress=lambda done: bar.advance(task, done))
    from truce.cli.recording import record

    record("tournament", seed=result.seed, runs=result.negotiations, summary={"spec": str(spec), **result.to_dict()},
           tables={"ranking": result.to_frame(), "seats": result.seats_frame()})
    if output is not None:
        text = result.to_frame().to_csv(index=False) if output.suffix.lower() == ".csv" else _json_text(result.to_dict())
        write_atomically(output, text, force=force, follow_symlinks=follow_symlinks, option="--output")
    if seats is not None:
        write_atomically(seats, result.seats_frame().to_csv(index=False), force=force, follow_symlinks=follow_symlinks, option="--seats")
    if plot is not None:
        from truce.report.figures.tournament import tournament_html

        write_atomically(plot, tournament_html(result), force=force, follow_symlinks=follow_symlinks, option="--plot")
    if as_json:
        print_json(result.to_dict())
        return
    _print_ranking(result)


def _json_text(data: dict) -> str:
    import json

    from truce.json_safe import finite

    return json.dumps(finite(data), indent=2, allow_nan=False) + "\n"


def _check_caps(spec, venues, matches, source: str) -> None:
    """The caps on runs x rounds over every match and on memory (:mod:`truce.limits`), before any probe."""
    from truce.limits import LimitError, Limits, check_simulation_memory, check_work
    from truce.tournament import SpecError

    limits = Limits.from_env()
    for v, venue in enumerate(venues):
        problem = venue.problem
        count = sum(1 for match in matches if match.venue == v)
        try:
            check_work(spec.repetitions, spec.rounds or problem.rounds, limits, simulations=count, what="repetitions",
                       rounds_what="rounds" if spec.rounds else f"scenarios[{v}].rounds")
            check_simulation_memory(spec.repetitions, problem.n_parties, problem.n_issues, len(problem.uncertain), limits)
        except LimitError as error:
            path = error.path or "repetitions"
            raise SpecError(source, ((path, str(error).removeprefix(f"{path}: ")),)) from None


def _estimate_first(spec, contestants, venues, matches, source: str, *, force: bool) -> None:
    """Probe one match of each scenario (:func:`truce.estimate.probe`), add the scenarios' estimates up and refuse
    past the budget without --force (:func:`truce.estimate.check_budget`)."""
    from truce.estimate import Estimate, OverBudget, check_budget, probe, time_budget
    from truce.tournament.play import play_match, venue_seed

    if spec.repetitions * len(matches) <= QUICK_RUNS:
        return
    budget = time_budget()
    parts = []
    for v, venue in enumerate(venues):
        count = sum(1 for match in matches if match.venue == v)
        parties = venue.problem.n_parties
        assignment = tuple(k % len(contestants) for k in range(parties))  # as many different strategies as fit
        seed = venue_seed(spec.seed, v)
        parts.append((count, probe(lambda n: play_match(spec, contestants, venue, assignment, seed=seed, runs=n), spec.repetitions, count)))
    total = sum(count for count, _ in parts)
    estimate = Estimate(
        runs=spec.repetitions, simulations=total,
        setup=sum(count * part.setup for count, part in parts) / total,
        per_run=sum(count * part.per_run for count, part in parts) / total,
        probe_runs=max(part.probe_runs for _, part in parts), probe_seconds=sum(part.probe_seconds for _, part in parts),
    )
    try:
        line = check_budget(estimate, budget, force=force, runs_option="repetitions")
    except OverBudget as error:
        raise OverBudget(_in_tournament_words(str(error))) from None
    if line is not None:
        errors.print(_in_tournament_words(line), markup=False, highlight=False)


def _in_tournament_words(text: str) -> str:
    """The estimate's words for a tournament: a simulation is a match, its runs are the repetitions."""
    return text.replace(" runs x ", " repetitions x ").replace(" simulations", " matches")


def _cell(figure, share: bool = False) -> str:
    """The mean over its interval: ``0.300`` over ``±0.025`` (a t interval is symmetric), ``10.7%`` over
    ``(7.3-15.2)`` (Wilson's is not); ``-`` without a value."""
    if figure.n == 0 or figure.mean != figure.mean:
        return "-"
    if share:
        return f"{figure.mean:.1%}\n({figure.low * 100:.1f}-{figure.high * 100:.1f})"
    if figure.low != figure.low:
        return f"{figure.mean:.3f}"
    return f"{figure.mean:.3f}\n±{figure.high - figure.mean:.3f}"


def _print_ranking(result) -> None:
    from truce.tournament.scores import FIGURES

    console.print(
        f"[bold]{result.name}[/bold]: {len(result.labels)} strategies x {len(result.scenarios)} scenario(s), "
        f"{result.matches:,} matches x {result.repetitions:,} repetitions = {result.negotiations:,} negotiations, seed {result.seed}"
    )
    seats = sorted({entry.seats for entry in result.ranking})
    each = f"{seats[0]:,} seats each" if len(seats) == 1 else f"{seats[0]:,} to {seats[-1]:,} seats each"
    utility = "mean discounted utility" if result.discounted else "mean utility"
    table = Table(title=f"Ranked by {utility} ({each}: a seat is one role in one negotiation)", caption=CAPTION)
    table.add_column("rank", justify="right")
    table.add_column("strategy", no_wrap=True)
    for key in FIGURES:
        table.add_column(HEADINGS[key], no_wrap=True)
    for rank, entry in enumerate(result.ranking, 1):
        table.add_row(str(rank), entry.label, *(_cell(entry.figures[key], key == "agreement") for key in FIGURES))
    console.print(table)
    missing = [name for name, point in zip(result.scenarios, result.nash) if point is None]
    if missing:
        console.print(f"No zone of agreement, so no Nash point and no Nash distance, in: {', '.join(missing)}")
