"""Contributions and questions: created once, moved through the moderation states, audited."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import aiosqlite

from storage import outbox
from storage.audit import iso
from storage.db import Database
from storage.rows import from_row

PREFIX = {"contribution": "C", "question": "Q"}


class Status(StrEnum):
    """Where a submission stands; migration 0005's CHECK lists the same values."""

    OPEN = "open"
    CLAIMED = "claimed"
    APPROVED = "approved"
    REJECTED = "rejected"
    ANSWERED = "answered"


# Waiting for a moderator: in the queue, with the card's decision buttons.
OPEN_STATES = (Status.OPEN, Status.CLAIMED)
_IN_OPEN_STATES = f"status IN ({', '.join('?' for _ in OPEN_STATES)})"


@dataclass(frozen=True)
class Attachment:
    kind: str
    file_id: str
    file_unique_id: str
    source_chat_id: int
    source_message_id: int
    file_name: str | None = None
    mime_type: str | None = None
    file_size: int | None = None
    media_group_id: str | None = None


@dataclass(frozen=True)
class Submission:
    id: int
    ref: str
    kind: str
    user_id: int | None
    language: str
    topic: str | None
    text: str
    status: Status
    claimed_by: int | None
    decided_by: int | None
    decided_at: float | None
    reason: str | None
    card_chat_id: int | None
    card_message_id: int | None
    created_at: float
    attachments: list[Attachment] = field(default_factory=list)


def _submission(row: aiosqlite.Row, attachments: list[Attachment]) -> Submission:
    return from_row(Submission, row, status=Status(row["status"]), attachments=attachments)


async def _next_ref(conn: aiosqlite.Connection, kind: str) -> str:
    await conn.execute(
        "INSERT INTO ref_counters (kind, last) VALUES (?, 1)"
        " ON CONFLICT (kind) DO UPDATE SET last = last + 1",
        (kind,),
    )
    async with conn.execute("SELECT last FROM ref_counters WHERE kind = ?", (kind,)) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return f"{PREFIX[kind]}-{int(row[0]):06d}"


async def create_in(
    conn: aiosqlite.Connection,
    *,
    kind: str,
    source_key: str,
    user_id: int,
    language: str,
    topic: str | None,
    text: str,
    attachments: list[Attachment],
) -> tuple[int, bool]:
    """Create a submission inside the caller's transaction.

    Returns (id, created): a source_key seen before returns the existing submission,
    so a replayed update or a second press of Send makes nothing new.
    """
    async with conn.execute(
        "SELECT id FROM submissions WHERE source_key = ?", (source_key,)
    ) as cursor:
        existing = await cursor.fetchone()
    if existing is not None:
        return int(existing[0]), False
    now = time.time()
    ref = await _next_ref(conn, kind)
    cursor = await conn.execute(
        "INSERT INTO submissions"
        " (ref, kind, source_key, user_id, language, topic, text, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, kind, source_key, user_id, language, topic, text, now, now),
    )
    submission_id = int(cursor.lastrowid or 0)
    await conn.executemany(
        "INSERT INTO submission_files (submission_id, kind, file_id, file_unique_id, file_name,"
        " mime_type, file_size, media_group_id, source_chat_id, source_message_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                submission_id,
                a.kind,
                a.file_id,
                a.file_unique_id,
                a.file_name,
                a.mime_type,
                a.file_size,
                a.media_group_id,
                a.source_chat_id,
                a.source_message_id,
            )
            for a in attachments
        ],
    )
    return submission_id, True


def attachment_of(row: aiosqlite.Row) -> Attachment:
    return from_row(Attachment, row)


async def _attachments(db: Database, submission_id: int) -> list[Attachment]:
    rows = await db.fetchall(
        "SELECT * FROM submission_files WHERE submission_id = ? ORDER BY id", (submission_id,)
    )
    return [attachment_of(r) for r in rows]


async def get(db: Database, submission_id: int) -> Submission | None:
    row = await db.fetchone("SELECT * FROM submissions WHERE id = ?", (submission_id,))
    if row is None:
        return None
    return _submission(row, await _attachments(db, submission_id))


async def by_ref(db: Database, ref: str) -> Submission | None:
    row = await db.fetchone("SELECT id FROM submissions WHERE ref = ?", (ref.upper(),))
    return None if row is None else await get(db, int(row["id"]))


