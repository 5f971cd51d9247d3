"""Giving the memory a finished piece of work freed back to the system."""

from __future__ import annotations

import ctypes
import functools

# mallopt's parameter for the number of arenas (glibc's malloc.h).
M_ARENA_MAX = -8


@functools.cache
def _libc() -> ctypes.CDLL | None:
    # The C library the interpreter already runs on: no search for it (find_library would
    # run ldconfig in a subprocess at every start).
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def one_arena() -> None:
    """Every thread allocates from the main arena, where freed memory can be given back.

    Called at start, before the bot starts its threads: the FAQ index's build thread would
    otherwise keep its own arena, and with it some 20 MiB it no longer uses. The threads here
    take turns on the GIL anyway, so sharing the arena costs them nothing measurable.
    """
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None:
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        mallopt(M_ARENA_MAX, 1)


def give_back_freed_memory() -> None:
    """glibc keeps memory that was freed, resident, for later use; the FAQ index's scratch
    memory (some 15 MiB) would stay. malloc_trim(0) returns the free pages. Elsewhere (musl,
    macOS) there is nothing to do."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        trim(0)
