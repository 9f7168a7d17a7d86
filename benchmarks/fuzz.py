"""The fuzz corpus (tests/fuzz/corpus.py) through every command, each run in its own forked process,
with its time and memory measured against the budget of issue 11.

    .venv/bin/python benchmarks/fuzz.py                     # every case through every command
    .venv/bin/python benchmarks/fuzz.py --commands validate,analyze --json /tmp/fuzz.json
    .venv/bin/python benchmarks/fuzz.py --sample 40        # every 40th case only (a smoke run)

Each (case, command) runs ``truce COMMAND FILE`` with small options (tests/fuzz/fuzz_cli.py's
COMMANDS) in a child forked from this process after truce and its engines are imported, so a run
costs its own work, not the start-up. A run meets the bar when it gives a result (exit 0) or exits 2
with a message naming the file, each problem's field and what was expected; it fails on a
traceback, any other exit status, a message without those, a file left behind in the case's folder
(a partial or temporary output), more than ``--seconds`` (killed) or more than ``--mib`` of memory
above the child's resident memory at the fork (the kernel's high-water mark, VmHWM, reset at the
start of the run through /proc/self/clear_refs). Prints the counts, the slowest and largest runs and
every failure; exits 1 if any run failed. Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fuzz"))

from corpus import UNREADABLE, corpus, materialise  # noqa: E402
from fuzz_cli import COMMANDS, OUTPUTS, command_line, failure, run_cli  # noqa: E402


def _status(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_one(arguments: list[str], seconds: float) -> dict:
    """Run the CLI in a forked child; its outcome, wall time and memory above the fork's."""
    reader, writer = os.pipe()
    started = time.perf_counter()
    child = os.fork()
    if child == 0:  # the child: run, report on the pipe, leave without cleanup
        os.close(reader)
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
            baseline = _status("VmRSS")
            code, _, err = run_cli(arguments)
            report = {"code": code, "err": err[-3000:], "mib": _status("VmHWM") - baseline}
        except BaseException as error:  # noqa: BLE001
            report = {"code": "harness", "err": repr(error), "mib": 0.0}
        os.write(writer, json.dumps(report).encode())
        os._exit(0)
    os.close(writer)
    chunks, deadline = [], started + seconds
    while True:
        left = deadline - time.perf_counter()
        ready, _, _ = select.select([reader], [], [], max(left, 0))
        if not ready:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            os.close(reader)
            return {"code": "timeout", "err": "", "mib": 0.0, "seconds": seconds}
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(reader)
    _, status = os.waitpid(child, 0)
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(b"".join(chunks))
    except ValueError:
        report = {"code": f"died (status {status})", "err": "", "mib": 0.0}
    report["seconds"] = elapsed
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated keys of COMMANDS (default: all)")
    parser.add_argument("--sample", type=int, default=1, help="take every Nth case (default 1: all)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget of one run (default 30 s)")
    parser.add_argument("--mib", type=float, default=512.0, help="memory budget of one run above the fork's (default 512 MiB)")
    parser.add_argument("--json", type=Path, help="write every figure and failure here")
    options = parser.parse_args()
    commands = [name for name in options.commands.split(",") if name]
    unknown = [name for name in commands if name not in COMMANDS]
    if unknown:
        parser.error(f"unknown command(s) {', '.join(unknown)}; expected some of {', '.join(COMMANDS)}")

    import truce.cli  # noqa: F401 - imported before forking, with the engines, so runs do not pay for it
    from truce.analysis import pareto  # noqa: F401
    from truce.simulate import montecarlo  # noqa: F401
    import pydantic, numpy, scipy.stats  # noqa: F401, E401

    cases = corpus()[:: options.sample]
    counts = {command: {"result": 0, "clean error": 0, "failure": 0} for command in commands}
    failures, slowest, largest = [], [], []
    root = Path(tempfile.mkdtemp(prefix="truce-fuzz-"))
    started = time.perf_counter()
    try:
        for index, (label, content) in enumerate(cases):
            folder = root / f"case{index}"
            folder.mkdir()
            path = materialise(folder, label, content)
            for command in commands:
                arguments = command_line(command, str(path), str(folder))
                before = set(os.listdir(folder))
                outcome = run_one(arguments, options.seconds)
                left = {name for name in set(os.listdir(folder)) - before if name not in OUTPUTS}
                if outcome["code"] != 0 and (folder / OUTPUTS[0]).exists():
                    left.add(OUTPUTS[0])
                timed_out = outcome["code"] == "timeout"
                problem = f"over {options.seconds:g} s (killed)" if timed_out else failure(outcome["code"], outcome["err"], str(path), "draft.yaml")
                if problem is None and left:
                    problem = f"left {sorted(left)} behind"
                if problem is None and outcome["mib"] > options.mib:
                    problem = f"{outcome['mib']:.0f} MiB, over {options.mib:g} MiB"
                kind = "failure" if problem else ("result" if outcome["code"] == 0 else "clean error")
                counts[command][kind] += 1
                slowest.append((outcome["seconds"], command, label))
                largest.append((outcome["mib"], command, label))
                if problem:
                    failures.append({"case": label, "command": command, "problem": problem, "err": outcome["err"][-600:]})
                    print(f"FAIL {command} {label}: {problem}\n  {outcome['err'][-300:]!r}", flush=True)
                for name in OUTPUTS:
                    (folder / name).unlink(missing_ok=True)
            if content == UNREADABLE:
                path.chmod(0o600)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    elapsed = time.perf_counter() - started

    total = {kind: sum(row[kind] for row in counts.values()) for kind in ("result", "clean error", "failure")}
    print(f"\n{len(cases)} cases x {len(commands)} commands = {sum(total.values())} runs in {elapsed:.0f} s "
          f"(budget per run: {options.seconds:g} s, {options.mib:g} MiB above the fork)")
    print(f"{'command':<14} {'result':>7} {'clean error':>12} {'failure':>8}")
    for command, row in counts.items():
        print(f"{command:<14} {row['result']:>7} {row['clean error']:>12} {row['failure']:>8}")
    print(f"{'all':<14} {total['result']:>7} {total['clean error']:>12} {total['failure']:>8}")
    slowest.sort(reverse=True)
    largest.sort(reverse=True)
    print("slowest runs: " + "; ".join(f"{s:.2f} s {c} {label}" for s, c, label in slowest[:5]))
    print("largest runs: " + "; ".join(f"{m:.0f} MiB {c} {label}" for m, c, label in largest[:5]))
    if options.json:
        options.json.write_text(json.dumps({
            "cases": len(cases), "commands": commands, "counts": counts, "total": total, "seconds": elapsed,
            "max_seconds": slowest[0][0] if slowest else 0, "max_mib": largest[0][0] if largest else 0,
            "slowest": slowest[:20], "largest": largest[:20], "failures": failures,
            "budget": {"seconds": options.seconds, "mib": options.mib},
        }, indent=2))
    return 1 if total["failure"] else 0


if __name__ == "__main__":
    sys.exit(main())
