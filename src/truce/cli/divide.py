"""`truce divide`: Adjusted Winner for two parties who each spread 100 points over the issues."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from truce.cli.common import JsonOption, UserError, app, console, print_json

PointsArg = Annotated[
    str,
    typer.Argument(
        help="A CSV file: a header 'issue,PARTY,PARTY', then one row per issue with each party's points (each party's add up to 100); "
        "or a two-party scenario (built-in name or file), whose stakes become the points."
    ),
]


@app.command()
def divide(points: PointsArg, as_json: JsonOption = False) -> None:
    """Divide the issues fairly: Adjusted Winner (Brams & Taylor 1996) on a 100-point allocation, or on a scenario's stakes."""
    from truce.analysis.division import adjusted_winner
    from truce.analysis.points_csv import PointsError, read_points_csv
    from truce.limits import LimitError

    scenario = None
    if points.lower().endswith(".csv"):
        try:
            allocation = read_points_csv(points)
        except (PointsError, LimitError) as error:
            raise UserError(str(error)) from None
        division = adjusted_winner(allocation.points, allocation.party_names, allocation.issue_names)
    else:
        from truce.analysis.stake_division import divide_scenario
        from truce.errors import InputError
        from truce.scenario import load

        try:
            scenario = divide_scenario(load(points).compile())
        except InputError as error:
            raise UserError(f"{points}: {error}") from None
        division = scenario.division
    if as_json:
        print_json(division.to_dict() if scenario is None else scenario.to_dict())
        return

    first, second = division.party_names
    table = Table(title="Adjusted Winner (Brams & Taylor 1996): who gets each issue")
    for column in ("issue", f"{first} points", f"{second} points", f"{first} / {second}", "first won by", f"{first} gets", f"{second} gets"):
        table.add_column(column)
    for j, name in enumerate(division.issue_names):
        style = "bold" if j == division.split_issue else None
        table.add_row(
            name,
            f"{division.points[j, 0]:g}",
            f"{division.points[j, 1]:g}",
            _ratio(division.points[j, 0], division.points[j, 1]),
            division.party_names[int(division.winner[j])],
            _share(division.shares[j, 0]),
            _share(division.shares[j, 1]),
            style=style,
        )
    console.print(table)

    totals, others = division.totals, division.other_share_points
    if division.leader is None:
        console.print("After the winner phase both parties had the same points: nothing to adjust.")
    else:
        passed = ", ".join(division.issue_names[j] for j in division.transfers)
        console.print(
            f"After the winner phase {division.party_names[division.leader]} led; issues passed to the other party, "
            f"its least valued relative to the other's first: {passed}."
        )
    if division.split_issue is not None:
        console.print(f"Split issue: [bold]{division.issue_names[division.split_issue]}[/bold].")
    console.print(
        f"Points received: {first} {totals[0]:.2f}, {second} {totals[1]:.2f} "
        f"({'equal: equitable' if division.equitable else 'not equal'})."
    )
    console.print(
        f"Envy-free: {'yes' if division.envy_free else 'no'}: {first} values its share at {totals[0]:.2f} and the other's at "
        f"{others[0]:.2f}; {second} its own at {totals[1]:.2f} and the other's at {others[1]:.2f}."
    )
    holder = 0 if division.leader is None else division.leader
    mine, theirs = division.party_names[holder], division.party_names[1 - holder]
    console.print(
        f"Efficient: {'yes' if division.efficient else 'no'}: every issue {mine} holds any of has "
        f"{mine}'s points / {theirs}'s points >= {division.threshold:.4g}, and every issue {theirs} holds any of <= "
        f"{division.threshold:.4g}, so no other division gives one party more points without giving the other fewer."
    )
    if scenario is not None:
        console.print("Points: each party's stakes (the most each issue can move its utility), scaled to 100.")
        console.print("Package (each winner's best option; the split issue at the nearest option): " + "; ".join(f"{issue}: {term}" for issue, term in scenario.terms().items()))
        pairs = list(zip(division.party_names, scenario.utilities, scenario.reservation))
        console.print("It gives " + ", ".join(f"{name} {u:.3f} (no deal {r:.3f})" for name, u, r in pairs) + ".")
        below = [name for name, u, r in pairs if u <= r]
        if below:
            console.print(f"It leaves {', '.join(below)} no better off than with no deal: Adjusted Winner divides the stakes, not the gains over no deal.")


def _ratio(first: float, second: float) -> str:
    if second == 0:
        return "-" if first == 0 else "inf"
    return f"{first / second:.3g}"


def _share(fraction: float) -> str:
    if fraction <= 0:
        return "-"
    if fraction >= 1:
        return "all"
    return f"{fraction:.1%}"
