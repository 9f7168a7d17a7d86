"""The report's sections on a concrete text: what improves the text on the table
(:mod:`truce.analysis.improve`), and a fair division of the issues between two parties
(Adjusted Winner on their stakes, :mod:`truce.analysis.stake_division`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from truce.report.markup import Section, table, text
from truce.report.sections.advice import improvement_reading

if TYPE_CHECKING:
    from truce.analysis.improve import Improvements
    from truce.analysis.stake_division import StakeDivision

SHOWN = 5
"""Improvements of each kind the report lists."""


def _number(value: float, signed: bool = False) -> str:
    return f'<span class="num">{value:+.3f}</span>' if signed else f'<span class="num">{value:.3f}</span>'


def text_section(result: "Improvements", party_names: dict[str, str], start: str) -> Section:
    """What improves the text on the table; ``start`` says where the text came from, in words."""
    names = [party_names.get(p, p) for p in result.party_ids]
    reading = f"The text on the table here is {start}. " + improvement_reading(result, party_names)
    draft = [(text(issue), text(result.option_labels[j][int(o)])) for j, (issue, o) in enumerate(zip(result.issue_ids, result.draft))]
    body = ["<h3>The text</h3>", table(("issue", "term"), draft, css="compact")]
    kinds = (
        (result.small, f"Smallest changes (1 to {result.max_changes} issues), fewest first: {min(SHOWN, len(result.small))} of {len(result.small):,}"),
        (result.efficient, f"Efficient improvements (on the Pareto frontier), best first: {min(SHOWN, len(result.efficient))} of {len(result.efficient):,}"),
    )
    for items, title in kinds:
        if not items:
            continue
        rows = [
            (
                "<br>".join(text(f"{result.issue_ids[j]}: {result.option_labels[j][a]} → {result.option_labels[j][b]}") for j, a, b in item.changes),
                *(_number(g, signed=True) for g in item.gains),
                "yes" if item.efficient else "",
            )
            for item in items[:SHOWN]
        ]
        body += [f"<h3>{text(title)}</h3>", table(("changes", *(text(f"{n} gain") for n in names), "efficient"), rows, css="compact")]
    body.append(
        '<p class="hint">Set your own text with <code>truce improve SCENARIO --text draft.yaml</code> or on the web page '
        "(<code>truce serve</code>, section Advice).</p>"
    )
    return Section("text-on-table", "The text on the table: what improves it", reading, tuple(body))


def division_reading(result: "StakeDivision", party_names: dict[str, str]) -> str:
    """Adjusted Winner on the stakes, in words."""
    division = result.division
    names = [party_names.get(p, p) for p in result.party_ids]
    won = [[division.issue_names[j] for j in range(len(division.issue_names)) if division.shares[j, p] == 1.0] for p in range(2)]
    parts = [
        "Adjusted Winner (Brams & Taylor 1996) with each party's stakes as its 100 points (the most each issue can move its utility) "
        f"gives {names[0]} its way on {', '.join(won[0]) or 'no issue whole'} and {names[1]} on {', '.join(won[1]) or 'no issue whole'}"
    ]
    if division.split_issue is not None:
        j = division.split_issue
        parts.append(
            f"; {division.issue_names[j]} is split ({names[0]} {division.shares[j, 0]:.0%}, {names[1]} {division.shares[j, 1]:.0%}), "
            f"so that each gets {division.totals[0]:.1f} of its points"
        )
    parts.append(
        ". Settled at each winner's best option, and the split issue at the nearest option, the package gives "
        + ", ".join(f"{n} {u:.3f} (no deal {r:.3f})" for n, u, r in zip(names, result.utilities, result.reservation))
        + "."
    )
    below = [n for n, u, r in zip(names, result.utilities, result.reservation) if u <= r]
    if below:
        parts.append(
            f" It leaves {', '.join(below)} no better off than with no deal: Adjusted Winner divides what is at stake equitably, "
            "without regard to what each party can get without a deal."
        )
    return "".join(parts)


def division_section(result: "StakeDivision", party_names: dict[str, str]) -> Section:
    division = result.division
    names = [party_names.get(p, p) for p in result.party_ids]
    terms = result.terms()
    rows = [
        (
            text(name),
            *(f'<span class="num">{division.points[j, p]:.1f}</span>' for p in range(2)),
            *(f'<span class="num">{division.shares[j, p]:.0%}</span>' for p in range(2)),
            text(terms[result.issue_ids[j]]),
        )
        for j, name in enumerate(division.issue_names)
    ]
    body = (
        table(("issue", *(text(f"{n} points") for n in names), *(text(f"{n} share") for n in names), "term"), rows, css="compact"),
        '<p class="hint">With your own point allocations: <code>truce divide POINTS.csv</code>. The procedure and its sources: '
        "docs/explanation/advice.md.</p>",
    )
    return Section("division", "A fair division of the issues (Adjusted Winner)", division_reading(result, party_names), body)


def advice_results(problem, most_trades: int = 5) -> dict:
    """What the report's advice sections need, computed from ``problem``: the explanation, the
    improvements over a starting text (the issue-by-issue compromise with a zone of agreement, else the
    package of the smallest joint drop) and, for two parties, Adjusted Winner on their stakes."""
    from truce.analysis.explain import explain
    from truce.analysis.improve import SearchTooLarge, improve

    explanation = explain(problem, most_trades=most_trades)
    results: dict = {"advice": explanation}
    if explanation.joint_gains is not None:
        start, where = explanation.joint_gains.compromise, "the issue-by-issue compromise (every issue at the option with the best worst value)"
    elif explanation.blockage is not None:
        start, where = explanation.blockage.joint_package, "the package that needs the smallest joint drop of the no-deal values"
    elif explanation.red_lines.joint.package is not None:
        start, where = explanation.red_lines.joint.package, "the package that needs the smallest change of the red lines on single issues"
    else:
        start = None  # no package within the red lines, and lifting them opens no zone: no text to start from
    try:
        if start is not None:
            results["text_advice"] = (improve(problem, start, max_changes=2), where)
    except SearchTooLarge:
        pass  # a scenario with very many issues: the report leaves the section out
    if problem.n_parties == 2:
        from truce.analysis.stake_division import divide_scenario
        from truce.errors import InputError

        try:
            results["division"] = divide_scenario(problem)
        except InputError:
            pass  # a party that values every package the same has no points to spread
    return results
