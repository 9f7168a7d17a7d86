"""The draft scenario: what the reading found, as a scenario file with placeholders for the numbers.

The draft has the actors with their roles, the issues with the options
the vocabulary suggests, a stance for each demand or refusal (its position,
and the sentence it comes from as its note) and a stance for every party
on every issue (a party needs one; where the text says nothing the
position is a placeholder). What a person must supply is a placeholder
(:mod:`truce.scenario.placeholders`): each party's reservation value, every
salience, every position the text does not give. Filled in, the draft is a
valid scenario.
"""

from __future__ import annotations

import yaml

from truce.newsdraft.lexicon import lexicon
from truce.scenario.placeholders import placeholder

MAX_NOTE = 1_500
"""A note quotes at most this many characters of the text (the schema allows 20,000)."""


def _quote(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return f'"{sentence if len(sentence) <= MAX_NOTE else sentence[: MAX_NOTE - 3] + "..."}"'


def _stance_note(reading, actor_id: str, issue_id: str) -> tuple[str | None, str]:
    """The position the text gives (None: not stated) and the note quoting each sentence."""
    found = [a for a in reading.attributions if a.actor == actor_id and a.issue == issue_id]
    if not found:
        return None, "not stated in the text"
    quotes = []
    for attribution in found:
        quote = f"{attribution.kind} (the text): {_quote(attribution.sentence)}"
        if quote not in quotes:
            quotes.append(quote)
    return found[0].option, "; ".join(quotes)


def _issue(reading, issue_id: str) -> dict:
    entry = lexicon().issue(issue_id)
    issue = {"id": entry.id, "name": entry.name, "kind": "ordered", "options": list(entry.options)}
    if entry.provisions and reading.is_ceasefire:
        issue["provisions"] = {option: list(provisions) for option, provisions in entry.provisions.items()}
    sentences = reading.issue_sentences.get(issue_id, [])
    figures = [figure.in_words() for figure in reading.figures if figure.sentence in sentences]
    parts = [f"Drafted from the text. Categories: {entry.codes}. The options are suggested by the vocabulary, from least to most change: check them."]
    if sentences:
        parts.append(f"First named in: {_quote(reading.sentences[sentences[0]])}")
    if figures:
        parts.append("Figures in the text: " + "; ".join(dict.fromkeys(figures)) + ".")
    issue["note"] = " ".join(parts)
    return issue


def _actor(reading, actor) -> dict:
    role = reading.roles[actor.id]
    data: dict = {"id": actor.id, "name": actor.name, "role": role}
    evidence = reading.reasons.get(actor.id)
    data["description"] = f"{role} (drafted from the text: {_quote(evidence)})" if evidence else f"{role} (placeholder role: check it)"
    if role == "party":
        data["reservation"] = placeholder(f"a number in [0, 1): what no agreement is worth to {actor.name}, where its best package is worth 1")
    stances = {}
    for issue_id in reading.issue_ids:
        entry = lexicon().issue(issue_id)
        position, note = _stance_note(reading, actor.id, issue_id)
        if position is None and role != "party":
            continue
        stances[issue_id] = {
            "position": position if position is not None else placeholder(
                f"one of {', '.join(entry.options)}: the outcome {actor.name} wants on {entry.id} (not stated in the text)"
            ),
            "salience": placeholder(f"a number in [0, 1]: how much {entry.id} matters to {actor.name}"),
            "note": note,
        }
    if stances:
        data["stances"] = stances
    return data


def _placeholder_party(number: int) -> dict:
    return {
        "id": f"party-{number}",
        "name": placeholder("the name of a party the text does not name (the draft needs two parties)"),
        "role": "party",
        "reservation": placeholder("a number in [0, 1): what no agreement is worth to this party"),
    }


def scenario_data(reading, *, source_name: str) -> dict:
    """The draft scenario as plain data (``yaml.safe_dump`` writes it; the loader reads it back)."""
    actors = [_actor(reading, actor) for actor in reading.actors]
    parties = sum(1 for actor in actors if actor["role"] == "party")
    issue_ids = list(reading.issue_ids)
    issues = [_issue(reading, issue_id) for issue_id in issue_ids]
    if not issues:
        issue_ids = ["issue-1"]
        issues = [{
            "id": "issue-1",
            "name": placeholder("the name of an issue under negotiation (the text names none of the vocabulary's)"),
            "kind": "ordered",
            "options": placeholder("a list of at least two options, from least to most change"),
        }]
    for number in range(parties + 1, 3):
        actors.append(_placeholder_party(number))
    for actor in actors:
        if actor["role"] == "party":
            for issue_id in issue_ids:
                actor.setdefault("stances", {}).setdefault(issue_id, {
                    "position": placeholder(f"an option of {issue_id}: the outcome this party wants"),
                    "salience": placeholder(f"a number in [0, 1]: how much {issue_id} matters to this party"),
                    "note": "not stated in the text",
                })
    names = ", ".join(actor["name"] for actor in actors if actor["role"] == "party" and isinstance(actor["name"], str))
    data = {
        "truce": 1,
        "name": f"Draft from {source_name}" + (f": {names}" if names else ""),
        "description": (
            f"Drafted by `truce draft` from {source_name} with rules (a gazetteer, cue words and an issue vocabulary), "
            "not by a person: check every actor, role, issue and position against the text. Every "
            "{placeholder: ...} is a number or choice only a person can supply; `truce validate` lists those that remain."
        ),
        "kind": "ceasefire" if reading.is_ceasefire else "negotiation",
        "sources": [{"id": "text", "title": source_name, "note": "the news text this draft was made from"}],
        "actors": actors,
        "issues": issues,
    }
    other = [figure.in_words() for figure in reading.figures if not any(figure.sentence in s for s in reading.issue_sentences.values())]
    if other:
        data["notes"] = {"figures": "Figures in sentences that name no issue: " + "; ".join(dict.fromkeys(other)) + "."}
    return data


class _Dumper(yaml.SafeDumper):
    """Placeholders and short lists on one line, long text wrapped, keys in the order written."""


def _represent_dict(dumper, data):
    flow = len(data) == 1 and "placeholder" in data
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow or None)


def _represent_list(dumper, data):
    flow = all(isinstance(item, str) and len(item) < 40 for item in data) and len(data) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow or None)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)

HEADER = (
    "# Draft scenario written by `truce draft`: check it against the text, then replace every\n"
    "# {placeholder: ...} with a value. `truce validate FILE` lists the placeholders that remain.\n"
)


def to_yaml(data: dict) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return HEADER + body
