"""`truce compare A B`: two scenarios, or two versions of one, side by side."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from truce.cli.budget import LongOption, check_caps, estimate_first, player
from truce.cli.common import JsonOption, UserError, app, check_runs, console, diff, parse_strategies, print_json
from truce.cli.context import about, check_simulation

SHOWN_CHANGES = 40
"""Input changes listed in the table at most (all of them in --json)."""


@app.command()
def compare(
    first: Annotated[str, typer.Argument(metavar="A", help="A built-in scenario name or a YAML/JSON file.")],
    second: Annotated[str, typer.Argument(metavar="B", help="The scenario to compare with A (often an edited copy of it).")],
    runs: Annotated[int, typer.Option(help="Monte Carlo runs of each scenario (the same seed for both, so the runs are paired).")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed, shared by both simulations.")] = 0,
    hold_days: Annotated[int, typer.Option(help="Where durability applies: a deal counts as lasting when it still holds after this many days.")] = 90,
    protocol: Annotated[Optional[str], typer.Option(help="As for `truce simulate`.")] = None,
    strategy: Annotated[Optional[list[str]], typer.Option("--strategy", "-s", help="One strategy for every party of both (see `truce strategies`).")] = None,
    force: LongOption = False,
    as_json: JsonOption = False,
) -> None:
    """What differs between two scenarios: the inputs, field by field, and the answers (ZOPA, Nash package, P(deal), durability), with paired intervals."""
    from truce.compare import compare as run_compare
    from truce.scenario import load
    from truce.simulate import simulate, simulate_phases

    with about(first):
        a = load(first)
        problem_a = a.compile()
    with about(second):
        b = load(second)
        problem_b = b.compile()
    if strategy and (len(strategy) != 1 or "=" in strategy[0].split(":")[0]):
        raise UserError("--strategy: found PARTY=NAME; expected one strategy NAME for every party of both scenarios")
    chosen = parse_strategies(strategy or [], problem_a.party_ids)
    for problem in (problem_a, problem_b):
        check_simulation(problem, protocol, chosen)
    check_runs(runs, 1_000_000)
    if hold_days < 0:
        raise UserError(f"--hold-days: found {hold_days}; expected a whole number of days >= 0")
    for name, problem in ((first, problem_a), (second, problem_b)):
        phases = len(problem.phases) or 1
        with about(name):
            check_caps(problem, runs, None, 2 * phases, runs * phases)
    heavier = max((problem_a, problem_b), key=lambda problem: problem.n_outcomes * problem.n_parties)
    engine = simulate_phases if heavier.phases else simulate
    estimate_first(first, player(engine, heavier, seed=seed, protocol=protocol, strategies=chosen), runs=runs, simulations=2, force=force)
    with about(first):
        result = run_compare(a, b, runs=runs, seed=seed, hold_days=hold_days, protocol=protocol, strategies=chosen)
    _record(result, first, second, a, b)
    if as_json:
        print_json(result.to_dict())
        return
    _print(result, first, second)


def _record(result, first: str, second: str, a, b) -> None:
    """Recorded under A's scenario; B is copied into the store too, and the summary names it."""
    import pandas as pd

    from truce.cli.recording import record

    runs = pd.DataFrame({"run": range(result.runs), "a_agreed": result.a.agreed, "b_agreed": result.b.agreed})
    if result.a.lasting is not None and result.b.lasting is not None:
        runs["a_lasting"], runs["b_lasting"] = result.a.lasting, result.b.lasting
    changes = pd.DataFrame([change.to_dict() for change in result.changes]).astype(str) if result.changes else None
    summary = {**result.to_dict(), "second": {"scenario": second, "scenario_name": b.name}}
    record("compare", first, a, seed=result.seed, runs=result.runs, summary=summary, tables={"runs": runs, "changes": changes}, more_scenarios=(b,))


def _value(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + "..."
    return str(value)


def _print(result, first: str, second: str) -> None:
    a, b = result.a, result.b
    console.print(f"[bold]A[/bold]: {escape(a.name)} ({escape(first)})\n[bold]B[/bold]: {escape(b.name)} ({escape(second)})")
    computed = [change for change in result.changes if not change.prose]
    prose = len(result.changes) - len(computed)
    if computed:
        table = Table(title=f"What differs in the inputs ({len(computed)} field{'s' if len(computed) != 1 else ''})")
        for column in ("field", "A", "B"):
            table.add_column(column, overflow="fold")
        for change in computed[:SHOWN_CHANGES]:
            a_text = "(absent)" if change.a is None and change.b is not None else _value(change.a)
            b_text = "(absent)" if change.b is None and change.a is not None else _value(change.b)
            table.add_row(escape(change.path), escape(a_text), escape(b_text))
        console.print(table)
        if len(computed) > SHOWN_CHANGES:
            console.print(f"... and {len(computed) - SHOWN_CHANGES} more (all of them with --json).")
    else:
        console.print("The inputs the models use are the same.")
    if prose:
        console.print(f"Also {prose} change{'s' if prose != 1 else ''} to names, descriptions, notes, sources or the date (listed with --json).")
    answers = Table(title=f"The answers: {result.runs:,} runs each, seed {result.seed}, paired run by run (B - A with 95% intervals)")
    for column in ("", "A", "B", "B - A"):
        answers.add_column(column, overflow="fold")
    count = lambda side: f"{'' if side.zopa_exact else 'about '}{side.zopa_count:,.0f}"
    answers.add_row("packages in the ZOPA", count(a), count(b), "")
    for issue in _issues(a, b):
        left = (a.nash_terms or {}).get(issue, "-")
        right = (b.nash_terms or {}).get(issue, "-")
        answers.add_row(escape(f"Nash package: {issue}"), escape(left), escape(right), "same" if left == right else "changed")
    deal = "P(phase 1 signed)" if a.phased or b.phased else "P(deal)"
    answers.add_row(deal, f"{a.p_deal:.1%}", f"{b.p_deal:.1%}", diff(result.delta_deal, percent=True))
    if a.lasting is not None or b.lasting is not None:
        lasting = lambda side: "not a ceasefire" if side.lasting is None else f"{side.p_lasting:.1%}"
        answers.add_row(f"P(deal holding {result.hold_days} days)", lasting(a), lasting(b), diff(result.delta_lasting, percent=True))
    console.print(answers)
    if a.phased != b.phased:
        console.print("One scenario has phases and the other not: P(deal) is phase 1 signed for the phased one.")


def _issues(a, b) -> list[str]:
    names = list(a.nash_terms or {})
    return names + [name for name in (b.nash_terms or {}) if name not in names]
