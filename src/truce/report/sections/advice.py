"""The mediator's section: what blocks a deal (red lines), or where its joint gains are (logrolling trades),
and why the simulated talks failed, from :mod:`truce.analysis.explain` and :mod:`truce.mediation.explain`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from truce.analysis.improve import CONCEPTS
from truce.report.markup import Section, table, text
from truce.report.readings import percent

if TYPE_CHECKING:
    from truce.analysis.explain import Explanation
    from truce.analysis.improve import Improvements
    from truce.simulate.results import SimulationResult


def _terms(explanation: "Explanation", package) -> str:
    return "; ".join(f"{issue}: {option}" for issue, option in explanation.terms(package).items())


def _change(explanation: "Explanation", j: int, old: int, new: int) -> str:
    labels = explanation.option_labels[j]
    return f"{explanation.issue_ids[j]}: {labels[old]} → {labels[new]}"


def move_words(explanation: "Explanation", names: list[str], move) -> str:
    """``North accepts patrols: full (1 option admitted)``."""
    label = explanation.option_labels[move.issue][move.option]
    return f"{names[move.party]} accepts {explanation.issue_ids[move.issue]}: {label} ({move.steps} option{'s' if move.steps > 1 else ''} admitted)"


def red_line_reading(explanation: "Explanation", names: list[str]) -> str:
    """The red lines on single issues that block a zone, and the smallest change that opens one, in words."""
    joint = explanation.red_lines.joint
    reading = "No package within the parties' red lines on single issues gives every party more than no deal."
    if joint.package is None:
        return reading + " Lifting every red line would not open a zone either: the no-deal values block it."
    reading += (
        f" The smallest change of red lines that opens a zone, the no-deal values unchanged: {'; '.join(move_words(explanation, names, m) for m in joint.moves)}, "
        f"on the package {_terms(explanation, joint.package)}."
    )
    alone = [names[c.party] for c in explanation.red_lines.alone if c.package is not None]
    return reading + (f" A change of {' or '.join(alone)}'s red lines alone would do." if alone else " No party's red lines alone would do.")


def explanation_reading(explanation: "Explanation", party_names: dict[str, str]) -> str:
    """What blocks a deal, or where its joint gains are, in words (the report's section, the page and the API)."""
    names = [party_names.get(p, p) for p in explanation.party_ids]
    if explanation.red_lines is not None:
        reading = red_line_reading(explanation, names)
        if explanation.blockage is not None:
            blockage = explanation.blockage
            reading += f" Or, every red line kept, the no-deal values would have to fall by {blockage.joint_total:.3f} in all ({', '.join(f'{n} {d:.3f}' for n, d in zip(names, blockage.joint_drops))})."
        return reading
    if explanation.blockage is not None:
        blockage = explanation.blockage
        return (
            "No package gives every party more than no deal: the red lines that block a deal are the parties' no-deal values. "
            f"Jointly they would have to fall by {blockage.joint_total:.3f} in all to open a zone of agreement "
            f"({', '.join(f'{n} {d:.3f}' for n, d in zip(names, blockage.joint_drops))}), on the package {_terms(explanation, blockage.joint_package)}; "
            f"by the same amount each, by more than {blockage.equal_drop:.3f}."
        )
    reading = (
        "A zone of agreement exists. Its joint gains come from trading across issues the parties weigh differently "
        "(logrolling): each party's stake in an issue is the most the issue can move its utility."
    )
    gains = explanation.joint_gains
    if gains.trades:
        best = gains.trades[0]
        changes = " and ".join(_change(explanation, j, a, b) for j, a, b in best.changes)
        reading += (
            " From the issue-by-issue compromise (every issue at the option with the best worst value), the best trade is "
            f"{changes}: {', '.join(f'{n} {g:+.3f}' for n, g in zip(names, best.gains))}, although no part of it alone helps every party."
        )
    return reading


def improvement_reading(result: "Improvements", party_names: dict[str, str]) -> str:
    """The text on the table and its best improvements, in words (the page and the API)."""
    names = [party_names.get(p, p) for p in result.party_ids]
    describe = lambda improvement: result.describe(improvement, arrow="→")  # noqa: E731
    gains = lambda improvement: ", ".join(f"{n} {g:+.3f}" for n, g in zip(names, improvement.gains))  # noqa: E731
    below = [n for n, u, r in zip(names, result.draft_utilities, result.reservation) if u <= r]
    start = "The text gives " + ", ".join(f"{n} {u:.3f}" for n, u in zip(names, result.draft_utilities)) + "."
    if below:
        start += f" It leaves {', '.join(below)} no better off than with no deal."
    if result.draft_crosses:
        crossed = ", ".join(f"{names[p]}'s on {result.issue_ids[j]} ({result.option_labels[j][int(result.draft[j])]})" for p, j in result.draft_crosses)
        start += f" It crosses red lines ({crossed}); every improvement keeps within every red line."
    if result.draft_is_efficient:
        within = " within every red line" if result.draft_crosses else ""
        return start + f" It is efficient: no package{within} is better for one party without being worse for another."
    parts = [start]
    if result.small:
        first = result.small[0]
        count = len(first.changes)
        parts.append(f"The smallest improvement changes {count} issue{'s' if count > 1 else ''}: {describe(first)} ({gains(first)}).")
    else:
        parts.append(f"No improvement changes {result.max_changes} issue(s) or fewer.")
    best = result.efficient[0]
    parts.append(f"The best efficient improvement by the {CONCEPTS[result.concept]} is {describe(best)} ({gains(best)}).")
    return " ".join(parts)


def advice_section(explanation: "Explanation", party_names: dict[str, str], simulation: "SimulationResult | None" = None) -> Section:
    names = [party_names.get(p, p) for p in explanation.party_ids]
    body: list[str] = []
    reading = [explanation_reading(explanation, party_names)]
    if explanation.red_lines is not None:
        rows = []
        for label, change in [*((f"{names[c.party]} alone", c) for c in explanation.red_lines.alone), ("every party, jointly", explanation.red_lines.joint)]:
            moves = "<br>".join(text(move_words(explanation, names, m)) for m in change.moves) if change.package is not None else "no change of these red lines opens a zone"
            rows.append((text(label), moves, "-" if change.package is None else text(_terms(explanation, change.package))))
        body += ["<h3>Red lines on single issues that block a zone: the smallest change that opens one</h3>",
                 table(("whose red lines move", "moves", "on the package"), rows, css="compact")]
    if explanation.blockage is not None:
        blockage = explanation.blockage
        rows = []
        for line in blockage.red_lines:
            if line.needed is None:
                rows.append((text(names[line.party]), f'<span class="num">{line.reservation:.3f}</span>', "-", "cannot alone", "no package satisfies the others"))
            else:
                rows.append((text(names[line.party]), f'<span class="num">{line.reservation:.3f}</span>', f'<span class="num">{line.needed:.3f}</span>', f'<span class="num">{line.drop:.3f}</span>', text(_terms(explanation, line.package))))
        body += ["<h3>Each party alone: how far its no-deal value must fall, the others' unchanged</h3>",
                 table(("party", "no-deal value", "must fall below", "by more than", "on the package"), rows, css="compact")]
        concessions = [(text(issue), *(f'<span class="num">{blockage.concessions[p, j]:.3f}</span>' for p in range(len(names)))) for j, issue in enumerate(explanation.issue_ids)]
        body += ["<h3>On the package of the smallest joint drop, what each party gives up on each issue</h3>", table(("issue", *map(text, names)), concessions, css="compact")]
    elif explanation.joint_gains is not None:
        gains = explanation.joint_gains
        shares = gains.stakes / np.maximum(gains.stakes.sum(axis=1, keepdims=True), 1e-12)
        stakes = [(text(issue), *(f'<span class="num">{gains.stakes[p, j]:.3f} ({shares[p, j]:.0%})</span>' for p in range(len(names)))) for j, issue in enumerate(explanation.issue_ids)]
        body += ["<h3>Stakes: the most each issue can move each party's utility (share of its total)</h3>", table(("issue", *map(text, names)), stakes, css="compact")]
        if gains.trades:
            rows = [("<br>".join(text(_change(explanation, j, a, b)) for j, a, b in t.changes), *(f'<span class="num">{g:+.3f}</span>' for g in t.gains), f'<span class="num">{t.gains.sum():+.3f}</span>') for t in gains.trades]
            body += ["<h3>Trades from the compromise</h3>", table(("changes", *(text(f"{n} gain") for n in names), "joint gain"), rows, css="compact")]
    if simulation is not None and not simulation.agreed.all():
        from truce.mediation.explain import ENDINGS, failure_reasons

        endings = failure_reasons(simulation)
        main = max(endings, key=lambda e: e.runs)
        reading.append(f"Of the simulated runs without a deal, {percent(main.share_of_failures)} ended because {ENDINGS[main.kind]}.")
        rows = [(text(ENDINGS[e.kind]), f'<span class="num">{percent(e.share)} ({percent(e.interval[0])} to {percent(e.interval[1])})</span>', f'<span class="num">{"-" if e.share_of_failures is None else percent(e.share_of_failures)}</span>') for e in endings]
        body += ["<h3>Why the simulated talks failed</h3>", table(("ending", "share of all runs (95% interval)", "share of failures"), rows, css="compact")]
    return Section("advice", "What blocks a deal, and where the joint gains are", "\n\n".join(reading), tuple(body))
