"""Levers, what-if variants and uncertain inputs in the scenario's own words, for readers.

The engines name things by id (``add un_monitoring``, ``hamas.reservation``): ids are what a user
types in a scenario file and what scripts read in the JSON, so the results keep them. A reader of
the CLI's tables, the report and the page gets the names the scenario gives instead:
``adding monitoring by United Nations``, ``Hamas: no-deal value``. A lever has no name of its own
in a scenario, so it is named by its kind, the actor who pulls it and, where it touches only some
parties, those parties; two levers that would read the same keep their ids in brackets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from truce.problem import Problem

KIND_WORDS = {
    "guarantee": "guarantee",
    "monitoring": "monitoring",
    "pressure": "pressure",
    "side_payment": "side payment",
    "phasing": "phased implementation",
    "single_text": "single negotiating text",
}
TOWARDS = {"pressure": "on", "side_payment": "to"}
"""The word before the parties a lever touches (default "for")."""
PARTY_FIELD_WORDS = {
    "reservation": "no-deal value",
    "cost_of_delay": "cost of delay per round",
    "discount": "patience (discount per round)",
    "trust": "trust in the other side",
    "exposure": "exposure to defection",
}
ISSUE_FIELD_WORDS = {"salience": "salience of", "position": "position on", "tolerance": "tolerance on"}
EFFECT_WORDS = {
    "trust_gain": "trust gained",
    "cost_of_delay": "cost of delay added",
    "reservation_drop": "no-deal value lost",
    "side_payment": "payment",
    "exposure_factor": "exposure factor",
}
TALKS_WORDS = {"breakdown_risk": "risk of breakdown per round", "breakdown_growth": "growth of the breakdown risk"}


def join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def lever_kind_words(problem: "Problem", index: int, by: str | None = None) -> str:
    """The lever's kind, who pulls it (``by``, a name) and the parties it touches: "pressure by Qatar on Hamas"."""
    kind = problem.lever_kinds[index]
    words = KIND_WORDS.get(kind, kind.replace("_", " ")) + (f" by {by}" if by else "")
    touched = problem.lever_parties[index] if problem.lever_parties is not None else None
    if touched is not None and 0 < touched.sum() < problem.n_parties:
        parties = [name for name, on in zip(problem.party_names, touched) if on]
        words += f" {TOWARDS.get(kind, 'for')} {join_words(parties)}"
    return words


def lever_names(problem: "Problem") -> dict[str, str]:
    """Lever id -> "monitoring by United Nations"; levers that would read the same keep their id."""
    actors = dict(zip(problem.actor_ids, problem.actor_names))
    words = [lever_kind_words(problem, l, actors.get(by, by)) for l, by in enumerate(problem.lever_by)]
    return {
        lever: text if words.count(text) == 1 else f"{text} ({lever})"
        for lever, text in zip(problem.lever_ids, words)
    }


def variant_words(problem: "Problem", name: str, kind: str, by: str | None) -> str:
    """A what-if variant in words: "adding monitoring by United Nations", "taking away guarantee by
    Egypt", "Egypt's best affordable combination (phased implementation and single negotiating text)"."""
    levers = lever_names(problem)
    if kind == "combination":
        actors = dict(zip(problem.actor_ids, problem.actor_names))
        chosen = name.split(": ", 1)[1].split(" + ") if ": " in name else []
        index = {lever: l for l, lever in enumerate(problem.lever_ids)}
        parts = [lever_kind_words(problem, index[lever]) if lever in index else lever for lever in chosen]
        who = actors.get(by, by) if by else "an actor"
        return f"{who}'s best affordable combination ({join_words(parts)})" if parts else f"{who}'s best affordable combination"
    verb, _, lever = name.partition(" ")
    if verb in ("add", "drop") and lever in levers:
        return f"{'adding' if verb == 'add' else 'taking away'} {levers[lever]}"
    return name


def input_words(problem: "Problem", index: int) -> str:
    """The ``index``-th uncertain input in words: "Hamas: no-deal value", "Israel: salience of
    Ceasefire duration", "guarantee by Egypt: trust gained"."""
    item = problem.uncertain[index]
    field, position = item.field, item.index
    if field in PARTY_FIELD_WORDS:
        return f"{problem.party_names[position[0]]}: {PARTY_FIELD_WORDS[field]}"
    if field in ISSUE_FIELD_WORDS:
        return f"{problem.party_names[position[0]]}: {ISSUE_FIELD_WORDS[field]} {problem.issue_names[position[1]]}"
    if field.startswith("lever:"):
        effect = field.removeprefix("lever:")
        return f"{lever_names(problem)[problem.lever_ids[position[0]]]}: {EFFECT_WORDS.get(effect, effect.replace('_', ' '))}"
    if field in TALKS_WORDS:
        return f"talks: {TALKS_WORDS[field]}"
    if field.startswith("durability:"):
        return durability_words(field.removeprefix("durability:"), position)
    return item.label


def durability_words(field: str, position: tuple[int, ...]) -> str:
    """The durability model's inputs (they act after signature, so they move no P(deal)): in words all the same."""
    from truce.scenario.compile import CLASSES
    from truce.scenario.schema.issues import PROVISIONS

    if field in ("median_days", "shape"):
        what = "median days to breakdown" if field == "median_days" else "Weibull shape"
        return f"durability: {what} of a {CLASSES[position[0]]} ceasefire"
    if field == "hazard_ratios":
        return f"durability: hazard ratio of {PROVISIONS[position[0]].replace('_', ' ')}"
    return {"spoiler": "durability: daily hazard from spoilers", "no_gain_ratio": "durability: hazard ratio of a deal worth no more than no deal"}.get(
        field, f"durability: {field.replace('_', ' ')}"
    )
