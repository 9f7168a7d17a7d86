"""`truce backtest CASES`: score truce's simulation, solution points, forecast and durability against what happened."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from truce.cli.common import FollowSymlinksOption, ForceOption, JsonOption, UserError, app, check_output, check_runs, console, parse_strategies, print_json, progress_bar, write_atomically
from truce.cli.context import check_rounds_option
from truce.errors import InputError


@app.command()
def backtest(
    cases: Annotated[str, typer.Argument(help="A case file (YAML/JSON) or a shipped one by name (e.g. israel-hamas).")],
    runs: Annotated[int, typer.Option(help="Monte Carlo runs per case.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same numbers.")] = 0,
    noise: Annotated[float, typer.Option(help="Knowledge noise: spread of each party's (and the mediator's) estimate of the others' priorities.")] = 0.1,
    floor: Annotated[float, typer.Option(help="A probability of 0 counts as this in the log scores.")] = 1e-3,
    forecast_model: Annotated[str, typer.Option("--forecast-model", help="compromise, smp or expected_utility.")] = "smp",
    protocol: Annotated[Optional[str], typer.Option(help="alternating or single-text for every case (default: each scenario's own).")] = None,
    strategy: Annotated[
        Optional[list[str]], typer.Option("--strategy", "-s", help="A strategy for every party (see `truce strategies`), or PARTY=NAME once per party (a party of every case).")
    ] = None,
    first_proposer: Annotated[
        Optional[str], typer.Option("--first-proposer", help="random (per run), alternate (across runs) or a party id of every case (default: random).")
    ] = None,
    rounds: Annotated[Optional[int], typer.Option(help="Most rounds in every case: a deadline, or with a breakdown risk only a safety cap (default: each scenario's).")] = None,
    breakdown_risk: Annotated[
        Optional[float], typer.Option("--breakdown-risk", help="Per-round risk of breakdown in every case, replacing each scenario's (and its growth); 0 with --rounds: a pure deadline.")
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write an HTML page with the tables and the predicted-vs-realised plot.")] = None,
    force: ForceOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    as_json: JsonOption = False,
) -> None:
    """Would truce have got the last deals right? Scores per case and overall against a case file."""
    from truce.backtest.casefile import CaseFileError, load_cases
    from truce.backtest.run import backtest as run_backtest
    from truce.forecast.issues import MODELS

    check_runs(runs, 1_000_000)
    if not 0 < floor <= 1:
        raise UserError(f"--floor: found {floor:g}; expected a probability in (0, 1]")
    if noise < 0:
        raise UserError(f"--noise: found {noise:g}; expected a number >= 0")
    if forecast_model not in MODELS:
        raise UserError(f"--forecast-model: found '{forecast_model}'; expected one of {', '.join(MODELS)}")
    if output is not None:
        check_output(output, force=force, follow_symlinks=follow_symlinks, option="--output")
    if protocol not in (None, "alternating", "single-text"):
        raise UserError(f"--protocol: found '{protocol}'; expected alternating or single-text")
    check_rounds_option(rounds)
    if breakdown_risk is not None and not 0 <= breakdown_risk <= 1:
        raise UserError(f"--breakdown-risk: found {breakdown_risk:g}; expected a probability in [0, 1]")
    try:
        case_file, label, resolved = load_cases(cases)
    except CaseFileError as error:
        raise UserError(str(error)) from None
    settings = _settings(resolved, protocol, strategy, first_proposer, rounds, breakdown_risk)
    try:
        with progress_bar(as_json) as bar:
            task = bar.add_task(f"Back-testing {len(resolved)} case(s)", total=runs * len(resolved))
            result = run_backtest(
                resolved, name=case_file.name, runs=runs, seed=seed, noise=noise, floor=floor, forecast_model=forecast_model,
                progress=lambda done: bar.advance(task, done), **settings,
            )
    except InputError as error:
        raise UserError(str(error)) from None
    _record(result, cases)
    if output is not None:
        from truce.report.backtest import render_backtest

        write_atomically(output, render_backtest(result, source=label), force=force, follow_symlinks=follow_symlinks, option="--output")
    if as_json:
        print_json(result.to_dict())
        return
    print_backtest(result)
    if output is not None:
        console.print(f"Wrote {output}")


def _record(result, cases: str) -> None:
    """The run in the store: the case file as given, the overall scores, one row per case and the calibration table."""
    from dataclasses import asdict

    import pandas as pd

    from truce.cli.recording import record

    per_case = pd.DataFrame([
        {key: value for key, value in asdict(case).items() if not isinstance(value, (dict, list, tuple))}
        | {"p_deal_low": case.p_deal_interval[0], "p_deal_high": case.p_deal_interval[1], "term_log_score": case.term_log_score}
        for case in result.cases
    ])
    summary = {"cases_file": cases, "name": result.name, **result.to_dict()["conditions"], **result.overall()}
    record("backtest", seed=result.seed, runs=result.runs, summary=summary,
           tables={"cases": per_case, "calibration": pd.DataFrame([asdict(row) for row in result.calibration])})


def _settings(resolved, protocol, strategy, first_proposer, rounds, breakdown_risk) -> dict:
    """The model settings for every case, each party id checked against every case's parties."""
    for case in resolved:
        parties = case.problem.party_ids
        where = f"case '{case.case.id}' (scenario {case.case.scenario})"
        if first_proposer not in (None, "random", "alternate", *parties):
            raise UserError(f"--first-proposer: found '{first_proposer}'; expected random, alternate or a party of {where}: {', '.join(parties)}")
        chosen = parse_strategies(strategy or [], parties)
        if isinstance(chosen, dict) and set(chosen) != set(parties):
            raise UserError(f"--strategy: names parties {', '.join(sorted(chosen))}; {where} has parties {', '.join(parties)}")
    settings = dict(protocol=protocol, first_proposer=first_proposer, rounds=rounds, breakdown_risk=breakdown_risk)
    if strategy:
        settings["strategies"] = parse_strategies(strategy, resolved[0].problem.party_ids)
    return settings