async def by_source_key(db: Database, source_key: str) -> Submission | None:
    row = await db.fetchone("SELECT id FROM submissions WHERE source_key = ?", (source_key,))
    return None if row is None else await get(db, int(row["id"]))


async def by_card(db: Database, chat_id: int, message_id: int) -> Submission | None:
    row = await db.fetchone(
        "SELECT id FROM submissions WHERE card_chat_id = ? AND card_message_id = ?",
        (chat_id, message_id),
    )
    return None if row is None else await get(db, int(row["id"]))


async def of_user(db: Database, user_id: int, limit: int = 20) -> list[Submission]:
    rows = await db.fetchall(
        "SELECT * FROM submissions WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
    )
    return [_submission(r, []) for r in rows]


async def recent_count(db: Database, user_id: int, window_seconds: float) -> int:
    row = await db.fetchone(
        "SELECT COUNT(*) AS n FROM submissions WHERE user_id = ? AND created_at > ?",
        (user_id, time.time() - window_seconds),
    )
    return int(row["n"]) if row else 0


async def oldest_recent(db: Database, user_id: int, window_seconds: float) -> float | None:
    row = await db.fetchone(
        "SELECT MIN(created_at) AS t FROM submissions WHERE user_id = ? AND created_at > ?",
        (user_id, time.time() - window_seconds),
    )
    return None if row is None or row["t"] is None else float(row["t"])


async def open_items(db: Database, offset: int, limit: int) -> tuple[list[Submission], int]:
    rows = await db.fetchall(
        f"SELECT * FROM submissions WHERE {_IN_OPEN_STATES} ORDER BY id LIMIT ? OFFSET ?",
        (*OPEN_STATES, limit, offset),
    )
    total = await db.fetchone(
        f"SELECT COUNT(*) AS n FROM submissions WHERE {_IN_OPEN_STATES}", OPEN_STATES
    )
    return [_submission(r, []) for r in rows], int(total["n"]) if total else 0


