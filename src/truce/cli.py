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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from truce import __version__
from truce.json_safe import finite
from truce.scenario import NumericIssue, Scenario, ScenarioError, builtin_scenarios, load
from truce.scenario.distributions import in_words

app = typer.Typer(
    name="truce",
    help="Model, analyse, forecast and simulate mediated multi-party negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)

ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario name (see `truce scenarios`) or a YAML/JSON file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


class UserError(Exception):
    """A problem with what the user asked for; printed without a traceback, exit 2."""


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(finite(data), indent=2, allow_nan=False) + "\n")


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

    stances = Table(title="Stances: position (salience)")
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
            position = stance.position if isinstance(stance.position, str) else in_words(stance.position)
            cells.append(f"{position} ({in_words(stance.salience)})")
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
def strategies(as_json: JsonOption = False) -> None:
    """List the negotiation strategies with their sources."""
    from truce.simulate.strategies import REGISTRY

    if as_json:
        _print_json({name: {"source": unit.source, **unit.classifier} for name, unit in REGISTRY.items()})
        return
    table = Table(title="Strategies (use with --strategy NAME or NAME:e=0.5)")
    for column in ("name", "parameters", "knowledge", "source"):
        table.add_column(column)
    for name, unit in REGISTRY.items():
        parameters = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in unit.classifier["parameters"].items())
        table.add_row(name, parameters, unit.classifier["knowledge"], unit.source)
    console.print(table)


def _parse_strategies(specs: list[str], party_ids: tuple[str, ...]) -> str | dict[str, str]:
    if not specs:
        return "boulware"
    if len(specs) == 1 and "=" not in specs[0].split(":")[0]:
        return specs[0]
    chosen = {}
    for spec in specs:
        party, separator, name = spec.partition("=")
        if not separator or ":" in party:
            raise UserError(f"--strategy {spec}: expected NAME for every party, or PARTY=NAME once per party")
        chosen[party.strip()] = name.strip()
    return chosen


