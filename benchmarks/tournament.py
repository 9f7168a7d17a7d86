"""Tournament throughput: `truce tournament` against NegMAS's `cartesian_tournament`, whole process (issue 14).

    bash benchmarks/run.sh tournament [--quick] [--seed N] [--domains N] [--repetitions N] [--json PATH]

The same field of strategies on the same domains at the same number of rounds, in both tools:

* strategies, truce (label) and NegMAS (0.16.0, ``negmas.gb.negotiators``): ``boulware``,
  ``time-dependent:e=0.25,offer=target`` and ``BoulwareTBNegotiator`` (aspiration ``1 - t^4``:
  truce's ``(t/T)^(1/e)`` with e = 0.25, offering the package closest above the target, as NegMAS's
  inverter does); ``linear``, e = 1, ``LinearTBNegotiator``; ``conceder``, e = 4,
  ``ConcederTBNegotiator`` (``1 - t^0.25``); ``tit-for-tat``, truce's relative tit-for-tat and
  ``NaiveTitForTatNegotiator`` (both mirror the opponent's concession; the rules differ in detail);
  ``hardliner``, truce's and ``ToughNegotiator`` (offers and accepts only its best);
* domains: seeded random bilateral linear-additive problems of 3 issues x 10 options (1,000
  outcomes; ``simulate_cases.make_problem``: values U(0, 1) rescaled to [0, 1] per party and issue,
  flat Dirichlet weights, reservation value 0), written as truce scenario files (categorical issues
  with each party's values) and built as NegMAS ``Scenario``s with ``LinearAdditiveUtilityFunction``s;
  NegMAS 0.16.0 as installed ships no ANAC domains (``negmas/scenarios`` holds only its loader);
* rounds: 100; NegMAS with ``one_offer_per_step=True`` (a step is one offer, as a truce round is);
* matches: every ordered pair of strategies with self-play, so each pair plays both role assignments
  (truce ``assignments: all``; NegMAS's cartesian product of competitors, ``self_play=True``, with
  ``rotate_ufuns=False``: rotating as well would play every assignment twice), ``repetitions``
  negotiations each: the same negotiations in both tools;
  NegMAS serial (``njobs=-1``, in-process), truce as it runs (one process, its chunk threads).

Each tool runs as its own process (``truce tournament SPEC --json`` and this file with ``--negmas-side``),
timed from start to exit (wall clock; CPU from ``resource.getrusage(RUSAGE_CHILDREN)``), so start-up,
imports and set-up count. Throughput is negotiations per second of wall time. The rankings are
compared by mean utility per strategy (NegMAS's ``scores`` table's ``utility``), with Kendall's tau.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from simulate_cases import Setting, make_problem  # noqa: E402

ROUNDS = 100
STRATEGIES = (
    ("boulware", "time-dependent:e=0.25,offer=target", "BoulwareTBNegotiator"),
    ("linear", "time-dependent:e=1,offer=target", "LinearTBNegotiator"),
    ("conceder", "time-dependent:e=4,offer=target", "ConcederTBNegotiator"),
    ("tit-for-tat", "tit-for-tat", "NaiveTitForTatNegotiator"),
    ("hardliner", "hardliner", "ToughNegotiator"),
)
FULL = {"domains": 4, "repetitions": 20}
QUICK = {"domains": 2, "repetitions": 2}


def write_domains(folder: Path, domains: int, seed: int) -> list[str]:
    """Each domain as a truce scenario file and as JSON arrays for the NegMAS side; returns the scenario file names."""
    setting = Setting("t", n_parties=2, n_issues=3, problems=domains, negmas_per_problem=0, truce_runs=0)
    names = []
    for index in range(domains):
        problem = make_problem(setting, index, seed)
        name = f"domain{index}"
        (folder / f"{name}.json").write_text(json.dumps({"values": [v.tolist() for v in problem.values], "weights": problem.weights.tolist()}))
        (folder / f"{name}.yaml").write_text(scenario_text(name, problem.values, problem.weights))
        names.append(f"{name}.yaml")
    return names


def scenario_text(name: str, values, weights) -> str:
    """A truce scenario: two parties, categorical issues o0..o9 with each party's value of each option."""
    lines = [f"name: {name}", f"rounds: {ROUNDS}", "actors:"]
    for party in range(weights.shape[0]):
        lines += [f"  - id: p{party}", f"    name: P{party}", "    role: party", "    reservation: 0", "    cost_of_delay: 0", "    stances:"]
        for j, table in enumerate(values):
            best = int(np.argmax(table[:, party]))
            worth = ", ".join(f"o{k}: {float(v)!r}" for k, v in enumerate(table[:, party]))
            lines.append(f"      issue{j}: {{position: o{best}, salience: {float(weights[party, j])!r}, values: {{{worth}}}}}")
    lines.append("issues:")
    for j, table in enumerate(values):
        options = ", ".join(f"o{k}" for k in range(len(table)))
        lines.append(f"  - {{id: issue{j}, name: Issue {j}, kind: categorical, options: [{options}]}}")
    return "\n".join(lines) + "\n"


