"""The self-contained HTML report: one file, readable offline, that a decision maker can read in five minutes.

The report embeds the plot library once (Plotly's official basic bundle,
gzip-compressed: :mod:`truce.report.plotly_bundle`) and loads nothing from
the network: no CDN, no web fonts. It is a list of sections, each a plain-language reading followed by
its figures and tables; a section is rendered only when its result object
is given, so the sections of engines still to land (forecast, levers,
sensitivity, durability) appear as soon as a caller passes their results:

========================  =====================================================
section                   needs
========================  =====================================================
summary                   analysis (+ simulation, durability, levers if given)
actors and issues         the scenario
agreement space           analysis
advice                    an :class:`~truce.analysis.explain.Explanation` (+ the simulation)
text                      ``text_advice``: (:class:`~truce.analysis.improve.Improvements`, where the text came from)
division                  a :class:`~truce.analysis.stake_division.StakeDivision` (two parties)
forecast                  a :class:`~truce.forecast.results.ForecastResult`
simulation                a :class:`~truce.simulate.results.SimulationResult`
levers                    :class:`~truce.report.inputs.LeverEffects`
sensitivity               :class:`~truce.report.inputs.Sensitivity`
durability                :class:`~truce.report.inputs.Survival`
phases                    a :class:`~truce.simulate.phase_results.PhasedResult`
track record              a :class:`~truce.backtest.run.BacktestResult` (``cases``)
reproduce                 the scenario and the provenance
========================  =====================================================

:func:`write_report` runs the engines (:mod:`truce.report.work`: planned by :func:`plan_report`,
played by :func:`render_work`) and writes the file safely (:mod:`truce.files`);
:func:`build_report` only formats results it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from truce.errors import InputError
from truce.files import OutputFile
from truce.report.markup import Section, paragraphs, text
from truce.report.plotly_bundle import compressed_base64, report_loader
from truce.report.provenance import Provenance, scenario_digest
from truce.report.sections.advice import advice_section
from truce.report.sections.text_on_table import advice_results, division_section, text_section
from truce.report.sections.backtest import backtest_section
from truce.report.sections.reproduce import reproduce_section
from truce.report.sections.results import (
    NOT_A_CEASEFIRE_READING,
    agreement_section,
    durability_section,
    forecast_section,
    levers_section,
    sensitivity_section,
    simulation_section,
)
from truce.report.sections.phases import phases_section
from truce.report.sections.scenario import actors_section
from truce.report.sections.summary import summary_section
from truce.report.style import STYLE
from truce.report.work import WORKERS, ReportWork, run_engines
from truce.scenario import Scenario, builtin_scenarios, load

if TYPE_CHECKING:
    from truce.analysis.explain import Explanation
    from truce.analysis.improve import Improvements
    from truce.analysis.results import Analysis
    from truce.analysis.stake_division import StakeDivision
    from truce.backtest.run import BacktestResult
    from truce.forecast.results import ForecastResult
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.simulate.phase_results import PhasedResult
    from truce.simulate.results import SimulationResult

__all__ = [
    "DEFAULT_RUNS", "MAX_RUNS", "Provenance", "ReportWork", "Section", "build_report", "plan_report", "render_report", "render_work", "run_engines",
    "scenario_digest", "write_report",
]

DEFAULT_RUNS = 2000
DEFAULT_SEED = 0
MAX_RUNS = 1_000_000
"""A report's simulation is meant to be read, not swept: larger runs belong to ``truce simulate``."""


def sections(
    scenario: Scenario,
    analysis: "Analysis",
    simulation: "SimulationResult | None" = None,
    *,
    provenance: Provenance,
    forecast: "ForecastResult | None" = None,
    levers: "LeverEffects | None" = None,
    sensitivity: "Sensitivity | None" = None,
    durability: "Survival | None" = None,
    phases: "PhasedResult | None" = None,
    backtest: "BacktestResult | None" = None,
    advice: "Explanation | None" = None,
    text_advice: "tuple[Improvements, str] | None" = None,
    division: "StakeDivision | None" = None,
) -> list[Section]:
    """The report's sections in reading order; a section whose result is missing is left out."""
    party_names = dict(zip(analysis.party_ids, analysis.party_names))
    found = [
        summary_section(analysis, simulation, durability=durability, levers=levers),
        actors_section(scenario),
        agreement_section(analysis),
    ]
    if advice is not None:
        found.append(advice_section(advice, party_names, simulation))
    if text_advice is not None:
        found.append(text_section(text_advice[0], party_names, text_advice[1]))
    if division is not None:
        found.append(division_section(division, party_names))
    if forecast is not None:
        found.append(forecast_section(forecast))
    if simulation is not None:
        found.append(simulation_section(simulation, party_names))
    if phases is not None:
        found.append(phases_section(phases))
    if levers is not None:
        found.append(levers_section(levers))
    if sensitivity is not None:
        found.append(sensitivity_section(sensitivity))
    if durability is not None:
        found.append(durability_section(durability))
    elif not scenario.is_ceasefire:
        found.append(Section("durability", "Durability", NOT_A_CEASEFIRE_READING, ()))
    if backtest is not None:
        found.append(backtest_section(backtest))
    found.append(reproduce_section(scenario, provenance))
    return found


