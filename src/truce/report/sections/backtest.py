"""The back-test section: how the model would have done on negotiations whose outcome is known.

Used twice: as a section of the scenario's report (``truce report --backtest CASES``) and as
the whole of the back-test page (``truce backtest -o``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from truce.report.figures.backtest import predicted_vs_realised
from truce.report.markup import Section, figure, table, text

if TYPE_CHECKING:
    from truce.backtest.run import BacktestResult


def _cell(value, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else text(pattern.format(value))


def backtest_reading(result: "BacktestResult") -> str:
    """The plain-language reading, before the section's first table."""
    overall = result.overall()
    lines = [
        f"{overall['cases']} case(s), {overall['deals']} of them with a deal. The simulation gave a deal a mean probability of "
        f"{overall['mean_p_deal']:.0%}; its Brier score is {overall['brier']:.3f} (0 is perfect; always saying 50% scores 0.25).",
    ]
    if overall["discrimination_auc"] is not None:
        lines.append(
            f"It gave the cases with a deal a mean P(deal) of {overall['mean_p_deal_where_deal']:.0%} and those without "
            f"{overall['mean_p_deal_where_none']:.0%}; its discrimination (AUC, the chance that a case with a deal got the higher P(deal)) "
            f"is {overall['discrimination_auc']:.2f}, where 0.5 is no better than chance."
        )
    if overall["package_log_score"] is not None:
        lines.append(
            f"Among its deals, the real package scored a mean log score of {overall['package_log_score']:.2f} and each real term "
            f"{overall['term_log_score']:.2f} (0 is a certain hit; a probability of 0 counts as {result.floor:g}, i.e. {math.log(result.floor):.2f})."
        )
    if overall["breakdowns"]:
        lines.append(
            f"Given the real package, the durability model's survival at the day of breakdown averaged {overall['survival_at_breakdown_mean']:.0%} "
            f"over {overall['breakdowns']} breakdown(s); about 50% if it were calibrated, lower when the ceasefires held longer than it predicts."
        )
    settings = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in result.settings.items()) or "each scenario's own"
    lines.append(
        f"Conditions: {result.runs:,} runs per case, seed {result.seed}, knowledge noise {result.noise:g}, forecast model {result.forecast_model}; "
        f"model settings: {settings}."
    )
    return "\n\n".join(lines)


def backtest_body(result: "BacktestResult") -> tuple[str, ...]:
    """The per-case table, the durability calibration table and the predicted-vs-realised figure."""
    rows = []
    for case in result.cases:
        durability = case.durability
        rows.append(
            [
                text(case.case), text(case.as_of), "yes" if case.deal else "no", _cell(case.p_deal, "{:.1%}"), _cell(case.brier),
                _cell(case.p_package, "{:.1%}"), _cell(case.package_log_score, "{:.2f}"),
                "-" if case.p_package is None else text(f"{case.package_rank} of {case.distinct_packages}" if case.package_rank else f"not among {case.distinct_packages}"),
                "-" if durability is None else text(f"{durability.days:.0f} ({durability.ended})"),
                "-" if durability is None else _cell(durability.survival_at_real, "{:.1%}"),
            ]
        )
    body = [table(["case", "as of", "deal came", "P(deal)", "Brier", "P(real package | deal)", "log score", "rank", "held, days (end)", "P(holds that long)"], rows)]
    if result.calibration:
        body.append("<h3>Durability calibration</h3>")
        body.append(
            table(
                ["after", "predicted (mean)", "realised (Kaplan-Meier)", "cases known", "at risk"],
                [[text(f"{row.days} days"), _cell(row.predicted, "{:.1%}"), _cell(row.kaplan_meier, "{:.1%}"), str(row.known), str(row.at_risk)] for row in result.calibration],
            )
        )
    body.append(figure(predicted_vs_realised(result), "figure-backtest"))
    return tuple(body)


def backtest_section(result: "BacktestResult") -> Section:
    """The report's track-record section: the back-test of a case file."""
    intro = (
        f"How far can these numbers be trusted? The same model, run on negotiations whose outcome is known "
        f"({result.name}: each case a scenario as of a date before its outcome), scored against what happened. "
        "The scenarios of the cases are not this report's scenario: the scores say how the model and its kind of "
        "assumptions fared, not how this scenario's numbers will."
    )
    return Section("backtest", "Track record: the back-test", intro + "\n\n" + backtest_reading(result), backtest_body(result))