def spec_text(scenarios: list[str], repetitions: int, seed: int) -> str:
    strategies = "\n".join(f"  - {{strategy: '{text.split(':')[0]}', parameters: {parameters(text)}, label: {label}}}" for label, text, _ in STRATEGIES)
    return (f"name: Benchmark\nstrategies:\n{strategies}\nscenarios: [{', '.join(scenarios)}]\nrepetitions: {repetitions}\n"
            f"seed: {seed}\nrounds: {ROUNDS}\nnoise: 0\n")


def parameters(text: str) -> str:
    _, _, arguments = text.partition(":")
    pairs = [item.split("=") for item in filter(None, arguments.split(","))]
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


def timed(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, its standard output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TRUCE_MAX_SECONDS": "0"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, finished.stdout


def negmas_side(folder: Path, repetitions: int) -> None:
    """Run in its own process: NegMAS's cartesian tournament on the domains; print JSON (mean utility per strategy, time inside)."""
    import warnings

    warnings.simplefilter("ignore")
    started = time.perf_counter()
    from negmas.gb import negotiators as gb
    from negmas.inout import Scenario
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.sao import SAOMechanism
    from negmas.tournaments.neg import cartesian_tournament

    scenarios = []
    for path in sorted(folder.glob("domain*.json")):
        data = json.loads(path.read_text())
        values, weights = [np.asarray(v) for v in data["values"]], np.asarray(data["weights"])
        issues = [make_issue(len(table), name=f"issue{j}") for j, table in enumerate(values)]
        space = make_os(issues, name=path.stem)
        ufuns = tuple(
            LinearAdditiveUtilityFunction(values=[{k: float(v) for k, v in enumerate(table[:, p])} for table in values],
                                          weights=[float(w) for w in weights[p]], outcome_space=space, reserved_value=0.0)
            for p in range(weights.shape[0])
        )
        scenarios.append(Scenario(outcome_space=space, ufuns=ufuns, mechanism_type=SAOMechanism, mechanism_params={}))
    inside = time.perf_counter()
    results = cartesian_tournament(
        competitors=[getattr(gb, name) for _, _, name in STRATEGIES], competitor_names=[label for label, _, _ in STRATEGIES],
        scenarios=scenarios, n_repetitions=repetitions, n_steps=ROUNDS, mechanism_params={"one_offer_per_step": True},
        rotate_ufuns=False, self_play=True, njobs=-1, path=None, verbosity=0,
    )
    done = time.perf_counter()
    scores = results.scores
    column = "strategy" if "strategy" in scores.columns else "agent_type"
    means = scores.groupby(column)["utility"].mean().to_dict()
    seats: dict[str, list[bool]] = {}
    for partners, agreement in zip(results.details["partners"], results.details["agreement"]):
        for partner in partners:
            seats.setdefault(partner, []).append(agreement is not None)
    print("\n" + json.dumps({"negotiations": len(results.details), "mean_utility": means, "tournament_seconds": done - inside,
                      "setup_seconds": inside - started, "agreement_rate": {s: float(np.mean(a)) for s, a in seats.items()}}))


def kendall(first: list[str], second: list[str]) -> float:
    from scipy.stats import kendalltau

    return float(kendalltau([first.index(s) for s in first], [second.index(s) for s in first]).statistic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--domains", type=int)
    parser.add_argument("--repetitions", type=int)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="Copy the domains and the spec to this folder (to time them again as a whole process, e.g. with /usr/bin/time -v).")
    parser.add_argument("--negmas-side", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    size = QUICK if arguments.quick else FULL
    repetitions = arguments.repetitions or size["repetitions"]
    if arguments.negmas_side is not None:
        negmas_side(arguments.negmas_side, repetitions)
        return
    domains = arguments.domains or size["domains"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        scenarios = write_domains(folder, domains, arguments.seed)
        (folder / "spec.yaml").write_text(spec_text(scenarios, repetitions, arguments.seed))
        truce = Path(sys.executable).with_name("truce")
        truce_wall, truce_cpu, out = timed([str(truce), "tournament", str(folder / "spec.yaml"), "--json"])
        truce_result = json.loads(out)
        if arguments.keep:
            import shutil

            shutil.copytree(folder, arguments.keep, dirs_exist_ok=True)
        negmas_wall, negmas_cpu, out = timed([sys.executable, __file__, "--negmas-side", str(folder), "--repetitions", str(repetitions)])
        negmas_result = json.loads(out.strip().splitlines()[-1])
    truce_negotiations = truce_result["negotiations"]
    truce_ranking = [entry["label"] for entry in truce_result["ranking"]]
    negmas_ranking = sorted(negmas_result["mean_utility"], key=lambda s: -negmas_result["mean_utility"][s])
    report = {
        "conditions": {"domains": domains, "outcomes_per_domain": 1000, "strategies": [s[0] for s in STRATEGIES], "rounds": ROUNDS,
                       "repetitions": repetitions, "seed": arguments.seed, "cores": os.cpu_count(), "load_average": os.getloadavg()[0]},
        "truce": {"negotiations": truce_negotiations, "wall_seconds": truce_wall, "cpu_seconds": truce_cpu,
                  "negotiations_per_second": truce_negotiations / truce_wall, "ranking": truce_ranking,
                  "mean_utility": {e["label"]: e["utility"]["mean"] for e in truce_result["ranking"]},
                  "agreement_rate": {e["label"]: e["agreement"]["mean"] for e in truce_result["ranking"]}},
        "negmas": {"negotiations": negmas_result["negotiations"], "wall_seconds": negmas_wall, "cpu_seconds": negmas_cpu,
                   "negotiations_per_second": negmas_result["negotiations"] / negmas_wall, "ranking": negmas_ranking,
                   "mean_utility": negmas_result["mean_utility"], "tournament_seconds_inside": negmas_result["tournament_seconds"],
                   "agreement_rate": negmas_result["agreement_rate"]},
    }
    report["speedup"] = report["truce"]["negotiations_per_second"] / report["negmas"]["negotiations_per_second"]
    report["kendall_tau"] = kendall(truce_ranking, negmas_ranking)
    print(f"{domains} domains x {len(STRATEGIES)}^2 ordered pairs x {repetitions} repetitions, {ROUNDS} rounds")
    for tool in ("truce", "negmas"):
        entry = report[tool]
        print(f"{tool:>6}: {entry['negotiations']:,} negotiations in {entry['wall_seconds']:.2f} s wall ({entry['cpu_seconds']:.2f} s CPU): "
              f"{entry['negotiations_per_second']:,.0f} negotiations/s; ranking {', '.join(entry['ranking'])}")
        print("        mean utility: " + ", ".join(f"{s} {u:.3f}" for s, u in sorted(entry["mean_utility"].items(), key=lambda item: -item[1])))
        print("        agreement rate: " + ", ".join(f"{s} {entry['agreement_rate'][s]:.0%}" for s in entry["ranking"]))
    print(f"truce / NegMAS throughput: {report['speedup']:.1f}x; Kendall's tau of the rankings: {report['kendall_tau']:.2f}")
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
