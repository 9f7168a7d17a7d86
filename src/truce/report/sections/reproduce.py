"""Assumptions, sources and how to reproduce: the provenance, the versions, the scenario's notes and sources."""

from __future__ import annotations

from truce.report import readings
from truce.report.markup import Section, note, table, text
from truce.report.provenance import Provenance
from truce.scenario import Scenario
from truce.scenario.schema.common import is_safe_link


def reproduce_section(scenario: Scenario, provenance: Provenance) -> Section:
    rows = [
        ("scenario", text(provenance.scenario_source)),
        ("scenario SHA-256", f"<code>{text(provenance.scenario_digest)}</code>"),
        *((text(k), text(v)) for k, v in provenance.options.items()),
        ("command", f"<code>{text(provenance.command)}</code>"),
        ("generated", text(provenance.generated)),
    ]
    body = ["<h3>Inputs and options</h3>", table(None, rows, css="compact kv")]
    body.append("<h3>Versions</h3>")
    body.append(table(("package", "version"), [(text(k), f"<code>{text(v)}</code>") for k, v in provenance.versions.items()], css="compact kv"))
    if scenario.notes:
        body.append("<h3>Assumptions stated in the scenario</h3>")
        body.append(table(("topic", "note"), [(text(k.replace("_", " ")), note(v)) for k, v in scenario.notes.items()], css="notes"))
    body.append("<h3>Sources</h3>")
    if scenario.sources:
        items = []
        for source in scenario.sources:
            link = _link(source.url) if source.url else ""
            remark = f"<br>{note(source.note)}" if source.note else ""
            items.append(f"<li><code>{text(source.id)}</code>: {text(source.title.strip())}{link}{remark}</li>")
        body.append('<ol class="sources">' + "".join(items) + "</ol>")
    else:
        body.append("<p>The scenario lists no sources.</p>")
    return Section("reproduce", "Assumptions, sources and how to reproduce", readings.reproduce(), tuple(body))


def _link(url: str) -> str:
    """The address as a link, or as plain text when its scheme could run code (validation refuses those
    already; this holds for a scenario built without validation too)."""
    if is_safe_link(url):
        return f' <a href="{text(url)}" rel="noreferrer">{text(url)}</a>'
    return f" <code>{text(url)}</code>"
