"""`truce levers`, `truce whatif` and `truce sensitivity`: what a mediator can do and what moves the answer."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.budget import LongOption, check_caps, estimate_first, whatif_simulations
from truce.cli.common import print_legend, source_keys, JsonOption, ScenarioArg, UserError, app, check_runs, console, diff, nothing, parse_strategies, print_json, progress_bar
from truce.cli.context import about, check_first_proposer, check_simulation
from truce.cli.recording import record
from truce.cli.simulate import AllAtOnceOption

WorkersOption = Annotated[int, typer.Option(help="Play the simulations on this many worker processes, as `truce sweep` does (1: in this process).")]
SchedulerOption = Annotated[Optional[str], typer.Option(help="Play the simulations on an existing Dask cluster: its scheduler's address (tcp://HOST:8786).")]


def _mapper(workers: int, scheduler: str | None):
    """The executor's ordered map for the engine's independent simulations (None: in this process, as before)."""
    if not 1 <= workers <= 1024:
        raise UserError(f"--workers: found {workers}; expected 1 to 1024")
    if workers == 1 and scheduler is None:
        return None
    from truce.sweep.executor import cluster_threads, ordered_map

    if scheduler is not None:
        cluster_threads(scheduler)  # an unreachable scheduler is refused before any work
    return ordered_map(workers, scheduler)


@app.command()
def levers(scenario: Annotated[Optional[str], typer.Argument(help="Show this scenario's levers; without it, the kinds.")] = None, as_json: JsonOption = False) -> None:
    """List the kinds of mediator lever with their sources, or a scenario's levers."""
    from truce.scenario import load
    from truce.scenario.distributions import in_words
    from truce.mediation.levers import REGISTRY

    if scenario is None:
        if as_json:
            print_json({name: {"effects": list(k.effects), "provision": k.provision, "changes": k.changes, "source": k.source} for name, k in REGISTRY.items()})
            return
        table = Table(title="Lever kinds")
        for column in ("kind", "effect fields", "changes", "source"):
            table.add_column(column)
        keys, legend = source_keys([kind.source for kind in REGISTRY.values()])
        for (name, kind), key in zip(REGISTRY.items(), keys):
            table.add_row(name, ", ".join(kind.effects) or "-", kind.changes, key)
        console.print(table)
        print_legend("Sources", legend)
        return
    loaded = load(scenario)
    if as_json:
        print_json([lever.model_dump(mode="json", exclude_none=True) for lever in loaded.levers])
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
    first_proposer: Annotated[
        str, typer.Option("--first-proposer", help="Who proposes first (alternating) in every variant: random (per run), alternate (across runs) or a party id.")
    ] = "random",
    all_at_once: AllAtOnceOption = False,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    force: LongOption = False,
    as_json: JsonOption = False,
) -> None:
    """Which mediator lever raises the chance of a lasting deal most, and at what cost? (Phase by phase when the scenario has phases.)"""
    from truce.scenario import load
    from truce.mediation.whatif import what_if

    with about(scenario):
        loaded = load(scenario)
        problem = loaded.compile()
    chosen = parse_strategies(strategy or [], problem.party_ids)
    check_simulation(problem, protocol, chosen)
    check_first_proposer(first_proposer, problem.party_ids)
    check_runs(runs, 1_000_000)
    if budget is not None and not budget >= 0:
        raise UserError(f"--budget: found {budget:g}; expected a number >= 0")
    if hold_days < 0:
        raise UserError(f"--hold-days: found {hold_days}; expected a whole number of days >= 0")
    mapper = _mapper(workers, scheduler)
    _estimate_whatif(
        scenario, problem, runs=runs, seed=seed, budget=budget, protocol=protocol, strategies=chosen, all_at_once=all_at_once, force=force,
        first_proposer=first_proposer,
    )
    with about(scenario):
        with progress_bar(as_json) as bar:
            task = bar.add_task("Variants", total=None)
            result = what_if(
                problem, runs=runs, seed=seed, budget=budget, hold_days=hold_days, protocol=protocol, strategies=chosen, all_at_once=all_at_once,
                first_proposer=first_proposer, progress=lambda name: bar.update(task, advance=1, description=f"Variants ({name})"), mapper=mapper,
            )
    summary = result.to_dict()
    record("whatif", scenario, loaded, seed=seed, runs=runs, summary=summary, tables={"variants": result.to_frame()})
    if as_json:
        print_json(summary)
        return
    base = result.baseline
    console.print(
        f"[bold]{problem.name}[/bold]: {runs:,} runs per variant, seed {seed}"
        + ("" if first_proposer == "random" else f", first proposer {first_proposer}")
        + ", common random numbers "
        f"(every variant sees the same draws, so differences are paired run by run)."
    )
    ceasefire = result.ranked_by == "p_lasting_deal"
    if result.phased:
        first = problem.phases[0]
        lasting_words = f"; a lasting deal: some phase still in force {hold_days} days after phase 1 came into force" if ceasefire else ""
        console.print(
            f"Phased agreement: a deal is phase 1 ({first.name}: {', '.join(problem.issue_ids[j] for j in first.issues)}) signed{lasting_words} "
            "(a fixed-term phase that expires without the next one signed has ended). --all-at-once negotiates every issue in one agreement."
        )
    lasting = f", P(deal that holds {hold_days} days) {base.p_lasting:.1%}" if ceasefire else ""
    in_force = ", ".join(result.lever_names.get(lever, lever) for lever in base.active) or "none"
    console.print(f"Baseline (levers in force: {in_force}): P(deal) {base.p_deal:.1%}{lasting}")
    if not ceasefire:
        console.print("Not a ceasefire (no `kind: ceasefire`, durability block or provision): levers ranked by P(deal).")
    measure = f"P(a deal that holds {hold_days} days)" if ceasefire else "P(deal)"
    table = Table(title=f"Levers ranked by the change in {measure}, with 95% intervals (pp: percentage points)")
    columns = ("variant", "cost", "Δ P(lasting deal)", "Δ P(deal)", "Δ rounds to agreement")
    for column in columns if ceasefire else columns[:2] + columns[3:]:
        table.add_column(column)
    for v in result.variants:
        cells = [result.words(v), f"{v.cost:g}", diff(v.delta_lasting, percent=True), diff(v.delta_deal, percent=True), diff(v.delta_rounds)]
        table.add_row(*(cells if ceasefire else cells[:2] + cells[3:]))
    console.print(table)
    console.print(result.reading().sentence, markup=False)


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
    all_at_once: AllAtOnceOption = False,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    force: LongOption = False,
    as_json: JsonOption = False,
) -> None:
    """Which uncertain input moves P(deal) most, or the forecast?"""
    from truce.scenario import load
    from truce.mediation.sensitivity import deal_inputs, deal_sobol, forecast_one_at_a_time, one_at_a_time

    with about(scenario):
        loaded = load(scenario)
        problem = loaded.compile()
    if target not in ("deal", "forecast"):
        raise UserError(f"--target: found '{target}'; expected deal or forecast")
    if target == "forecast":
        if model not in ("compromise", "smp", "expected_utility"):
            raise UserError(f"--model: found '{model}'; expected compromise, smp or expected_utility")
        with about(scenario):
            moved = forecast_one_at_a_time(problem, model)
        record("sensitivity", scenario, loaded, summary={**moved.to_dict(), "target": "forecast", "model": model}, tables={"inputs": moved.to_frame()})
        if as_json:
            print_json(moved.to_dict())
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
    chosen = parse_strategies(strategy or [], problem.party_ids)
    check_simulation(problem, protocol, chosen)
    if method not in ("oat", "sobol"):
        raise UserError(f"--method: found '{method}'; expected oat or sobol")
    runs = runs if runs is not None else (2000 if method == "oat" else 512)
    check_runs(runs, 200_000)
    if method == "sobol" and runs & (runs - 1):
        raise UserError(f"--runs: found {runs}; the Sobol design needs a power of two (e.g. {1 << (runs.bit_length() - 1)})")
    mapper = _mapper(workers, scheduler) if method == "oat" else None
    _estimate_sensitivity(scenario, problem, method, runs=runs, seed=seed, protocol=protocol, strategies=chosen, all_at_once=all_at_once, force=force)
    with about(scenario):
        if method == "oat":
            with progress_bar(as_json) as bar:
                task = bar.add_task("Inputs", total=len(deal_inputs(problem)))
                result = one_at_a_time(problem, runs=runs, seed=seed, protocol=protocol, strategies=chosen, all_at_once=all_at_once, progress=lambda n: bar.advance(task, n),
                                      mapper=mapper)
        else:
            with console.status("Sobol design...") if not as_json else nothing():
                result = deal_sobol(problem, base_samples=runs, seed=seed, protocol=protocol, strategies=chosen, all_at_once=all_at_once)
    record("sensitivity", scenario, loaded, seed=seed, runs=runs, summary={**result.to_dict(), "target": "deal"}, tables={"inputs": result.to_frame()})
    if as_json:
        print_json(result.to_dict())
        return
    if result.phased:
        first = problem.phases[0]
        console.print(
            f"Phased agreement: P(deal) is P(phase 1 signed) ({first.name}: {', '.join(problem.issue_ids[j] for j in first.issues)}; "
            "the later phases' issues deferred). --all-at-once negotiates every issue in one agreement."
        )
    if method == "oat":
        console.print(
            f"[bold]{problem.name}[/bold]: P(deal) {result.baseline:.1%} with every input drawn; each row holds one input "
            f"at its 10th and 90th percentile ({runs:,} runs each, the same draws otherwise)."
        )
        if all(swing.swing == 0 for swing in result.swings):
            console.print(
                f"No input moves P(deal) between its 10th and 90th percentile: it stays at {result.baseline:.1%} in every setting, "
                "so there is no tornado to draw (a scenario where talks always or never end in a deal)."
            )
            return
        table = Table(title="What moves P(deal) most (tornado data)")
        for column in ("input", "at 10th pct", "P(deal)", "at 90th pct", "P(deal)", "swing"):
            table.add_column(column)
        for swing in result.swings[:top]:
            table.add_row(swing.label or swing.input, f"{swing.low_value:.4g}", f"{swing.p_deal_low:.1%}", f"{swing.high_value:.4g}", f"{swing.p_deal_high:.1%}", f"{swing.swing * 100:.1f} pp")
        console.print(table)
        return
    frame = result.to_frame()
    console.print(f"[bold]{problem.name}[/bold]: Sobol indices of the deal indicator, {result.evaluations:,} runs (SALib).")
    if result.undefined:
        console.print(
            f"P(deal) is {result.output_mean:.0%} in every run of the design: it does not vary, so no input explains any of its "
            "variance and the Sobol indices are undefined."
        )
        return
    table = Table(title="Share of the variance of P(deal) each input explains: alone (S1) and with interactions (ST), 95% intervals")
    for column in ("input", "S1", "ST"):
        table.add_column(column)
    for row in frame.head(top).itertuples():
        table.add_row(row.label, f"{row.S1:.2f} ± {row.S1_conf:.2f}", f"{row.ST:.2f} ± {row.ST_conf:.2f}")
    console.print(table)


