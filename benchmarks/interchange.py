"""Benchmark: GENIUS domains read by truce and by NegMAS give the same Pareto frontier and Nash point.

Claim checked
-------------
`truce import` reads a GENIUS domain and its profiles with GENIUS's own semantics (a discrete value
is worth its evaluation over the issue's highest evaluation: genius.core.utility.EvaluatorDiscrete),
and truce's exact frontier and Nash point of the imported scenario are those NegMAS finds on the
same files, on every domain; and the import time of each side, per domain, side by side (CPU time of
reading the files into the object each side analyses: truce's read, validation and compilation to
arrays; NegMAS's ``Scenario.from_genius_folder``).

Domains
-------
NegMAS 0.16.0 ships no GENIUS domains: its wheel and its sdist have no ``tests/data`` (its
docstrings refer to ``tests/data/Laptop``, which is not in either), and ``negmas/scenarios`` holds
only an ``__init__.py``. The benchmark therefore uses

* ``anac-like-*``: seeded random domains written here as GENIUS XML in the shape of the classic
  ANAC domains (3 to 8 discrete issues of 3 to 6 values; per-value evaluations that are whole
  numbers 1 to 10, as the ANAC profiles have, so that the normalisation matters; weights with two
  decimals summing to 1; reservation values and discount factors), written by this script, not by
  truce; and
* ``builtin-*``: truce's built-in scenarios written by ``truce export --to genius``, which checks
  truce's writer against NegMAS's reader.

NegMAS side
-----------
``negmas.inout.Scenario.from_genius_folder(folder, ignore_discount=True)`` reads the files. NegMAS
takes a discrete evaluation as it is written, not divided by the issue's highest (its Laptop
docstring gives utilities of about 22), so the benchmark applies GENIUS's rule to NegMAS's parsed
value tables (each divided by its maximum) before ``negmas.preferences.pareto_frontier`` and
``nash_points`` (with each party's range starting at its reservation value, truce's disagreement
point). NegMAS's frontier holds only outcomes every party weakly prefers to no deal, so truce's
frontier is compared cut at the reservation values (a dominator of such an outcome is one too). It also reports on how many domains NegMAS's frontier as read (without the rule) differs.

The classic ANAC domains themselves (Laptop, ItexvsCypress, England-Zimbabwe, ...) are not on PyPI:
negmas 0.9.8 (sdist), 0.11.3 and 0.16.0 (wheels), anl 0.1.13 and negmas-genius-agents 0.3.0 ship no
domain files, and this machine reaches no other source. Where you have them, add them with
``--domains DIR...`` (GENIUS's ``etc/templates`` folders, or a folder of them): they are read and
compared like the others.

Run with ``bash benchmarks/run.sh interchange [--quick] [--seed N] [--repeats N] [--json PATH] [--domains DIR...]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np

from truce.interchange import export_scenario, import_scenario
from truce.scenario import load
from truce.scenario.loading import validate

SHAPES = [(3, 3, 5), (4, 3, 5), (5, 3, 5), (4, 4, 6), (6, 3, 5), (6, 4, 6), (7, 3, 5), (7, 4, 6), (8, 3, 5), (8, 3, 4)]
"""(issues, fewest values, most values) of the ANAC-like domains, from Laptop-sized to about 10^5 outcomes."""
QUICK_SHAPES = SHAPES[:4]
BUILTINS = ("two-issue-trade", "three-party-truce", "gaza-2012-11", "gaza-2021-05", "gaza-2014-08")


def write_anac_like(folder: Path, rng: np.random.Generator, issues: int, low: int, high: int) -> None:
    """A GENIUS domain and two profiles, written as the ANAC files are (plain templates, not truce's writer)."""
    folder.mkdir(parents=True)
    sizes = rng.integers(low, high + 1, size=issues)
    names = [f"Issue{j + 1}" for j in range(issues)]
    values = [[f"v{j + 1}_{k + 1}" for k in range(size)] for j, size in enumerate(sizes)]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<negotiation_template>", f'<utility_space number_of_issues="{issues}">',
             f'<objective index="0" etype="objective" type="objective" description="" name="{folder.name}">']
    for j, (name, options) in enumerate(zip(names, values), 1):
        lines.append(f'<issue name="{name}" index="{j}" etype="discrete" type="discrete" vtype="discrete">')
        lines += [f'<item index="{k}" value="{v}" cost="0" description=""/>' for k, v in enumerate(options, 1)]
        lines.append("</issue>")
    lines += ["</objective>", "</utility_space>", "</negotiation_template>"]
    (folder / f"{folder.name}_domain.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for party in ("A", "B"):
        cents = rng.multinomial(100 - issues, np.ones(issues) / issues) + 1  # weights of two decimals, each >= 0.01
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<utility_space number_of_issues="{issues}">',
                 f'<objective index="0" etype="objective" type="objective" description="" name="{folder.name}">']
        for j, (name, options) in enumerate(zip(names, values), 1):
            lines.append(f'<issue name="{name}" index="{j}" etype="discrete" type="discrete" vtype="discrete">')
            lines += [f'<item index="{k}" value="{v}" evaluation="{int(e)}"/>' for k, (v, e) in enumerate(zip(options, rng.integers(1, 11, len(options))), 1)]
            lines.append("</issue>")
            lines.append(f'<weight index="{j}" value="{cents[j - 1] / 100:.2f}"/>')
        lines += ["</objective>", f'<reservation value="{rng.choice([0.0, 0.25, 0.4, 0.5]):g}"/>',
                  f'<discount_factor value="{rng.choice([1.0, 0.9, 0.75]):g}"/>', "</utility_space>"]
        (folder / f"{folder.name}_{party}.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def truce_import(folder: Path):
    """truce's import as the CLI does it: read the files, validate the scenario, compile it."""
    data, _ = import_scenario(folder)
    return validate(data, source=str(folder)).compile()


def truce_answers(problem):
    nash = problem.nash_point()
    frontier = problem.pareto().utilities
    # NegMAS's pareto_frontier keeps the outcomes every party weakly prefers to no deal; a dominator of
    # such an outcome is one too, so that set is truce's frontier cut at the reservation values
    rational = frontier[(frontier >= problem.reservation - 1e-12).all(axis=1)]
    return rational, None if nash is None else nash.utilities


def negmas_import(folder: Path):
    from negmas.inout import Scenario

    return Scenario.from_genius_folder(folder, ignore_discount=True)


def negmas_answers(scenario, genius_rule: bool):
    from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier
    from negmas.preferences.value_fun import TableFun

    ufuns = list(scenario.ufuns)
    if genius_rule:  # GENIUS's EvaluatorDiscrete: evaluation / the issue's highest evaluation
        ufuns = [
            LinearAdditiveUtilityFunction(
                values=[TableFun({k: v / max(f.mapping.values()) for k, v in f.mapping.items()}) for f in u.values],
                weights=list(u.weights), outcome_space=scenario.outcome_space, reserved_value=u.reserved_value,
            )
            for u in ufuns
        ]
    frontier, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues)
    ranges = [(float(u.reserved_value), float(u.minmax(scenario.outcome_space)[1])) for u in ufuns]
    nash = nash_points(ufuns, frontier, ranges=ranges, outcome_space=scenario.outcome_space)
    return np.array(frontier, dtype=float), [np.array(point) for point, _ in nash]


