"""Background jobs: long work (simulations) runs on a worker thread while the page polls its progress.

A job is created queued, runs on the single worker (the engines already
use the machine's cores), and ends done (with its result), failed (with a
message) or cancelled (by its client: a queued job never starts, a running
one stops at its next progress report, a chunk of runs). Work a route does while the client waits (a report, an analysis,
a forecast) takes a place too, through :meth:`Jobs.slot`. At most
``Limits.max_jobs`` jobs and such works wait or run at once, at most
``Limits.max_jobs_per_client`` of them for one client (its address); finished
jobs are kept for polling up to ``Limits.kept_jobs``, oldest forgotten first.
Once a job or such a work ends, the memory it freed goes back to the system
(:func:`truce.web.memory.release`).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter, OrderedDict
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from truce.errors import InputError
from truce.web import memory
from truce.web.limits import Limits

log = logging.getLogger("truce.web")

Work = Callable[[Callable[[int], None]], dict[str, Any]]
"""A job's work: called with a progress callback (units done since the last call), returns the JSON result."""


def client_of(request) -> str:
    """Who sent a request, for the per-client limit: its address (a Starlette ``Request``)."""
    return request.client.host if request.client else ""


class Busy(Exception):
    """Too many jobs queued or running."""


class JobFailed(ValueError):
    """A user-facing reason a job could not finish (its message is shown as is)."""


class Cancelled(Exception):
    """Raised inside a running job's work, at its next progress report, once its client cancelled it."""


@dataclass
class Job:
    id: str
    kind: str
    total: int
    client: str = ""
    done: int = 0
    status: str = "queued"
    """queued, running, done, failed or cancelled."""
    cancelling: bool = False
    """Its client asked to cancel it while it ran: it stops at its next progress report."""
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
        self._working: Counter[str] = Counter()
        """Clients' works in progress outside the queue (reports, analyses, forecasts)."""

    def _admit(self, client: str) -> None:
        """Raise :class:`Busy` unless one more job or work, for ``client``, is within the limits (lock held)."""
        active = [job.client for job in self._jobs.values() if job.status in ("queued", "running")] + list(self._working.elements())
        if len(active) >= self._limits.max_jobs:
            raise Busy(f"{len(active)} jobs are queued or running; this server runs at most {self._limits.max_jobs} at once: retry when one has finished")
        mine = active.count(client)
        if mine >= self._limits.max_jobs_per_client:
            raise Busy(
                f"you have {mine} jobs queued or running; this server runs at most {self._limits.max_jobs_per_client} "
                "at once for one client: retry when one has finished"
            )

    @contextmanager
    def slot(self, client: str = "") -> Iterator[None]:
        """A place among the jobs for work done while the client waits; raises :class:`Busy` when there is none."""
        with self._lock:
            self._admit(client)
            self._working[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._working[client] -= 1
                if self._working[client] <= 0:
                    del self._working[client]
            memory.release()

    def submit(self, kind: str, total: int, work: Work, client: str = "") -> Job:
        with self._lock:
            self._admit(client)
            job = Job(id=uuid.uuid4().hex, kind=kind, total=total, client=client)
            self._jobs[job.id] = job
            self._forget_old()
            if self._executor is None:  # created on demand: the app may be started and stopped more than once
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="truce-job")
            self._executor.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str, client: str = "") -> Job | None:
        """Cancel ``client``'s job: a queued one at once, a running one at its next progress report; a
        finished one stays as it is. None when there is no such job for this client (another client's
        job is not this one's to see)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.client != client:
                return None
            if job.status == "queued":
                job.status, job.error, job.finished = "cancelled", "cancelled before it started", time.time()
            elif job.status == "running":
                job.cancelling = True
            return job

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
            if job.status != "queued":  # failed by a shutdown or cancelled in the meantime
                return
            job.status = "running"

        def advance(units: int) -> None:
            if job.cancelling:
                raise Cancelled
            job.done += units

        try:
            job.result = work(advance)
            job.done = job.total
            job.status = "done"
        except Cancelled:
            job.error = f"cancelled after {min(job.done, job.total):,} of {job.total:,}"
            job.status = "cancelled"
        except (JobFailed, InputError) as error:
            job.error = str(error)
            job.status = "failed"
        except Exception:  # a bug, not the user's fault: log it, tell the page without details
            log.exception("job %s failed", job.id)
            job.error = "internal error while running the job (see the server log)"
            job.status = "failed"
        finally:
            job.finished = time.time()
            memory.release()

    def _forget_old(self) -> None:
        finished = [job_id for job_id, job in self._jobs.items() if job.status in ("done", "failed", "cancelled")]
        for job_id in finished[: max(0, len(finished) - self._limits.kept_jobs)]:
            del self._jobs[job_id]
