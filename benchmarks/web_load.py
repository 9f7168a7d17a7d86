"""A bounded loopback load test of `truce serve` (issues 11 and 18): many clients at once for a fixed
time, the latency of a cheap GET, and the server's memory before, during and after.

    .venv/bin/python benchmarks/web_load.py                       # 20 clients, 30 s, then 6 reports
    .venv/bin/python benchmarks/web_load.py --clients 5 --seconds 5 --reports 2 --json /tmp/load.json

Starts ``truce serve`` on a free port of 127.0.0.1 with a token (as a user would), then

0. sends ``--warm-up`` reports (default 1) alone: the first report of a process imports the engines'
   libraries (scipy.stats, numba, lifelines, SALib: about 950 modules) and compiles the numba
   kernels, about 280 MiB that stay for the life of the process whatever the load;
1. ``--clients`` threads, each with its own connection, send ``GET /api/scenarios`` (a cheap GET:
   the built-in scenarios' names) as fast as the answers come, for ``--seconds``;
2. the same clients go on while ``--reports`` reports of the flagship (``POST /api/report``, 200 runs
   each, from three clients at a time: the server's per-client job limit) are written;
3. the server idles for ``--settle`` seconds.

It prints the GET latency percentiles of phases 1 and 2, the request rate, every answer that was not
200 (a 429 for a report over the job limit is counted apart), and the server's resident memory
(VmRSS of its process, /proc) at start, after the warm-up, after phase 1, at the end of phase 2 and
after idling. Exits 1 if a target fails: GET p99 under ``--p99-ms`` in phase 1, no server error, and
memory after idling within ``--return-mib`` of what it was after phase 1 (memory returns once the
reports are done; with ``--warm-up 0`` phase 1 is cold, and the libraries' load counts as not
returned). Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Clients:
    """``count`` threads sending the cheap GET until stopped; latencies per phase."""

    def __init__(self, base: str, token: str, count: int):
        self.base, self.token, self.count = base, token, count
        self.phase = "get"
        self.latencies: dict[str, list[float]] = {"get": [], "reports": []}
        self.statuses: dict[int, int] = {}
        self.failures = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=60) as http:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    status = http.get("/api/scenarios").status_code
                except httpx.HTTPError:
                    status = -1
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.latencies[self.phase].append(elapsed)
                    self.statuses[status] = self.statuses.get(status, 0) + 1

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def send_reports(base: str, token: str, reports: int, body: dict) -> dict[int, int]:
    """``reports`` reports, three at a time (the per-client job limit); their status codes counted."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http:
            status = http.post("/api/report", json=body).status_code
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    for first in range(0, reports, 3):
        batch = [threading.Thread(target=one) for _ in range(min(3, reports - first))]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join()
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--reports", type=int, default=6)
    parser.add_argument("--warm-up", type=int, default=1, help="reports sent alone before phase 1 (default 1)")
    parser.add_argument("--report-runs", type=int, default=200)
    parser.add_argument("--settle", type=float, default=10.0)
    parser.add_argument("--p99-ms", type=float, default=250.0, help="target: GET p99 in phase 1 (default 250 ms)")
    parser.add_argument("--return-mib", type=float, default=64.0, help="target: memory after idling within this of phase 1's (default 64 MiB)")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()

    token, port = secrets.token_urlsafe(16), free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "truce", "serve", "--host", "127.0.0.1", "--port", str(port), "--token", token],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/limits", headers={"Authorization": f"Bearer {token}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        from truce.scenario import load

        body = {"scenario": load("gaza-ceasefire").model_dump(mode="json", exclude_none=True), "runs": options.report_runs, "seed": 0}
        memory = {"start": rss_mib(server.pid)}
        if options.warm_up:
            send_reports(base, token, options.warm_up, body)
            memory["after warm-up"] = rss_mib(server.pid)
        clients = Clients(base, token, options.clients)
        started = time.perf_counter()
        clients.start()
        time.sleep(options.seconds)
        get_seconds = time.perf_counter() - started
        memory["after GETs"] = rss_mib(server.pid)
        clients.phase = "reports"
        began = time.perf_counter()
        report_statuses = send_reports(base, token, options.reports, body)
        report_seconds = time.perf_counter() - began
        memory["after reports"] = rss_mib(server.pid)
        clients.finish()
        time.sleep(options.settle)
        memory["after idling"] = rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    get, during = clients.latencies["get"], clients.latencies["reports"]
    figures = {
        "clients": options.clients, "seconds": options.seconds, "reports": options.reports, "report_runs": options.report_runs,
        "get_requests": len(get), "get_per_second": len(get) / get_seconds,
        "get_ms": {name: percentile(get, share) * 1000 for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))},
        "during_reports_ms": {name: percentile(during, share) * 1000 for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))},
        "during_requests": len(during), "report_seconds": report_seconds,
        "statuses": clients.statuses, "report_statuses": report_statuses, "memory_mib": memory,
        "load_average": os.getloadavg(), "mean_ms": statistics.fmean(get) * 1000 if get else float("nan"),
    }
    server_errors = sum(count for status, count in {**clients.statuses, **report_statuses}.items() if status >= 500 or status < 0)
    targets = {
        f"GET p99 < {options.p99_ms:g} ms (phase 1)": figures["get_ms"]["p99"] < options.p99_ms,
        "no server error or dropped connection": server_errors == 0,
        f"memory after idling within {options.return_mib:g} MiB of after the GETs": memory["after idling"] - memory["after GETs"] <= options.return_mib,
    }
    print(f"{options.clients} clients, GET /api/scenarios for {options.seconds:g} s: {len(get):,} requests, {figures['get_per_second']:,.0f}/s")
    print("  latency ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures["get_ms"].items()))
    print(f"while {options.reports} reports ({options.report_runs} runs, 3 at a time) took {report_seconds:.1f} s: {len(during):,} GETs")
    print("  latency ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures["during_reports_ms"].items()))
    print(f"answers: GET {clients.statuses}, reports {report_statuses}")
    print("server memory (VmRSS, MiB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))
    print(f"load average during the test: {', '.join(f'{x:.1f}' for x in figures['load_average'])}")
    for name, passed in targets.items():
        print(f"{'PASS' if passed else 'FAIL'} {name}")
    if options.json:
        options.json.write_text(json.dumps({**figures, "targets": targets}, indent=2))
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
