"""Where tasks run: this process, a local process pool, or an existing Dask cluster.

- ``workers=1``: each task in the command's own process, one after the other;
- ``workers=N`` (N > 1): a pool of N worker processes (:class:`concurrent.futures.ProcessPoolExecutor`,
  forked from a fork server that has imported the engine, see :func:`_context`);
- ``scheduler="tcp://HOST:8786"``: the tasks go to a running Dask scheduler through
  ``distributed.Client``; Dask places them on its workers (which need truce installed).

Whatever runs a task, its result comes back to this process, which commits it (:mod:`truce.sweep.folder`):
workers need no shared file system. At most a few tasks per worker are in flight at a time, so a sweep of
a million tasks never holds a million futures.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from truce.errors import InputError
from truce.sweep.tasks import Task, run_task

CONNECT_SECONDS = "10s"
PRELOAD = ["truce.sweep.tasks", "truce.simulate", "scipy.stats"]
"""What the pool's fork server imports once before it forks the workers (the first engine call imports scipy.stats)."""
IN_FLIGHT_PER_WORKER = 4
"""Tasks submitted ahead per worker: enough to keep every worker busy, few enough to bound memory."""


class SchedulerError(InputError):
    """The Dask scheduler cannot be reached or used (exit 2, before any task runs)."""


def execute(
    tasks: Iterable[Task], *, workers: int = 1, scheduler: str | None = None,
    on_result: Callable[[dict], None], on_start: Callable[[str], None] | None = None,
) -> None:
    """Run every task and hand each result to ``on_result`` (in this process) as it arrives."""
    if scheduler is not None:
        _on_dask(tasks, scheduler, on_result, on_start)
    elif workers <= 1:
        if on_start is not None:
            on_start("this process")
        for task in tasks:
            on_result(run_task(task))
    else:
        _on_pool(tasks, workers, on_result, on_start)


def _on_pool(tasks: Iterable[Task], workers: int, on_result, on_start) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    finished = False
    try:
        if on_start is not None:
            on_start(f"a pool of {workers} processes")
        pending = set()
        queue = iter(tasks)
        for task in _refill(queue, workers * IN_FLIGHT_PER_WORKER):
            pending.add(pool.submit(run_task, task))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_result(future.result())
            for task in _refill(queue, workers * IN_FLIGHT_PER_WORKER - len(pending)):
                pending.add(pool.submit(run_task, task))
        finished = True
    finally:
        # on an error or Ctrl-C, drop the queued tasks and do not wait for the running ones: what was
        # committed stays committed, and --resume plays the rest
        pool.shutdown(wait=finished, cancel_futures=True)


def connect(scheduler: str):
    """A ``distributed.Client`` of the scheduler at ``scheduler``; :class:`SchedulerError` when it cannot be reached."""
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise SchedulerError(
            f"--scheduler {scheduler}: cannot connect ({reason}); expected the address of a running Dask scheduler, e.g. tcp://HOST:8786"
        ) from None


def cluster_threads(scheduler: str) -> int:
    """How many tasks the cluster runs at once (its workers' threads; at least 1)."""
    client = connect(scheduler)
    try:
        return max(1, sum(client.nthreads().values()))
    finally:
        client.close()


def _context():
    """``forkserver`` where there is one (POSIX): a clean single-threaded server imports the engine once
    (:data:`PRELOAD`) and forks each worker from it, so a worker starts in milliseconds, not the seconds
    an import of truce, pandas and scipy.stats takes; elsewhere ``spawn``. Never a plain ``fork`` of this
    process, whose threads (progress, a Dask client) may hold locks."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _on_dask(tasks: Iterable[Task], scheduler: str, on_result, on_start) -> None:
    from distributed import as_completed

    client = connect(scheduler)
    try:
        threads = sum(client.nthreads().values()) or 1
        if on_start is not None:
            on_start(f"the Dask scheduler at {scheduler} ({len(client.nthreads())} workers, {threads} threads)")
        queue = iter(tasks)
        submitted = [client.submit(run_task, task, pure=False) for task in _refill(queue, threads * IN_FLIGHT_PER_WORKER)]
        arriving = as_completed(submitted, loop=client.loop)
        del submitted
        try:
            for future in arriving:
                on_result(future.result())
                future.release()
                for task in _refill(queue, 1):
                    arriving.add(client.submit(run_task, task, pure=False))
        except BaseException:
            for future in list(arriving.futures):
                future.cancel()
            raise
    finally:
        client.close()


def ordered_map(workers: int = 1, scheduler: str | None = None) -> Callable:
    """``mapper(function, items)``: an iterator of ``function(item)`` in the items' order, played in this
    process (``workers=1``), on a pool of ``workers`` processes or on the Dask cluster at ``scheduler``.
    For engines that take a mapper for independent simulations (:func:`truce.mediation.whatif.what_if`);
    ``function`` and the items must pickle (a module-level function, or a ``functools.partial`` of one)."""

    def mapper(function, items):
        items = list(items)
        if scheduler is not None:
            client = connect(scheduler)
            try:
                futures = client.map(function, items, pure=False)
                for future in futures:
                    yield future.result()
            finally:
                client.close()
        elif workers <= 1 or len(items) <= 1:
            yield from map(function, items)
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=_context()) as pool:
                yield from pool.map(function, items)

    return mapper


def _refill(queue: Iterator[Task], count: int) -> Iterator[Task]:
    for _ in range(max(0, count)):
        try:
            yield next(queue)
        except StopIteration:
            return
