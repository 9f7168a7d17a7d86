"""`truce explain`: what blocks a deal, where its joint gains are, why simulated talks failed, why actors moved."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.common import JsonOption, ScenarioArg, UserError, app, console, print_json, progress_bar
from truce.errors import InputError


MOVED_AT_LEAST = 0.5
"""Rows of the forecast table: actor-issue pairs that moved at least this far on the 0-100 scale."""


@app.command()
def explain(
    scenario: ScenarioArg,
    runs: Annotated[int, typer.Option(help="Also simulate this many runs and say why the failed ones failed (0: no simulation).")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed of the simulation.")] = 0,
    forecast: Annotated[Optional[str], typer.Option(help="Also run this dynamic forecast (smp or expected_utility) and say why each actor moved.")] = None,
    trades: Annotated[int, typer.Option(help="Show at most this many trades.")] = 5,
    trade_issues: Annotated[int, typer.Option("--trade-issues", help="Trades change 2 to this many issues (2-4).")] = 3,
    as_json: JsonOption = False,
) -> None:
    """What blocks a deal (red lines and how far they must move), or where the joint gains are (logrolling); why runs failed."""
    from truce.analysis.explain import explain as explain_space
    from truce.scenario import load

    if not 0 <= runs <= 10_000_000:
        raise UserError(f"--runs: found {runs}; expected 0 to 10,000,000")
    if forecast not in (None, "smp", "expected_utility"):
        raise UserError(f"--forecast: found '{forecast}'; expected smp or expected_utility")
    if trades < 1:
        raise UserError(f"--trades: found {trades}; expected a whole number >= 1")
    if not 2 <= trade_issues <= 4:
        raise UserError(f"--trade-issues: found {trade_issues}; expected 2 to 4")
    problem = load(scenario).compile()
    explanation = explain_space(problem, most_trades=trades, trade_issues=trade_issues)
    data = explanation.to_dict()
    endings = paths = None
    if runs:
        endings, phase_note = _simulate(problem, runs, seed, quiet=as_json)
        data["simulation"] = {
            "runs": runs,
            "seed": seed,
            "talks": phase_note,
            "endings": [
                {"ending": e.kind, "runs": e.runs, "share": e.share, "interval": list(e.interval), "share_of_failures": e.share_of_failures, "median_round": e.median_round}
                for e in endings
            ],
        }
    if forecast:
        from truce.mediation.explain import actor_moves

        try:
            paths = actor_moves(problem.forecast(forecast))
        except InputError as error:
            raise UserError(f"--forecast: {error}") from None
        data["forecast"] = {
            "model": forecast,
            "actors": [
                {"actor": p.actor, "start": p.start, "end": p.end, "moved": p.moved, "moves": [m.to_dict() for m in p.moves]}
                for p in paths
            ],
        }
    if as_json:
        print_json(data)
        return
    names = dict(zip(problem.party_ids, problem.party_names))
    console.print(f"[bold]{problem.name}[/bold]")
    if explanation.red_lines is not None:
        from truce.cli.red_lines import print_red_lines

        print_red_lines(problem, explanation, names)
    if explanation.blockage is not None:
        _print_blockage(problem, explanation, names)
    elif explanation.zopa:
        _print_joint_gains(problem, explanation, names)
    if endings is not None:
        _print_endings(endings, runs, seed, phase_note)
    if paths is not None:
        _print_paths(paths, forecast, dict(zip(problem.actor_ids, problem.actor_names)))


def _simulate(problem, runs: int, seed: int, quiet: bool):
    from truce.mediation.explain import failure_reasons
    from truce.simulate import simulate, simulate_phases

    with progress_bar(quiet) as bar:
        task = bar.add_task("Simulating", total=runs * (len(problem.phases) if problem.phases else 1))
        if problem.phases:
            result = simulate_phases(problem, runs=runs, seed=seed, progress=lambda done: bar.advance(task, done)).first
            note = f"phase 1's talks ({problem.phases[0].name})"
        else:
            result = simulate(problem, runs=runs, seed=seed, progress=lambda done: bar.advance(task, done))
            note = "all issues in one agreement"
    return failure_reasons(result), note


def _terms(problem, package) -> str:
    return "; ".join(f"{problem.issue_ids[j]}: {problem.option_labels[j][o]}" for j, o in enumerate(package))


def _print_blockage(problem, explanation, names) -> None:
    blockage = explanation.blockage
    if explanation.red_lines is None:
        console.print("Zone of possible agreement: [red]none[/red]. The red lines that block it are the no-deal values:")
    else:
        console.print("Or, every red line on single issues kept, the no-deal values would have to fall:")
    table = Table(title="Each party alone: how far its no-deal value must fall, the others' unchanged")
    for column in ("party", "no-deal value", "must fall below", "by more than", "on the package"):
        table.add_column(column)
    for line in blockage.red_lines:
        party = names[problem.party_ids[line.party]]
        if line.needed is None:
            table.add_row(party, f"{line.reservation:.3f}", "-", "cannot alone", "no package satisfies the others")
        else:
            table.add_row(party, f"{line.reservation:.3f}", f"{line.needed:.3f}", f"{line.drop:.3f}", _terms(problem, line.package))
    console.print(table)
    drops = ", ".join(f"{names[p]} {d:.3f}" for p, d in zip(problem.party_ids, blockage.joint_drops))
    console.print(f"Jointly, the smallest total drop is {blockage.joint_total:.3f} ({drops}), on: {_terms(problem, blockage.joint_package)}.")
    console.print(f"If every party gave up the same, each would need to drop its no-deal value by more than {blockage.equal_drop:.3f}, on: {_terms(problem, blockage.equal_package)}.")
    concessions = Table(title="On that package, what each party gives up on each issue against its best option there")
    concessions.add_column("issue")
    for party in problem.party_ids:
        concessions.add_column(names[party])
    for j, issue in enumerate(problem.issue_ids):
        concessions.add_row(issue, *[f"{blockage.concessions[p, j]:.3f}" for p in range(problem.n_parties)])
    console.print(concessions)


def _print_joint_gains(problem, explanation, names) -> None:
    import numpy as np  # here, not at import: `truce --help` need not load numpy

    gains = explanation.joint_gains
    console.print("Zone of possible agreement: [green]yes[/green]. Where the joint gains come from (logrolling):")
    table = Table(title="Stakes: the most each issue can move each party's utility (share of the party's total in brackets)")
    table.add_column("issue")
    for party in problem.party_ids:
        table.add_column(names[party])
    table.add_column("matters most to")
    shares = gains.stakes / np.maximum(gains.stakes.sum(axis=1, keepdims=True), 1e-12)
    for j, issue in enumerate(problem.issue_ids):
        ranked = np.argsort(-shares[:, j], kind="stable")
        most = names[problem.party_ids[ranked[0]]] if problem.n_parties == 1 or shares[ranked[0], j] > shares[ranked[1], j] + 1e-9 else "equally"
        table.add_row(issue, *[f"{gains.stakes[p, j]:.3f} ({shares[p, j]:.0%})" for p in range(problem.n_parties)], most)
    console.print(table)
    utilities = ", ".join(f"{names[p]} {u:.3f}" for p, u in zip(problem.party_ids, gains.compromise_utilities))
    console.print(f"Issue-by-issue compromise (on each issue the option with the best worst value): {_terms(problem, gains.compromise)}; utilities {utilities}.")
    if not gains.trades:
        console.print("No set of issue changes from the compromise makes every party better off where no part of it does: no trade.")
        return
    trades = Table(title="Trades from the compromise: changes that make every party better off, although no part of them does")
    trades.add_column("changes")
    for party in problem.party_ids:
        trades.add_column(f"{names[party]} +")
    trades.add_column("joint gain")
    for trade in gains.trades:
        changes = "\n".join(f"{problem.issue_ids[j]}: {problem.option_labels[j][a]} -> {problem.option_labels[j][b]}" for j, a, b in trade.changes)
        trades.add_row(changes, *[f"{g:+.3f}" for g in trade.gains], f"{trade.gains.sum():+.3f}")
    console.print(trades)


def _print_endings(endings, runs: int, seed: int, note: str) -> None:
    from truce.mediation.explain import ENDINGS

    table = Table(title=f"Why simulated talks failed: {runs:,} runs, seed {seed}, {note}")
    for column in ("ending", "runs", "share of all runs (95%)", "share of failures", "median round"):
        table.add_column(column)
    for ending in endings:
        low, high = ending.interval
        table.add_row(
            ENDINGS[ending.kind],
            f"{ending.runs:,}",
            f"{ending.share:.1%} ({low:.1%}-{high:.1%})",
            "-" if ending.share_of_failures is None else f"{ending.share_of_failures:.1%}",
            "-" if ending.median_round is None else f"{ending.median_round:.0f}",
        )
    console.print(table)


def _print_paths(paths, model: str, actor_names) -> None:
    table = Table(title=f"Why each actor moved ({model} forecast): start -> end, and the moves that took it there with the probabilities behind them")
    for column in ("actor", "issue", "start -> end", "moves"):
        table.add_column(column)
    from truce.mediation.explain import move_in_words

    for path in paths:
        for issue in path.start:
            relevant = [m for m in path.moves if m.issue in (None, issue)]
            if path.moved[issue] < MOVED_AT_LEAST:
                continue
            moves = "\n".join(move_in_words(m, actor_names, path.actor) for m in relevant[:3])
            more = f" (+{len(relevant) - 3} more)" if len(relevant) > 3 else ""
            table.add_row(actor_names.get(path.actor, path.actor), issue, f"{path.start[issue]} -> {path.end[issue]}", (moves + more) or "-")
    console.print(table)

