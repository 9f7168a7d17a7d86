"""How long a GET waits while the server reads a large YAML upload (issue 18).

Starts the web app on a free localhost port, sends a scenario text of about 0.6 MB of small YAML
values to /api/parse, and meanwhile times GET /api/limits, ten times. Before the parse moved to a
child process the GET waited for the whole reading; now it is answered while the reading goes on.

    .venv/bin/python benchmarks/web_parse_blocking.py
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))

from live_server import live_server  # noqa: E402
from truce.web.app import create_app  # noqa: E402
from truce.web.limits import Limits  # noqa: E402


def main() -> None:
    text = ("name: slow\nvalues:\n" + "".join(f"- {i}\n" for i in range(80_000))).encode()
    app = create_app(token=None, limits=Limits(max_parse_seconds=60))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=300) as http:
        http.post("/api/parse", content=b"name: warm\n", headers={"content-type": "application/yaml"})  # start the fork server
        idle = []
        for _ in range(10):
            start = time.perf_counter()
            http.get("/api/limits")
            idle.append(time.perf_counter() - start)
        done = {}
        start = time.perf_counter()
        upload = threading.Thread(target=lambda: done.setdefault("answer", http.post("/api/parse", content=text, headers={"content-type": "application/yaml"})))
        upload.start()
        time.sleep(0.5)
        during = []
        for _ in range(10):
            if "answer" in done:
                break
            begin = time.perf_counter()
            http.get("/api/limits")
            during.append(time.perf_counter() - begin)
        upload.join()
        parse_seconds = time.perf_counter() - start
    print(f"YAML text: {len(text):,} bytes; /api/parse answered {done['answer'].status_code} after {parse_seconds:.1f} s (422: read whole, then not a scenario)")
    print(f"GET /api/limits, idle: median {statistics.median(idle) * 1000:.0f} ms, max {max(idle) * 1000:.0f} ms ({len(idle)} requests)")
    if during:
        print(f"GET /api/limits during the parse: median {statistics.median(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms ({len(during)} requests)")


if __name__ == "__main__":
    main()
