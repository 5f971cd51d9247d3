"""The outbox: messages stored in the same transaction as the change that caused them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

import aiosqlite

from storage.db import Database

_enqueued = 0


def enqueued_total() -> int:
    """How many messages this process has queued so far: unchanged means nothing to wake for."""
    return _enqueued


class Status(StrEnum):
    """An outbox row's state. The SQL below spells these values out: the partial indexes of
    migrations 0008 and 0009 serve a query only when it names the same literal (a bound
    parameter would not do); tests/test_status_enums.py ties the literals to this enum."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Delivery(StrEnum):
    """What became of a message, as outcomes() counts them for an announcement's progress."""

    PENDING = Status.PENDING.value
    SENT = Status.SENT.value
    BLOCKED = "blocked"
    CANCELLED = "cancelled"
    FAILED = Status.FAILED.value


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
    priority: int = Priority.URGENT


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


_LANE_HEADS = (
    "SELECT o.* FROM outbox_lanes AS l JOIN outbox AS o ON o.id = l.head_id"
    " WHERE l.priority = ? AND l.due_at <= ? ORDER BY l.due_at LIMIT ?"
)


async def due(db: Database, limit: int = 50, now: float | None = None) -> list[OutboxItem]:
    """The next message of each chat whose turn it is: urgent first, then longest waiting.

    One message per chat: a chat's messages go in order (urgent before bulk), and none
    overtakes one waiting for its retry. Each priority is one range of an index.
    """
    at = time.time() if now is None else now
    rows = await db.fetchall(_LANE_HEADS, (int(Priority.URGENT), at, limit))
    if len(rows) < limit:
        rows += await db.fetchall(_LANE_HEADS, (int(Priority.BULK), at, limit - len(rows)))
    return [_item(r) for r in rows]


def _item(r: aiosqlite.Row) -> OutboxItem:
    return OutboxItem(
        r["id"],
        r["dedup_key"],
        r["chat_id"],
        r["method"],
        json.loads(r["payload"]),
        r["on_sent"],
        r["attempts"],
        r["priority"],
    )


async def next_due_at(db: Database, after: float | None = None) -> float | None:
    """When the next lane is due (after `after`, if given): one step down an index."""
    if after is None:
        row = await db.fetchone("SELECT MIN(due_at) AS t FROM outbox_lanes")
    else:
        row = await db.fetchone(
            "SELECT MIN(due_at) AS t FROM outbox_lanes WHERE due_at > ?", (after,)
        )
    return None if row is None or row["t"] is None else float(row["t"])


async def mark_sent_in(
    conn: aiosqlite.Connection,
    item_id: int,
    message_id: int | None,
    *,
    next_in_chat_at: float | None = None,
) -> None:
    """Record a message as sent; next_in_chat_at is when its chat's pace allows the next."""
    if next_in_chat_at is not None:
        # The pace first: no reader ever sees the next message without it.
        await conn.execute(
            "UPDATE outbox_lanes SET ready_at = ?"
            " WHERE chat_id = (SELECT chat_id FROM outbox WHERE id = ?)",
            (next_in_chat_at, item_id),
        )
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


async def oldest_due_age(db: Database, now: float | None = None) -> float | None:
    """Seconds since the oldest message that is due now was queued, or None when none is due."""
    at = time.time() if now is None else now
    row = await db.fetchone(
        "SELECT MIN(created_at) AS t FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?",
        (at,),
    )
    return None if row is None or row["t"] is None else max(0.0, at - float(row["t"]))


async def pending_count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")
    return 0 if row is None else int(row["n"])


# ----------------------------------------------------------------------------- bulk sending
# Announcements are fed into the outbox a little at a time under keys '<prefix><recipient>';
# these tell the feeder how much is in flight and what became of each message.


async def pending_due(db: Database, before: float) -> int:
    """Messages waiting to go out by `before`, of any priority: they share the same rate."""
    row = await db.fetchone(
        "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?",
        (before,),
    )
    return 0 if row is None else int(row["n"])


def _prefix_range(prefix: str) -> tuple[str, str]:
    # Every key starting with prefix sorts in [prefix, prefix + U+10FFFF): an index range.
    return prefix, prefix + "\U0010ffff"


async def outcomes(db: Database, prefix: str) -> dict[Delivery, int]:
    """Counts of the messages under a key prefix: pending, sent, blocked, cancelled, failed."""
    low, high = _prefix_range(prefix)
    rows = await db.fetchall(
        "SELECT CASE WHEN status != 'failed' THEN status"
        " WHEN error LIKE 'forbidden%' THEN 'blocked'"
        " WHEN error = 'cancelled' THEN 'cancelled' ELSE 'failed' END AS outcome,"
        " COUNT(*) AS n FROM outbox WHERE dedup_key >= ? AND dedup_key < ? GROUP BY outcome",
        (low, high),
    )
    return {Delivery(r["outcome"]): int(r["n"]) for r in rows}


async def cancel_pending_in(conn: aiosqlite.Connection, prefix: str) -> int:
    """Withdraw what under a key prefix has not gone out yet; returns how many."""
    low, high = _prefix_range(prefix)
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'failed', error = 'cancelled'"
        " WHERE dedup_key >= ? AND dedup_key < ? AND status = 'pending'",
        (low, high),
    )
    return cursor.rowcount


async def forget_sent(db: Database, older_than_seconds: float, batch: int = 1000) -> int:
    """Drop the text of messages sent or given up on long ago; the row stays for its key."""
    cutoff = time.time() - older_than_seconds
    forgotten = 0
    while True:
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET payload = '{}' WHERE id IN (SELECT id FROM outbox"
                " WHERE status != 'pending' AND payload != '{}' AND created_at < ? LIMIT ?)",
                (cutoff, batch),
            )
            changed = int(cursor.rowcount)
        forgotten += changed
        if changed < batch:
            return forgotten


