"""The outbox: messages stored in the same transaction as the change that caused them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import aiosqlite

from storage.db import Database

_enqueued = 0


def enqueued_total() -> int:
    """How many messages this process has queued so far: unchanged means nothing to wake for."""
    return _enqueued


class Priority(IntEnum):
    """Lower goes first: what people and moderators are owed before announcements."""

    URGENT = 0
    BULK = 1


@dataclass(frozen=True)
class OutboxItem:
    id: int
    dedup_key: str
    chat_id: int
    method: str
    payload: dict[str, Any]
    on_sent: str | None
    attempts: int


async def enqueue_in(
    conn: aiosqlite.Connection,
    *,
    dedup_key: str,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    on_sent: str | None = None,
    priority: Priority = Priority.URGENT,
) -> bool:
    """Queue a message inside the caller's transaction; False if the key was queued before."""
    global _enqueued
    now = time.time()
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO outbox"
        " (dedup_key, chat_id, method, payload, on_sent, next_attempt_at, created_at, priority)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            dedup_key,
            chat_id,
            method,
            json.dumps(payload, ensure_ascii=False),
            on_sent,
            now,
            now,
            int(priority),
        ),
    )
    if cursor.rowcount != 1:
        return False
    _enqueued += 1
    return True


async def due(db: Database, limit: int = 50, now: float | None = None) -> list[OutboxItem]:
    """Messages to send now, oldest first; none overtakes an older one to the same chat."""
    at = time.time() if now is None else now
    rows = await db.fetchall(
        "SELECT * FROM outbox AS o WHERE status = 'pending' AND next_attempt_at <= ?"
        " AND NOT EXISTS (SELECT 1 FROM outbox AS older WHERE older.chat_id = o.chat_id"
        " AND older.status = 'pending' AND older.id < o.id AND older.next_attempt_at > ?)"
        " ORDER BY id LIMIT ?",
        (at, at, limit),
    )
    return [
        OutboxItem(
            r["id"],
            r["dedup_key"],
            r["chat_id"],
            r["method"],
            json.loads(r["payload"]),
            r["on_sent"],
            r["attempts"],
        )
        for r in rows
    ]


async def next_due_at(db: Database) -> float | None:
    row = await db.fetchone("SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending'")
    return None if row is None or row["t"] is None else float(row["t"])


async def mark_sent_in(conn: aiosqlite.Connection, item_id: int, message_id: int | None) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, error = NULL,"
        " attempts = attempts + 1 WHERE id = ?",
        (time.time(), message_id, item_id),
    )


async def retry_later(db: Database, item_id: int, delay: float, error: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, error = ?"
            " WHERE id = ?",
            (time.time() + delay, error[:300], item_id),
        )


async def mark_failed(db: Database, item_id: int, error: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, error = ? WHERE id = ?",
            (error[:300], item_id),
        )


async def move_chat(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: everything still owed to it goes to the new id."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status = 'pending'",
            (new_chat_id, old_chat_id),
        )


async def counts(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    return {r["status"]: int(r["n"]) for r in rows}


async def get_state(db: Database, key: str) -> str | None:
    row = await db.fetchone("SELECT value FROM bot_state WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


async def set_state(db: Database, key: str, value: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
