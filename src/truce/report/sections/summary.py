"""The summary: the key figures as cards, and the package signed most often."""

from __future__ import annotations

from typing import TYPE_CHECKING

from truce.report import readings
from truce.report.markup import Section, cards, table, text

if TYPE_CHECKING:
    from truce.analysis.results import Analysis
    from truce.report.inputs import LeverEffects, Survival
    from truce.simulate.results import SimulationResult


def summary_section(
    analysis: "Analysis",
    simulation: "SimulationResult | None",
    *,
    durability: "Survival | None" = None,
    levers: "LeverEffects | None" = None,
) -> Section:
    """Key figures. The durability and best-lever cards are hooks: shown only when their results are given."""
    found = []
    if simulation is not None:
        low, high = simulation.agreement_interval
        found.append(
            (f"Chance of a deal within {simulation.rounds_limit} rounds", readings.percent(simulation.agreement_rate),
             f"95% interval {readings.percent(low)} to {readings.percent(high)}, {simulation.runs:,} runs")
        )
        timing = simulation.rounds_to_agreement()
        if timing["mean"] is not None:
            found.append(
                ("Expected time to agreement", f"{timing['mean']:.1f} rounds",
                 f"median {timing['median']:.0f}; 80% between {timing['p10']:.0f} and {timing['p90']:.0f}")
            )
    zopa = analysis.zopa
    if zopa.exists:
        count = f"{int(zopa.count):,}" if zopa.exact else f"~{zopa.count:,.0f}"
        found.append(("Zone of possible agreement", f"{count} packages", f"{readings.percent(zopa.share)} of {zopa.n_outcomes:,}"))
    else:
        found.append(("Zone of possible agreement", "none", "no package beats no deal for every party"))
    # Hook: the durability engine (simulate/) fills this card when it lands.
    if durability is not None:
        holds, low, high = durability.holds()
        sub = f"95% interval {readings.percent(low)} to {readings.percent(high)}" if low is not None and high is not None else ""
        found.append((f"Ceasefire holds {durability.horizon} days", readings.percent(holds), sub))
    # Hook: the levers engine (mediation/) fills this card when it lands.
    if levers is not None and levers.best is not None:
        best = levers.best
        found.append(("Best lever", best.label, f"{best.change * 100:+.1f} pp of {levers.outcome} ({best.low * 100:+.1f} to {best.high * 100:+.1f} pp; pp: percentage points)"))
    elif levers is not None and levers.effects:
        found.append(("Best lever", "none helps significantly", f"every 95% interval of the change in {levers.outcome} includes zero or lies below it"))

    body = [cards(found)]
    common = simulation.most_common_package() if simulation is not None else None
    if common is not None:
        terms, share = common
        shares = simulation.option_shares()
        body.append(f"<h3>The package signed most often ({text(readings.percent(share))} of deals), term by term</h3>")
        body.append(
            table(
                ("issue", "term", "share of all deals with this term"),
                [(text(issue), f"<strong>{text(option)}</strong>", text(readings.percent(shares[issue][option]))) for issue, option in terms.items()],
                css="compact",
            )
        )
    reading = readings.summary(analysis, simulation, durability=durability, levers=levers)
    return Section("summary", "Summary", reading, tuple(body))