async def prune_lanes(db: Database, idle_seconds: float) -> int:
    """Forget the pace of chats that have had nothing to send for a long time."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM outbox_lanes WHERE head_id IS NULL AND ready_at < ?",
            (time.time() - idle_seconds,),
        )
        return int(cursor.rowcount)


# ----------------------------------------------------------------------------- dedup keys
# Every key's shape lives here: features build keys and read them back with these functions,
# and the rows of one subject are found by key ranges, never by splitting elsewhere.


def submission_card_key(submission_id: int) -> str:
    """The card of a submission in the moderators' group."""
    return f"card:{submission_id}"


def submission_part_key(submission_id: int, number: int) -> str:
    """A continuation of the card: the sender's text that did not fit."""
    return f"card:{submission_id}:part:{number}"


def submission_file_key(submission_id: int, index: int) -> str:
    """A copy of one of the submission's attachments."""
    return f"card:{submission_id}:file:{index}"


def submission_plain_key(submission_id: int, refused_item: int, number: int) -> str:
    """A refused card sent again as plain text, in parts."""
    return f"card:{submission_id}:plain:{refused_item}:{number}"


def is_plain_card_key(key: str) -> bool:
    return ":plain" in key


def submission_card_edit_key(submission_id: int, token: str) -> str:
    """An edit of the card; each edit its own (the last queued shows the latest state)."""
    return f"card-edit:{submission_id}:{token}"


def submission_notice_key(submission_id: int, decision: str) -> str:
    """The sender told of a decision."""
    return f"notify:{submission_id}:{decision}"


def submission_answer_key(submission_id: int, source_key: str) -> str:
    """A moderator's answer relayed to the sender."""
    return f"answer:{submission_id}:{source_key}"


def part_key(key: str, number: int) -> str:
    """The key of a long message's further parts (the first part keeps `key`)."""
    return key if number == 1 else f"{key}:part:{number}"


_SUBMISSION_KEYS = ("card", "card-edit", "answer", "notify")


def submission_of(key: str) -> int | None:
    """The submission a card, edit, notice or answer key belongs to; None for other keys."""
    kind, _, rest = key.partition(":")
    number = rest.partition(":")[0]
    if kind not in _SUBMISSION_KEYS or not number.isascii() or not number.isdigit():
        return None
    return int(number)


def faq_link_key(submission_id: int) -> str:
    """The FAQ answer a moderator chose for a question, to its sender."""
    return f"faq-link:{submission_id}"


def registration_card_key(registration_id: int, revision: int) -> str:
    """The moderators' card for one revision of a registration."""
    return f"reg-card:{registration_id}:{revision}"


def parse_registration_card_key(key: str) -> tuple[int, int] | None:
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != "reg-card" or not all(p.isdigit() for p in parts[1:]):
        return None
    return int(parts[1]), int(parts[2])


def registration_card_retired_key(chat_id: int, message_id: int) -> str:
    return f"reg-card-retired:{chat_id}:{message_id}"


def take_down_key(chat_id: int, message_id: int) -> str:
    """An emptied card or a deleted copy, after the sender erased their data."""
    return f"erase:{chat_id}:{message_id}"


# ----------------------------------------------------------------------------- subjects


@dataclass(frozen=True)
class Subject:
    """The outbox rows of one thing: exact keys, and key prefixes."""

    keys: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    def where(self) -> tuple[str, list[str]]:
        clauses = ["dedup_key = ?"] * len(self.keys)
        args = list(self.keys)
        for prefix in self.prefixes:
            clauses.append("(dedup_key >= ? AND dedup_key < ?)")
            args.extend(_prefix_range(prefix))
        return "(" + " OR ".join(clauses or ["0"]) + ")", args


def submission_cards(submission_id: int) -> Subject:
    """A submission's card, its parts, copies and edits."""
    card = submission_card_key(submission_id)
    return Subject(keys=(card,), prefixes=(f"{card}:", f"card-edit:{submission_id}:"))


def registration_cards(registration_id: int) -> Subject:
    """The cards of every revision of a registration."""
    return Subject(prefixes=(f"reg-card:{registration_id}:",))


async def drop_pending_for(conn: aiosqlite.Connection, subject: Subject) -> None:
    """What is not yet sent for this subject is not sent at all."""
    where, args = subject.where()
    await conn.execute(f"DELETE FROM outbox WHERE status = 'pending' AND {where}", args)


async def forget_payloads(conn: aiosqlite.Connection, subject: Subject) -> None:
    """Drop pending rows of the subject, and the text the sent ones kept.

    The rows stay: their dedup keys stop a replayed update from sending again.
    """
    await drop_pending_for(conn, subject)
    where, args = subject.where()
    await conn.execute(f"UPDATE outbox SET payload = '{{}}' WHERE {where}", args)


async def export_chat_in(conn: aiosqlite.Connection, chat_id: int) -> list[aiosqlite.Row]:
    """Status and times of every message to one chat, for the person's own export."""
    return list(
        await conn.execute_fetchall(
            "SELECT status, created_at, sent_at FROM outbox WHERE chat_id = ? ORDER BY id",
            (chat_id,),
        )
    )


async def erase_chat_in(conn: aiosqlite.Connection, chat_id: int) -> None:
    """Messages to a person, sent or not, and the pace of their chat."""
    await conn.execute("DELETE FROM outbox WHERE chat_id = ?", (chat_id,))
    await conn.execute("DELETE FROM outbox_lanes WHERE chat_id = ?", (chat_id,))