def build_report(
    scenario: Scenario,
    analysis: "Analysis",
    simulation: "SimulationResult | None" = None,
    *,
    provenance: Provenance,
    forecast: "ForecastResult | None" = None,
    levers: "LeverEffects | None" = None,
    sensitivity: "Sensitivity | None" = None,
    durability: "Survival | None" = None,
    phases: "PhasedResult | None" = None,
    backtest: "BacktestResult | None" = None,
    advice: "Explanation | None" = None,
    text_advice: "tuple[Improvements, str] | None" = None,
    division: "StakeDivision | None" = None,
) -> str:
    """The report as one HTML document, from results already computed."""
    parts = sections(
        scenario, analysis, simulation, provenance=provenance,
        forecast=forecast, levers=levers, sensitivity=sensitivity, durability=durability, phases=phases, backtest=backtest, advice=advice,
        text_advice=text_advice, division=division,
    )
    toc = "".join(f'<a href="#{section.id}">{text(section.title)}</a>' for section in parts)
    rendered = "".join(
        f'<section id="{section.id}"><h2>{text(section.title)}</h2>'
        f'<div class="reading">{paragraphs(section.reading)}</div>{"".join(section.body)}</section>'
        for section in parts
    )
    illustrative = "illustrative" in scenario.name.lower() or "illustrative" in scenario.description.lower()
    badge = '<div class="illustrative">Illustrative scenario: its numbers are stated assumptions, not assessments.</div>' if illustrative else ""
    description = f'<div class="description">{paragraphs(scenario.description)}</div>' if scenario.description else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="truce {text(provenance.versions.get("truce", ""))}">'
        f"<title>{text(scenario.name)}: truce report</title>"
        f"<style>{STYLE}</style>"
        "</head><body>"
        f'<header class="top"><div class="wrap"><h1>{text(scenario.name)}</h1>'
        f'<p class="meta">truce report, generated {text(provenance.generated)} · scenario: {text(provenance.scenario_source)}</p>'
        f"{badge}{description}</div></header>"
        f'<nav class="toc"><div class="wrap">{toc}</div></nav>'
        f'<main class="wrap">{rendered}</main>'
        f'<footer class="wrap">Made with truce {text(provenance.versions.get("truce", ""))}. '
        "This file is self-contained: it works offline and loads nothing from the network.</footer>"
        # Plotly's basic bundle, embedded once for every figure, compressed; the loader unpacks it and draws the figures.
        f'<script type="application/gzip;base64" id="plotly-bundle">{compressed_base64()}</script>'
        f"<script>{report_loader()}</script>"
        "</body></html>\n"
    )


# ---------------------------------------------------------------- entry points
def _resolve(scenario: str | Path | Scenario) -> tuple[Scenario, str, str]:
    """The scenario, how to name it in the report, and the argument to repeat it on the command line."""
    if isinstance(scenario, Scenario):
        return scenario, "given as an object (see the SHA-256 below)", "SCENARIO"
    loaded = load(scenario)
    given = str(scenario)
    looks_like_name = "/" not in given and "\\" not in given and not given.endswith((".yaml", ".yml", ".json"))
    if looks_like_name and given in builtin_scenarios():
        return loaded, f"built-in scenario '{given}'", given
    return loaded, given, given


def plan_report(
    scenario: str | Path | Scenario,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    protocol: str = "alternating",
    strategies: str | dict[str, str] = "cost-based",
    rounds: int | None = None,
    engines: bool = True,
    cases: str | None = None,
    first_proposer: int | str = "random",
    workers: int = WORKERS,
) -> ReportWork:
    """The report's work, loaded and checked, nothing played yet (see :func:`render_report` for the
    options; ``workers``: threads of the later engines, see :mod:`truce.report.work`). Its
    :meth:`~truce.report.work.ReportWork.simulation` and ``backtest`` may be played first (the time
    estimate's probes end on them) and :func:`render_work` then uses them."""
    if not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise InputError(f"runs: found {runs}; expected 1 to {MAX_RUNS:,}")
    resolved, case_name = None, "back-test"
    if cases is not None:
        from truce.backtest.casefile import load_cases

        case_file, _, resolved = load_cases(cases)  # a bad case file fails before any work
        case_name = case_file.name
    loaded, described, argument = _resolve(scenario)
    return ReportWork(
        scenario=loaded, problem=loaded.compile(), runs=runs, seed=seed, protocol=protocol, strategies=strategies, rounds=rounds,
        first_proposer=first_proposer, engines=engines, cases=resolved, case_name=case_name, workers=workers,
        source=described, argument=argument, case_argument=cases,
    )


