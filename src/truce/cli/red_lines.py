"""How `truce explain` prints the red lines on single issues that block a zone (a helper, not a command)."""

from __future__ import annotations

from rich.table import Table

from truce.cli.common import console


def move_words(problem, move, names) -> str:
    """``North accepts patrols: full (1 option admitted)``."""
    steps = f"{move.steps} option{'s' if move.steps > 1 else ''} admitted"
    return f"{names[problem.party_ids[move.party]]} accepts {problem.issue_ids[move.issue]}: {problem.option_labels[move.issue][move.option]} ({steps})"


def print_red_lines(problem, explanation, names) -> None:
    blockage = explanation.red_lines
    console.print(
        "Zone of possible agreement: [red]none[/red] within the parties' red lines on single issues. "
        "The smallest change of red lines that opens one, with the no-deal values unchanged "
        "(fewest stances moved, then fewest options admitted):"
    )
    table = Table(title="Red lines that block a zone: how far they must move")
    for column in ("whose red lines move", "moves", "on the package", "utilities"):
        table.add_column(column)
    rows = [(f"{names[problem.party_ids[c.party]]} alone", c) for c in blockage.alone] + [("every party, jointly", blockage.joint)]
    for label, change in rows:
        if change.package is None:
            if change.party is None:
                why = "lifting every red line opens no zone: the no-deal values block it"
            elif not any(table[:, change.party].any() for table in problem.ruled_out):
                why = "no red line on a single issue to move"
            else:
                why = "no change of its red lines alone opens a zone"
            table.add_row(label, why, "-", "-")
            continue
        terms = "; ".join(f"{problem.issue_ids[j]}: {problem.option_labels[j][o]}" for j, o in enumerate(change.package))
        utilities = ", ".join(f"{names[p]} {u:.3f}" for p, u in zip(problem.party_ids, change.utilities))
        table.add_row(label, "\n".join(move_words(problem, m, names) for m in change.moves), terms, utilities)
    console.print(table)
