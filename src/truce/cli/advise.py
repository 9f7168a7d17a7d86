"""`truce improve`: the Pareto improvements over the text on the table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from truce.cli.common import JsonOption, ScenarioArg, UserError, app, console, print_json

TextOption = Annotated[Path, typer.Option("--text", help="The draft agreement: a YAML/JSON file mapping each issue to an option.")]


@app.command()
def improve(
    scenario: ScenarioArg,
    text: TextOption,
    by: Annotated[str, typer.Option("--by", help="Rank by this solution concept: nash, nash-over-draft, utilitarian or egalitarian.")] = "nash",
    changes: Annotated[int, typer.Option("--changes", help="Search improvements that change at most this many issues (1-4).")] = 2,
    most: Annotated[int, typer.Option("--most", help="Show at most this many improvements of each kind.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Improve the text on the table: packages better for some party and worse for none, fewest changes first."""
    from truce.analysis.improve import CONCEPTS, SearchTooLarge, improve as find_improvements
    from truce.scenario import load
    from truce.scenario.draft import load_draft

    if by not in CONCEPTS:
        raise UserError(f"--by: found '{by}'; expected one of {', '.join(CONCEPTS)}")
    if not 1 <= changes <= 4:
        raise UserError(f"--changes: found {changes}; expected 1 to 4")
    if most < 1:
        raise UserError(f"--most: found {most}; expected a whole number >= 1")
    problem = load(scenario).compile()
    draft = load_draft(text, problem)
    try:
        result = find_improvements(problem, draft, concept=by, max_changes=changes)
    except SearchTooLarge as error:
        raise UserError(f"--changes: {error}") from None
    if as_json:
        print_json(result.to_dict(most=most))
        return

    names = dict(zip(problem.party_ids, problem.party_names))
    console.print(f"[bold]{problem.name}[/bold]: the draft")
    for j, option in enumerate(draft):
        console.print(f"  {problem.issue_names[j]}: {problem.option_labels[j][option]}")
    console.print(
        "Utilities: "
        + ", ".join(f"{names[p]} {u:.3f} (no deal {r:.3f})" for p, u, r in zip(problem.party_ids, result.draft_utilities, problem.reservation))
        + f"; {CONCEPTS[by]}: {result.draft_score:.4g}."
    )
    below = [names[p] for p, u, r in zip(problem.party_ids, result.draft_utilities, problem.reservation) if u <= r]
    if below:
        console.print(
            f"The draft gives {', '.join(below)} no more than no deal; improvements of equal score are ordered by the "
            "Nash product of gains over the draft (see `truce explain` for what blocks a deal)."
        )
    if result.draft_crosses:
        crossed = ", ".join(f"{names[result.party_ids[p]]}'s on {problem.issue_ids[j]} ({problem.option_labels[j][draft[j]]})" for p, j in result.draft_crosses)
        console.print(f"The draft crosses red lines: {crossed}. Every improvement below keeps within every red line.")
    if result.draft_is_efficient:
        within = " within every red line" if result.draft_crosses else ""
        console.print(f"The draft is efficient: no package{within} is better for one party without being worse for another.")
        return
    _table(result, result.small[:most], f"Smallest changes: improvements changing 1 to {result.max_changes} issues ({len(result.small):,} found), fewest first, then by {by}", names)
    if not result.small:
        console.print(f"No improvement changes {result.max_changes} issue(s) or fewer; the efficient improvements below change more.")
    _table(result, result.efficient[:most], f"Efficient improvements: frontier packages better than the draft ({len(result.efficient):,}), by {by}", names)


def _table(result, improvements, title: str, names: dict[str, str]) -> None:
    if not improvements:
        return
    table = Table(title=title)
    table.add_column("#")
    table.add_column("changes")
    for party in result.party_ids:
        table.add_column(f"{names[party]} +")
    table.add_column(f"{result.concept} score")
    table.add_column("efficient")
    for rank, item in enumerate(improvements, 1):
        table.add_row(
            str(rank),
            "\n".join(f"{result.issue_ids[j]}: {result.option_labels[j][old]} -> {result.option_labels[j][new]}" for j, old, new in item.changes)
            + (f"\n({item.ties:,} other package{'s' if item.ties > 1 else ''} with as few changes)" if item.ties else ""),
            *[f"{gain:+.3f}" for gain in item.gains],
            f"{item.score:.4g} ({item.score - result.draft_score:+.3g})",
            "yes" if item.efficient else "",
        )
    console.print(table)
