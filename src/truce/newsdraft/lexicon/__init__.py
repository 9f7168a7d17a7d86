"""The drafter's word lists: the gazetteer, the issue vocabulary and the cue words.

They are data files the project owns (the ``*.yaml`` files beside this
module), read once. Each list is plain data so that a reader can check
what the drafter knows, and every rule applies to every actor alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_PACKAGE = "truce.newsdraft.lexicon"


@dataclass(frozen=True)
class KnownActor:
    """An actor of the gazetteer: its id and name, the phrases that name it and its demonyms."""

    id: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capital: str | None = None


@dataclass(frozen=True)
class IssueEntry:
    """One issue of the vocabulary, with its options from least to most change."""

    id: str
    name: str
    codes: str
    ceasefire: bool
    options: tuple[str, ...]
    demand: str
    refusal: str
    terms: tuple[str, ...]
    scoped_terms: tuple[str, ...] = ()
    stance_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    provisions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_before: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    actors: tuple[KnownActor, ...]
    heads: frozenset[str]
    places: tuple[str, ...]
    organisation_heads: frozenset[str]
    issues: tuple[IssueEntry, ...]
    cues: dict[str, tuple[str, ...]]
    pronouns: dict[str, tuple[str, ...]]

    def issue(self, issue_id: str) -> IssueEntry:
        return next(entry for entry in self.issues if entry.id == issue_id)


class LexiconError(Exception):
    """A lexicon file does not have the expected shape (a bug in the shipped data, not the user's input)."""


def _read(name: str) -> dict:
    data = yaml.safe_load((resources.files(_PACKAGE) / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon/{name}: expected a mapping at the top level")
    return data


def _words(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise LexiconError(f"{where}.{key}: expected a list of non-empty strings")
    return tuple(value)


def _issue(entry: dict, index: int) -> IssueEntry:
    where = f"lexicon/issues.yaml: issues[{index}]"
    options = _words(entry, "options", where)
    for key in ("demand", "refusal"):
        if entry.get(key) not in options:
            raise LexiconError(f"{where}.{key}: expected one of the options {list(options)}")
    stance_words = {option: _words(entry["stance_words"], option, where) for option in entry.get("stance_words", {})}
    provisions = {option: _words(entry["provisions"], option, where) for option in entry.get("provisions", {})}
    for option in (*stance_words, *provisions):
        if option not in options:
            raise LexiconError(f"{where}: option '{option}' is not one of {list(options)}")
    return IssueEntry(
        id=entry["id"],
        name=entry["name"],
        codes=entry.get("codes", ""),
        ceasefire=bool(entry.get("ceasefire", False)),
        options=options,
        demand=entry["demand"],
        refusal=entry["refusal"],
        terms=_words(entry, "terms", where),
        scoped_terms=_words(entry, "scoped_terms", where),
        stance_words=stance_words,
        provisions=provisions,
        not_before=frozenset(_words(entry, "not_before", where)),
        not_after=frozenset(_words(entry, "not_after", where)),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, read once."""
    actors_file, issues_file, cues_file = _read("actors.yaml"), _read("issues.yaml"), _read("cues.yaml")
    actors = tuple(
        KnownActor(
            id=entry["id"],
            name=entry["name"],
            aliases=_words(entry, "aliases", f"lexicon/actors.yaml: actors[{index}]"),
            adjectives=_words(entry, "adjectives", f"lexicon/actors.yaml: actors[{index}]"),
            capital=entry.get("capital"),
        )
        for index, entry in enumerate(actors_file["actors"])
    )
    if len({actor.id for actor in actors}) != len(actors):
        raise LexiconError("lexicon/actors.yaml: actor ids must be unique")
    pronouns = cues_file.get("pronouns", {})
    cues = {key: _words(cues_file, key, "lexicon/cues.yaml") for key in cues_file if key != "pronouns"}
    return Lexicon(
        actors=actors,
        heads=frozenset(_words(actors_file, "heads", "lexicon/actors.yaml")),
        places=_words(actors_file, "places", "lexicon/actors.yaml"),
        organisation_heads=frozenset(_words(actors_file, "organisation_heads", "lexicon/actors.yaml")),
        issues=tuple(_issue(entry, index) for index, entry in enumerate(issues_file["issues"])),
        cues=cues,
        pronouns={kind: _words(pronouns, kind, "lexicon/cues.yaml: pronouns") for kind in ("singular", "plural", "parties", "mediators")},
    )
