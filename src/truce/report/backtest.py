"""The back-test page: one self-contained HTML file with the per-case table, the calibration table and the figure."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from plotly.offline import get_plotlyjs

from truce import __version__
from truce.report.figures.backtest import predicted_vs_realised
from truce.report.markup import figure, paragraphs, table, text
from truce.report.style import STYLE

if TYPE_CHECKING:
    from truce.backtest.run import BacktestResult


def _cell(value, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else text(pattern.format(value))


def reading(result: "BacktestResult") -> str:
    """The page's plain-language reading, before its first table."""
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


def render_backtest(result: "BacktestResult", *, source: str) -> str:
    """The back-test as one HTML document (Plotly embedded once; nothing loaded from the network)."""
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
    cases = table(["case", "as of", "deal came", "P(deal)", "Brier", "P(real package | deal)", "log score", "rank", "held, days (end)", "P(holds that long)"], rows)
    calibration = table(
        ["after", "predicted (mean)", "realised (Kaplan-Meier)", "cases known", "at risk"],
        [[text(f"{row.days} days"), _cell(row.predicted, "{:.1%}"), _cell(row.kaplan_meier, "{:.1%}"), str(row.known), str(row.at_risk)] for row in result.calibration],
    ) if result.calibration else ""
    body = (
        f'<section id="backtest"><h2>Back-test</h2><div class="reading">{paragraphs(reading(result))}</div>{cases}'
        + (f"<h3>Durability calibration</h3>{calibration}" if calibration else "")
        + figure(predicted_vs_realised(result), "figure-backtest")
        + "</section>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="truce {text(__version__)}"><title>{text(result.name)}: truce back-test</title>'
        f'<style>{STYLE}</style><script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f'<header class="top"><div class="wrap"><h1>{text(result.name)}</h1><p class="meta">truce back-test · cases: {text(source)}</p></div></header>'
        f'<main class="wrap">{body}</main><footer class="wrap">Made with truce {text(__version__)}. This file is self-contained: it works offline.</footer>'
        "</body></html>\n"
    )
