"""The server gives the memory of finished work back to the system (issue 18: 137 MiB at start, 346
after six reports and still 346 after idling). benchmarks/web_load.py measures the whole server;
these tests check the two parts: the allocator's free pages are returned, and the jobs ask for it."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from truce.web import memory
from truce.web.jobs import Jobs, JobFailed
from truce.web.limits import Limits

FRAGMENTED = """
import threading, numpy as np
from truce.web import memory

def rss_mib():
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024

kept = []
def work():
    # 1,600 blocks of 64 KiB (under glibc's mmap threshold, so from the thread's arena), every 16th kept
    blocks = [np.ones(8192) for _ in range(1600)]
    kept.extend(blocks[::16])
thread = threading.Thread(target=work)
thread.start(); thread.join()
freed = rss_mib()
memory.release()
print(freed, rss_mib())
"""


@pytest.mark.skipif(memory._malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_release_hands_back_the_pages_freed_between_live_blocks_of_a_worker_thread():
    # 1,500 freed blocks of 64 KiB = 94 MiB; glibc's free() keeps them (a live block sits above each run
    # of 15 freed ones), so the resident size stays up until malloc_trim(0) returns the free pages
    done = subprocess.run([sys.executable, "-c", FRAGMENTED], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    freed, released = map(float, done.stdout.split())
    assert freed - released > 60, (freed, released)


def test_every_job_and_every_waited_work_releases_memory_once_it_has_ended(monkeypatch):
    calls: list[int] = []
    jobs = Jobs(Limits())
    # each call records how many jobs had finished by then: the release comes after its job's end
    monkeypatch.setattr(memory, "release", lambda: calls.append(sum(job.finished is not None for job in jobs._jobs.values())) or True)

    def failing(advance):
        raise JobFailed("no")

    done = jobs.submit("simulate", 1, lambda advance: {"ok": True})
    failed = jobs.submit("simulate", 1, failing)
    deadline = time.monotonic() + 30
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done.status == "done" and failed.status == "failed"
    assert calls == [1, 2]
    with jobs.slot("client"):
        assert len(calls) == 2  # not before the work ends
    assert len(calls) == 3
    with pytest.raises(RuntimeError):
        with jobs.slot("client"):
            raise RuntimeError("a report that failed")
    assert len(calls) == 4
    jobs.shutdown()
