"""The spaCy pipeline of the drafter: a blank English pipeline with rules, no trained model.

``spacy.blank("en")`` gives spaCy's rule-based tokenizer; a sentencizer
splits sentences on punctuation (and here also at line breaks, so that a
heading is a sentence of its own); an EntityRuler marks the gazetteer's
actors, actors named by a demonym before a head noun ("the Egyptian
government"), organisations named by capitalised words before an
organisation word ("Port Workers Union") and places (never actors).
PhraseMatchers on lower-case words find the cue words and the issue
terms. See spaCy's "Rule-based matching" usage guide
(https://spacy.io/usage/rule-based-matching). Nothing is downloaded.

A trained pipeline (``en_core_web_sm`` or another) is used only when the
caller names one that is installed: its parser then splits sentences and
its named entities add organisations and places the gazetteer lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from truce.errors import InputError
from truce.newsdraft.lexicon import Lexicon, lexicon

BLANK = "blank"
"""The default pipeline: rules only, nothing trained, nothing downloaded."""

NOT_A_NAME = ("The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her", "Our", "In", "On",
              "At", "For", "From", "After", "Before", "While", "But", "And", "Meanwhile", "Yesterday", "Today",
              "On", "By", "With", "As", "If", "When", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
              "Saturday", "Sunday")
"""Capitalised words that start a sentence but never a name."""

CUE_KEYS = ("demand_verbs", "demand_nouns", "call_verbs", "call_nouns", "refusal_verbs", "refusal_nouns",
            "mediator_by", "mediator_verbs", "mediator_nouns", "between_words", "talk_nouns", "with_phrases",
            "party_nouns", "support_verbs", "say_verbs", "modals", "joint_verbs", "mediator_objects")


@dataclass(frozen=True)
class Pipeline:
    """A spaCy Language with the drafter's rules, and its phrase matchers."""

    nlp: object
    cues: object
    issues: object
    stance_words: object
    pronouns: object
    trained: bool


def _line_breaks(doc):
    """A line break starts a sentence (headings, paragraphs), whatever the punctuation says."""
    for previous, token in zip(doc, doc[1:]):
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


def _plural_forms(term: str) -> list[str]:
    if " " in term or "-" in term:
        return [term]
    if term.endswith(("s", "x", "ch", "sh")):
        return [term] if term.endswith("s") else [term, term + "es"]
    return [term, term[:-1] + "ies"] if term.endswith("y") and term[-2:-1] not in "aeiou" else [term, term + "s"]


def _actor_patterns(words: Lexicon) -> list[dict]:
    patterns = []
    for actor in words.actors:
        for alias in actor.aliases:
            patterns.append({"label": "ACTOR", "pattern": alias, "id": actor.id})
        if actor.capital:
            patterns.append({"label": "CAPITAL", "pattern": actor.capital, "id": actor.id})
        for adjective in actor.adjectives:
            adjective_tokens = [{"ORTH": part} for part in adjective.split()]
            patterns.append(
                {"label": "ACTOR_ADJ", "id": actor.id, "pattern": adjective_tokens + [{"LOWER": {"IN": sorted(words.heads)}}]}
            )
            patterns.append(
                {
                    "label": "ACTOR_ADJ",
                    "id": actor.id,
                    "pattern": adjective_tokens + [{"ORTH": "-"}, {"LOWER": {"IN": ["brokered", "mediated", "hosted", "led", "sponsored"]}}],
                }
            )
    for place in words.places:
        patterns.append({"label": "PLACE", "pattern": place})
    name_word = {"IS_TITLE": True, "ORTH": {"NOT_IN": list(NOT_A_NAME)}}
    joiner = {"LOWER": {"IN": ["of", "for"]}}
    heads = {"ORTH": {"IN": sorted(words.organisation_heads)}}
    patterns.append({"label": "ORG", "pattern": [dict(name_word, OP="+"), heads]})
    patterns.append({"label": "ORG", "pattern": [dict(name_word, OP="+"), heads, joiner, dict(name_word, OP="+")]})
    patterns.append({"label": "ORG", "pattern": [heads, joiner, dict(name_word, OP="+")]})
    # "Sudan People's Liberation Movement in Opposition": a possessive inside the name, "in" after its head
    possessive = [dict(name_word, OP="+"), {"ORTH": "'s"}, dict(name_word, OP="*")]
    patterns.append({"label": "ORG", "pattern": possessive + [heads]})
    patterns.append({"label": "ORG", "pattern": possessive + [heads, {"LOWER": {"IN": ["of", "for", "in"]}}, dict(name_word, OP="+")]})
    return patterns


@lru_cache(maxsize=4)
def pipeline(name: str = BLANK) -> Pipeline:
    """The drafter's pipeline: blank English with rules (default), or an installed trained one by name."""
    import spacy
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

    if "truce_line_breaks" not in Language.factories:
        Language.component("truce_line_breaks", func=_line_breaks)
    words = lexicon()
    if name == BLANK:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("truce_line_breaks")
        trained = False
    else:
        if not spacy.util.is_package(name):
            raise InputError(
                f"--pipeline {name}: no installed spaCy pipeline of that name; expected '{BLANK}' (rules only, the default) "
                "or the name of a trained pipeline installed with pip (for example en_core_web_sm)"
            )
        nlp = spacy.load(name)
        trained = True
    ruler = nlp.add_pipe("entity_ruler", before="ner" if "ner" in nlp.pipe_names else None, config={"overwrite_ents": True})
    ruler.add_patterns(_actor_patterns(words))

    def phrases(attr: str = "LOWER") -> PhraseMatcher:
        return PhraseMatcher(nlp.vocab, attr=attr)

    cues = phrases()
    for key in CUE_KEYS:
        cues.add(key, [nlp.make_doc(phrase) for phrase in words.cues.get(key, ())])
    issues = phrases()
    stance_words = phrases()
    for entry in words.issues:
        issues.add(entry.id, [nlp.make_doc(form) for term in entry.terms for form in _plural_forms(term)])
        if entry.scoped_terms:
            issues.add(f"{entry.id}|scoped", [nlp.make_doc(form) for term in entry.scoped_terms for form in _plural_forms(term)])
        for option, stance in entry.stance_words.items():
            stance_words.add(f"{entry.id}|{option}", [nlp.make_doc(word) for word in stance])
    pronouns = phrases()
    for kind, phrase_list in words.pronouns.items():
        pronouns.add(kind, [nlp.make_doc(phrase) for phrase in phrase_list])
    return Pipeline(nlp=nlp, cues=cues, issues=issues, stance_words=stance_words, pronouns=pronouns, trained=trained)