def _estimate_whatif(scenario, problem, *, runs, seed, budget, protocol, strategies, all_at_once, force, first_proposer="random") -> None:
    """Every variant plays like the baseline: one simulation (phased, with durability for a ceasefire) per variant."""
    from truce.simulate import simulate, simulate_phases
    from truce.simulate.durability import durability

    phased = bool(problem.phases) and not all_at_once
    with about(scenario):
        if problem.n_levers == 0:
            return  # the engine says why
        variants = whatif_simulations(problem, budget)
        check_caps(problem, runs, None, variants * (len(problem.phases) if phased else 1))

    def play(n: int):
        options = dict(runs=n, seed=seed, protocol=protocol, strategies=strategies, first_proposer=first_proposer)
        if phased:
            return simulate_phases(problem, **options)
        result = simulate(problem, **options)
        return durability(problem, result, seed=seed) if problem.ceasefire else result

    estimate_first(scenario, play, runs=runs, simulations=variants, force=force)


def _estimate_sensitivity(scenario, problem, method, *, runs, seed, protocol, strategies, all_at_once, force) -> None:
    """One at a time: 1 + 2 x inputs simulations of ``runs`` runs; Sobol: one of ``runs`` x (inputs + 2)."""
    from truce.mediation.sensitivity import deal_inputs
    from truce.simulate import simulate
    from truce.simulate.phases import first_phase_talks

    inputs = len(deal_inputs(problem))
    if not inputs:
        return  # the engine says why
    engine = first_phase_talks if problem.phases and not all_at_once else simulate
    with about(scenario):
        if method == "oat":
            check_caps(problem, runs, None, 1 + 2 * inputs)
        else:
            check_caps(problem, runs * (inputs + 2), None, 1)

    def play(n: int):
        return engine(problem, runs=n, seed=seed, protocol=protocol, strategies=strategies)

    if method == "oat":
        estimate_first(scenario, play, runs=runs, simulations=1 + 2 * inputs, force=force)
    else:
        def base_samples(total: int) -> int:  # the largest power of two whose design fits
            fitting = total // (inputs + 2)
            return 1 << (fitting.bit_length() - 1) if fitting else 0

        estimate_first(scenario, play, runs=runs * (inputs + 2), force=force, option_value=base_samples)
