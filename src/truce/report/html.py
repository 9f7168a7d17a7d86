"""The self-contained HTML report: one file, readable offline, that a decision maker can read in five minutes.

The report embeds the plot library once (Plotly's JavaScript, from the
``plotly`` package) and loads nothing from the network: no CDN, no web
fonts. It is a list of sections, each a plain-language reading followed by
its figures and tables; a section is rendered only when its result object
is given, so the sections of engines still to land (forecast, levers,
sensitivity, durability) appear as soon as a caller passes their results:

========================  =====================================================
section                   needs
========================  =====================================================
summary                   analysis (+ simulation, durability, levers if given)
actors and issues         the scenario
agreement space           analysis
forecast                  a :class:`~truce.forecast.results.ForecastResult`
simulation                a :class:`~truce.simulate.results.SimulationResult`
levers                    :class:`~truce.report.inputs.LeverEffects`
sensitivity               :class:`~truce.report.inputs.Sensitivity`
durability                :class:`~truce.report.inputs.Survival`
reproduce                 the scenario and the provenance
========================  =====================================================

:func:`write_report` runs the engines (analysis and simulation) and writes
the file atomically; :func:`build_report` only formats results it is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

import plotly.io as pio
from plotly.offline import get_plotlyjs

from truce.report import figures, readings
from truce.scenario import Actor, Distribution, NumericIssue, Scenario, builtin_scenarios, load
from truce.scenario.distributions import in_words

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from truce.analysis.results import Analysis
    from truce.forecast.results import ForecastResult
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.simulate.results import SimulationResult

DEFAULT_RUNS = 2000
DEFAULT_SEED = 0
MAX_RUNS = 1_000_000
"""A report's simulation is meant to be read, not swept: larger runs belong to ``truce simulate``."""

FIELD_LABELS = {
    "capability": "capability",
    "reservation": "no-deal value",
    "cost_of_delay": "cost of delay per round",
    "discount": "discount per round",
    "trust": "trust that the other side complies",
    "exposure": "loss if the other side defects",
}


@dataclass(frozen=True)
class Provenance:
    """What is needed to reproduce the report: the input, the options, the seed and the versions."""

    scenario_source: str
    scenario_digest: str
    """SHA-256 of the scenario's canonical JSON (the same scenario gives the same digest whatever its layout)."""
    options: Mapping[str, str]
    command: str
    versions: Mapping[str, str] = field(default_factory=lambda: package_versions())
    generated: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    reading: str
    """Plain text; escaped when rendered."""
    body: tuple[str, ...]
    """HTML fragments (already escaped) after the reading."""


def package_versions() -> dict[str, str]:
    """Versions of truce, Python and the numerical libraries the numbers depend on."""
    found = {"truce": _version("truce"), "python": platform.python_version()}
    for name in ("numpy", "scipy", "pandas", "pydantic", "plotly"):
        found[name] = _version(name)
    return found


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed" if name != "truce" else "0.0.0+source"


def scenario_digest(scenario: Scenario) -> str:
    canonical = json.dumps(scenario.model_dump(mode="json", exclude_none=True), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- small helpers
def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_text(part.strip())}</p>" for part in text.strip().split("\n\n") if part.strip())


LEVER_BOOKKEEPING = frozenset({"id", "by", "kind", "parties", "active", "cost", "note"})


def lever_effect_in_words(lever) -> str:
    """The lever's own numbers (trust gain, pressure, payment...), whichever its kind sets."""
    parts = []
    for name in type(lever).model_fields:
        value = getattr(lever, name)
        if name in LEVER_BOOKKEEPING or value is None or not isinstance(value, (int, float, Distribution)) or isinstance(value, bool):
            continue
        parts.append(f"{name.replace('_', ' ')} {in_words(value)}")
    return "; ".join(parts) or "-"


ACTOR_TEXT_FIELDS = frozenset({"id", "name", "role", "description", "stances", "notes"})


def actor_numbers(actor: Actor) -> list[tuple[str, str]]:
    """An actor's numbers worth showing, as (field, value in words), in the schema's order.

    A field is shown when the scenario gives it a note, when it differs from
    its default, or when it defines the actor (capability; a party's no-deal
    value); a note on any other field is shown too, so no note is lost.
    """
    essential = {"capability", "reservation"} if actor.role == "party" else {"capability"}
    party_only = {"reservation", "cost_of_delay", "discount", "trust", "exposure"}
    shown = []
    for name, info in Actor.model_fields.items():
        if name in ACTOR_TEXT_FIELDS:
            continue
        value = getattr(actor, name)
        is_number = isinstance(value, Distribution) or (isinstance(value, (int, float)) and not isinstance(value, bool))
        relevant = actor.role == "party" or name not in party_only
        if name in actor.notes or (relevant and is_number and (name in essential or value != info.default)):
            shown.append((name, in_words(value) if is_number else "-"))
    return shown


