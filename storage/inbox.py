"""The inbox: updates stored before Telegram is told they arrived, handled once each."""

from __future__ import annotations

import time
from dataclasses import dataclass

from storage import conversations
from storage.conversations import ConversationWrite
from storage.db import Database

# An update that keeps failing is set aside, so one poisoned update cannot block the rest.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class InboxItem:
    update_id: int
    payload: str
    attempts: int


async def add_many(db: Database, updates: list[tuple[int, str]]) -> int:
    """Store updates; ids already known are ignored. Returns how many were new."""
    if not updates:
        return 0
    now = time.time()
    async with db.transaction() as conn:
        before = conn.total_changes
        await conn.executemany(
            "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
            [(update_id, payload, now) for update_id, payload in updates],
        )
        return conn.total_changes - before


async def pending(db: Database, limit: int = 100) -> list[InboxItem]:
    rows = await db.fetchall(
        "SELECT update_id, payload, attempts FROM inbox WHERE status = 'pending'"
        " ORDER BY update_id LIMIT ?",
        (limit,),
    )
    return [InboxItem(r["update_id"], r["payload"], r["attempts"]) for r in rows]


async def begin_attempt(db: Database, update_id: int) -> int:
    """Count an attempt before the handler runs, so a crash in it is counted too."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ? RETURNING attempts",
            (update_id,),
        )
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def mark_done(
    db: Database, update_id: int, conversation_writes: list[ConversationWrite] | None = None
) -> None:
    """Finish an update together with the conversation states it produced.

    One transaction, so a crash leaves either both (the update is not replayed) or
    neither (it is replayed from the state it started in).
    """
    async with db.transaction() as conn:
        await conversations.save_in(conn, conversation_writes or [])
        await conn.execute(
            "UPDATE inbox SET status = 'done', payload = NULL, finished_at = ?, error = NULL"
            " WHERE update_id = ?",
            (time.time(), update_id),
        )


async def mark_failed(db: Database, update_id: int, error: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE inbox SET status = 'failed', payload = NULL, finished_at = ?, error = ?"
            " WHERE update_id = ?",
            (time.time(), error[:500], update_id),
        )


async def last_update_id(db: Database) -> int | None:
    row = await db.fetchone("SELECT MAX(update_id) AS m FROM inbox")
    return None if row is None or row["m"] is None else int(row["m"])


async def prune(db: Database, older_than_seconds: float) -> None:
    """Forget finished updates; the newest id is always kept for deduplication."""
    cutoff = time.time() - older_than_seconds
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM inbox WHERE status != 'pending' AND finished_at < ?"
            " AND update_id < (SELECT MAX(update_id) FROM inbox)",
            (cutoff,),
        )


async def oldest_pending_age(db: Database, now: float | None = None) -> float | None:
    """Seconds the oldest unhandled update has waited, or None when none waits."""
    row = await db.fetchone("SELECT MIN(received_at) AS t FROM inbox WHERE status = 'pending'")
    if row is None or row["t"] is None:
        return None
    return max(0.0, (time.time() if now is None else now) - float(row["t"]))


async def pending_count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'")
    return 0 if row is None else int(row["n"])
