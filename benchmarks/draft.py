"""Precision and recall of `truce draft` on the labelled news texts (issue 16).

    .venv/bin/python benchmarks/draft.py [--folder tests/data/draft] [--split 12] [--misses] [--json PATH] [--pipeline blank]

Reads every NN.txt that has an NN.gold.yaml beside it, drafts it with the
rules and scores actors, roles, issues and attributed demands (see
truce.newsdraft.evaluate for the definitions). Prints the table for all
texts, for the development texts (names <= --split, the ones the rules were
tuned on) and for the held-out ones (the others); --misses lists every
extra and missed item.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from truce.newsdraft.evaluate import PARTS, labelled_texts, score

REPO = Path(__file__).resolve().parents[1]


def table(title: str, result) -> str:
    lines = [f"{title} ({result.texts} texts)", "| part | precision | recall | F1 | found | labelled | correct |", "|---|---|---|---|---|---|---|"]
    for part in PARTS:
        c = result.counts[part]
        lines.append(f"| {part} | {c.precision:.2f} | {c.recall:.2f} | {c.f1:.2f} | {c.found} | {c.labelled} | {c.correct} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=REPO / "tests" / "data" / "draft")
    parser.add_argument("--split", type=int, default=12, help="texts numbered up to this are the development set")
    parser.add_argument("--misses", action="store_true", help="list every extra and missed item")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--pipeline", default="blank")
    args = parser.parse_args()

    pairs = labelled_texts(args.folder)
    started = time.perf_counter()
    everything = score(pairs, pipeline=args.pipeline)
    seconds = time.perf_counter() - started
    development = score([p for p in pairs if int(p[0]) <= args.split], pipeline=args.pipeline)
    held_out = score([p for p in pairs if int(p[0]) > args.split], pipeline=args.pipeline)
    print(table("All labelled texts", everything))
    print()
    print(table(f"Development texts (00-{args.split:02d})", development))
    print()
    print(table(f"Held-out texts ({args.split + 1:02d}-)", held_out))
    print(f"\npipeline {args.pipeline}; {everything.texts} texts drafted in {seconds:.1f} s (including loading spaCy)")
    if args.misses:
        print("\n".join(["", *everything.misses]))
    if args.json:
        args.json.write_text(json.dumps({"all": everything.to_dict(), "development": development.to_dict(), "held_out": held_out.to_dict()}, indent=2))


if __name__ == "__main__":
    main()
