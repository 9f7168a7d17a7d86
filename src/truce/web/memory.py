"""Give the memory of finished work back to the system (issue 18: a server's memory not returned).

A report or a simulation allocates hundreds of MiB of numpy arrays on the server's worker threads
and frees them when it is done. glibc's allocator keeps what was freed for the process's next
allocation: each thread allocates from an arena of its own (up to 8 per core), and a freed
block in the middle of an arena is not handed back while a live block sits above it.

:func:`release` asks the allocator to hand back every free page of every arena
(``malloc_trim(0)``, glibc 2.8 or later: it walks all arenas and returns whole free pages with
``madvise(MADV_DONTNEED)``, not only the top of the main heap). It costs a few milliseconds and
is called after each job and each work a client waits for (:class:`truce.web.jobs.Jobs`). Where
the C library has no ``malloc_trim`` (musl, macOS), it does nothing.

Measured with ``benchmarks/web_load.py`` (20 clients, 6 flagship reports): after a first report the
server holds about 340 MiB, against 139 at start, whatever follows: that first report imports the
engines' libraries (about 950 modules: scipy.stats, numba, lifelines, SALib) and compiles the numba
kernels, once per process. Six more reports then left 36 MiB more behind without the release, and
5 MiB with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none."""
    try:
        library = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = library.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release() -> bool:
    """Return the allocator's free pages to the system; True if the allocator could be asked
    (glibc), whether or not it had anything to give back. No garbage collection: the arrays are
    freed by reference counting, and a full collection of a large process takes long enough
    under load to hold up the next job on the worker."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
