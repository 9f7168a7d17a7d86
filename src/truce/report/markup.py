"""The HTML pieces every section is made of: a section, escaped text, tables, notes, figures, cards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Iterable

import plotly.io as pio

from truce.report import figures
from truce.report.plotly_bundle import FIGURE_SCRIPT_TYPE

if TYPE_CHECKING:
    import plotly.graph_objects as go


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    reading: str
    """Plain text; escaped when rendered."""
    body: tuple[str, ...]
    """HTML fragments (already escaped) after the reading."""


def text(value: object) -> str:
    """User text escaped for HTML (quotes too, so it is safe in an attribute)."""
    return escape(str(value), quote=True)


def paragraphs(plain: str) -> str:
    """Plain text, blank-line separated, as escaped paragraphs."""
    return "".join(f"<p>{text(part.strip())}</p>" for part in plain.strip().split("\n\n") if part.strip())


def table(header: Iterable[str] | None, rows: Iterable[Iterable[str]], *, css: str = "") -> str:
    """A table of already-escaped cells; a cell given as ``(html, rowspan)`` spans rows."""
    head = "" if header is None else "<thead><tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr></thead>"
    body = "".join(
        "<tr>"
        + "".join(f'<td rowspan="{cell[1]}">{cell[0]}</td>' if isinstance(cell, tuple) else f"<td>{cell}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    return f'<div class="table-wrap"><table class="{css}">{head}<tbody>{body}</tbody></table></div>'


def note(given: str | None) -> str:
    """A scenario note, or a visible 'no note given'."""
    return f'<span class="note">{text(given.strip())}</span>' if given else '<span class="note missing">no note given</span>'


def figure(plot: "go.Figure", div_id: str) -> str:
    """A Plotly figure as a div; its script waits (typed :data:`FIGURE_SCRIPT_TYPE`) until the page's loader has
    unpacked the plot library, embedded once at the end of the page (:mod:`truce.report.plotly_bundle`)."""
    html = pio.to_html(plot, include_plotlyjs=False, full_html=False, div_id=div_id, config=figures.CONFIG, default_width="100%")
    html, scripts = re.subn(r'<script(?: type="text/javascript")?>', f'<script type="{FIGURE_SCRIPT_TYPE}">', html)
    assert scripts == 1, "a Plotly figure has one script"
    return f'<div class="figure">{html}</div>'


def cards(items: list[tuple[str, str, str]]) -> str:
    """Key figures as cards of (label, value, sub-line)."""
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="card-label">{text(label)}</div>'
        f'<div class="card-value">{text(value)}</div><div class="card-sub">{text(sub)}</div></div>'
        for label, value, sub in items
    ) + "</div>"
