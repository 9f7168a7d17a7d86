"""Plain-language readings of result objects: the paragraph before each figure.

Shared by the HTML report and the web page so that both say the same
thing. Each function returns plain text (the caller escapes it) built only
from the numbers in the result objects. The wording is neutral: parties
are named in file order, and every figure is stated as a consequence of
the scenario's assumptions, never as a prediction of what anyone will do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from truce.analysis.results import Analysis
    from truce.forecast.results import ForecastResult
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.scenario.schema import Scenario
    from truce.simulate.results import SimulationResult

PROTOCOLS = {
    "alternating": "alternating offers (the parties take turns proposing a package; the others accept or not)",
    "single-text": "a single negotiating text (a mediator revises one text until every party accepts it)",
}


def percent(value: float) -> str:
    """A share as a percentage, with a decimal below 10%, so small shares do not read as 0%."""
    if value == 0 or value >= 0.1:
        return f"{value:.0%}"
    return f"{value:.1%}"


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def package_in_words(terms: dict[str, str]) -> str:
    """``{"Aid": "600 trucks/day", ...}`` as "aid: 600 trucks/day; ...", one clause per issue."""
    return "; ".join(f"{issue}: {option}" for issue, option in terms.items())


def deal_chance(simulation: "SimulationResult") -> str:
    low, high = simulation.agreement_interval
    return f"{percent(simulation.agreement_rate)} (95% interval {percent(low)} to {percent(high)})"


def time_to_agreement(simulation: "SimulationResult") -> str | None:
    timing = simulation.rounds_to_agreement()
    if timing["mean"] is None:
        return None
    return (
        f"{timing['mean']:.1f} rounds on average (median {timing['median']:.0f}; "
        f"80% of deals between rounds {timing['p10']:.0f} and {timing['p90']:.0f})"
    )


def strategies_in_words(simulation: "SimulationResult", party_names: dict[str, str]) -> str:
    chosen = set(simulation.strategies.values())
    if len(chosen) == 1:
        return f"every party plays the {chosen.pop()} strategy"
    return join_words([f"{party_names.get(p, p)} plays {s}" for p, s in simulation.strategies.items()])


def summary(
    analysis: "Analysis",
    simulation: "SimulationResult | None",
    *,
    durability: "Survival | None" = None,
    levers: "LeverEffects | None" = None,
) -> str:
    """The summary paragraph: chance of a deal, the likely package, time to agreement (and, once
    their engines have landed, durability and the best lever)."""
    parties = join_words(list(analysis.party_names))
    sentences = []
    if simulation is not None:
        walked = simulation.walk_away_rate
        sentences.append(
            f"In {percent(simulation.agreement_rate)} of {simulation.runs:,} simulated negotiations between {parties} "
            f"(95% interval {percent(simulation.agreement_interval[0])} to {percent(simulation.agreement_interval[1])}) "
            f"the parties signed a package within at most {simulation.rounds_limit} rounds"
            + (f"; in {percent(simulation.breakdown_rate)} the talks broke down" if simulation.breakdown_rate > 0 else "")
            + (f"; in {percent(walked)} a party walked away" if walked > 0 else "")
            + "."
        )
        common = simulation.most_common_package()
        if common is None:
            sentences.append("No simulated negotiation ended in a signed package.")
        else:
            terms, share = common
            shares = simulation.option_shares()
            term_shares = [shares[issue][option] for issue, option in terms.items()]
            sentences.append(
                f"The package signed most often ({percent(share)} of deals) is listed term by term below; "
                f"each of its terms was part of {percent(min(term_shares))} to {percent(max(term_shares))} of all deals."
            )
        timing = time_to_agreement(simulation)
        if timing is not None:
            sentences.append(f"Deals were signed after {timing}.")
    if durability is not None:
        holds, low, high = durability.holds()
        interval = f" (95% interval {percent(low)} to {percent(high)})" if low is not None and high is not None else ""
        sentences.append(f"Of the signed ceasefires, {percent(holds)}{interval} still hold {durability.horizon} days after signature.")
    if levers is not None:
        sentences.append(levers.reading.sentence)
    if not analysis.zopa.exists:
        sentences.append("With the nominal inputs, no package gives every party more than no deal (there is no zone of possible agreement).")
    sentences.append(
        "Every figure follows from the scenario's stated assumptions and the simulated strategies; "
        "none is an assessment of what any party intends or will do."
    )
    return " ".join(sentences)


def actors_and_issues(scenario: "Scenario") -> str:
    roles = {"party": 0, "mediator": 0, "stakeholder": 0}
    for actor in scenario.actors:
        roles[actor.role] += 1
    counts = [f"{roles['party']} parties, who each hold a veto over any agreement"]
    if roles["mediator"]:
        counts.append(f"{roles['mediator']} mediator{'s' if roles['mediator'] > 1 else ''}")
    if roles["stakeholder"]:
        counts.append(f"{roles['stakeholder']} stakeholder{'s' if roles['stakeholder'] > 1 else ''}")
    return (
        f"The scenario has {len(scenario.actors)} actors ({join_words(counts)}) and {len(scenario.issues)} issues. "
        "Each number below is followed by the note the scenario gives for it: a source from the list at the end "
        "of the report, or a stated assumption. A number written as a distribution, such as triangular [low, most "
        "likely, high], is drawn anew in each simulated negotiation; the analysis of the agreement space uses its most "
        "likely value. Utilities run from 0 (a party's worst package) to 1 (its ideal); salience says how much an "
        "issue matters to an actor relative to its other issues."
    )


def agreement_space(analysis: "Analysis") -> str:
    names = analysis.party_names
    frontier, zopa = analysis.frontier, analysis.zopa
    plane = "utility plane" if len(names) == 2 else "utility space, shown here one pair of parties at a time"
    text = (
        f"Each point of the frontier is a package that no other package improves for one party without making another "
        f"worse off (the Pareto frontier: {len(frontier):,} distinct points among {frontier.n_outcomes:,} possible "
        f"packages), drawn in the parties' {plane}. The cross marks no deal, where each party gets its no-deal value "
        f"({join_words([f'{n} {v:.2f}' for n, v in zip(names, analysis.no_deal)])}). "
    )
    if zopa.exists:
        count = f"{int(zopa.count):,}" if zopa.exact else f"about {zopa.count:,.0f}"
        ranges = join_words(
            [f"{n} from {lo:.2f} to {hi:.2f}" for n, lo, hi in zip(names, zopa.frontier_low, zopa.frontier_high)]
        )
        text += (
            f"The zone of possible agreement (ZOPA, {'shaded' if len(names) == 2 else 'its frontier packages in green'}) "
            f"holds the packages every party prefers to no deal: "
            f"{count} packages, {percent(zopa.share)} of all; on its efficient edge the utilities run {ranges}. "
        )
        concepts = [s for s in analysis.solutions]
        if concepts:
            nash = analysis.solution("nash")
            same = [s.name for s in concepts if nash is not None and (s.package == nash.package).all()]
            text += (
                "The marked points are four standard ways of picking one package from the frontier (Nash: the largest "
                "product of gains over no deal; Kalai-Smorodinsky: equal shares of each party's best possible gain; "
                "egalitarian: the largest smallest gain; utilitarian: the largest sum of utilities)"
            )
            if nash is not None and len(same) > 1:
                text += f"; {join_words(same)} pick the same package"
            text += "."
    else:
        text += (
            "No package gives every party more than its no-deal value, so there is no zone of possible agreement and "
            "no solution concept is marked: a deal needs some party's no-deal value to fall (for example under "
            "pressure or as costs of delay accumulate) or the issues to change."
        )
    return text


def simulation(result: "SimulationResult", party_names: dict[str, str]) -> str:
    protocol = PROTOCOLS.get(result.protocol, result.protocol)
    return (
        f"Each of the {result.runs:,} runs (seed {result.seed}) draws the scenario's uncertain inputs anew and plays "
        f"{protocol}; {strategies_in_words(result, party_names)}: each party lowers its demands over the rounds as its "
        f"strategy says, never below what no deal is worth to it by then (its no-deal value less its cost of delay for "
        f"each round without agreement). The first chart shows in which round the runs "
        f"that ended in a deal signed it; the second shows, for each issue, how often each option was part of the signed "
        f"package, with the option of the package signed most often in the darker colour."
    )


def forecast(result: "ForecastResult") -> str:
    if hasattr(result, "outcome"):  # an issue forecast, in the issues' own terms
        model = {"smp": "Spatial Model of Politics (KTAB)", "expected_utility": "expected-utility", "compromise": "weighted-compromise"}.get(result.model, result.model)
        left_out = f" Categorical issues have no order and are left out: {join_words(list(result.left_out))}." if result.left_out else ""
        if getattr(result, "left_out_actors", ()):
            left_out += (
                f" Left out of the forecast, with no stance on any ordered or numeric issue: {join_words(list(result.left_out_actors))}."
            )
        return (
            f"The {model} forecasting model moves every actor's position on each ordered or numeric issue round by "
            f"round, weighing each actor by its capability and by how much the issue matters to it. Each panel shows "
            f"one issue on its own scale; the dashed line is the model's forecast, and the table after the figure says "
            f"where it ends.{left_out} Mediators and stakeholders count here, unlike in the simulation, where only the "
            f"parties hold a veto."
        )
    return (
        f"The {result.model} forecasting model moves each actor's position on each issue round by round, by challenges "
        f"and compromises weighted by capability and salience, over {result.n_rounds} rounds"
        + (" until its stopping rule ended the run" if result.converged else "")
        + ". The dashed line is the model's forecast of the outcome; positions are on the model's scale."
    )


def levers(effects: "LeverEffects") -> str:
    return (
        f"Each bar is the change in {effects.outcome} when one mediator lever, or an actor's best affordable "
        f"combination of levers, is added to the baseline ({percent(effects.baseline)}), from {effects.runs:,} runs "
        f"with and without it on the same random draws; the whiskers are 95% intervals. A bar whose interval crosses "
        f"zero has no clear effect. {effects.reading.sentence} The levers are the scenario's stated options, not recommendations."
    )


def sensitivity(result: "Sensitivity") -> str:
    return (
        f"Each bar shows how far {result.outcome} (now {percent(result.baseline)}) moves when one uncertain input is "
        f"held at {result.ends} (one colour each), the other inputs drawn as usual; the widest bars are the "
        f"assumptions the result depends on most, and the first to check."
    )


def durability(result: "Survival") -> str:
    holds, low, high = result.holds()
    interval = f" (95% interval {percent(low)} to {percent(high)})" if low is not None and high is not None else ""
    band = " The band around the curve is a 95% interval." if result.low is not None and result.high is not None else ""
    return (
        f"Of the simulated negotiations that ended in a signed ceasefire ({result.runs:,} runs), the curve shows the "
        f"share still holding each day after signature; {percent(holds)}{interval} still hold at day {result.horizon}. "
        f"How long a ceasefire lasts depends on its terms (how definitive, with what guarantees and monitoring) and on "
        f"how much each party gains from it over no deal.{band}"
    )


def reproduce() -> str:
    return (
        "The report can be reproduced exactly: the same scenario file, the same options and the same seed give the same "
        "numbers with the versions listed below. The scenario's own notes on its assumptions follow, then every source "
        "the notes cite."
    )
