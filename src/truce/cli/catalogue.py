"""Commands about scenario files: list the built-ins, show one, validate a file, print the JSON Schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.common import FollowSymlinksOption, ForceOption, JsonOption, ScenarioArg, app, console, errors, print_json, write_atomically


@app.command()
def scenarios(as_json: JsonOption = False) -> None:
    """List the built-in scenarios."""
    from truce.scenario import builtin_scenarios

    catalogue = builtin_scenarios()
    if as_json:
        print_json(catalogue)
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
    from truce.scenario import NumericIssue, load
    from truce.scenario.distributions import in_words

    loaded = load(scenario)
    if as_json:
        print_json(loaded.model_dump(mode="json", exclude_none=True))
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
            in_words(actor.capability),
            in_words(actor.reservation) if is_party else "",
            in_words(actor.cost_of_delay) if is_party else "",
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

    from truce.scenario.schema.red_lines import in_words as red_line_words

    stances = Table(title="Stances: position (salience); red lines")
    stances.add_column("actor")
    for issue in loaded.issues:
        stances.add_column(issue.id)
    for actor in loaded.actors:
        cells = []
        for issue in loaded.issues:
            stance = actor.stances.get(issue.id)
            if stance is None:
                cells.append("")
                continue
            position, salience = stance.in_words()
            red_line = "" if stance.red_line is None else f"; red line: {red_line_words(stance.red_line)}"
            cells.append(f"{position} ({salience}){red_line}")
        stances.add_row(actor.name, *cells)
    console.print(stances)


@app.command()
def validate(path: Annotated[str, typer.Argument(help="A scenario file (YAML or JSON), or a built-in name.")]) -> None:
    """Check a scenario file; print every problem with its path, or a summary."""
    from truce.scenario import load

    loaded = load(path)
    problem = loaded.compile()
    console.print(
        f"[green]valid[/green]: {path}: {len(loaded.actors)} actors ({problem.n_parties} parties), "
        f"{problem.n_issues} issues, {problem.n_outcomes:,} possible packages"
    )


@app.command()
def schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of printing.")] = None,
    force: ForceOption = False,
    follow_symlinks: FollowSymlinksOption = False,
) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    from truce.scenario import Scenario

    text = json.dumps(Scenario.json_schema(), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_atomically(output, text, force=force, follow_symlinks=follow_symlinks)
    errors.print(f"wrote {output}")
