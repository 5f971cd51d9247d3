"""python -m bot backup PATH: a consistent copy while the database is being written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.harness import ROOT

BATCH = 50  # rows per writing transaction: a torn copy would hold a partial batch


def run_bot(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    # No BOT_TOKEN: a backup never talks to Telegram.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(database),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


class Writer(threading.Thread):
    """Another process's worth of writes: batches of inbox rows, one transaction each."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.batches = 0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
        next_id = 1
        while not self.stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
                [
                    (i, '{"x": "' + "y" * 200 + '"}', time.time())
                    for i in range(next_id, next_id + BATCH)
                ],
            )
            conn.execute("COMMIT")
            next_id += BATCH
            self.batches += 1
        conn.close()


def test_backup_during_writes_is_consistent_and_restorable(tmp_path: Path) -> None:
    live = tmp_path / "live" / "bot.sqlite3"
    assert run_bot("migrate", database=live).returncode == 0
    writer = Writer(live)
    writer.start()
    try:
        while writer.batches < 20:
            time.sleep(0.01)
        copies = []
        for n in range(3):
            target = tmp_path / "backups" / f"bot-{n}.sqlite3"
            target.parent.mkdir(exist_ok=True)
            result = run_bot("backup", str(target), database=live)
            assert result.returncode == 0, result.stderr
            assert result.stdout.startswith(f"backed up {live} to {target} (")
            copies.append(target)
        batches_at_end = writer.batches
    finally:
        writer.stop.set()
        writer.join(10)
    assert not list((tmp_path / "backups").glob("*.partial"))
    counts = []
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            count = conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0]
        assert count % BATCH == 0  # whole transactions only
        counts.append(count)
    assert 0 < counts[0] <= counts[1] <= counts[2] <= batches_at_end * BATCH

    # Restoring is copying it back: the bot finds its schema complete.
    restored = tmp_path / "restored" / "bot.sqlite3"
    restored.parent.mkdir()
    restored.write_bytes(copies[-1].read_bytes())
    result = run_bot("migrate", database=restored)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "applied migrations: none"


def test_backup_without_a_database_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.sqlite3"
    result = run_bot("backup", str(tmp_path / "copy.sqlite3"), database=missing)
    assert result.returncode == 1
    assert result.stderr.strip() == f"backup failed: no database at {missing} (DATABASE_PATH)"
    assert sorted(p.name for p in tmp_path.iterdir()) == []
