"""`truce analyze`: the agreement space."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.common import JsonOption, ScenarioArg, UserError, app, console, nothing, optional, print_json
from truce.cli.context import about


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
    from truce.analysis.red_lines import has_red_lines, packages_within
    from truce.scenario import load

    if epsilon is not None and not epsilon > 0:
        raise UserError(f"--epsilon: found {epsilon:g}; expected a number > 0")
    with about(scenario):
        problem = load(scenario).compile()
        with console.status("Computing the Pareto frontier...") if not as_json else nothing():
            analysis = problem.analyze(epsilon=epsilon)
    if as_json:
        print_json(analysis.to_dict())
        return

    frontier, zopa = analysis.frontier, analysis.zopa
    console.print(f"[bold]{problem.name}[/bold]")
    console.print(
        f"{problem.n_parties} parties, {problem.n_issues} issues, {problem.n_outcomes:,} possible packages; "
        f"Pareto frontier: {len(frontier):,} {'exact' if frontier.exact else f'approximate (within {epsilon:g})'} points."
    )
    if has_red_lines(problem.ruled_out):
        console.print(
            f"Red lines: {packages_within(problem.ruled_out):,} of the {problem.n_outcomes:,} packages keep within every party's "
            "red lines; the frontier, the zone and the solutions are among them."
        )
    if zopa.exists:
        if zopa.exact:
            count = f"{zopa.count:,}"
        elif zopa.count >= 1:
            count = f"about {zopa.count:,.0f} (95% interval {zopa.interval[0]:,.0f}-{zopa.interval[1]:,.0f})"
        else:
            count = f"too few to estimate from a sample (at most {zopa.interval[1]:,.0f})"
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
        parties.add_row(name, f"{row.no_deal:.3f}", optional(row.efficient_low), optional(row.best))
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
    for line in tie_lines(analysis.solutions):
        console.print(line, markup=False, highlight=False)


TIES_LISTED = 5


def tie_lines(found) -> list[str]:
    """Say where a solution concept could not tell packages apart (issue 17): other frontier packages with
    the same score, listed in frontier order by the terms where they differ, and packages worth the same
    to every party; concepts that say the same thing share one line."""
    said: dict[str, list[str]] = {}
    for solution in found:
        concept = solution.name.split()[0]
        if solution.tied:
            count = len(solution.tied)
            listed = []
            for terms in solution.tied[:TIES_LISTED]:
                listed.append("; ".join(f"{issue}: {option}" for issue, option in terms.items() if solution.terms.get(issue) != option))
            more = f" and {count - TIES_LISTED} more" if count > TIES_LISTED else ""
            text = (
                f"{count} other package{'s' if count != 1 else ''} score{'' if count != 1 else 's'} the same; the one shown has the "
                "larger sum of utilities, then the larger smallest gain. Also tied: " + " | ".join(f"({text})" for text in listed) + more
            )
            said.setdefault(text, []).append(concept)
        if solution.same_utilities and solution.same_utilities > 1:
            text = (
                f"{solution.same_utilities:,} packages give every party exactly the utilities of the one shown "
                f"({', '.join(f'{issue}: {option}' for issue, option in solution.terms.items())}), the first of them in the order of the options"
            )
            said.setdefault(text, []).append(concept)
    return [f"Tie ({', '.join(concepts)}): {text}." for text, concepts in said.items()]
