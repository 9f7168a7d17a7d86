"""`truce strategies`, `truce simulate` and `truce durability`: Monte Carlo negotiation runs and what follows a signature."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.budget import ForceBothOption, LongOption, check_caps, estimate_first, player
from truce.cli.common import print_legend, source_keys, FollowSymlinksOption, JsonOption, ScenarioArg, UserError, app, check_output, check_runs, console, parse_strategies, print_json, progress_bar, write_atomically
from truce.cli.context import about, check_first_proposer, check_simulation
from truce.cli.recording import record
from truce.errors import InputError

AllAtOnceOption = Annotated[
    bool, typer.Option("--all-at-once", help="With phases in the scenario: negotiate every issue in one agreement instead of phase by phase.")
]


@app.command()
def strategies(as_json: JsonOption = False) -> None:
    """List the negotiation strategies with their sources."""
    from truce.simulate.strategies import REGISTRY

    if as_json:
        print_json({name: {"source": unit.source, **unit.classifier} for name, unit in REGISTRY.items()})
        return
    table = Table(title="Strategies (use with --strategy NAME or NAME:e=0.5)")
    for column in ("name", "parameters", "knowledge", "source"):
        table.add_column(column)
    keys, legend = source_keys([unit.source for unit in REGISTRY.values()])
    for (name, unit), key in zip(REGISTRY.items(), keys):
        parameters = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in unit.classifier["parameters"].items())
        table.add_row(name, parameters, unit.classifier["knowledge"], key)
    console.print(table)
    print_legend("Sources", legend)


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
    rounds: Annotated[Optional[int], typer.Option(help="Most rounds: the deadline, or with a breakdown risk only a safety cap (default: the scenario's).")] = None,
    first_proposer: Annotated[
        str, typer.Option("--first-proposer", help="Who proposes first (alternating): random (per run), alternate (across runs) or a party id.")
    ] = "random",
    noise: Annotated[float, typer.Option(help="Spread of each party's estimate of the others' priorities.")] = 0.1,
    per_run: Annotated[Optional[Path], typer.Option("--per-run", help="Write one CSV row per run to this file.")] = None,
    all_at_once: AllAtOnceOption = False,
    force: ForceBothOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    as_json: JsonOption = False,
) -> None:
    """Simulate the negotiation many times: how likely a deal is, how soon, on what terms (phase by phase when the scenario has phases)."""
    from truce.scenario import load
    from truce.simulate import simulate as run_simulation
    from truce.simulate import simulate_phases

    with about(scenario):
        loaded = load(scenario)
        problem = loaded.compile()
    chosen = parse_strategies(strategy or [], problem.party_ids)
    check_simulation(problem, protocol, chosen, rounds=rounds, noise=noise)
    if per_run is not None:
        check_output(per_run, force=force, follow_symlinks=follow_symlinks, option="--per-run")
    if not 1 <= runs <= 10_000_000:
        raise UserError(f"--runs: found {runs}; expected 1 to 10,000,000")
    check_first_proposer(first_proposer, problem.party_ids)
    options = dict(
        protocol=protocol, strategies=chosen, runs=runs, seed=seed, rounds=rounds, noise=noise, mediator_noise=noise, first_proposer=first_proposer
    )
    phased = bool(problem.phases) and not all_at_once
    engine = simulate_phases if phased else run_simulation
    with about(scenario):
        check_caps(problem, runs, rounds, len(problem.phases) if phased else 1, runs * (len(problem.phases) if phased else 1))
    estimate_first(scenario, player(engine, problem, **options), runs=runs, force=force)
    with about(scenario), progress_bar(as_json) as bar:
        task = bar.add_task("Simulating", total=runs * (len(problem.phases) if phased else 1))
        result = engine(problem, progress=lambda done: bar.advance(task, done), **options)
    frame = result.to_frame()
    if per_run is not None:
        write_atomically(per_run, frame.to_csv(index=False), force=force, follow_symlinks=follow_symlinks, option="--per-run")
    summary = result.to_dict()
    record("simulate", scenario, loaded, seed=seed, runs=runs, summary={k: v for k, v in summary.items() if k != "first_proposer"}, tables={"runs": frame})
    if as_json:
        print_json(summary)
        return
    if phased:
        console.print(f"[bold]Phase 1's talks[/bold] ({', '.join(result.phases[0].issue_ids)}; the later phases' issues deferred):")
        _print_simulation(problem, result.first)
        _print_phases(result)
        return
    _print_simulation(problem, result)


def _print_phases(result) -> None:
    """The per-phase table of a phased simulation: one column per phase, one row per figure."""
    entries = result.phases_to_dict()
    table = Table(title=f"Phased agreement: {len(entries)} phases, each negotiated while the one before holds")
    table.add_column("")
    for k, entry in enumerate(entries):
        table.add_column(f"phase {k + 1}: {entry['name']}")
    rows: dict[str, list[str]] = {name: [] for name in (
        "issues", "term", "P(talks open)", "P(signed | talks)", "P(reached) (95%)", "signed on day (median)", "days in force (median)", "ended by")}
    for entry in entries:
        low, high = entry["p_reached_interval"]
        signed = entry["p_signed_given_talks"]
        day = entry["day_signed"]["median"]
        held = entry["median_days_in_force"]
        ends = entry["ended_by"] or {}
        cells = (
            ", ".join(entry["issues"]),
            "open-ended" if entry["term_days"] is None else f"{entry['term_days']:g} days",
            f"{entry['p_talks']:.1%}",
            "-" if signed is None else f"{signed:.1%}",
            f"{entry['p_reached']:.1%} ({low:.1%} to {high:.1%})",
            "-" if day is None else f"{day:.0f}",
            "-" if not entry["p_reached"] else ("not reached" if held is None else f"{held:.0f}"),
            ", ".join(f"{name} {share:.0%}" for name, share in ends.items() if share > 0) or "-",
        )
        for name, cell in zip(rows, cells):
            rows[name].append(cell)
    for name, cells in rows.items():
        table.add_row(name, *cells)
    console.print(table)
    console.print(
        "Days count from the start of phase 1's talks (a round of talks is "
        f"{result.round_days:g} day{'s' if result.round_days != 1 else ''}); a fixed-term phase that expires has not broken down."
    )


def _print_simulation(problem, result) -> None:
    low, high = result.agreement_interval
    console.print(f"[bold]{problem.name}[/bold]: {result.runs:,} runs, protocol {result.protocol}, seed {result.seed}")
    console.print("Strategies: " + ", ".join(f"{p}: {s}" for p, s in result.strategies.items()))
    if result.protocol == "single-text" and result.mediator_noise is not None:
        console.print(f"Knowledge noise: {result.mediator_noise:g} (the mediator's estimate of the parties' priorities, refined by their critique)")
    elif result.noise is not None:
        console.print(f"Knowledge noise: {result.noise:g} (each party's estimate of the others' priorities)")
    console.print(
        f"P(deal): [bold]{result.agreement_rate:.1%}[/bold] (95% interval {low:.1%} to {high:.1%}); "
        f"broke down: {result.breakdown_rate:.1%}; walked away: {result.walk_away_rate:.1%}; "
        f"still talking after {result.rounds_limit} rounds: {result.cap_rate:.1%}"
    )
    if result.breakdown_rate > 0 and result.cap_rate > 0.005:
        console.print(
            f"[yellow]{result.cap_rate:.1%} of runs reached the cap of {result.rounds_limit} rounds without an end: "
            "raise --rounds so that the figures do not depend on it[/yellow]"
        )
    shares = result.first_proposer_shares()
    if shares is not None:
        console.print("First proposer: " + ", ".join(f"{party} {share:.0%}" for party, share in shares.items()))
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
    package: Annotated[
        Optional[list[str]],
        typer.Option("--package", "-p", help="ISSUE=OPTION once per issue: follow this package (signed in every run) instead of simulating the talks."),
    ] = None,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    all_at_once: AllAtOnceOption = False,
    force: LongOption = False,
    as_json: JsonOption = False,
) -> None:
    """Would the ceasefire hold? Survival of every deal signed in the simulation (phase by phase when the scenario has phases), or of a given package."""
    from truce.scenario import load
    from truce.backtest.terms import package_from_terms, parse_terms
    from truce.simulate import simulate as run_simulation
    from truce.simulate.durability import NOT_A_CEASEFIRE, package_durability
    from truce.simulate.durability import durability as survival

    with about(scenario):
        loaded = load(scenario)
        problem = loaded.compile()
        if not problem.ceasefire:
            raise InputError(NOT_A_CEASEFIRE)
    check_runs(runs)
    if package:
        try:
            chosen_package = package_from_terms(problem, parse_terms(package))
        except InputError as error:
            raise UserError(f"--package: {error}") from None
        with about(scenario):
            outcome = package_durability(problem, chosen_package, runs=runs, seed=seed)
        summary = {"package": problem.terms(chosen_package), **outcome.to_dict()}
        record("durability", scenario, loaded, seed=seed, runs=runs, summary=summary, tables={"deals": outcome.to_frame()})
        if as_json:
            print_json({"package": problem.terms(chosen_package), **outcome.to_dict()})
            return
        console.print(f"[bold]{problem.name}[/bold]: {runs:,} draws, seed {seed}; package {problem.describe(chosen_package)}")
        _print_durability(outcome)
        return
    chosen = parse_strategies(strategy or [], problem.party_ids)
    check_simulation(problem, protocol, chosen)
    phases = len(problem.phases) if problem.phases and not all_at_once else 1
    with about(scenario):
        check_caps(problem, runs, None, phases, runs * phases)
    if phases > 1:
        from truce.simulate import simulate_phases

        estimate_first(scenario, player(simulate_phases, problem, protocol=protocol, strategies=chosen, seed=seed), runs=runs, force=force)
    else:
        estimate_first(scenario, lambda n: survival(problem, run_simulation(problem, protocol=protocol, strategies=chosen, runs=n, seed=seed)), runs=runs, force=force)
    if problem.phases and not all_at_once:
        _phased_durability(problem, protocol=protocol, strategies=chosen, runs=runs, seed=seed, as_json=as_json, recorded=(scenario, loaded))
        return
    with about(scenario):
        with progress_bar(as_json) as bar:
            task = bar.add_task("Simulating", total=runs)
            result = run_simulation(problem, protocol=protocol, strategies=chosen, runs=runs, seed=seed, progress=lambda n: bar.advance(task, n))
        outcome = survival(problem, result)
    summary = {"agreement_rate": result.agreement_rate, **outcome.to_dict()}
    record("durability", scenario, loaded, seed=seed, runs=runs, summary=summary, tables={"deals": outcome.to_frame()})
    if as_json:
        print_json(outcome.to_dict())
        return
    low, high = result.agreement_interval
    console.print(f"[bold]{problem.name}[/bold]: {runs:,} runs, seed {seed}; P(deal) {result.agreement_rate:.1%} ({low:.1%} to {high:.1%})")
    if not outcome.signed.any():
        console.print("No run ended in a deal, so there is no ceasefire to follow.")
        return
    _print_durability(outcome)


def _phased_durability(problem, *, runs: int, seed: int, as_json: bool, recorded: tuple = (None, None), **options) -> None:
    """Each phase's own survival once in force, and the agreement's: some phase in force N days after phase 1."""
    from truce.analysis.zopa import wilson_interval
    from truce.simulate import simulate_phases
    from truce.simulate.durability import CHECKPOINTS

    try:
        with progress_bar(as_json) as bar:
            task = bar.add_task("Simulating", total=runs * len(problem.phases))
            result = simulate_phases(problem, runs=runs, seed=seed, progress=lambda n: bar.advance(task, n), **options)
    except ValueError as error:
        raise UserError(str(error)) from None
    in_force = {str(day): result.in_force_after(day) for day in CHECKPOINTS}
    summary = {
        "phased": True,
        "agreement_in_force": {day: float(held.mean()) for day, held in in_force.items()},
        "phases": [
            {"id": phase.id, "name": phase.name, "p_reached": phase.p_reached, "ended_by": phase.ended_by_shares(),
             "durability": None if phase.durability is None or not phase.reached.any() else phase.durability.to_dict()}
            for phase in result.phases
        ],
    }
    record("durability", *recorded, seed=seed, runs=runs, summary=summary, tables={"runs": result.to_frame()})
    if as_json:
        print_json(summary)
        return
    first = result.phases[0]
    low, high = wilson_interval(int(first.reached.sum()), runs)
    console.print(f"[bold]{problem.name}[/bold]: {runs:,} runs, seed {seed}; phased agreement; P(phase 1 signed) {first.p_reached:.1%} ({low:.1%} to {high:.1%})")
    table = Table(title="Is an agreement in force N days after phase 1 came into force? (share of all runs)")
    for column in ("after", "some phase in force", "of which the last phase"):
        table.add_column(column)
    last = result.phases[-1]
    for day, held in in_force.items():
        latest = held & last.reached & (last.day_signed <= first.day_signed + float(day) + 1e-9)
        table.add_row(f"{day} days", f"{held.mean():.1%}", f"{latest.mean():.1%}")
    console.print(table)
    for k, phase in enumerate(result.phases):
        ends = ", ".join(f"{name} {share:.0%}" for name, share in (phase.ended_by_shares() or {}).items() if share > 0)
        console.print(f"[bold]Phase {k + 1}, {phase.name}[/bold] ({', '.join(phase.issue_ids)}): in force in {phase.p_reached:.1%} of runs" + (f"; ended by {ends}" if ends else ""))
        if phase.reached.any():
            console.print("Its package's own survival from its signature, as if no later phase replaced it:")
            _print_durability(phase.durability)


def _print_durability(outcome) -> None:
    import numpy as np
    from truce.simulate.durability import CHECKPOINTS

    table = Table(title="Does a signed ceasefire hold? (95% intervals)")
    for column in ("after", "P(holds | signed)", "P(signed and holds)"):
        table.add_column(column)
    for checkpoint in CHECKPOINTS:
        rate, (a, b) = outcome.p_holds(checkpoint)
        joint, (c, d) = outcome.p_deal_and_holds(checkpoint)
        table.add_row(f"{checkpoint} days", f"{rate:.1%} ({a:.1%}-{b:.1%})", f"{joint:.1%} ({c:.1%}-{d:.1%})")
    console.print(table)
    median = outcome.median_days()
    expires = outcome.p_expires()
    if np.isinf(median):
        console.print(f"Median days to breakdown: not reached ({expires:.0%} of the pauses end by expiry of their term)")
    else:
        console.print(f"Median days to breakdown among signed deals: {median:.0f}")
        if expires > 0:
            console.print(f"Ended by expiry of their fixed term, not breakdown: {expires:.0%}")
    classes = ", ".join(f"{name} {share:.0%}" for name, share in outcome.class_shares().items())
    console.print(f"Ceasefire class of the signed deals: {classes}")
    provisions = ", ".join(f"{name} {share:.0%}" for name, share in outcome.provision_shares().items() if share > 0)
    if provisions:
        console.print(f"Provisions in the signed deals: {provisions}")
