"""Who does what in the text: role evidence for each actor, and demands and refusals attributed to their maker.

Each cue (lexicon/cues.yaml) is read in its sentence with one of a few
constructions, the same for every actor:

- a verb cue ("demands", "rejected", "called for", "is hosting") names its
  subject: the actor right before it (over adverbs and auxiliaries, or
  before "which"/"who"), else the nearest mention before it that is not
  after a preposition; actors joined by "and" or commas form one group;
- a passive verb cue followed by "by X" ("was demanded by X", "hosted by X")
  names X, and what it asks for may stand before it;
- a noun cue names X in "the demand by/from/of X" or "X's demand";
- "between X and Y" in a sentence about talks, "X-Y talks", "talks with
  X" and "X's delegation" are party cues; "X, another mediator" and
  "mediators X and Y" mediator cues.

What a demand or refusal is about: the issue terms after the cue up to the
end of its clause (or, when nothing follows, the terms before its subject:
"..., X insisted").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.util import filter_spans

from truce.newsdraft.lexicon import lexicon
from truce.newsdraft.mentions import Mention, Mentions
from truce.newsdraft.roles import Evidence, RoleCues

SKIPPED_BEFORE_VERB = frozenset({"has", "have", "had", "is", "are", "was", "were", "be", "been", "will", "would",
                                 "could", "can", "may", "might", "also", "still", "reportedly", "repeatedly", "again",
                                 "now", "not", "publicly", "formally", "firmly", "strongly", "already", "consistently",
                                 "previously", "long", "always", "then", "further", "in", "turn", ",", "instead",
                                 "once", "more", "jointly", "separately", "both", "all", "itself", "themselves",
                                 "quickly", "immediately", "swiftly", "openly", "explicitly", "angrily", "flatly"})
CLAUSE_BREAKS = frozenset({";", "while", "whereas", "but", "although", "though", "meanwhile", "however"})
RELATIVES = frozenset({"which", "who", "that"})
POSSESSIVE_DETERMINERS = frozenset({"its", "their", "his", "her"})
NOUN_CUE_MARKERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "key",
                              "main", "central", "'s", "new", "latest", "renewed", "repeated", "core", "long-standing"})


@dataclass
class Attribution:
    """One actor's demand or refusal on one issue, with the sentence it was read in."""

    actor: str
    issue: str
    kind: str  # demand | refusal
    cue: str  # demand | call | refusal: which list the cue came from
    option: str
    sentence: str
    sentence_index: int


