"""Front end: Plotly figures of result objects and the self-contained HTML report.

:mod:`truce.report.figures` builds the figures (shared with the web page),
:mod:`truce.report.readings` the plain-language paragraphs, and
:mod:`truce.report.html` assembles and writes the report.
"""

from truce.report.html import build_report, render_report, write_report

__all__ = ["build_report", "render_report", "write_report"]
