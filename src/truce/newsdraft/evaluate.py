"""Scoring the drafter against hand labels: precision and recall of actors, roles, issues and demands.

A labelled text is ``NN.txt`` with ``NN.gold.yaml`` beside it::

    actors:
      - {id: hamas, role: party}
    issues: [blockade, hostilities]
    demands:
      - {actor: hamas, issue: blockade, kind: demand}     # kind: demand or refusal

Actor ids are the gazetteer's id for an actor it lists, else the drafter's
id for a name (lower case, words joined by '-', as first written in full).
Each of the four is scored as a set per text and the counts summed over
texts (micro-averaged): precision = found and labelled / found, recall =
found and labelled / labelled. Roles count an (actor, role) pair; demands
an (actor, issue, kind) triple.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from truce.newsdraft import Reading, read_text

PARTS = ("actors", "roles", "issues", "demands")


@dataclass
class Counts:
    found: int = 0
    labelled: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, found: set, labelled: set) -> None:
        self.found += len(found)
        self.labelled += len(labelled)
        self.correct += len(found & labelled)


@dataclass
class Score:
    texts: int = 0
    counts: dict[str, Counts] = field(default_factory=lambda: {part: Counts() for part in PARTS})
    misses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "texts": self.texts,
            **{
                part: {"precision": c.precision, "recall": c.recall, "f1": c.f1, "found": c.found, "labelled": c.labelled, "correct": c.correct}
                for part, c in self.counts.items()
            },
        }


def predicted(reading: Reading) -> dict[str, set]:
    return {
        "actors": {actor.id for actor in reading.actors},
        "roles": {(actor.id, reading.roles[actor.id]) for actor in reading.actors},
        "issues": set(reading.issue_ids),
        "demands": {(a.actor, a.issue, a.kind) for a in reading.attributions},
    }


def labelled(gold: dict) -> dict[str, set]:
    actors = gold.get("actors") or []
    return {
        "actors": {actor["id"] for actor in actors},
        "roles": {(actor["id"], actor["role"]) for actor in actors},
        "issues": set(gold.get("issues") or []),
        "demands": {(d["actor"], d["issue"], d["kind"]) for d in gold.get("demands") or []},
    }


def labelled_texts(folder: Path) -> list[tuple[str, Path, Path]]:
    """(name, text file, gold file) for every NN.txt with a NN.gold.yaml beside it, by name."""
    pairs = []
    for text in sorted(folder.glob("*.txt")):
        gold = text.with_suffix(".gold.yaml")
        if gold.is_file():
            pairs.append((text.stem, text, gold))
    return pairs


def score(pairs: list[tuple[str, Path, Path]], *, pipeline: str = "blank") -> Score:
    total = Score()
    for name, text_file, gold_file in pairs:
        reading = read_text(text_file.read_text(encoding="utf-8"), pipeline=pipeline, source=str(text_file))
        found, gold = predicted(reading), labelled(yaml.safe_load(gold_file.read_text(encoding="utf-8")))
        total.texts += 1
        for part in PARTS:
            total.counts[part].add(found[part], gold[part])
            for item in sorted(map(str, found[part] - gold[part])):
                total.misses.append(f"{name} {part} extra: {item}")
            for item in sorted(map(str, gold[part] - found[part])):
                total.misses.append(f"{name} {part} missed: {item}")
    return total
