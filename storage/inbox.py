"""The inbox: updates stored before Telegram is told they arrived, handled once each."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from storage import conversations, faq, users
from storage.conversations import ConversationWrite
from storage.db import Database
from storage.users import User


class Status(StrEnum):
    """An inbox row's state; the SQL spells the values out, as storage.outbox.Status says why."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


# An update that keeps failing is set aside, so one poisoned update cannot block the rest.
MAX_ATTEMPTS = 3
# A finished update waits this long for another transaction to share its commit with (the
# next update's store, when someone writes again at once): its chat's next update waits as
# long, and a crash in between replays it, as a crash just before its commit would.
FINISH_LINGER_SECONDS = 0.002

# SQLite integers are signed 64-bit: anything outside is refused before a query sees it.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class InboxItem:
    update_id: int
    payload: str
    attempts: int


@dataclass(frozen=True)
class NewUpdate:
    """An update as it arrived; `poison` says why it cannot be handled (None: it can)."""

    update_id: int
    payload: str
    poison: str | None = None


@dataclass(frozen=True)
class Attempt:
    """A claimed update: its attempt number, and the person who wrote it if recorded."""

    attempts: int
    user: User | None


async def add_many(
    db: Database, updates: list[NewUpdate], claim: Mapping[int, int | None] | None = None
) -> dict[int, Attempt]:
    """Store updates; ids already known are ignored.

    A poisoned update is stored already set aside: it is never handed to a handler. An update
    in `claim` (update_id -> the private sender to record as seen, or None) that is new is
    stored with its first attempt counted, as begin_attempt() would; those are returned, so
    the update costs no second transaction before its handler runs.
    """
    if not updates:
        return {}
    now = time.time()
    claim = claim or {}
    rows = [
        (
            u.update_id,
            u.payload,
            now,
            Status.PENDING if u.poison is None else Status.FAILED,
            None if u.poison is None else f"poison: {u.poison}"[:500],
            None if u.poison is None else now,
            1 if u.poison is None and u.update_id in claim else 0,
        )
        for u in updates
    ]

    def insert(conn: sqlite3.Connection) -> dict[int, Attempt]:
        claimed: dict[int, Attempt] = {}
        for row in rows:
            new = conn.execute(
                "INSERT OR IGNORE INTO inbox (update_id, payload, received_at, status, error,"
                " finished_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            ).rowcount
            update_id = row[0]
            if new and row[6]:
                claimed[update_id] = _attempt(conn, 1, claim[update_id])
        return claimed

    return await db.run_transaction(insert)


async def pending(db: Database, limit: int = 100, after: int = -1) -> list[InboxItem]:
    """Pending updates with ids above `after`, oldest first."""
    rows = await db.fetchall(
        "SELECT update_id, payload, attempts FROM inbox WHERE status = 'pending'"
        " AND update_id > ? ORDER BY update_id LIMIT ?",
        (after, limit),
    )
    return [InboxItem(r["update_id"], r["payload"], r["attempts"]) for r in rows]


def _claim(conn: sqlite3.Connection, update_id: int, touch_user: int | None) -> Attempt | None:
    row = conn.execute(
        "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ? AND status = 'pending'"
        " RETURNING attempts",
        (update_id,),
    ).fetchone()
    return None if row is None else _attempt(conn, int(row[0]), touch_user)


def _attempt(conn: sqlite3.Connection, attempts: int, touch_user: int | None) -> Attempt:
    """An attempt begun; the person who wrote the update recorded as seen (touch_user)."""
    return Attempt(attempts, None if touch_user is None else users.touch_sync(conn, touch_user))


async def begin_attempt(
    db: Database, update_id: int, touch_user: int | None = None
) -> Attempt | None:
    """Claim a pending update before its handler runs, so a crash in it is counted too.

    The claim succeeds only while the row is still pending: an update already done or set
    aside returns None, however stale the caller's view was. The person who wrote it is
    recorded as seen in the same transaction (touch_user).
    """
    return await db.run_transaction(lambda conn: _claim(conn, update_id, touch_user))


async def mark_done(
    db: Database,
    update_id: int,
    conversation_writes: list[ConversationWrite] | None = None,
    answers_given: Mapping[tuple[str, str], int] | None = None,
    claim_next: tuple[int, int | None] | None = None,
) -> Attempt | None:
    """Finish an update together with the conversation states it produced and the FAQ
    answers counted meanwhile.

    One transaction, so a crash leaves either both (the update is not replayed) or
    neither (it is replayed from the state it started in). claim_next (update_id, person to
    record as seen): the chat's next update, claimed in the same transaction as
    begin_attempt() would; its attempt is returned (None if it was no longer pending).
    """
    now = time.time()

    def finish(conn: sqlite3.Connection) -> Attempt | None:
        if conversation_writes:
            conversations.save_sync(conn, conversation_writes)
        if answers_given:
            faq.add_answers_given_sync(conn, answers_given)
        conn.execute(
            "UPDATE inbox SET status = 'done', payload = NULL, finished_at = ?, error = NULL"
            " WHERE update_id = ?",
            (now, update_id),
        )
        return None if claim_next is None else _claim(conn, *claim_next)

    return await db.run_transaction(finish, linger=FINISH_LINGER_SECONDS)


async def mark_failed(
    db: Database, update_id: int, error: str, *, keep_payload: bool = False
) -> None:
    """Set an update aside; a poisoned one keeps its payload (until pruned) for inspection."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE inbox SET status = 'failed', finished_at = ?, error = ?,"
            " payload = CASE WHEN ? THEN payload END WHERE update_id = ?",
            (time.time(), error[:500], keep_payload, update_id),
        )


async def last_update_id(db: Database) -> int | None:
    row = await db.fetchone("SELECT MAX(update_id) AS m FROM inbox")
    return None if row is None or row["m"] is None else int(row["m"])


async def oldest_pending_age(db: Database, now: float | None = None) -> float | None:
    """Seconds the oldest update still waiting has waited; None when nothing waits."""
    row = await db.fetchone(
        "SELECT received_at FROM inbox WHERE status = 'pending' ORDER BY update_id LIMIT 1"
    )
    if row is None:
        return None
    return max(0.0, (time.time() if now is None else now) - float(row["received_at"]))


async def prune(db: Database, older_than_seconds: float) -> int:
    """Forget finished updates; the newest id is always kept for deduplication."""
    cutoff = time.time() - older_than_seconds
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM inbox WHERE status != 'pending' AND finished_at < ?"
            " AND update_id < (SELECT MAX(update_id) FROM inbox)",
            (cutoff,),
        )
        return int(cursor.rowcount)


async def pending_count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'")
    return 0 if row is None else int(row["n"])
