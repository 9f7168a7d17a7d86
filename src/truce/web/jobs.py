"""Background jobs: long work (simulations) runs on a worker thread while the page polls its progress.

A job is created queued, runs on the single worker (the engines already
use the machine's cores), and ends done (with its result) or failed (with a
message). At most ``Limits.max_jobs`` jobs wait or run at once; finished
jobs are kept for polling up to ``Limits.kept_jobs``, oldest forgotten first.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from truce.errors import InputError
from truce.web.limits import Limits

log = logging.getLogger("truce.web")

Work = Callable[[Callable[[int], None]], dict[str, Any]]
"""A job's work: called with a progress callback (units done since the last call), returns the JSON result."""


class Busy(Exception):
    """Too many jobs queued or running."""


class JobFailed(ValueError):
    """A user-facing reason a job could not finish (its message is shown as is)."""


@dataclass
class Job:
    id: str
    kind: str
    total: int
    done: int = 0
    status: str = "queued"
    """queued, running, done or failed."""
    result: dict[str, Any] | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": {"done": min(self.done, self.total), "total": self.total},
            "result": self.result,
            "error": self.error,
        }


class Jobs:
    def __init__(self, limits: Limits):
        self._limits = limits
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._executor: ThreadPoolExecutor | None = None

    def submit(self, kind: str, total: int, work: Work) -> Job:
        with self._lock:
            active = sum(job.status in ("queued", "running") for job in self._jobs.values())
            if active >= self._limits.max_jobs:
                raise Busy(f"{active} jobs are queued or running; this server runs at most {self._limits.max_jobs} at once: retry when one has finished")
            job = Job(id=uuid.uuid4().hex, kind=kind, total=total)
            self._jobs[job.id] = job
            self._forget_old()
            if self._executor is None:  # created on demand: the app may be started and stopped more than once
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="truce-job")
            self._executor.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        """Stop the worker: queued jobs are cancelled, a running one finishes in the background."""
        with self._lock:
            executor, self._executor = self._executor, None
            for job in self._jobs.values():
                if job.status == "queued":
                    job.status, job.error = "failed", "the server stopped before the job started"
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, work: Work) -> None:
        with self._lock:
            if job.status != "queued":  # failed by a shutdown in the meantime
                return
            job.status = "running"

        def advance(units: int) -> None:
            job.done += units

        try:
            job.result = work(advance)
            job.done = job.total
            job.status = "done"
        except (JobFailed, InputError) as error:
            job.error = str(error)
            job.status = "failed"
        except Exception:  # a bug, not the user's fault: log it, tell the page without details
            log.exception("job %s failed", job.id)
            job.error = "internal error while running the job (see the server log)"
            job.status = "failed"
        finally:
            job.finished = time.time()

    def _forget_old(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.status in ("done", "failed")]
        for job_id in finished[: max(0, len(finished) - self._limits.kept_jobs)]:
            del self._jobs[job_id]