def _table(header: Iterable[str] | None, rows: Iterable[Iterable[str]], *, css: str = "") -> str:
    """A table of already-escaped cells; a cell given as ``(html, rowspan)`` spans rows."""
    head = "" if header is None else "<thead><tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr></thead>"
    body = "".join(
        "<tr>"
        + "".join(f'<td rowspan="{cell[1]}">{cell[0]}</td>' if isinstance(cell, tuple) else f"<td>{cell}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    return f'<div class="table-wrap"><table class="{css}">{head}<tbody>{body}</tbody></table></div>'


def _note(note: str | None) -> str:
    return f'<span class="note">{_text(note.strip())}</span>' if note else '<span class="note missing">no note given</span>'


def _figure(figure: "go.Figure", div_id: str) -> str:
    return '<div class="figure">' + pio.to_html(
        figure, include_plotlyjs=False, full_html=False, div_id=div_id, config=figures.CONFIG, default_width="100%"
    ) + "</div>"


def _cards(cards: list[tuple[str, str, str]]) -> str:
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="card-label">{_text(label)}</div>'
        f'<div class="card-value">{_text(value)}</div><div class="card-sub">{_text(sub)}</div></div>'
        for label, value, sub in cards
    ) + "</div>"


# --------------------------------------------------------------------- sections
def summary_section(
    analysis: "Analysis",
    simulation: "SimulationResult | None",
    *,
    durability: "Survival | None" = None,
    levers: "LeverEffects | None" = None,
) -> Section:
    """Key figures. The durability and best-lever cards are hooks: shown only when their results are given."""
    cards = []
    if simulation is not None:
        low, high = simulation.agreement_interval
        cards.append(
            (f"Chance of a deal within {simulation.rounds_limit} rounds", readings.percent(simulation.agreement_rate),
             f"95% interval {readings.percent(low)} to {readings.percent(high)}, {simulation.runs:,} runs")
        )
        timing = simulation.rounds_to_agreement()
        if timing["mean"] is not None:
            cards.append(
                ("Expected time to agreement", f"{timing['mean']:.1f} rounds",
                 f"median {timing['median']:.0f}; 80% between {timing['p10']:.0f} and {timing['p90']:.0f}")
            )
    zopa = analysis.zopa
    if zopa.exists:
        count = f"{int(zopa.count):,}" if zopa.exact else f"~{zopa.count:,.0f}"
        cards.append(("Zone of possible agreement", f"{count} packages", f"{readings.percent(zopa.share)} of {zopa.n_outcomes:,}"))
    else:
        cards.append(("Zone of possible agreement", "none", "no package beats no deal for every party"))
    # Hook: the durability engine (simulate/) fills this card when it lands.
    if durability is not None:
        holds, low, high = durability.holds()
        sub = f"95% interval {readings.percent(low)} to {readings.percent(high)}" if low is not None and high is not None else ""
        cards.append((f"Ceasefire holds {durability.horizon} days", readings.percent(holds), sub))
    # Hook: the levers engine (mediation/) fills this card when it lands.
    if levers is not None and levers.best is not None:
        best = levers.best
        cards.append(("Best lever", best.label, f"{best.change * 100:+.1f} points of {levers.outcome} ({best.low * 100:+.1f} to {best.high * 100:+.1f})"))

    body = [_cards(cards)]
    common = simulation.most_common_package() if simulation is not None else None
    if common is not None:
        terms, share = common
        shares = simulation.option_shares()
        body.append(f"<h3>The package signed most often ({_text(readings.percent(share))} of deals), term by term</h3>")
        body.append(
            _table(
                ("issue", "term", "share of all deals with this term"),
                [(_text(issue), f"<strong>{_text(option)}</strong>", _text(readings.percent(shares[issue][option]))) for issue, option in terms.items()],
                css="compact",
            )
        )
    reading = readings.summary(analysis, simulation, durability=durability, levers=levers)
    return Section("summary", "Summary", reading, tuple(body))


def actors_section(scenario: Scenario) -> Section:
    body = ["<h3>Actors</h3>"]
    body.append(
        _table(
            ("actor", "role", "description"),
            [(f"<strong>{_text(a.name)}</strong>", _text(a.role), _text(a.description.strip())) for a in scenario.actors],
        )
    )
    rows = []
    for actor in scenario.actors:
        shown = actor_numbers(actor)
        for k, (name, value) in enumerate(shown):
            row = [_text(FIELD_LABELS.get(name, name.replace("_", " "))), f'<span class="num">{_text(value)}</span>', _note(actor.notes.get(name))]
            rows.append(([(f"<strong>{_text(actor.name)}</strong>", len(shown))] if k == 0 else []) + row)
    body.append("<h3>Each actor's numbers and their notes</h3>")
    body.append(_table(("actor", "quantity", "value", "note"), rows, css="notes numbers"))

    body.append("<h3>Issues</h3>")
    issue_rows = []
    for issue in scenario.issues:
        if isinstance(issue, NumericIssue):
            low, high = issue.range
            options = f"{low:g} to {high:g} {issue.unit} in steps of {issue.step:g} ({len(issue.grid)} options)"
        else:
            options = " &lt; ".join(_text(o) for o in issue.options) if issue.kind == "ordered" else ", ".join(_text(o) for o in issue.options)
            options = options if issue.kind == "ordered" else f"{options} (unordered)"
        issue_rows.append((f"<strong>{_text(issue.name)}</strong>", options if not isinstance(issue, NumericIssue) else _text(options), _note(issue.note)))
    body.append(_table(("issue", "options", "note"), issue_rows, css="notes"))

    body.append("<h3>Stances: each actor's position (salience)</h3>")
    header = ["actor", *(_text(issue.name) for issue in scenario.issues)]
    matrix = []
    for actor in scenario.actors:
        cells = [f"<strong>{_text(actor.name)}</strong>"]
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            if stance is None:
                cells.append('<span class="note">-</span>')
                continue
            position = stance.position if isinstance(stance.position, str) else in_words(stance.position)
            cells.append(f"{_text(position)} <span class=\"salience\">({_text(in_words(stance.salience))})</span>")
        matrix.append(cells)
    body.append(_table(header, matrix, css="stances"))

    stance_rows = []
    for issue in scenario.issues:
        holders = [actor for actor in scenario.actors if issue.id in actor.stances]
        for k, actor in enumerate(holders):
            stance = actor.stances[issue.id]
            position = stance.position if isinstance(stance.position, str) else in_words(stance.position)
            row = [_text(actor.name), _text(position), _text(in_words(stance.salience)), _note(stance.note)]
            stance_rows.append(([(f"<strong>{_text(issue.name)}</strong>", len(holders))] if k == 0 else []) + row)
    body.append(
        "<details open><summary>Each stance's note</summary>"
        + _table(("issue", "actor", "position", "salience", "note"), stance_rows, css="notes grouped")
        + "</details>"
    )

    if scenario.levers:
        names = {actor.id: actor.name for actor in scenario.actors}
        lever_rows = [
            (
                _text(lever.id),
                _text(names.get(lever.by, lever.by)),
                _text(lever.kind.replace("_", " ")),
                _text(", ".join(names.get(p, p) for p in lever.parties) if lever.parties else "every party"),
                _text(lever_effect_in_words(lever)),
                "yes" if lever.active else "no",
                _note(lever.note),
            )
            for lever in scenario.levers
        ]
        body.append("<h3>Mediator levers</h3>")
        body.append(_table(("lever", "by", "kind", "affects", "size", "in the baseline", "note"), lever_rows, css="notes"))
    return Section("actors-issues", "Actors and issues", readings.actors_and_issues(scenario), tuple(body))


def agreement_section(analysis: "Analysis") -> Section:
    body = [_figure(figures.agreement_space(analysis), "figure-agreement-space")]
    if analysis.solutions:
        concepts = analysis.solutions
        rows = [[_text(issue), *(_text(s.terms[issue]) for s in concepts)] for issue in analysis.issue_names]
        for p, name in enumerate(analysis.party_names):
            rows.append([f"<em>{_text(name)}: utility (gain over no deal)</em>", *(f'<span class="num">{s.utilities[p]:.3f} ({s.gains[p]:+.3f})</span>' for s in concepts)])
        body.append("<h3>The packages the solution concepts pick</h3>")
        body.append(_table(("", *(_text(s.name) for s in concepts)), rows, css="compact"))
    return Section("agreement-space", "Agreement space", readings.agreement_space(analysis), tuple(body))


def forecast_section(forecast) -> Section:
    """An issue forecast (``problem.forecast()``) or an engine's raw :class:`ForecastResult`."""
    if not hasattr(forecast, "to_issue_scale"):
        body = (_figure(figures.positions_over_rounds(forecast), "figure-forecast"),)
        return Section("forecast", "Forecast: positions over rounds", readings.forecast(forecast), body)
    rows = [(_text(issue), f"<strong>{_text(where)}</strong>") for issue, where in forecast.outcome().items()]
    body = (_figure(figures.issue_positions(forecast), "figure-forecast"), "<h3>Where the forecast ends</h3>", _table(("issue", "forecast"), rows, css="compact"))
    return Section("forecast", "Forecast: positions over rounds", readings.forecast(forecast), body)


def simulation_section(simulation: "SimulationResult", party_names: dict[str, str]) -> Section:
    body = [
        _figure(figures.rounds_to_agreement(simulation), "figure-rounds"),
        _figure(figures.agreed_terms(simulation), "figure-terms"),
    ]
    if simulation.agreed.any():
        rows = [
            (_text(party_names.get(p, p)), f'<span class="num">{u:.3f}</span>', f'<span class="num">{simulation.reservation[:, k].mean():.3f}</span>')
            for k, (p, u) in enumerate(simulation.mean_utilities().items())
        ]
        body.append("<h3>What the signed packages were worth</h3>")
        body.append(_table(("party", "mean utility of the signed package", "mean no-deal value drawn"), rows, css="compact"))
    return Section("simulation", "Simulation", readings.simulation(simulation, party_names), tuple(body))


def levers_section(levers: "LeverEffects") -> Section:
    return Section("levers", "Mediator levers", readings.levers(levers), (_figure(figures.lever_ranking(levers), "figure-levers"),))


def sensitivity_section(sensitivity: "Sensitivity") -> Section:
    return Section("sensitivity", "Sensitivity", readings.sensitivity(sensitivity), (_figure(figures.sensitivity_tornado(sensitivity), "figure-sensitivity"),))


def durability_section(durability: "Survival") -> Section:
    return Section("durability", "Durability", readings.durability(durability), (_figure(figures.survival_curve(durability), "figure-durability"),))


def reproduce_section(scenario: Scenario, provenance: Provenance) -> Section:
    rows = [
        ("scenario", _text(provenance.scenario_source)),
        ("scenario SHA-256", f"<code>{_text(provenance.scenario_digest)}</code>"),
        *((_text(k), _text(v)) for k, v in provenance.options.items()),
        ("command", f"<code>{_text(provenance.command)}</code>"),
        ("generated", _text(provenance.generated)),
    ]
    body = ["<h3>Inputs and options</h3>", _table(None, rows, css="compact kv")]
    body.append("<h3>Versions</h3>")
    body.append(_table(("package", "version"), [(_text(k), f"<code>{_text(v)}</code>") for k, v in provenance.versions.items()], css="compact kv"))
    if scenario.notes:
        body.append("<h3>Assumptions stated in the scenario</h3>")
        body.append(_table(("topic", "note"), [(_text(k.replace("_", " ")), _note(v)) for k, v in scenario.notes.items()], css="notes"))
    body.append("<h3>Sources</h3>")
    if scenario.sources:
        items = []
        for source in scenario.sources:
            link = f' <a href="{_text(source.url)}">{_text(source.url)}</a>' if source.url else ""
            note = f"<br>{_note(source.note)}" if source.note else ""
            items.append(f"<li><code>{_text(source.id)}</code>: {_text(source.title.strip())}{link}{note}</li>")
        body.append('<ol class="sources">' + "".join(items) + "</ol>")
    else:
        body.append("<p>The scenario lists no sources.</p>")
    return Section("reproduce", "Assumptions, sources and how to reproduce", readings.reproduce(), tuple(body))


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
) -> list[Section]:
    """The report's sections in reading order; a section whose result is missing is left out."""
    party_names = dict(zip(analysis.party_ids, analysis.party_names))
    found = [
        summary_section(analysis, simulation, durability=durability, levers=levers),
        actors_section(scenario),
        agreement_section(analysis),
    ]
    if forecast is not None:
        found.append(forecast_section(forecast))
    if simulation is not None:
        found.append(simulation_section(simulation, party_names))
    if levers is not None:
        found.append(levers_section(levers))
    if sensitivity is not None:
        found.append(sensitivity_section(sensitivity))
    if durability is not None:
        found.append(durability_section(durability))
    found.append(reproduce_section(scenario, provenance))
    return found


