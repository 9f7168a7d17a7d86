"""The ``truce`` command line: argument parsing and formatting only.

Every command takes SCENARIO as a built-in name (``truce scenarios``) or a
path to a YAML/JSON file. User errors (a bad file, a bad option) print a
message naming what is wrong and where, and exit with status 2 without a
traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from truce import __version__
from truce.scenario import Distribution, NumericIssue, Scenario, ScenarioError, builtin_scenarios, load
from truce.scenario.loading import load_file

app = typer.Typer(
    name="truce",
    help="Model, analyse, forecast and simulate mediated multi-party negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario name (see `truce scenarios`) or a YAML/JSON file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


class UserError(Exception):
    """A problem with what the user asked for; printed without a traceback, exit 2."""


def _number(value: float | Distribution) -> str:
    return value.describe() if isinstance(value, Distribution) else f"{value:g}"


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, allow_nan=False) + "\n")


@app.command()
def scenarios(as_json: JsonOption = False) -> None:
    """List the built-in scenarios."""
    catalogue = builtin_scenarios()
    if as_json:
        _print_json(catalogue)
        return
    table = Table(title="Built-in scenarios")
    table.add_column("name", style="bold")
    table.add_column("title")
    for name, title in catalogue.items():
        table.add_row(name, title)
    console.print(table)


@app.command()
def show(scenario: ScenarioArg, as_json: JsonOption = False) -> None:
    """Show a scenario's actors, issues and stances as tables."""
    loaded = load(scenario)
    if as_json:
        _print_json(loaded.model_dump(mode="json", exclude_none=True))
        return
    console.print(f"[bold]{loaded.name}[/bold]")
    if loaded.description:
        console.print(loaded.description.strip())

    actors = Table(title="Actors")
    for column in ("id", "name", "role", "capability", "no-deal value", "cost of delay / round"):
        actors.add_column(column)
    for actor in loaded.actors:
        is_party = actor.role == "party"
        actors.add_row(
            actor.id,
            actor.name,
            actor.role,
            _number(actor.capability),
            _number(actor.reservation) if is_party else "",
            _number(actor.cost_of_delay) if is_party else "",
        )
    console.print(actors)

    issues = Table(title="Issues")
    for column in ("id", "name", "kind", "options"):
        issues.add_column(column)
    for issue in loaded.issues:
        if isinstance(issue, NumericIssue):
            low, high = issue.range
            options = f"{low:g} .. {high:g} {issue.unit} (step {issue.step:g}, {len(issue.grid)} points)"
        else:
            options = ", ".join(issue.options)
        issues.add_row(issue.id, issue.name, issue.kind, options)
    console.print(issues)

    stances = Table(title="Stances: position (salience)")
    stances.add_column("actor")
    for issue in loaded.issues:
        stances.add_column(issue.id)
    for actor in loaded.actors:
        cells = []
        for issue in loaded.issues:
            stance = actor.stances.get(issue.id)
            position = stance.position if stance is None or isinstance(stance.position, str) else _number(stance.position)
            cells.append("" if stance is None else f"{position} ({_number(stance.salience)})")
        stances.add_row(actor.name, *cells)
    console.print(stances)


@app.command()
def analyze(
    scenario: ScenarioArg,
    epsilon: Annotated[
        Optional[float],
        typer.Option(help="Approximate the frontier to within this utility (bounds its size); default exact."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The agreement space: Pareto frontier, zone of possible agreement, solution concepts."""
    if epsilon is not None and not epsilon > 0:
        raise UserError(f"--epsilon: found {epsilon:g}; expected a number > 0")
    problem = load(scenario).compile()
    with console.status("Computing the Pareto frontier...") if not as_json else _nothing():
        analysis = problem.analyze(epsilon=epsilon)
    if as_json:
        _print_json(analysis.to_dict())
        return

    frontier, zopa = analysis.frontier, analysis.zopa
    console.print(f"[bold]{problem.name}[/bold]")
    console.print(
        f"{problem.n_parties} parties, {problem.n_issues} issues, {problem.n_outcomes:,} possible packages; "
        f"Pareto frontier: {len(frontier):,} {'exact' if frontier.exact else f'approximate (within {epsilon:g})'} points."
    )
    if zopa.exists:
        count = f"{zopa.count:,}" if zopa.exact else f"about {zopa.count:,.0f} (95% interval {zopa.interval[0]:,.0f}-{zopa.interval[1]:,.0f})"
        console.print(
            f"Zone of possible agreement: [green]yes[/green], {count} packages every party prefers to no deal "
            f"({zopa.share:.2%} of all)."
        )
    else:
        console.print(
            "Zone of possible agreement: [red]none[/red]: no package gives every party more than no deal."
        )

    parties = Table(title="Each party: no deal and its range among efficient acceptable packages")
    for column in ("party", "no-deal value", "lowest efficient", "best in ZOPA"):
        parties.add_column(column)
    for name, row in zip(problem.party_names, zopa.to_frame().itertuples()):
        parties.add_row(name, f"{row.no_deal:.3f}", _optional(row.efficient_low), _optional(row.best))
    console.print(parties)

    if not analysis.solutions:
        return
    solutions = Table(title="Solution concepts (utilities in [0, 1]; gain = utility - no-deal value)")
    solutions.add_column("")
    for solution in analysis.solutions:
        solutions.add_column(solution.name.split()[0])
    for issue in problem.issue_names:
        solutions.add_row(issue, *[s.terms[issue] for s in analysis.solutions])
    for p, name in enumerate(problem.party_names):
        solutions.add_row(
            f"{name}: utility (gain)",
            *[f"{s.utilities[p]:.3f} ({s.gains[p]:+.3f})" for s in analysis.solutions],
            style="cyan",
        )
    console.print(solutions)


def _optional(value: float) -> str:
    return "-" if value is None or np.isnan(value) else f"{value:.3f}"


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="A scenario file (YAML or JSON).")]) -> None:
    """Check a scenario file; print every problem with its path, or a summary."""
    loaded = load_file(path)
    problem = loaded.compile()
    console.print(
        f"[green]valid[/green]: {path}: {len(loaded.actors)} actors ({problem.n_parties} parties), "
        f"{problem.n_issues} issues, {problem.n_outcomes:,} possible packages"
    )


@app.command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of printing.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    text = json.dumps(Scenario.json_schema(), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    _write_atomically(output, text)
    errors.print(f"wrote {output}")


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so a failure leaves nothing half written."""
    if not path.parent.is_dir():
        raise UserError(f"{path}: folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"{path}: cannot write ({error.strerror})") from None


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"truce {__version__}")
        raise typer.Exit()


def main() -> None:
    """Console-script entry point: run the app, turning user errors into exit status 2."""
    try:
        app()
    except ScenarioError as error:
        errors.print(str(error), markup=False, highlight=False)
        sys.exit(2)
    except UserError as error:
        errors.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(2)
