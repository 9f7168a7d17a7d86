"""Draft a scenario from a news text (``truce draft ARTICLE.txt``): rule-based and offline.

:func:`read_text` reads a text into a :class:`Reading` (actors and roles
with the sentence that gave each role, issues, demands and refusals
attributed to their makers, figures with units); :meth:`Reading.scenario`
turns it into scenario data with placeholders for what a person must
supply (:mod:`truce.scenario.placeholders`). The rules, the gazetteer, the
issue vocabulary and the cue words are in ``lexicon/``; spaCy gives the
tokenizer and the matchers (a blank English pipeline: nothing trained,
nothing downloaded). See docs/explanation/drafting.md for the method and
its limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from truce.errors import InputError

MAX_TEXT_CHARACTERS = 200_000
"""Longer texts are refused (a news report is a few thousand characters)."""


@dataclass
class Reading:
    """What the rules found in one text."""

    sentences: list[str]
    actors: list  # FoundActor, in order of first mention
    roles: dict[str, str]
    reasons: dict[str, str]
    issue_ids: list[str]
    issue_sentences: dict[str, list[int]]
    attributions: list  # Attribution
    figures: list  # Figure
    is_ceasefire: bool
    pipeline: str = "blank"
    notes: list[str] = field(default_factory=list)

    def scenario(self, source_name: str = "the text") -> dict:
        """The draft scenario as plain data, with placeholders."""
        from truce.newsdraft.build import scenario_data

        return scenario_data(self, source_name=source_name)

    def to_dict(self) -> dict:
        """Everything found, for ``--json`` and the web API."""
        return {
            "pipeline": self.pipeline,
            "actors": [
                {"id": actor.id, "name": actor.name, "role": self.roles[actor.id], "in_gazetteer": actor.known,
                 "evidence": self.reasons.get(actor.id, "")}
                for actor in self.actors
            ],
            "issues": [{"id": issue, "sentences": [self.sentences[i] for i in self.issue_sentences[issue]]} for issue in self.issue_ids],
            "stances": [
                {"actor": a.actor, "issue": a.issue, "kind": a.kind, "cue": a.cue, "position": a.option, "sentence": a.sentence}
                for a in self.attributions
            ],
            "figures": [dict(figure.to_dict(), sentence=self.sentences[figure.sentence]) for figure in self.figures],
        }


def check_text(text: str, source: str = "text") -> str:
    """The text to read, or :class:`InputError` naming what is wrong with it."""
    if "\x00" in text:
        raise InputError(f"{source}: contains NUL bytes (a binary file?); expected plain UTF-8 text")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise InputError(f"{source}: {len(text):,} characters; expected at most {MAX_TEXT_CHARACTERS:,} (one news report)")
    if not any(character.isalpha() for character in text):
        raise InputError(f"{source}: has no words; expected the text of a news report")
    return text


def read_text(text: str, *, pipeline: str = "blank", source: str = "text") -> Reading:
    """Read a news text with the rules (``pipeline``: 'blank', or an installed trained spaCy pipeline's name)."""
    from truce.newsdraft.attribution import Reader
    from truce.newsdraft.figures import figures
    from truce.newsdraft.mentions import MEDIATORS, PARTIES, Mentions
    from truce.newsdraft.lexicon import lexicon
    from truce.newsdraft.pipeline import pipeline as make_pipeline

    check_text(text, source)
    pipe = make_pipeline(pipeline)
    doc = pipe.nlp(text)
    mentions = Mentions(doc, pipe)
    reader = Reader(mentions, pipe).read()
    actors = [actor for actor in mentions.actors.values()]
    roles = {actor.id: reader.evidence[actor.id].role() for actor in actors}
    reasons = {actor.id: reader.evidence[actor.id].reason() for actor in actors}
    by_role = {role: [actor.id for actor in actors if roles[actor.id] == role] for role in ("party", "mediator")}
    attributions = []
    for attribution in reader.attributions:
        makers = {PARTIES: by_role["party"], MEDIATORS: by_role["mediator"]}.get(attribution.actor, [attribution.actor])
        for maker in makers:
            attributions.append(attribution if maker == attribution.actor else type(attribution)(**{**attribution.__dict__, "actor": maker}))
    sentences = [" ".join(sentence.text.split()) for sentence in mentions.sentences]
    issue_sentences: dict[str, list[int]] = {}
    for issue, start, _, scoped in reader.issue_spans:
        if not scoped:
            issue_sentences.setdefault(issue, []).append(mentions.sentence_of[start])
    for attribution in attributions:
        issue_sentences.setdefault(attribution.issue, []).append(attribution.sentence_index)
    order = [entry.id for entry in lexicon().issues]
    issue_ids = sorted(issue_sentences, key=lambda issue: (min(issue_sentences[issue]), order.index(issue)))
    issue_sentences = {issue: sorted(set(found)) for issue, found in issue_sentences.items()}
    ceasefire = any(lexicon().issue(issue).ceasefire for issue in issue_ids)
    return Reading(
        sentences=sentences,
        actors=actors,
        roles=roles,
        reasons=reasons,
        issue_ids=issue_ids,
        issue_sentences=issue_sentences,
        attributions=attributions,
        figures=figures(sentences),
        is_ceasefire=ceasefire,
        pipeline=pipeline,
    )