async def transition_in(
    conn: aiosqlite.Connection,
    submission_id: int,
    *,
    allowed_from: tuple[Status, ...],
    to: Status,
    actor_id: int,
    reason: str | None = None,
) -> Status | None:
    """Move a submission to `to` if it is in one of `allowed_from`.

    Returns the state it left, or None when it was not in an allowed state: the
    conditional UPDATE makes the first of two racing moderators win.
    """
    async with conn.execute(
        "SELECT status FROM submissions WHERE id = ?", (submission_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None or row[0] not in allowed_from:
        return None
    previous = Status(row[0])
    now = time.time()
    placeholders = ",".join("?" for _ in allowed_from)
    if to == Status.CLAIMED:
        sql = (
            "UPDATE submissions SET status = ?, claimed_by = ?, updated_at = ?"
            f" WHERE id = ? AND status IN ({placeholders})"
        )
        params: tuple[Any, ...] = (to, actor_id, now, submission_id, *allowed_from)
    else:
        sql = (
            "UPDATE submissions SET status = ?, decided_by = ?, decided_at = ?, reason = ?,"
            f" updated_at = ? WHERE id = ? AND status IN ({placeholders})"
        )
        params = (to, actor_id, now, reason, now, submission_id, *allowed_from)
    cursor = await conn.execute(sql, params)
    return previous if cursor.rowcount == 1 else None


async def add_reply_in(
    conn: aiosqlite.Connection, submission_id: int, source_key: str, moderator_id: int, text: str
) -> bool:
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO submission_replies"
        " (submission_id, source_key, moderator_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
        (submission_id, source_key, moderator_id, text, time.time()),
    )
    return cursor.rowcount == 1


# Group messages


async def add_group_message(
    db: Database, submission_id: int, chat_id: int, message_id: int, is_card: bool
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT OR IGNORE INTO submission_group_messages"
            " (submission_id, chat_id, message_id, is_card) VALUES (?, ?, ?, ?)",
            (submission_id, chat_id, message_id, int(is_card)),
        )
        if is_card:
            await conn.execute(
                "UPDATE submissions SET card_chat_id = ?, card_message_id = ? WHERE id = ?",
                (chat_id, message_id, submission_id),
            )


# Personal data: what /mydata shows and /deleteme erases (see storage/personal_data.py)

# Accepted contributions are part of the consultation's record: they stay, without the sender.
KEPT_ON_ERASURE = (Status.APPROVED,)


async def export_in(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any] | None:
    rows = list(
        await conn.execute_fetchall(
            "SELECT * FROM submissions WHERE user_id = ? ORDER BY id", (user_id,)
        )
    )
    items = []
    for row in rows:
        files = await conn.execute_fetchall(
            "SELECT kind, file_name, mime_type, file_size FROM submission_files"
            " WHERE submission_id = ? ORDER BY id",
            (row["id"],),
        )
        answers = await conn.execute_fetchall(
            "SELECT text, created_at FROM submission_replies WHERE submission_id = ? ORDER BY id",
            (row["id"],),
        )
        items.append(
            {
                "reference": row["ref"],
                "kind": row["kind"],
                "topic": row["topic"],
                "text": row["text"],
                "status": row["status"],
                "reason": row["reason"],
                "sent_at": iso(row["created_at"]),
                "decided_at": iso(row["decided_at"]),
                "files": [dict(f) for f in files],
                "answers": [{"text": a["text"], "at": iso(a["created_at"])} for a in answers],
            }
        )
    draft = list(
        await conn.execute_fetchall(
            "SELECT topic, created_at FROM contribution_drafts WHERE user_id = ?", (user_id,)
        )
    )
    banned = list(
        await conn.execute_fetchall("SELECT banned_at FROM bans WHERE user_id = ?", (user_id,))
    )
    if not items and not draft and not banned:
        return None
    return {
        "sent": items,
        "unfinished_contribution": (
            {"topic": draft[0]["topic"], "started_at": iso(draft[0]["created_at"])}
            if draft
            else None
        ),
        "banned_since": iso(banned[0]["banned_at"]) if banned else None,
    }


async def subjects_in(conn: aiosqlite.Connection, user_id: int) -> list[str]:
    rows = await conn.execute_fetchall("SELECT id FROM submissions WHERE user_id = ?", (user_id,))
    return [f"submission:{r['id']}" for r in rows]


@dataclass(frozen=True)
class Erased:
    kept: int
    deleted: int


@dataclass(frozen=True)
class GroupMessage:
    """A message in the moderators' group that shows part of a submission."""

    submission_id: int
    ref: str
    text: str
    kept: bool
    chat_id: int
    message_id: int
    is_card: bool


async def group_messages_of_user_in(conn: aiosqlite.Connection, user_id: int) -> list[GroupMessage]:
    """The group messages of a person's submissions: those to be deleted first, then the kept."""
    rows = await conn.execute_fetchall(
        "SELECT s.id, s.ref, s.status, s.text, g.chat_id, g.message_id, g.is_card"
        " FROM submissions AS s JOIN submission_group_messages AS g ON g.submission_id = s.id"
        " WHERE s.user_id = ? ORDER BY s.id",
        (user_id,),
    )
    found = [
        GroupMessage(
            int(r["id"]), str(r["ref"]), str(r["text"]), r["status"] in KEPT_ON_ERASURE,
            int(r["chat_id"]), int(r["message_id"]), bool(r["is_card"]),
        )
        for r in rows
    ]  # fmt: skip
    return sorted(found, key=lambda m: m.kept)


async def erase_in(conn: aiosqlite.Connection, user_id: int) -> Erased:
    """Delete what the person sent, except accepted contributions, which lose the sender.

    The outbox keeps no copy of their cards: what is not yet sent is not sent at all, and
    what was sent keeps no text. Emptying the cards in the group is the feature's part
    (bot/contributions/service.take_down_in), queued in the same transaction before this.
    """
    rows = list(
        await conn.execute_fetchall(
            "SELECT id, status FROM submissions WHERE user_id = ?", (user_id,)
        )
    )
    kept = [r for r in rows if r["status"] in KEPT_ON_ERASURE]
    deleted = [r for r in rows if r["status"] not in KEPT_ON_ERASURE]
    for row in rows:
        await outbox.forget_payloads(conn, outbox.submission_cards(int(row["id"])))
    await conn.executemany("DELETE FROM submissions WHERE id = ?", [(r["id"],) for r in deleted])
    await conn.execute(
        "UPDATE submissions SET user_id = NULL, source_key = 'erased:' || id WHERE user_id = ?",
        (user_id,),
    )
    return Erased(kept=len(kept), deleted=len(deleted))