def render_report(
    scenario: str | Path | Scenario,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    protocol: str = "alternating",
    strategies: str | dict[str, str] = "cost-based",
    rounds: int | None = None,
    engines: bool = True,
    progress: Callable[[int], None] | None = None,
    source: str | None = None,
    cases: str | None = None,
    first_proposer: int | str = "random",
    tables: dict | None = None,
    workers: int = WORKERS,
) -> str:
    """Load the scenario, run the analysis and the simulation (and, with ``engines``, the forecast,
    the levers' what-if, the sensitivity and the durability engines), and return the report's HTML.
    With ``cases`` (a case file or a shipped one by name), the report ends with the back-test of
    those cases at the same runs and seed. ``progress`` is called with the runs of every simulation
    played, :meth:`~truce.report.work.ReportWork.runs_to_play` in all (from the report's threads, one
    call at a time). ``first_proposer``
    (random, alternate or a party id, as in :func:`truce.simulate.simulate`) holds for every
    simulation of the scenario, not for the back-test's cases. ``tables``, when given, is filled with
    the results behind the report as tables (:func:`result_tables`), for the run store. ``workers``:
    threads the later engines run on (the same report with any number).

    Raises :class:`~truce.scenario.ScenarioError` for a bad scenario and
    ``ValueError`` for bad options (both user errors).
    """
    work = plan_report(
        scenario, runs=runs, seed=seed, protocol=protocol, strategies=strategies, rounds=rounds, engines=engines, cases=cases,
        first_proposer=first_proposer, workers=workers,
    )
    return render_work(work, progress=progress, source=source, tables=tables)


def render_work(work: ReportWork, *, progress: Callable[[int], None] | None = None, source: str | None = None, tables: dict | None = None) -> str:
    """The report's HTML from its work (:func:`plan_report`): what is kept is not played again."""
    problem, runs, seed = work.problem, work.runs, work.seed
    analysis = problem.analyze()
    simulation, later = work.results(progress)
    if tables is not None:
        tables.update(result_tables(simulation, later))
    strategies = work.strategies
    strategy_text = strategies if isinstance(strategies, str) else ", ".join(f"{p}={s}" for p, s in strategies.items())
    command = f"truce report {work.argument} -o report.html --runs {runs} --seed {seed}" + (f" --backtest {work.case_argument}" if work.case_argument is not None else "")
    if work.protocol != "alternating" or strategy_text != "cost-based" or work.rounds is not None or work.first_proposer != "random":
        command += "  (with the protocol, strategies, deadline and first proposer below, through the Python API)"
    provenance = Provenance(
        scenario_source=source or work.source,
        scenario_digest=scenario_digest(work.scenario),
        options={
            "runs": f"{runs:,}",
            "seed": str(seed),
            "protocol": work.protocol,
            "strategies": strategy_text,
            "deadline": f"{simulation.rounds_limit} rounds",
            "first proposer": str(work.first_proposer),
            "other engines": ", ".join(name for name, result in later.items() if result is not None) or "none",
        },
        command=command,
    )
    return build_report(work.scenario, analysis, simulation, provenance=provenance, **advice_results(problem), **later)


def result_tables(simulation, later: dict) -> dict:
    """The report's results as tables: ``runs`` (one row per simulated run), and where their sections
    exist ``forecast`` (positions per round), ``levers`` and ``sensitivity`` (one row per lever or input),
    ``phases`` (one row per run, phase by phase)."""
    from dataclasses import asdict

    import pandas as pd

    found = {"runs": simulation.to_frame()}
    if later.get("forecast") is not None:
        found["forecast"] = later["forecast"].to_frame()
    if later.get("levers") is not None:
        found["levers"] = pd.DataFrame([asdict(effect) for effect in later["levers"].effects])
    if later.get("sensitivity") is not None:
        found["sensitivity"] = pd.DataFrame([asdict(bar) for bar in later["sensitivity"].bars])
    if later.get("phases") is not None:
        found["phases"] = later["phases"].to_frame()
    return found


def write_report(
    scenario: str | Path | Scenario | ReportWork,
    path: str | Path,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    protocol: str = "alternating",
    strategies: str | dict[str, str] = "cost-based",
    rounds: int | None = None,
    engines: bool = True,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    follow_symlinks: bool = False,
    cases: str | None = None,
    first_proposer: int | str = "random",
    tables: dict | None = None,
    workers: int = WORKERS,
) -> Path:
    """Write the report for a built-in scenario name, a scenario file or a :class:`Scenario` to ``path``
    (or for the work a :func:`plan_report` planned, whose options then hold: the run options here are not read).

    The file is written as :mod:`truce.files` writes every output: checked
    before any work, whole or not at all, never through a symbolic link
    (unless ``follow_symlinks``), never over an existing file (unless
    ``force``; it then keeps its mode). Raises ``ScenarioError`` (bad
    scenario), ``ValueError`` (bad options), :class:`~truce.files.OutputRefused`
    (a target that cannot be written as asked) or ``OSError`` (the system
    refused the write); returns the path written.
    """
    with OutputFile(path, force=force, follow_symlinks=follow_symlinks) as output:
        work = scenario if isinstance(scenario, ReportWork) else plan_report(
            scenario, runs=runs, seed=seed, protocol=protocol, strategies=strategies, rounds=rounds, engines=engines, cases=cases,
            first_proposer=first_proposer, workers=workers,
        )
        output.write(render_work(work, progress=progress, tables=tables))
    return output.target
