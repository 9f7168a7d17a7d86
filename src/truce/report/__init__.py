"""Front end: Plotly figures of result objects and the self-contained HTML report.

:mod:`truce.report.figures` builds the figures (shared with the web page),
:mod:`truce.report.readings` the plain-language paragraphs,
:mod:`truce.report.sections` one section of the report each (from
:mod:`truce.report.markup`'s pieces), and :mod:`truce.report.html`
assembles and writes the report.
"""

from truce.report.html import build_report, render_report, write_report

__all__ = ["build_report", "render_report", "write_report"]
