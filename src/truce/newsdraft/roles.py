"""Role cues: the constructions that make an actor a party, a mediator or a stakeholder.

A mixin of :class:`truce.newsdraft.attribution.Reader`: each method reads one
kind of cue in its sentence and notes the evidence for the actors it names
(see the table in docs/explanation/drafting.md). The same rules apply to every actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from truce.newsdraft.lexicon import lexicon

APPOSITION_WORDS = frozenset({"the", "a", "an", "another", "key", "main", "chief", "lead", "leading", "regional", "joint",
                              "international", "longtime", "long-time", "traditional", "official", "appointed", "two", "three",
                              "one", "of", "its", "their"})
MEDIATOR_HEADS = frozenset({"mediator", "mediators", "envoy", "envoys"})
PARTY_HEADS = frozenset({"delegation", "delegations", "negotiators", "negotiator", "side"})


@dataclass
class Evidence:
    strong_party: list
    mediator: list
    weak_party: list
    call: list

    def role(self) -> str:
        if self.strong_party and len(self.strong_party) >= len(self.mediator):
            return "party"
        if self.mediator:
            return "mediator"
        if self.weak_party:
            return "party"
        return "stakeholder"

    def reason(self) -> str:
        """The sentence that gave the role: one that names the actor, before one that refers back to it."""
        found = {"party": self.strong_party or self.weak_party, "mediator": self.mediator}.get(self.role(), self.call)
        named = [sentence for sentence, direct in found if direct]
        return (named or [sentence for sentence, _ in found] or [""])[0]


class RoleCues:
    """Role evidence from cue words; needs the Reader's mentions, cues and helpers."""

    # ------------------------------------------------------------- roles
    def _mediator_by(self, start: int, end: int, sentence: int) -> None:
        """'hosted by X', also 'chaired by a conciliator from X' (within a few words, before any punctuation)."""
        window = self.doc[end : min(end + 7, self.m.sentences[sentence].end)]
        stop = next((t.i for t in window if t.is_punct and t.text not in ("'s", "-")), window.end if len(window) else end)
        group = [m for m in self._after(end, sentence, within=max(0, stop - end - 1)) if not m.is_reference or m.actors]
        self._note_group(group, "mediator", sentence)

    def _mediator_verbs(self, start: int, end: int, sentence: int) -> None:
        sentence_end = self.m.sentences[sentence].end
        follows = self.doc[end].text if end < sentence_end else "."
        hyphenated = self.doc[start].text == "-"
        if hyphenated or self._has_object(end, min(end + 6, sentence_end)) or follows in (".", ",", "between", "in", ";", "by"):
            group = self._after(end, sentence, within=1) if follows == "by" else []
            if hyphenated and start > 0 and self.m.at(start - 1):
                group = [self.m.at(start - 1)]
            self._note_group(group or self._subject(sentence, start), "mediator", sentence)

    def _mediator_nouns(self, start: int, end: int, sentence: int) -> None:
        mentions = self.m.in_sentence(sentence)
        before = [m for m in mentions if m.end <= start and start - m.end <= 7 and "," in [t.text for t in self.doc[m.end : m.end + 4]]
                  and all(t.text in (",", "'s") or t.lower_ in APPOSITION_WORDS or t.lower_ in lexicon().heads or t.is_title
                          for t in self.doc[m.end : start])]
        after = [m for m in self._after(end, sentence, within=1) if not m.is_reference]
        possessive = start >= 2 and self.doc[start - 1].lower_ == "'s" and self.m.at(start - 2)
        if after:
            group = after
        elif before:
            group = self._group(before[-1], mentions)
        elif possessive:
            group = [self.m.at(start - 2)]
        else:
            as_role = [m for m in mentions if m.end <= start and start - m.end <= 4 and "as" in [t.lower_ for t in self.doc[m.end : start]]]
            group = self._group(as_role[-1], mentions) if as_role else []
        self._note_group(group, "mediator", sentence)

    def _between_words(self, start: int, end: int, sentence: int) -> None:
        group = self._after(end, sentence, within=2)
        sentence_span = self.m.sentences[sentence]
        if len(self._actors(group)) >= 2 and self._has_talk_noun(sentence_span.start, sentence_span.end):
            self._note_group(group, "strong_party", sentence)

    def _with_phrases(self, start: int, end: int, sentence: int) -> None:
        self._note_group(self._after(end, sentence, within=2), "strong_party", sentence)
        self._note_group(self._subject(sentence, start), "weak_party", sentence)

    def _party_nouns(self, start: int, end: int, sentence: int) -> None:
        if start >= 2 and self.doc[start - 1].lower_ == "'s" and self.m.at(start - 2):
            self._note(list(self.m.at(start - 2).actors), "strong_party", sentence)
        elif end < len(self.doc) and self.doc[end].lower_ in ("of", "from"):  # "delegations of X and Y"
            self._note_group(self._after(end, sentence, within=2), "strong_party", sentence)

    def _support_verbs(self, start: int, end: int, sentence: int) -> None:
        self._note_group(self._subject(sentence, start), "call", sentence)

    def _joint_verbs(self, start: int, end: int, sentence: int) -> None:
        group = self._subject(sentence, start)
        if len(self._actors(group)) >= 2:
            self._note_group(group, "strong_party", sentence)

    def _has_object(self, start: int, end: int) -> bool:
        return any(kind in ("talk_nouns", "mediator_objects", "party_nouns") and start <= cue_start < end for kind, cue_start, _ in self.cues_near(start))

    def _pairs(self) -> None:
        """'X-Y talks': two mentions joined by a hyphen before a talk noun."""
        ordered = [m for m in self.m.mentions if not m.is_reference]
        for left, right in zip(ordered, ordered[1:]):
            if right.start == left.end + 1 and self.doc[left.end].text in ("-", "–") and self._has_talk_noun(right.end, right.end + 3):
                self._note([*left.actors, *right.actors], "strong_party", left.sentence)

    def _heads(self) -> None:
        for mention in self.m.mentions:
            if mention.head in MEDIATOR_HEADS and mention.how == "adjective":
                self._note(list(mention.actors), "mediator", mention.sentence)
            elif mention.head in PARTY_HEADS:
                self._note(list(mention.actors), "strong_party", mention.sentence)
            elif mention.how == "adjective" and self.doc[mention.end - 1].lower_ in ("brokered", "mediated", "hosted", "sponsored", "led"):
                self._note(list(mention.actors), "mediator", mention.sentence)