def timed(function, folder: Path, repeats: int) -> tuple[float, object]:
    """The median CPU time of ``repeats`` calls (CPU, not wall: the shared machine's load would swamp
    millisecond wall times), and the last result."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        result = function(folder)
        times.append(time.process_time() - started)
    return statistics.median(times), result


def same_points(a: np.ndarray, b: np.ndarray) -> bool:
    rows = lambda points: sorted({tuple(np.round(p, 9)) for p in points})  # noqa: E731
    return rows(a) == rows(b)


def given_domains(paths: list[Path]) -> list[Path]:
    """The GENIUS folders among ``paths``: a folder with XML files is one domain; otherwise each of its
    sub-folders with XML files is."""
    found = []
    for path in paths:
        if not path.is_dir():
            raise SystemExit(f"--domains: {path} is not a folder")
        has_xml = lambda folder: any(p.suffix.lower() == ".xml" for p in folder.iterdir())  # noqa: E731
        found += [path] if has_xml(path) else sorted(p for p in path.iterdir() if p.is_dir() and has_xml(p))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the four smallest ANAC-like domains and the built-ins")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=20, help="imports timed per side and domain; the median is reported")
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--domains", nargs="+", type=Path, default=[], metavar="DIR",
                        help="GENIUS folders to add (a domain file and its profiles each; a folder of such folders is "
                             "searched one level down), e.g. the classic ANAC domains where you have them")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    rng = np.random.default_rng(args.seed)
    rows, failures = [], 0
    with tempfile.TemporaryDirectory() as scratch:
        folders = []
        for number, shape in enumerate(QUICK_SHAPES if args.quick else SHAPES, 1):
            folder = Path(scratch) / f"anac-like-{number}"
            write_anac_like(folder, rng, *shape)
            folders.append(folder)
        for name in BUILTINS:
            folder = Path(scratch) / f"builtin-{name}"
            folder.mkdir()
            for file, text in export_scenario(load(name), "genius")[0].items():
                (folder / file).write_text(text, encoding="utf-8")
            folders.append(folder)
        folders += given_domains(args.domains)
        for folder in folders:
            truce_seconds, problem = timed(truce_import, folder, args.repeats)
            negmas_seconds, negmas_scenario = timed(negmas_import, folder, args.repeats)
            frontier, nash = truce_answers(problem)
            if not all(hasattr(f, "mapping") for u in negmas_scenario.ufuns for f in u.values):
                # NegMAS reads GENIUS's integer and real evaluators as a slope through the origin (LinearFun),
                # not GENIUS's offset + slope (x - lowerbound): nothing to compare on such a domain
                print(f"{folder.name}: skipped, it has integer or real issues, which NegMAS reads differently from GENIUS", file=sys.stderr)
                continue
            negmas_frontier, negmas_nash = negmas_answers(negmas_scenario, genius_rule=True)
            raw_frontier, _ = negmas_answers(negmas_scenario, genius_rule=False)
            frontier_same = same_points(frontier, negmas_frontier)
            nash_same = (nash is None and not negmas_nash) or (nash is not None and any(np.allclose(nash, p, atol=1e-9) for p in negmas_nash))
            failures += not (frontier_same and nash_same)
            rows.append({
                "domain": folder.name, "outcomes": problem.n_outcomes, "frontier_points": len(frontier),
                "frontier_same": frontier_same, "nash_same": nash_same,
                "raw_negmas_frontier_same": same_points(frontier, raw_frontier),
                "truce_import_cpu_ms": 1000 * truce_seconds, "negmas_import_cpu_ms": 1000 * negmas_seconds,
            })
    print(f"{'domain':<28} {'outcomes':>9} {'frontier':>8} {'same frontier':>13} {'same Nash':>9} {'NegMAS as read':>14} {'truce CPU ms':>12} {'NegMAS CPU ms':>13}")
    for row in rows:
        print(f"{row['domain']:<28} {row['outcomes']:>9,} {row['frontier_points']:>8} {str(row['frontier_same']):>13} {str(row['nash_same']):>9} "
              f"{'same' if row['raw_negmas_frontier_same'] else 'differs':>14} {row['truce_import_cpu_ms']:>12.2f} {row['negmas_import_cpu_ms']:>13.2f}")
    print(f"{len(rows) - failures} of {len(rows)} domains with the same frontier and Nash point; "
          f"NegMAS's frontier as read (no per-issue rule) differs on {sum(not r['raw_negmas_frontier_same'] for r in rows)}")
    if args.json:
        meta = {"python": platform.python_version(), "negmas": metadata.version("negmas"), "seed": args.seed, "repeats": args.repeats}
        Path(args.json).write_text(json.dumps({"meta": meta, "domains": rows}, indent=2) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