# ------------------------------------------------------------------------ page
STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #dde2ea; --soft: #f4f6f9; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: var(--soft); border-bottom: 1px solid var(--rule); }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.top .wrap { padding-top: 28px; padding-bottom: 20px; }
h1 { font-size: 28px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 22px; margin: 0 0 10px; padding-top: 8px; }
h3 { font-size: 17px; margin: 22px 0 8px; }
.meta { color: var(--muted); font-size: 14px; margin: 0; }
.description { margin: 12px 0 0; max-width: 80ch; }
.illustrative { display: inline-block; background: #fff4d6; border: 1px solid #e6cf8a; border-radius: 4px; padding: 1px 8px; font-size: 13px; margin-top: 10px; }
nav.toc { border-bottom: 1px solid var(--rule); font-size: 14px; position: sticky; top: 0; background: #fff; z-index: 5; }
nav.toc .wrap { padding-top: 8px; padding-bottom: 8px; }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 16px; white-space: nowrap; }
section { padding: 26px 0 18px; border-bottom: 1px solid var(--rule); scroll-margin-top: 44px; }
section:last-of-type { border-bottom: 0; }
.reading { max-width: 85ch; }
.reading p { margin: 0 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; margin: 14px 0 8px; }
.card { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px; padding: 12px 14px; }
.card-label { color: var(--muted); font-size: 13px; }
.card-value { font-size: 26px; font-weight: 650; line-height: 1.3; }
.card-sub { color: var(--muted); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 6px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--rule); }
th { background: var(--soft); font-weight: 600; }
table.compact { width: auto; }
table.kv td:first-child { color: var(--muted); white-space: nowrap; }
table.notes td:last-child { min-width: 28ch; }
table.numbers td:nth-last-child(3) { min-width: 17ch; }
table.numbers td:nth-last-child(2) { min-width: 12ch; }
table.grouped td[rowspan], table.numbers td[rowspan] { background: #fafbfc; min-width: 14ch; }
table.stances td { min-width: 9ch; }
.note { color: var(--muted); font-size: 13px; }
.note.missing { font-style: italic; }
.salience { color: var(--muted); }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-size: 13px; background: var(--soft); padding: 1px 4px; border-radius: 3px; word-break: break-all; }
details summary { cursor: pointer; font-weight: 600; margin: 14px 0 6px; }
.figure { margin: 10px 0 14px; border: 1px solid var(--rule); border-radius: 6px; padding: 6px; }
ol.sources li { margin-bottom: 8px; }
a { color: var(--accent); }
footer { color: var(--muted); font-size: 13px; padding: 18px 0 40px; }
@media print { nav.toc { position: static; } .figure { break-inside: avoid; } section { break-inside: auto; } }
"""


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
) -> str:
    """The report as one HTML document, from results already computed."""
    parts = sections(
        scenario, analysis, simulation, provenance=provenance,
        forecast=forecast, levers=levers, sensitivity=sensitivity, durability=durability,
    )
    toc = "".join(f'<a href="#{section.id}">{_text(section.title)}</a>' for section in parts)
    rendered = "".join(
        f'<section id="{section.id}"><h2>{_text(section.title)}</h2>'
        f'<div class="reading">{_paragraphs(section.reading)}</div>{"".join(section.body)}</section>'
        for section in parts
    )
    illustrative = "illustrative" in scenario.name.lower() or "illustrative" in scenario.description.lower()
    badge = '<div class="illustrative">Illustrative scenario: its numbers are stated assumptions, not assessments.</div>' if illustrative else ""
    description = f'<div class="description">{_paragraphs(scenario.description)}</div>' if scenario.description else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="truce {_text(provenance.versions.get("truce", ""))}">'
        f"<title>{_text(scenario.name)}: truce report</title>"
        f"<style>{STYLE}</style>"
        # Plotly's JavaScript, embedded once for every figure of the report.
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
        "</head><body>"
        f'<header class="top"><div class="wrap"><h1>{_text(scenario.name)}</h1>'
        f'<p class="meta">truce report, generated {_text(provenance.generated)} · scenario: {_text(provenance.scenario_source)}</p>'
        f"{badge}{description}</div></header>"
        f'<nav class="toc"><div class="wrap">{toc}</div></nav>'
        f'<main class="wrap">{rendered}</main>'
        f'<footer class="wrap">Made with truce {_text(provenance.versions.get("truce", ""))}. '
        "This file is self-contained: it works offline and loads nothing from the network.</footer>"
        "</body></html>\n"
    )


# ---------------------------------------------------------------- entry points
def _resolve(scenario: str | Path | Scenario) -> tuple[Scenario, str, str]:
    """The scenario, how to name it in the report, and the argument to repeat it on the command line."""
    if isinstance(scenario, Scenario):
        return scenario, "given as an object (see the SHA-256 below)", "SCENARIO"
    loaded = load(scenario)
    text = str(scenario)
    looks_like_name = "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml", ".json"))
    if looks_like_name and text in builtin_scenarios():
        return loaded, f"built-in scenario '{text}'", text
    return loaded, text, text


def render_report(
    scenario: str | Path | Scenario,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    protocol: str = "alternating",
    strategies: str | dict[str, str] = "boulware",
    rounds: int | None = None,
    engines: bool = True,
    progress: Callable[[int], None] | None = None,
    source: str | None = None,
) -> str:
    """Load the scenario, run the analysis and the simulation (and, with ``engines``, the forecast,
    the levers' what-if, the sensitivity and the durability engines), and return the report's HTML.

    Raises :class:`~truce.scenario.ScenarioError` for a bad scenario and
    ``ValueError`` for bad options (both user errors).
    """
    if not isinstance(runs, int) or not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"runs: found {runs}; expected 1 to {MAX_RUNS:,}")
    loaded, described, argument = _resolve(scenario)
    problem = loaded.compile()
    analysis = problem.analyze()
    simulation = problem.simulate(runs=runs, seed=seed, protocol=protocol, strategies=strategies, rounds=rounds, progress=progress)
    later = run_engines(problem, simulation, runs=runs, seed=seed, protocol=protocol, strategies=strategies, rounds=rounds) if engines else {}
    strategy_text = strategies if isinstance(strategies, str) else ", ".join(f"{p}={s}" for p, s in strategies.items())
    command = f"truce report {argument} -o report.html --runs {runs} --seed {seed}"
    if protocol != "alternating" or strategy_text != "boulware" or rounds is not None:
        command += "  (with the protocol, strategies and deadline below, through the Python API)"
    provenance = Provenance(
        scenario_source=source or described,
        scenario_digest=scenario_digest(loaded),
        options={
            "runs": f"{runs:,}",
            "seed": str(seed),
            "protocol": protocol,
            "strategies": strategy_text,
            "deadline": f"{simulation.rounds_limit} rounds",
            "other engines": ", ".join(name for name, result in later.items() if result is not None) or "none",
        },
        command=command,
    )
    return build_report(loaded, analysis, simulation, provenance=provenance, **later)


def run_engines(problem, simulation: "SimulationResult", *, runs: int, seed: int, protocol: str, strategies, rounds: int | None) -> dict:
    """The later sections' results: each None when the scenario gives its engine nothing to work on
    (no ordered or numeric issue, no lever, no uncertain input, no signed deal)."""
    from truce.mediation.sensitivity import deal_inputs, one_at_a_time
    from truce.mediation.whatif import what_if
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.simulate.durability import durability

    spatial = any(kind != "categorical" for kind in problem.issue_kinds)
    options = {"protocol": protocol, "strategies": strategies, "rounds": rounds}
    return {
        "forecast": problem.forecast() if spatial else None,
        "levers": LeverEffects.from_whatif(what_if(problem, runs=runs, seed=seed, **options)) if problem.n_levers else None,
        "sensitivity": Sensitivity.from_one_at_a_time(one_at_a_time(problem, runs=runs, seed=seed, **options)) if deal_inputs(problem) else None,
        "durability": Survival.from_durability(durability(problem, simulation, seed=seed)),
    }


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write via a temporary file in the same folder, then rename: a reader never sees half a file."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_report(
    scenario: str | Path | Scenario,
    path: str | Path,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = DEFAULT_SEED,
    protocol: str = "alternating",
    strategies: str | dict[str, str] = "boulware",
    rounds: int | None = None,
    engines: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write the report for a built-in scenario name, a scenario file or a :class:`Scenario` to ``path``.

    The file is written atomically. Raises ``ScenarioError`` (bad scenario),
    ``ValueError`` (bad options) or ``OSError`` (cannot write); returns the path.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{path}: folder {path.parent} does not exist")
    text = render_report(scenario, runs=runs, seed=seed, protocol=protocol, strategies=strategies, rounds=rounds, engines=engines, progress=progress)
    return write_text_atomically(path, text)