class Reader(RoleCues):
    """Reads the cues of one document: role evidence per actor, and attributions."""

    def __init__(self, mentions: Mentions, pipe):
        self.m = mentions
        self.doc = mentions.doc
        self.pipe = pipe
        self.evidence = {actor: Evidence([], [], [], []) for actor in mentions.actors}
        self.attributions: list[Attribution] = []
        self.issue_spans = self._issue_spans()
        self.stance_spans = [(self.doc.vocab.strings[i], s, e) for i, s, e in pipe.stance_words(self.doc)]
        inside_terms = {i for _, s, e, _ in self.issue_spans if e - s > 1 for i in range(s, e)}
        self.cues = [cue for cue in self._cues() if not (cue[0] == "support_verbs" and cue[1] in inside_terms)]
        self._cues_in: dict[int, list] = {}
        for cue in self.cues:
            self._cues_in.setdefault(mentions.sentence_of[cue[1]], []).append(cue)
        self._issues_by_sentence: dict[int, list] = {}
        for item in self.issue_spans:
            self._issues_by_sentence.setdefault(mentions.sentence_of[item[1]], []).append(item)
        self._stances_by_sentence: dict[int, list] = {}
        for item in self.stance_spans:
            self._stances_by_sentence.setdefault(mentions.sentence_of[item[1]], []).append(item)

    def cues_near(self, index: int) -> list:
        """The cues of the sentence holding token ``index``."""
        return self._cues_in.get(self.m.sentence_of[min(index, len(self.doc) - 1)], [])

    # ----------------------------------------------------------- matching
    def _issue_spans(self) -> list[tuple[str, int, int, bool]]:
        found = []
        for match_id, start, end in self.pipe.issues(self.doc):
            label = self.doc.vocab.strings[match_id]
            issue, _, scoped = label.partition("|")
            found.append((issue, start, end, bool(scoped)))
        words = lexicon()
        inside_names = {i for m in self.m.mentions for i in range(m.start, m.end)}

        def names_issue(issue: str, start: int, end: int) -> bool:
            entry = words.issue(issue)
            before = self.doc[start - 1].lower_ if start > 0 else ""
            after = self.doc[end].lower_ if end < len(self.doc) else ""
            return before not in entry.not_after and after not in entry.not_before and start not in inside_names
        found = [item for item in found if names_issue(item[0], item[1], item[2])]
        spans = filter_spans([self.doc[start:end] for _, start, end, _ in found])
        keep = {(span.start, span.end) for span in spans}
        return sorted({item for item in found if (item[1], item[2]) in keep}, key=lambda item: item[1])

    def _cues(self) -> list[tuple[str, int, int]]:
        labels: dict[tuple[int, int], set[str]] = {}
        for match_id, start, end in self.pipe.cues(self.doc):
            labels.setdefault((start, end), set()).add(self.doc.vocab.strings[match_id])
        spans = filter_spans([self.doc[start:end] for start, end in labels])
        cues = []
        for span in spans:
            kinds = labels[(span.start, span.end)]
            kind = self._noun_or_verb(span, kinds)
            if kind and not self.m.at(span.start):
                cues.append((kind, span.start, span.end))
        return sorted(cues, key=lambda cue: cue[1])

    def _noun_or_verb(self, span, kinds: set[str]) -> str | None:
        for base in ("demand", "call", "refusal", "mediator"):
            verb, noun = f"{base}_verbs", f"{base}_nouns"
            if verb in kinds and noun in kinds:
                before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
                after = self.doc[span.end].lower_ if span.end < len(self.doc) else ""
                is_noun = before in NOUN_CUE_MARKERS or after in ("by", "from", "of")
                return noun if is_noun else verb
        return sorted(kinds)[0] if kinds else None

    # ----------------------------------------------------------- helpers
    def _group(self, mention: Mention, sentence_mentions: list[Mention]) -> list[Mention]:
        """The mention with those joined to it by 'and', commas, 'alongside' ... on either side."""
        words = lexicon().cues["conjunctions"]
        joiners = {word for phrase in words for word in phrase.split()}
        group = [mention]
        ordered = sorted(sentence_mentions, key=lambda m: m.start)
        index = ordered.index(mention)
        for step in (-1, 1):
            position = index
            while 0 <= position + step < len(ordered):
                neighbour, current = ordered[position + step], ordered[position]
                gap = self.doc[current.end : neighbour.start] if step == 1 else self.doc[neighbour.end : current.start]
                if len(gap) > 5 or not all(token.lower_ in joiners or token.text in "()" or token.is_upper for token in gap):
                    break
                group.append(neighbour)
                position += step
        return sorted(group, key=lambda m: m.start)

    def _actors(self, group: list[Mention]) -> list[str]:
        return list(dict.fromkeys(actor for mention in group for actor in mention.actors))

    def _subject(self, sentence: int, cue_start: int) -> list[Mention]:
        mentions = [m for m in self.m.in_sentence(sentence) if m.end <= cue_start]
        if not mentions:
            return []
        position = cue_start - 1
        start = self.m.sentences[sentence].start
        while position >= start and (self.doc[position].lower_ in SKIPPED_BEFORE_VERB or self.doc[position].is_punct and self.doc[position].text != ","):
            position -= 1
        if position >= start:
            right_before = self.m.at(position)
            if right_before is not None:
                return self._group(right_before, self.m.in_sentence(sentence))
            if self.doc[position].lower_ in RELATIVES:
                previous = [m for m in mentions if m.end <= position]
                if previous:
                    return self._group(previous[-1], self.m.in_sentence(sentence))
        subjects = [m for m in mentions if not self.m.is_object(m)] or mentions
        return self._group(subjects[-1], self.m.in_sentence(sentence))

    def _after(self, index: int, sentence: int, within: int = 3) -> list[Mention]:
        """The group of the first mention starting within ``within`` tokens after ``index``."""
        for m in self.m.in_sentence(sentence):
            if index <= m.start <= index + within:
                return self._group(m, self.m.in_sentence(sentence))
        return []

    def _sentence_text(self, sentence: int) -> str:
        return " ".join(self.m.sentences[sentence].text.split())

    def _note(self, actors: list[str], bucket: str, sentence: int, direct: bool = True) -> None:
        for actor in actors:
            if actor in self.evidence:
                getattr(self.evidence[actor], bucket).append((self._sentence_text(sentence), direct))

    def _note_group(self, group: list[Mention], bucket: str, sentence: int) -> None:
        for mention in group:
            self._note(list(mention.actors), bucket, sentence, direct=not mention.is_reference)

    def _has_talk_noun(self, start: int, end: int) -> bool:
        return any(kind == "talk_nouns" and start <= cue_start < end for kind, cue_start, _ in self.cues_near(start))

    # -------------------------------------------------------------- read
    def read(self) -> "Reader":
        for kind, start, end in self.cues:
            sentence = self.m.sentence_of[start]
            if kind.split("_")[0] in ("demand", "call", "refusal"):
                self._stance(kind, start, end, sentence)
            elif kind not in ("talk_nouns", "modals", "mediator_objects"):
                getattr(self, f"_{kind}")(start, end, sentence)
        self._pairs()
        self._heads()
        return self

    def _stance(self, kind: str, start: int, end: int, sentence: int) -> None:
        """A demand, call or refusal cue, verb or noun."""
        sentence_span = self.m.sentences[sentence]
        noun = kind.endswith("_nouns")
        base = {"say": "demand"}.get(kind.split("_")[0], kind.split("_")[0])
        after = self._after(end, sentence, within=2) if end < sentence_span.end and self.doc[end].lower_ in ("by", "from", "of") else []
        passive = bool(after) and not noun  # "was demanded by X", "a truce rejected by X"
        if noun:
            if after:
                group, scope_start = after, after[-1].end
            elif start >= 2 and self.doc[start - 1].lower_ in ("'s", "'") and self.m.at(start - 2):
                group, scope_start = self._group(self.m.at(start - 2), self.m.in_sentence(sentence)), end
            elif start >= 1 and self.doc[start - 1].lower_ in POSSESSIVE_DETERMINERS and self.m.at(start - 1):
                group, scope_start = [self.m.at(start - 1)], end
            else:
                return
        elif passive:
            group, scope_start = after, after[-1].end
        else:
            group, scope_start = self._subject(sentence, start), end
        if not group:
            return
        actors = self._actors(group)
        scope_end = self._scope_end(scope_start, sentence)
        issues = self._issues_in(scope_start, scope_end, scoped=True)
        if passive and not noun:
            issues = self._issues_in(sentence_span.start, start, scoped=True) + issues
        elif not issues and scope_end - end <= 2:
            issues = self._issues_in(sentence_span.start, group[0].start, scoped=True)
        if not issues and base == "refusal":
            issues = self._refused_demand(actors, scope_start, scope_end)
        bucket = {"demand": "weak_party", "refusal": "weak_party", "call": "call"}[base]
        self._note_group(group, bucket, sentence)
        for issue, option in issues:
            refusal = base == "refusal"
            entry = lexicon().issue(issue)
            for actor in actors:
                self.attributions.append(
                    Attribution(actor, issue, "refusal" if refusal else "demand", base, entry.refusal if refusal else option,
                                self._sentence_text(sentence), sentence)
                )

    def _refused_demand(self, actors: list[str], start: int, end: int) -> list[tuple[str, str]]:
        """'X rejected the demand': the issues of the last demand made by someone else before it."""
        nouns = {*lexicon().cues["demand_nouns"], *lexicon().cues["call_nouns"], "offer", "plan", "formula", "terms", "idea"}
        bare = start >= len(self.doc) or self.doc[start].is_punct  # "X refused, ..." / "X refused."
        if not bare and not any(token.lower_ in nouns for token in self.doc[start:end]):
            return []
        sentence = self.m.sentence_of[min(start, len(self.doc) - 1)]
        earlier = [a for a in self.attributions if a.actor not in actors and a.kind == "demand" and a.sentence_index >= sentence - 1]
        if not earlier:
            return []
        last = earlier[-1].sentence_index
        return list(dict.fromkeys((a.issue, a.option) for a in earlier if a.sentence_index == last))

    def _scope_end(self, begin: int, sentence: int) -> int:
        end = self.m.sentences[sentence].end
        for token in self.doc[begin:end]:
            also = token.i + 1 < len(self.doc) and self.doc[token.i + 1].lower_ == "also"  # "not only ... but also"
            if token.lower_ in CLAUSE_BREAKS and not also:
                return token.i
        for kind, start, _ in self._cues_in.get(sentence, []):
            if begin <= start < end and kind in ("demand_verbs", "call_verbs", "refusal_verbs", "say_verbs"):
                subject = self._subject(sentence, start)
                if subject and subject[0].start >= begin:
                    return subject[0].start
                return start  # "rejected X and sought Y": the next verb's own object is not this one's
        return end

    def _issues_in(self, start: int, end: int, *, scoped: bool) -> list[tuple[str, str]]:
        found: dict[str, str] = {}
        sentences = range(self.m.sentence_of[min(start, len(self.doc) - 1)], self.m.sentence_of[max(min(end, len(self.doc)) - 1, 0)] + 1)
        for issue, term_start, term_end, is_scoped in (item for number in sentences for item in self._issues_by_sentence.get(number, [])):
            if start <= term_start and term_end <= end and (scoped or not is_scoped):
                option = found.get(issue) or self._option(issue, term_start, term_end)
                found[issue] = option
        return list(found.items())

    def _option(self, issue: str, term_start: int, term_end: int) -> str:
        for label, start, end in self._stances_by_sentence.get(self.m.sentence_of[term_start], []):
            stance_issue, _, option = label.partition("|")
            if stance_issue == issue and term_start - 4 <= start and end <= term_end + 3:
                return option
        return lexicon().issue(issue).demand

    def _say_verbs(self, start: int, end: int, sentence: int) -> None:
        """'X said Y must ...': a demand by X on what the clause names, when a modal follows in it."""
        scope_end = self._scope_end(end, sentence)
        if any(kind == "modals" and end <= cue_start < scope_end for kind, cue_start, _ in self._cues_in.get(sentence, [])):
            self._stance("say_verbs", start, end, sentence)
