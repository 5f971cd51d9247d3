"""python -m bot backup PATH: a consistent copy of the live database, the bot still running."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    """The copy could not be made; the message says why, in one line."""


def backup(source: Path, target: Path) -> int:
    """Copy source to target with SQLite's online backup; returns the copy's size in bytes.

    The copy is one read transaction, so it is consistent even while the bot writes (WAL lets
    the bot go on writing meanwhile). It is written beside the target and renamed into place
    only once it passes PRAGMA integrity_check, so a failed backup never replaces a good one.
    """
    if not source.is_file():
        raise BackupError(f"no database at {source} (DATABASE_PATH)")
    if target.is_dir():
        target = target / source.name
    partial = target.with_name(target.name + ".partial")
    try:
        # mode=rw: never create a database where there is none.
        with contextlib.closing(
            sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True)
        ) as src:
            src.execute("PRAGMA busy_timeout = 5000")
            with contextlib.closing(sqlite3.connect(partial)) as copy:
                src.backup(copy)
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
                # The copy is a plain file: no -wal beside it to lose in transit.
                copy.execute("PRAGMA journal_mode = DELETE")
        if verdict != "ok":
            raise BackupError(f"the copy failed its integrity check: {verdict}")
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"cannot back up {source} to {target}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
