"""Actors and issues: who takes part, their numbers with their notes, the issues, the stances and the levers."""

from __future__ import annotations

from truce.report import readings
from truce.report.markup import Section, note, table, text
from truce.scenario import Actor, Distribution, NumericIssue, Scenario
from truce.scenario.distributions import in_words
from truce.scenario.schema.red_lines import in_words as red_line_words

FIELD_LABELS = {
    "capability": "capability",
    "reservation": "no-deal value",
    "cost_of_delay": "cost of delay per round",
    "discount": "discount per round",
    "trust": "trust that the other side complies",
    "exposure": "loss if the other side defects",
}


LEVER_BOOKKEEPING = frozenset({"id", "by", "kind", "parties", "active", "cost", "note"})


def lever_effect_in_words(lever) -> str:
    """The lever's own numbers (trust gain, pressure, payment...), whichever its kind sets."""
    parts = []
    for name in type(lever).model_fields:
        value = getattr(lever, name)
        if name in LEVER_BOOKKEEPING or value is None or not isinstance(value, (int, float, Distribution)) or isinstance(value, bool):
            continue
        parts.append(f"{name.replace('_', ' ')} {in_words(value)}")
    return "; ".join(parts) or "-"


ACTOR_TEXT_FIELDS = frozenset({"id", "name", "role", "description", "stances", "notes"})


def actor_numbers(actor: Actor) -> list[tuple[str, str]]:
    """An actor's numbers worth showing, as (field, value in words), in the schema's order.

    A field is shown when the scenario gives it a note, when it differs from
    its default, or when it defines the actor (capability; a party's no-deal
    value); a note on any other field is shown too, so no note is lost.
    """
    essential = {"capability", "reservation"} if actor.role == "party" else {"capability"}
    party_only = {"reservation", "cost_of_delay", "discount", "trust", "exposure"}
    shown = []
    for name, info in Actor.model_fields.items():
        if name in ACTOR_TEXT_FIELDS:
            continue
        value = getattr(actor, name)
        is_number = isinstance(value, Distribution) or (isinstance(value, (int, float)) and not isinstance(value, bool))
        relevant = actor.role == "party" or name not in party_only
        if name in actor.notes or (relevant and is_number and (name in essential or value != info.default)):
            shown.append((name, in_words(value) if is_number else "-"))
    return shown


def actors_section(scenario: Scenario) -> Section:
    body = ["<h3>Actors</h3>"]
    body.append(
        table(
            ("actor", "role", "description"),
            [(f"<strong>{text(a.name)}</strong>", text(a.role), text(a.description.strip())) for a in scenario.actors],
        )
    )
    rows = []
    for actor in scenario.actors:
        shown = actor_numbers(actor)
        for k, (name, value) in enumerate(shown):
            row = [text(FIELD_LABELS.get(name, name.replace("_", " "))), f'<span class="num">{text(value)}</span>', note(actor.notes.get(name))]
            rows.append(([(f"<strong>{text(actor.name)}</strong>", len(shown))] if k == 0 else []) + row)
    body.append("<h3>Each actor's numbers and their notes</h3>")
    body.append(table(("actor", "quantity", "value", "note"), rows, css="notes numbers"))

    body.append("<h3>Issues</h3>")
    issue_rows = []
    for issue in scenario.issues:
        if isinstance(issue, NumericIssue):
            low, high = issue.range
            options = f"{low:g} to {high:g} {issue.unit} in steps of {issue.step:g} ({len(issue.grid)} options)"
        else:
            options = " &lt; ".join(text(o) for o in issue.options) if issue.kind == "ordered" else ", ".join(text(o) for o in issue.options)
            options = options if issue.kind == "ordered" else f"{options} (unordered)"
        issue_rows.append((f"<strong>{text(issue.name)}</strong>", options if not isinstance(issue, NumericIssue) else text(options), note(issue.note)))
    body.append(table(("issue", "options", "note"), issue_rows, css="notes"))

    body.append("<h3>Stances: each actor's position (salience)</h3>")
    header = ["actor", *(text(issue.name) for issue in scenario.issues)]
    matrix = []
    for actor in scenario.actors:
        cells = [f"<strong>{text(actor.name)}</strong>"]
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            if stance is None:
                cells.append('<span class="note">-</span>')
                continue
            position, salience = stance.in_words()
            red_line = "" if stance.red_line is None else f'<br><span class="note">red line: {text(red_line_words(stance.red_line))}</span>'
            cells.append(f"{text(position)} <span class=\"salience\">({text(salience)})</span>{red_line}")
        matrix.append(cells)
    body.append(table(header, matrix, css="stances"))

    stance_rows = []
    for issue in scenario.issues:
        holders = [actor for actor in scenario.actors if issue.id in actor.stances]
        for k, actor in enumerate(holders):
            stance = actor.stances[issue.id]
            position = stance.position if isinstance(stance.position, str) else in_words(stance.position)
            row = [text(actor.name), text(position), text(in_words(stance.salience)), note(stance.note)]
            stance_rows.append(([(f"<strong>{text(issue.name)}</strong>", len(holders))] if k == 0 else []) + row)
    body.append(
        "<details open><summary>Each stance's note</summary>"
        + table(("issue", "actor", "position", "salience", "note"), stance_rows, css="notes grouped")
        + "</details>"
    )

    if scenario.levers:
        names = {actor.id: actor.name for actor in scenario.actors}
        lever_rows = [
            (
                f"<code>{text(lever.id)}</code>",
                text(names.get(lever.by, lever.by)),
                text(lever.kind.replace("_", " ")),
                text(", ".join(names.get(p, p) for p in lever.parties) if lever.parties else "every party"),
                text(lever_effect_in_words(lever)),
                "yes" if lever.active else "no",
                note(lever.note),
            )
            for lever in scenario.levers
        ]
        body.append("<h3>Mediator levers</h3>")
        body.append(table(("id in the file", "by", "kind", "affects", "size", "in the baseline", "note"), lever_rows, css="notes"))
    return Section("actors-issues", "Actors and issues", readings.actors_and_issues(scenario), tuple(body))
