"""How many runs a simulation plays at once (a chunk), so that its working memory stays flat
however many runs are asked for and however many parties take part."""

from __future__ import annotations

CHUNK_CELLS = 4_000_000
"""Target size of one chunk's largest array in the numpy engine (see :func:`chunk_runs`)."""
COMPILED_CHUNK_CELLS = 250_000
"""Target size of a compiled chunk's per-run arrays (numbers, summed over arrays): small chunks, since the
loop's own memory does not grow with the runs, so that working memory stays low however many threads."""
MAX_CHUNK = 8_192
"""Runs per chunk at most."""


def chunk_runs(runs: int, width: int, parties: int, issues: int, *, noisy: bool, values_per_run: bool) -> int:
    """Runs per chunk, so that the largest per-run array of a chunk holds about :data:`CHUNK_CELLS` cells.

    Per run, a chunk holds the utility of every candidate to every party and each proposer's
    estimate of the others' (``width x parties`` each); with positions or tolerances drawn per run,
    the value of every candidate's option on every issue to every party (``width x issues x parties``); with
    knowledge noise, each proposer's noisy estimate of every party's weights
    (``parties x parties x issues``, which outgrows the rest when the menus are pruned to a few
    candidates and the parties are many: 300 parties once took 3 GiB). At least one run, at most
    :data:`MAX_CHUNK`."""
    per_run = max(1, width * parties)
    if values_per_run:
        per_run = max(per_run, width * issues * parties)
    if noisy:
        per_run = max(per_run, parties * parties * issues)
    return max(1, min(runs, MAX_CHUNK, CHUNK_CELLS // per_run))


def compiled_chunk_runs(runs: int, cells_per_run: int) -> int:
    """Runs per chunk of the compiled engine, which keeps no (runs, candidates) array: ``cells_per_run``
    (:func:`truce.simulate.compiled.compiled_cells_per_run`) counts its noise, payoff inputs and what
    varies by run. At least one run, at most :data:`MAX_CHUNK`."""
    return max(1, min(runs, MAX_CHUNK, COMPILED_CHUNK_CELLS // max(1, cells_per_run)))
