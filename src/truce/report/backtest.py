"""The back-test page: one self-contained HTML file with the per-case table, the calibration table and the figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plotly.offline import get_plotlyjs

from truce import __version__
from truce.report.markup import paragraphs, text
from truce.report.sections.backtest import backtest_body, backtest_reading
from truce.report.style import STYLE

if TYPE_CHECKING:
    from truce.backtest.run import BacktestResult

def render_backtest(result: "BacktestResult", *, source: str) -> str:
    """The back-test as one HTML document (Plotly embedded once; nothing loaded from the network)."""
    body = (
        f'<section id="backtest"><h2>Back-test</h2><div class="reading">{paragraphs(backtest_reading(result))}</div>'
        + "".join(backtest_body(result))
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