@app.command()
def simulate(
    scenario: ScenarioArg,
    protocol: Annotated[
        Optional[str],
        typer.Option(help="alternating (offers rotate among the parties) or single-text (a mediator's text); default: single-text when a single_text lever is in force, else alternating."),
    ] = None,
    strategy: Annotated[
        Optional[list[str]],
        typer.Option("--strategy", "-s", help="A strategy for every party (see `truce strategies`), or PARTY=NAME once per party."),
    ] = None,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs, each with its own draw of the uncertain inputs.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same numbers.")] = 0,
    rounds: Annotated[Optional[int], typer.Option(help="Deadline in rounds (default: the scenario's).")] = None,
    noise: Annotated[float, typer.Option(help="Spread of each party's estimate of the others' priorities.")] = 0.1,
    per_run: Annotated[Optional[Path], typer.Option("--per-run", help="Write one CSV row per run to this file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Simulate the negotiation many times: how likely a deal is, how soon, on what terms."""
    from truce.simulate import simulate as run_simulation

    problem = load(scenario).compile()
    chosen = _parse_strategies(strategy or [], problem.party_ids)
    if protocol not in (None, "alternating", "single-text"):
        raise UserError(f"--protocol: found '{protocol}'; expected alternating or single-text")
    if per_run is not None and not per_run.parent.is_dir():
        raise UserError(f"--per-run {per_run}: folder {per_run.parent} does not exist")
    if not 1 <= runs <= 10_000_000:
        raise UserError(f"--runs: found {runs}; expected 1 to 10,000,000")
    options = dict(protocol=protocol, strategies=chosen, runs=runs, seed=seed, rounds=rounds, noise=noise, mediator_noise=noise)
    try:
        with _progress(as_json) as bar:
            task = bar.add_task("Simulating", total=runs)
            result = run_simulation(problem, progress=lambda done: bar.advance(task, done), **options)
    except ValueError as error:
        raise UserError(str(error)) from None
    if per_run is not None:
        _write_atomically(per_run, result.to_frame().to_csv(index=False))
    if as_json:
        _print_json(result.to_dict())
        return
    _print_simulation(problem, result)


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=errors,
        disable=quiet,
        transient=True,
    )


def _print_simulation(problem, result) -> None:
    low, high = result.agreement_interval
    console.print(f"[bold]{problem.name}[/bold]: {result.runs:,} runs, protocol {result.protocol}, seed {result.seed}")
    console.print("Strategies: " + ", ".join(f"{p}: {s}" for p, s in result.strategies.items()))
    console.print(
        f"P(deal within {result.rounds_limit} rounds): [bold]{result.agreement_rate:.1%}[/bold] "
        f"(95% interval {low:.1%} to {high:.1%}); walked away: {result.walk_away_rate:.1%}"
    )
    timing = result.rounds_to_agreement()
    if timing["mean"] is not None:
        console.print(
            f"Rounds to agreement: mean {timing['mean']:.1f}, median {timing['median']:.0f}, "
            f"80% between {timing['p10']:.0f} and {timing['p90']:.0f}"
        )
    common = result.most_common_package()
    if common is None:
        return
    terms, share = common
    table = Table(title=f"Agreed terms: most common package ({share:.1%} of deals) and each issue's spread")
    for column in ("issue", "most common package", "share of deals per option (top 3)"):
        table.add_column(column)
    for issue, shares in result.option_shares().items():
        top = sorted(shares.items(), key=lambda item: -item[1])[:3]
        table.add_row(issue, terms[issue], ", ".join(f"{label} {value:.0%}" for label, value in top if value > 0))
    console.print(table)
    utilities = Table(title="Mean utility of the agreed package")
    utilities.add_column("party")
    utilities.add_column("utility")
    utilities.add_column("mean no-deal value")
    for p, (party, value) in enumerate(result.mean_utilities().items()):
        utilities.add_row(problem.party_names[p], f"{value:.3f}", f"{result.reservation[:, p].mean():.3f}")
    console.print(utilities)


@app.command()
def durability(
    scenario: ScenarioArg,
    protocol: Annotated[Optional[str], typer.Option(help="As for `truce simulate`.")] = None,
    strategy: Annotated[Optional[list[str]], typer.Option("--strategy", "-s", help="As for `truce simulate`.")] = None,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Would the ceasefire hold? Survival of every deal signed in the simulation."""
    from truce.simulate import simulate as run_simulation
    from truce.simulate.durability import CHECKPOINTS
    from truce.simulate.durability import durability as survival

    problem = load(scenario).compile()
    chosen = _parse_strategies(strategy or [], problem.party_ids)
    _check_runs(runs)
    try:
        with _progress(as_json) as bar:
            task = bar.add_task("Simulating", total=runs)
            result = run_simulation(problem, protocol=protocol, strategies=chosen, runs=runs, seed=seed, progress=lambda n: bar.advance(task, n))
    except ValueError as error:
        raise UserError(str(error)) from None
    outcome = survival(problem, result)
    if as_json:
        _print_json(outcome.to_dict())
        return
    low, high = result.agreement_interval
    console.print(f"[bold]{problem.name}[/bold]: {runs:,} runs, seed {seed}; P(deal) {result.agreement_rate:.1%} ({low:.1%} to {high:.1%})")
    if not outcome.signed.any():
        console.print("No run ended in a deal, so there is no ceasefire to follow.")
        return
    table = Table(title="Does a signed ceasefire hold? (95% intervals)")
    for column in ("after", "P(holds | signed)", "P(signed and holds)"):
        table.add_column(column)
    for checkpoint in CHECKPOINTS:
        rate, (a, b) = outcome.p_holds(checkpoint)
        joint, (c, d) = outcome.p_deal_and_holds(checkpoint)
        table.add_row(f"{checkpoint} days", f"{rate:.1%} ({a:.1%}-{b:.1%})", f"{joint:.1%} ({c:.1%}-{d:.1%})")
    console.print(table)
    console.print(f"Median days to breakdown among signed deals: {outcome.median_days():.0f}")
    classes = ", ".join(f"{name} {share:.0%}" for name, share in outcome.class_shares().items())
    console.print(f"Ceasefire class of the signed deals: {classes}")
    provisions = ", ".join(f"{name} {share:.0%}" for name, share in outcome.provision_shares().items() if share > 0)
    console.print(f"Provisions in the signed deals: {provisions}")


def _check_runs(runs: int, most: int = 10_000_000) -> None:
    if not 1 <= runs <= most:
        raise UserError(f"--runs: found {runs}; expected 1 to {most:,}")


@app.command()
def levers(scenario: Annotated[Optional[str], typer.Argument(help="Show this scenario's levers; without it, the kinds.")] = None, as_json: JsonOption = False) -> None:
    """List the kinds of mediator lever with their sources, or a scenario's levers."""
    from truce.mediation.levers import REGISTRY

    if scenario is None:
        if as_json:
            _print_json({name: {"effects": list(k.effects), "provision": k.provision, "changes": k.changes, "source": k.source} for name, k in REGISTRY.items()})
            return
        table = Table(title="Lever kinds")
        for column in ("kind", "effect fields", "changes", "source"):
            table.add_column(column)
        for name, kind in REGISTRY.items():
            table.add_row(name, ", ".join(kind.effects) or "-", kind.changes, kind.source)
        console.print(table)
        return
    loaded = load(scenario)
    if as_json:
        _print_json([lever.model_dump(mode="json", exclude_none=True) for lever in loaded.levers])
        return
    table = Table(title=f"Levers of {loaded.name}")
    for column in ("id", "by", "kind", "in baseline", "cost", "effect", "parties"):
        table.add_column(column)
    for lever in loaded.levers:
        effects = ", ".join(f"{name} {in_words(getattr(lever, name))}" for name in REGISTRY[lever.kind].effects if getattr(lever, name) is not None)
        table.add_row(lever.id, lever.by, lever.kind, "yes" if lever.active else "no", f"{lever.cost:g}", effects or "-", ", ".join(lever.parties or ["all"]))
    console.print(table)


@app.command()
def whatif(
    scenario: ScenarioArg,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs per variant (the same draws for every variant).")] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    budget: Annotated[Optional[float], typer.Option(help="Budget of every actor for lever combinations (default: the scenario's).")] = None,
    hold_days: Annotated[int, typer.Option(help="A deal counts as lasting when it still holds after this many days.")] = 90,
    protocol: Annotated[Optional[str], typer.Option(help="alternating or single-text (a single_text lever in force overrides).")] = None,
    strategy: Annotated[Optional[list[str]], typer.Option("--strategy", "-s", help="As for `truce simulate`.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Which mediator lever raises the chance of a lasting deal most, and at what cost?"""
    from truce.mediation.whatif import what_if

    problem = load(scenario).compile()
    chosen = _parse_strategies(strategy or [], problem.party_ids)
    _check_runs(runs, 1_000_000)
    if budget is not None and budget < 0:
        raise UserError(f"--budget: found {budget:g}; expected a number >= 0")
    try:
        with _progress(as_json) as bar:
            task = bar.add_task("Variants", total=None)
            result = what_if(
                problem, runs=runs, seed=seed, budget=budget, hold_days=hold_days, protocol=protocol, strategies=chosen,
                progress=lambda name: bar.update(task, advance=1, description=f"Variants ({name})"),
            )
    except ValueError as error:
        raise UserError(str(error)) from None
    if as_json:
        _print_json(result.to_dict())
        return
    base = result.baseline
    console.print(
        f"[bold]{problem.name}[/bold]: {runs:,} runs per variant, seed {seed}, common random numbers "
        f"(every variant sees the same draws, so differences are paired run by run)."
    )
    console.print(
        f"Baseline (levers in force: {', '.join(base.active) or 'none'}): P(deal) {base.p_deal:.1%}, "
        f"P(deal that holds {hold_days} days) {base.p_lasting:.1%}"
    )
    table = Table(title=f"Levers ranked by the change in P(a deal that holds {hold_days} days), with 95% intervals")
    for column in ("variant", "by", "cost", "Δ P(lasting deal)", "Δ P(deal)", "Δ rounds to agreement"):
        table.add_column(column)
    for v in result.variants:
        table.add_row(v.name, v.by or "", f"{v.cost:g}", _diff(v.delta_lasting, percent=True), _diff(v.delta_deal, percent=True), _diff(v.delta_rounds))
    console.print(table)
    if result.best is not None:
        console.print(f"Best: [bold]{result.best.name}[/bold] ({_diff(result.best.delta_lasting, percent=True)}).")


@app.command()
def sensitivity(
    scenario: ScenarioArg,
    method: Annotated[str, typer.Option(help="oat (one at a time: tornado data) or sobol (variance-based indices, SALib).")] = "oat",
    runs: Annotated[
        Optional[int],
        typer.Option(help="oat: runs per setting (default 2000); sobol: base samples, a power of two (default 512; evaluations = N x (inputs + 2))."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    protocol: Annotated[Optional[str], typer.Option(help="As for `truce simulate`.")] = None,
    strategy: Annotated[Optional[list[str]], typer.Option("--strategy", "-s", help="As for `truce simulate`.")] = None,
    top: Annotated[int, typer.Option(help="Rows to show.")] = 15,
    target: Annotated[str, typer.Option(help="deal (P(deal)) or forecast (where the issues settle; one at a time).")] = "deal",
    model: Annotated[str, typer.Option(help="--target forecast: compromise, smp or expected_utility.")] = "compromise",
    as_json: JsonOption = False,
) -> None:
    """Which uncertain input moves P(deal) most, or the forecast?"""
    from truce.mediation.sensitivity import deal_inputs, deal_sobol, forecast_one_at_a_time, one_at_a_time

    problem = load(scenario).compile()
    if target not in ("deal", "forecast"):
        raise UserError(f"--target: found '{target}'; expected deal or forecast")
    if target == "forecast":
        if model not in ("compromise", "smp", "expected_utility"):
            raise UserError(f"--model: found '{model}'; expected compromise, smp or expected_utility")
        try:
            moved = forecast_one_at_a_time(problem, model)
        except ValueError as error:
            raise UserError(str(error)) from None
        if as_json:
            _print_json(moved.to_dict())
            return
        console.print(
            f"[bold]{problem.name}[/bold]: forecast by {model}; each row holds one uncertain input at its 10th and 90th "
            "percentile, the others at their nominal values, and shows the issue it moves most."
        )
        table = Table(title="What moves the forecast most")
        for column in ("input", "issue", "at 10th pct", "at 90th pct", "swing (points of 0-100)"):
            table.add_column(column)
        for swing in moved.swings[:top]:
            table.add_row(swing.input, swing.issue, swing.forecast_low, swing.forecast_high, f"{swing.swing:.1f}")
        console.print(table)
        return
    chosen = _parse_strategies(strategy or [], problem.party_ids)
    if method not in ("oat", "sobol"):
        raise UserError(f"--method: found '{method}'; expected oat or sobol")
    runs = runs if runs is not None else (2000 if method == "oat" else 512)
    _check_runs(runs, 200_000)
    if method == "sobol" and runs & (runs - 1):
        raise UserError(f"--runs: found {runs}; the Sobol design needs a power of two (e.g. {1 << (runs.bit_length() - 1)})")
    try:
        if method == "oat":
            with _progress(as_json) as bar:
                task = bar.add_task("Inputs", total=len(deal_inputs(problem)))
                result = one_at_a_time(problem, runs=runs, seed=seed, protocol=protocol, strategies=chosen, progress=lambda n: bar.advance(task, n))
        else:
            with console.status("Sobol design...") if not as_json else _nothing():
                result = deal_sobol(problem, base_samples=runs, seed=seed, protocol=protocol, strategies=chosen)
    except ValueError as error:
        raise UserError(str(error)) from None
    if as_json:
        _print_json(result.to_dict())
        return
    if method == "oat":
        console.print(
            f"[bold]{problem.name}[/bold]: P(deal) {result.baseline:.1%} with every input drawn; each row holds one input "
            f"at its 10th and 90th percentile ({runs:,} runs each, the same draws otherwise)."
        )
        table = Table(title="What moves P(deal) most (tornado data)")
        for column in ("input", "at 10th pct", "P(deal)", "at 90th pct", "P(deal)", "swing"):
            table.add_column(column)
        for swing in result.swings[:top]:
            table.add_row(swing.input, f"{swing.low_value:.4g}", f"{swing.p_deal_low:.1%}", f"{swing.high_value:.4g}", f"{swing.p_deal_high:.1%}", f"{swing.swing * 100:.1f} pts")
        console.print(table)
        return
    frame = result.to_frame()
    console.print(f"[bold]{problem.name}[/bold]: Sobol indices of the deal indicator, {result.evaluations:,} runs (SALib).")
    table = Table(title="Share of the variance of P(deal) each input explains: alone (S1) and with interactions (ST), 95% intervals")
    for column in ("input", "S1", "ST"):
        table.add_column(column)
    for row in frame.head(top).itertuples():
        table.add_row(row.input, f"{row.S1:.2f} ± {row.S1_conf:.2f}", f"{row.ST:.2f} ± {row.ST_conf:.2f}")
    console.print(table)


def _diff(difference, percent: bool = False) -> str:
    if difference is None:
        return "-"
    if percent:
        return f"{difference.mean * 100:+.1f} pts ({difference.low * 100:+.1f} to {difference.high * 100:+.1f})"
    return f"{difference.mean:+.2f} ({difference.low:+.2f} to {difference.high:+.2f})"


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
    from truce.forecast.issues import MODELS

    if model not in MODELS:
        raise UserError(f"--model: found '{model}'; expected one of {', '.join(MODELS)}")
    if rounds is not None and not 0 <= rounds <= 10_000:
        raise UserError(f"--rounds: found {rounds}; expected 0 to 10,000")
    options: dict = {}
    if seed is not None and not stochastic:
        raise UserError("--seed: applies only with --stochastic (the deterministic models draw nothing)")
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
    problem = load(scenario).compile()
    try:
        result = problem.forecast(model, **options)
    except ValueError as error:
        raise UserError(str(error)) from None
    if as_json:
        _print_json(result.to_dict())
        return
    console.print(f"[bold]{problem.name}[/bold]: forecast by {model}, {result.positions.shape[0] - 1} round(s)")
    if result.left_out:
        console.print(f"Left out (categorical, no order): {', '.join(result.left_out)}")
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
        _print_moves(result.engine.moves, problem.actor_names)


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


def _forecast_csv(path: Path, model: str, options: dict, as_json: bool) -> None:
    """A KTAB-style or EU-example CSV, run as is and reported on its own scale."""
    from truce.forecast import read_expected_utility_csv, read_ktab_csv, smp, weighted_mean, weighted_median
    from truce.forecast import expected_utility as run_expected_utility
    from truce.forecast.readers import KTAB_SCALE

    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        data, scale = read_ktab_csv(path), KTAB_SCALE
    except ValueError as ktab_error:
        try:
            data, scale = read_expected_utility_csv(path), 1.0
        except ValueError as eu_error:
            raise UserError(f"{path}: neither a KTAB CSV ({ktab_error}) nor an actor/capability/position/salience CSV ({eu_error})") from None
    names = list(data.actor_names)
    dimensions = list(getattr(data, "dimension_names", ("Position",)))
    try:
        if model == "compromise":
            mean = weighted_mean(data.positions, data.capability, data.salience) * scale
            median = weighted_median(data.positions, data.capability, data.salience) * scale
            summary = {"model": model, "dimensions": dimensions, "weighted_mean": mean.tolist(), "weighted_median": median.tolist()}
            if as_json:
                _print_json(summary)
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
        raise UserError(f"{path}: {error}") from None
    positions = result.trace.positions * scale
    forecasts = result.trace.forecast * scale
    if as_json:
        _print_json(
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


@app.command()
def validate(path: Annotated[str, typer.Argument(help="A scenario file (YAML or JSON), or a built-in name.")]) -> None:
    """Check a scenario file; print every problem with its path, or a summary."""
    loaded = load(path)
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


@app.command()
def report(
    scenario: ScenarioArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write (self-contained, works offline).")] = Path("report.html"),
    runs: Annotated[int, typer.Option(help="Monte Carlo runs behind the simulation figures.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same report.")] = 0,
) -> None:
    """Write the HTML report: summary, actors and issues, agreement space, forecast, simulation, levers, durability, sources."""
    from truce.report.html import MAX_RUNS, write_report

    if not 1 <= runs <= MAX_RUNS:
        raise UserError(f"--runs: found {runs}; expected 1 to {MAX_RUNS:,}")
    if seed < 0:
        raise UserError(f"--seed: found {seed}; expected a number >= 0")
    if not output.parent.is_dir():
        raise UserError(f"{output}: folder {output.parent} does not exist")
    try:
        with _progress(False) as bar:
            task = bar.add_task("Simulating", total=runs)
            path = write_report(scenario, output, runs=runs, seed=seed, progress=lambda done: bar.advance(task, done))
    except ValueError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{output}: cannot write ({error.strerror or error})") from None
    errors.print("wrote the report (one self-contained HTML file; open it in any browser, offline):")
    sys.stdout.write(f"{path.resolve()}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; any address but localhost requires a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        Optional[str],
        typer.Option(help="Access token every request must carry (Authorization: Bearer TOKEN); default: $TRUCE_TOKEN."),
    ] = None,
) -> None:
    """Serve the web app: the page at / and the JSON API (OpenAPI at /docs and /openapi.json)."""
    from truce.web.server import serve as run_server

    try:
        run_server(host=host, port=port, token=token)
    except ValueError as error:
        raise UserError(str(error)) from None


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
