"""Who the text names: actor mentions, and the pronouns and descriptions that refer back to them.

A mention is a span of tokens that names one actor (the gazetteer's
aliases, a demonym before a head noun, an organisation's capitalised
name) or refers back to one or more (``it``, ``they``, ``the union``,
``these entities``). References are resolved by the nearest rule that
applies, the same for every actor:

- ``the <word>`` where <word> ended an actor's name or followed it as a
  head noun ("Port Workers Union" ... "the union"; "a Hamas official" ...
  "the official"): the last actor named so;
- a singular pronoun: the subject of the sentence so far, else of the last
  sentence that named an actor (its first mention not after a preposition);
- a plural one: the actors named earlier in the sentence when two or more
  are, else every actor of the last sentence that named one;
- ``both sides`` / ``the two parties``: the parties, once roles are known.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from truce.newsdraft.lexicon import lexicon

PREPOSITIONS = frozenset({"by", "to", "from", "in", "on", "at", "with", "against", "into", "over", "toward",
                          "towards", "through", "including", "alongside", "among", "about", "via", "under"})
"""A mention right after one of these is an object, not the sentence's subject ("of" and "for" are not
here: "a spokesman for X", "the leaders of X" speak for X)."""

PARTIES = "@parties"
"""Stands for every party in a group that ``both sides`` refers to (expanded once roles are known)."""
MEDIATORS = "@mediators"
"""Stands for every actor with a mediator cue in a group that ``the mediators`` refers to."""
PLACE_PREPOSITIONS = frozenset({"in", "to", "from", "at", "near", "outside", "via", "through", "into", "of", "around", "toward", "towards"})
"""A capital after one of these is the city ("talks in Cairo"), not its government."""


@dataclass
class FoundActor:
    id: str
    name: str
    known: bool
    heads: set[str] = field(default_factory=set)


@dataclass
class Mention:
    """Tokens [start, end) that name or refer to ``actors`` (one id, several, or PARTIES)."""

    actors: tuple[str, ...]
    start: int
    end: int
    sentence: int
    how: str  # name, adjective, organisation, description, pronoun
    head: str | None = None

    @property
    def is_reference(self) -> bool:
        return self.how in ("description", "pronoun")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64] or "actor"


class Mentions:
    """Every mention in a document, by sentence, with the actors they name."""

    def __init__(self, doc, pipe):
        self.doc = doc
        self.sentences = list(doc.sents)
        self.sentence_of = [0] * len(doc)
        for index, sentence in enumerate(self.sentences):
            for token in sentence:
                self.sentence_of[token.i] = index
        self.actors: dict[str, FoundActor] = {}
        self.mentions: list[Mention] = []
        self._names(pipe)
        self.mentions.sort(key=lambda mention: mention.start)
        self._named = list(self.mentions)  # names only, in order: what references resolve to
        self._named_ends = [mention.end for mention in self._named]
        self._references(pipe)
        self.mentions.sort(key=lambda mention: mention.start)
        self._by_sentence: dict[int, list[Mention]] = {}
        self._at: dict[int, Mention] = {}
        for mention in self.mentions:
            self._by_sentence.setdefault(mention.sentence, []).append(mention)
            for index in range(mention.start, mention.end):
                self._at.setdefault(index, mention)

    # ------------------------------------------------------------ names
    def _actor(self, actor_id: str, name: str, known: bool) -> FoundActor:
        if actor_id not in self.actors:
            self.actors[actor_id] = FoundActor(actor_id, name, known)
        return self.actors[actor_id]

    def _add(self, actor_id: str, start: int, end: int, how: str, head: str | None) -> None:
        if head:
            self.actors[actor_id].heads.add(head)
        self.mentions.append(Mention((actor_id,), start, end, self.sentence_of[start], how, head))

    def _following_head(self, end: int) -> str | None:
        if end < len(self.doc) and self.doc[end].lower_ in lexicon().heads:
            return self.doc[end].lower_
        return None

    def _names(self, pipe) -> None:
        words = lexicon()
        by_alias = {alias: actor for actor in words.actors for alias in actor.aliases}
        by_id = {actor.id: actor for actor in words.actors}
        acronyms: dict[str, str] = {}
        for ent in self.doc.ents:
            text = ent.text
            if ent.label_ == "PLACE" or text in words.places:
                continue
            if ent.label_ == "CAPITAL":
                if ent.start == 0 or self.doc[ent.start - 1].lower_ not in PLACE_PREPOSITIONS:
                    known = by_id[ent.ent_id_]
                    self._actor(known.id, known.name, True)
                    self._add(known.id, ent.start, ent.end, "name", self._following_head(ent.end))
                continue
            prefix = next((alias for alias in by_alias if " " in alias and text.startswith(alias + " ")), None)
            if ent.label_ == "ORG" and prefix:  # "United Nations Security Council", "European Union Naval Force"
                text = prefix
            if text in by_alias or ent.label_ in ("ACTOR", "ACTOR_ADJ"):
                known = by_alias.get(text) or by_id[ent.ent_id_]
                self._actor(known.id, known.name, True)
                if ent[-1].text in words.organisation_heads:
                    self.actors[known.id].heads.add(ent[-1].lower_)  # "the front" after "Tigray People's Liberation Front"
                adjective = ent.label_ == "ACTOR_ADJ" and text not in by_alias
                head = ent[-1].lower_ if adjective and ent[-1].lower_ in words.heads else self._following_head(ent.end)
                self._add(known.id, ent.start, ent.end, "adjective" if adjective else "name", head)
            elif ent.label_ == "ORG" or (pipe.trained and ent.label_ in ("ORG", "GPE", "NORP")):
                if pipe.trained and ent.label_ == "NORP":
                    continue  # "Palestinian", "American": a people, not an actor
                actor = self._organisation(ent)
                self._add(actor.id, ent.start, ent.end, "organisation", self._following_head(ent.end))
                following = self.doc[ent.end : ent.end + 3]
                if len(following) == 3 and following[0].text == "(" and following[2].text == ")" and following[1].is_upper:
                    acronyms[following[1].text] = actor.id
        taken = {index for mention in self.mentions for index in range(mention.start, mention.end)}
        for token in self.doc:
            if token.text in acronyms and token.i not in taken and not (token.i > 0 and self.doc[token.i - 1].text == "("):
                self._add(acronyms[token.text], token.i, token.i + 1, "name", self._following_head(token.i + 1))

    def _organisation(self, ent) -> FoundActor:
        words = [token.text for token in ent]
        for actor in self.actors.values():
            known_words = actor.name.split()
            if not actor.known and len(words) < len(known_words) and known_words[-len(words) :] == words:
                return actor  # "the Port Workers Union" after "Halden Port Workers Union"
        actor = self._actor(slug(ent.text), ent.text, False)
        heads = [token.lower_ for token in ent if token.text in lexicon().organisation_heads]
        actor.heads.add(heads[-1] if heads else ent[-1].lower_)  # "Ministry of Education": the ministry
        return actor

    # ------------------------------------------------------- references
    def _references(self, pipe) -> None:
        taken = {index for mention in self.mentions for index in range(mention.start, mention.end)}
        found = []
        for match_id, start, end in pipe.pronouns(self.doc):
            if not any(index in taken for index in range(start, end)):
                found.append((start, end, self.doc.vocab.strings[match_id]))
        heads = {head for actor in self.actors.values() for head in actor.heads}
        starts = {start for start, _, _ in found}
        for token in self.doc[:-1]:
            # "the union" after "Port Workers Union"; "Government negotiators" at the start of a sentence
            described = self.doc[token.i + 1]
            if token.i in starts:
                continue
            if token.lower_ == "the" and described.lower_ in heads and described.i not in taken:
                found.append((token.i, token.i + 2, "description"))
            elif token.is_sent_start and token.lower_ in heads and token.i not in taken and described.lower_ in lexicon().heads:
                found.append((token.i, token.i + 1, "description"))
        found.sort()
        kept, last_end = [], -1
        for start, end, kind in sorted(found, key=lambda item: (item[0], -(item[1] - item[0]))):
            if start >= last_end:
                kept.append((start, end, kind))
                last_end = end
        for start, end, kind in kept:
            actors = self._resolve(start, end, kind)
            if actors:
                self.mentions.append(Mention(actors, start, end, self.sentence_of[start], "pronoun"))

    def _resolve(self, start: int, end: int, kind: str) -> tuple[str, ...]:
        if kind == "parties":
            return (PARTIES,)
        if kind == "mediators":
            return (MEDIATORS,)
        sentence = self.sentence_of[start]
        named = self._named
        last = bisect.bisect_right(self._named_ends, start) - 1  # the last name ending before the reference
        span = self.doc[start:end]
        if kind == "description" or (span[0].lower_ == "the" and len(span) == 2):
            word = span[-1].lower_
            for index in range(last, -1, -1):
                if word in self.actors[named[index].actors[0]].heads:
                    return named[index].actors
            if kind == "description":
                return ()
        same = []
        index = last
        while index >= 0 and named[index].sentence == sentence:
            same.insert(0, named[index])
            index -= 1
        if kind == "singular" and same:
            return ([m for m in same if not self.is_object(m)] or same)[0].actors
        if kind != "singular" and len({m.actors for m in same}) >= 2:
            return tuple(dict.fromkeys(actor for m in same for actor in m.actors))
        if index < 0:
            return ()
        previous = named[index].sentence  # the last sentence before this one that named an actor
        group = []
        while index >= 0 and named[index].sentence == previous:
            group.insert(0, named[index])
            index -= 1
        if kind == "singular":
            return ([m for m in group if not self.is_object(m)] or group)[0].actors
        return tuple(dict.fromkeys(actor for m in group for actor in m.actors))

    # ---------------------------------------------------------- queries
    def is_object(self, mention: Mention) -> bool:
        start = mention.start
        while start > 0 and self.doc[start - 1].lower_ in ("the", "a", "an"):
            start -= 1
        return start > 0 and self.doc[start - 1].lower_ in PREPOSITIONS

    def in_sentence(self, sentence: int) -> list[Mention]:
        return self._by_sentence.get(sentence, [])

    def at(self, index: int) -> Mention | None:
        return self._at.get(index)