def _number(value, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else pattern.format(value)


def _distance(label, distance) -> str:
    if label is None:
        return "-"
    return label if distance is None else f"{label} ({distance:+.3g})"


def _spread(term) -> str:
    """The simulated deals' 10-90% range: option names on an ordered issue, numbers with the unit on a numeric one."""
    if term.simulated_mean is None:
        return "-"
    if term.options:
        low, high = (term.options[int(round(value))] for value in (term.simulated_low, term.simulated_high))
        return low if low == high else f"{low} to {high}"
    return f"{term.simulated_low:.4g} to {term.simulated_high:.4g} {term.scale}"


def _setting(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{party}={name}" for party, name in value.items())
    return f"{value:g}" if isinstance(value, float) else str(value)


def print_backtest(result) -> None:
    console.print(
        f"[bold]{result.name}[/bold]: {len(result.cases)} case(s), {result.runs:,} runs each, seed {result.seed}, "
        f"knowledge noise {result.noise:g}, log-score floor {result.floor:g}, forecast {result.forecast_model}"
    )
    console.print("Model settings: " + (", ".join(f"{key.replace('_', ' ')} {_setting(value)}" for key, value in result.settings.items()) or "each scenario's own"))
    table = Table(title="Per case: the deal, the real package and how long it held")
    for column in ("case", "as of", "deal came", "P(deal)", "Brier", "P(real package | deal)", "log score", "rank", "mean term log score", "held (days, end)", "P(holds that long)"):
        table.add_column(column)
    for case in result.cases:
        rank = "-" if case.p_package is None else (f"{case.package_rank} of {case.distinct_packages}" if case.package_rank else f"not among {case.distinct_packages}")
        held = survival = "-"
        if case.durability is not None:
            held = f"{case.durability.days:.0f}, {case.durability.ended}"
            survival = f"{case.durability.survival_at_real:.1%}" + ("" if case.durability.broke_down else " (censored)")
        table.add_row(
            case.case, case.as_of, "yes" if case.deal else "no", f"{case.p_deal:.1%}", f"{case.brier:.3f}",
            _number(case.p_package, "{:.1%}"), _number(case.package_log_score, "{:.2f}"), rank, _number(case.term_log_score, "{:.2f}"), held, survival,
        )
    console.print(table)
    for case in result.cases:
        if not case.terms:
            continue
        terms = Table(title=f"{case.case}: each real term against the simulation, the Nash and Kalai-Smorodinsky points and the forecast (distance in the issue's units)")
        for column in ("issue", "real term", "P(term | deal)", "simulated 10-90%", "Nash", "Kalai-Smorodinsky", f"forecast ({result.forecast_model})"):
            terms.add_column(column)
        for term in case.terms:
            spread = _spread(term)
            if term.simulated_deferred:
                spread += f"; deferred {term.simulated_deferred:.0%}"
            terms.add_row(
                term.issue_name, term.real, f"{term.p_term:.1%}", spread, _distance(term.nash, term.nash_distance),
                _distance(term.kalai_smorodinsky, term.kalai_smorodinsky_distance), _distance(term.forecast, term.forecast_distance),
            )
        console.print(terms)
    if result.calibration:
        calibration = Table(title="Durability calibration over cases: predicted P(no breakdown) given the real package, against Kaplan-Meier")
        for column in ("after", "predicted (mean)", "realised (Kaplan-Meier)", "cases known", "at risk", "held"):
            calibration.add_column(column)
        for row in result.calibration:
            calibration.add_row(f"{row.days} days", f"{row.predicted:.1%}", f"{row.kaplan_meier:.1%}", str(row.known), str(row.at_risk), str(row.held))
        console.print(calibration)
    overall = result.overall()
    console.print(
        f"Overall: Brier {overall['brier']:.3f} over {overall['cases']} case(s) ({overall['deals']} with a deal; mean P(deal) {overall['mean_p_deal']:.1%}); "
        f"package log score {_number(overall['package_log_score'], '{:.2f}')}, term log score {_number(overall['term_log_score'], '{:.2f}')} "
        f"(floor ln {result.floor:g} = {math.log(result.floor):.2f}); median rank {_number(overall['package_rank_median'], '{:g}')}"
        + (f", {overall['packages_never_simulated']} real package(s) never simulated" if overall["packages_never_simulated"] else "")
    )
    auc = overall["discrimination_auc"]
    console.print(
        f"Discrimination: mean P(deal) {_number(overall['mean_p_deal_where_deal'], '{:.1%}')} where a deal came, "
        f"{_number(overall['mean_p_deal_where_none'], '{:.1%}')} where none did; "
        + ("AUC - (needs cases of both kinds)" if auc is None else f"AUC {auc:.2f} (0.5: no better than chance; 1: every case with a deal ranked above every case without)")
    )
    if overall["breakdowns"]:
        console.print(
            f"Predicted survival at the day of breakdown: mean {overall['survival_at_breakdown_mean']:.1%} over {overall['breakdowns']} breakdown(s) "
            "(about 50% if the durability model is calibrated; below: they held longer than predicted; above: they broke down sooner)"
        )
