"""Announcements and who they go to: drafts, schedule, recipients fixed at the start."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import aiosqlite

from storage.db import Database
from storage.registrations import ACTIVE, KINDS, MODES
from storage.rows import from_row
from storage.subscriptions import TOPICS


class Status(StrEnum):
    """Where an announcement stands; migration 0016's CHECK lists the same values."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"


# Recipients in these states will not be sent anything (more).
OPEN_STATES = (Status.SCHEDULED, Status.SENDING, Status.PAUSED)
# Whose progress is still followed (a cancelled one until its report is out).
FOLLOWED = (Status.SENDING, Status.PAUSED, Status.CANCELLED)


class RecipientState(StrEnum):
    """Where one recipient stands: not yet handed over, handed to the outbox, skipped (they
    blocked the bot) or dropped (cancelled); migration 0016's CHECK lists the same values."""

    WAITING = "waiting"
    QUEUED = "queued"
    SKIPPED = "skipped"
    DROPPED = "dropped"


def _marks(values: tuple[object, ...]) -> str:
    return ", ".join("?" for _ in values)


@dataclass(frozen=True)
class Audience:
    """Who an announcement is for, stored as a short code.

    topic:<topic>  subscribers of a topic; all: anyone subscribed to anything;
    kinds:<k,...>  registered participants of those kinds; mode:<mode>  who chose that event.
    """

    kind: Literal["topic", "all", "kinds", "mode"]
    values: tuple[str, ...] = ()

    def code(self) -> str:
        return self.kind if self.kind == "all" else f"{self.kind}:{','.join(self.values)}"

    @classmethod
    def parse(cls, code: str) -> Audience | None:
        kind, _, rest = code.partition(":")
        values = tuple(v for v in rest.split(",") if v)
        if kind == "all" and not values:
            return cls("all")
        if kind == "topic" and len(values) == 1 and values[0] in TOPICS:
            return cls("topic", values)
        if kind == "kinds" and values and all(v in KINDS for v in values):
            return cls("kinds", tuple(k for k in KINDS if k in values))
        if kind == "mode" and len(values) == 1 and values[0] in MODES:
            return cls("mode", values)
        return None

    @property
    def topic(self) -> str | None:
        """The topic whose unsubscribe button ends each message; None: from everything."""
        if self.kind == "topic":
            return self.values[0]
        # Registered participants hear about the events they chose; "stop" opts out of events.
        return None if self.kind == "all" else "events"


@dataclass(frozen=True)
class Announcement:
    id: int
    created_by: int
    admin_chat_id: int
    admin_language: str
    text_km: str | None
    text_en: str | None
    media_kind: str | None
    media_message_id: int | None
    audience: Audience | None
    status: Status
    send_at: float | None
    total: int
    progress_message_id: int | None
    progress_at: float | None
    result: dict[str, int] | None
    started_at: float | None

    def text(self, language: str) -> str:
        return (self.text_km if language == "km" else self.text_en) or ""


def _announcement(row: aiosqlite.Row) -> Announcement:
    return from_row(
        Announcement,
        row,
        audience=Audience.parse(row["audience"]) if row["audience"] else None,
        status=Status(row["status"]),
        result=None if row["result"] is None else json.loads(row["result"]),
    )


async def get(db: Database, announcement_id: int) -> Announcement | None:
    row = await db.fetchone("SELECT * FROM announcements WHERE id = ?", (announcement_id,))
    return None if row is None else _announcement(row)


async def new_draft_in(
    conn: aiosqlite.Connection, admin_id: int, chat_id: int, language: str
) -> int:
    """A fresh draft; an admin's older unfinished draft is dropped."""
    await conn.execute(
        "DELETE FROM announcements WHERE created_by = ? AND status = ?", (admin_id, Status.DRAFT)
    )
    cursor = await conn.execute(
        "INSERT INTO announcements (created_by, admin_chat_id, admin_language, status, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (admin_id, chat_id, language, Status.DRAFT, time.time()),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def draft_of(db: Database, admin_id: int) -> Announcement | None:
    row = await db.fetchone(
        "SELECT * FROM announcements WHERE created_by = ? AND status = ? ORDER BY id DESC LIMIT 1",
        (admin_id, Status.DRAFT),
    )
    return None if row is None else _announcement(row)


DRAFT_FIELDS = frozenset(
    {"text_km", "text_en", "media_kind", "media_message_id", "audience", "send_at"}
)


async def update_draft(db: Database, announcement_id: int, **fields: Any) -> None:
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"not draft fields: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    async with db.transaction() as conn:
        await conn.execute(
            f"UPDATE announcements SET {assignments} WHERE id = ? AND status = ?",
            (*fields.values(), announcement_id, Status.DRAFT),
        )


def _audience_sql(audience: Audience, default_language: str) -> tuple[str, tuple[object, ...]]:
    """SELECT user_id, language of everyone the audience names who can be reached."""
    language = "COALESCE(u.language, s_lang.language, r.language, ?)"
    reachable = " AND COALESCE(u.blocked_bot, 0) = 0"
    joins = (
        " LEFT JOIN users AS u ON u.user_id = p.user_id"
        " LEFT JOIN registrations AS r ON r.user_id = p.user_id"
        " LEFT JOIN (SELECT user_id, MAX(language) AS language FROM subscriptions"
        " GROUP BY user_id) AS s_lang ON s_lang.user_id = p.user_id"
    )
    if audience.kind in ("topic", "all"):
        where = "subscribed = 1" + (" AND topic = ?" if audience.kind == "topic" else "")
        people = f"(SELECT DISTINCT user_id FROM subscriptions WHERE {where}) AS p"
        params: tuple[object, ...] = (default_language, *audience.values)
        select = f"SELECT p.user_id AS user_id, {language} AS language FROM {people}{joins}"
        return f"{select} WHERE 1 = 1{reachable}", params
    opted_out = (
        " AND NOT EXISTS (SELECT 1 FROM subscriptions AS o WHERE o.user_id = p.user_id"
        " AND o.topic = 'events' AND o.subscribed = 0)"
    )
    if audience.kind == "kinds":
        marks = ",".join("?" for _ in audience.values)
        chosen = f"kind IN ({marks})"
    else:
        marks = "?"
        chosen = "EXISTS (SELECT 1 FROM json_each(registrations.modes) WHERE value = ?)"
    people = (
        f"(SELECT user_id FROM registrations WHERE status IN ({_marks(ACTIVE)}) AND {chosen}) AS p"
    )
    sql = (
        f"SELECT p.user_id AS user_id, {language} AS language FROM {people}{joins}"
        f" WHERE 1 = 1{reachable}{opted_out}"
    )
    return sql, (default_language, *ACTIVE, *audience.values)


async def count_audience(db: Database, audience: Audience, default_language: str) -> dict[str, int]:
    """Recipients per language, as they would be if sending started now."""
    sql, params = _audience_sql(audience, default_language)
    rows = await db.fetchall(
        f"SELECT language, COUNT(*) AS n FROM ({sql}) GROUP BY language",
        params,
    )
    return {str(r["language"]): int(r["n"]) for r in rows}


async def schedule_in(conn: aiosqlite.Connection, announcement_id: int, send_at: float) -> bool:
    cursor = await conn.execute(
        "UPDATE announcements SET status = ?, send_at = ? WHERE id = ? AND status = ?",
        (Status.SCHEDULED, send_at, announcement_id, Status.DRAFT),
    )
    return cursor.rowcount == 1


async def due_to_start(db: Database, now: float) -> list[int]:
    rows = await db.fetchall(
        "SELECT id FROM announcements WHERE status = ? AND send_at <= ? ORDER BY send_at",
        (Status.SCHEDULED, now),
    )
    return [int(r["id"]) for r in rows]


async def next_send_at(db: Database) -> float | None:
    """When the earliest scheduled announcement is due (None: nothing is scheduled)."""
    row = await db.fetchone(
        "SELECT MIN(send_at) AS at FROM announcements WHERE status = ?", (Status.SCHEDULED,)
    )
    return None if row is None or row["at"] is None else float(row["at"])


async def start_in(
    conn: aiosqlite.Connection, announcement: Announcement, default_language: str
) -> int:
    """Fix the recipients and start sending; returns how many there are."""
    assert announcement.audience is not None
    sql, params = _audience_sql(announcement.audience, default_language)
    await conn.execute(
        "INSERT OR IGNORE INTO announcement_recipients (announcement_id, user_id, language)"
        f" SELECT ?, user_id, language FROM ({sql})",
        (announcement.id, *params),
    )
    rows = list(
        await conn.execute_fetchall(
            "SELECT COUNT(*) AS n FROM announcement_recipients WHERE announcement_id = ?",
            (announcement.id,),
        )
    )
    total = int(rows[0]["n"])
    await conn.execute(
        "UPDATE announcements SET status = ?, total = ?, started_at = ?"
        " WHERE id = ? AND status = ?",
        (Status.SENDING, total, time.time(), announcement.id, Status.SCHEDULED),
    )
    return total


async def in_progress(db: Database) -> list[Announcement]:
    rows = await db.fetchall(
        "SELECT * FROM announcements WHERE status IN (?, ?)"
        " OR (status = ? AND started_at IS NOT NULL AND result IS NULL) ORDER BY id",
        (Status.SENDING, Status.PAUSED, Status.CANCELLED),
    )
    return [_announcement(r) for r in rows]


@dataclass(frozen=True)
class Recipient:
    user_id: int
    language: str
    blocked: bool


async def next_waiting_in(
    conn: aiosqlite.Connection, announcement_id: int, limit: int
) -> list[Recipient]:
    rows = await conn.execute_fetchall(
        "SELECT a.user_id, a.language, COALESCE(u.blocked_bot, 0) AS blocked"
        " FROM announcement_recipients AS a LEFT JOIN users AS u ON u.user_id = a.user_id"
        " WHERE a.announcement_id = ? AND a.state = ? ORDER BY a.user_id LIMIT ?",
        (announcement_id, RecipientState.WAITING, limit),
    )
    return [Recipient(r["user_id"], r["language"], bool(r["blocked"])) for r in rows]


async def mark_in(
    conn: aiosqlite.Connection, announcement_id: int, user_ids: list[int], state: RecipientState
) -> None:
    await conn.executemany(
        "UPDATE announcement_recipients SET state = ? WHERE announcement_id = ? AND user_id = ?",
        [(state, announcement_id, user_id) for user_id in user_ids],
    )


async def drop_waiting_in(conn: aiosqlite.Connection, announcement_id: int) -> int:
    cursor = await conn.execute(
        "UPDATE announcement_recipients SET state = ? WHERE announcement_id = ? AND state = ?",
        (RecipientState.DROPPED, announcement_id, RecipientState.WAITING),
    )
    return cursor.rowcount


async def states(db: Database, announcement_id: int) -> dict[str, int]:
    rows = await db.fetchall(
        "SELECT state, COUNT(*) AS n FROM announcement_recipients"
        " WHERE announcement_id = ? GROUP BY state",
        (announcement_id,),
    )
    return {str(r["state"]): int(r["n"]) for r in rows}


async def move_in(
    conn: aiosqlite.Connection, announcement_id: int, from_states: tuple[Status, ...], to: Status
) -> bool:
    cursor = await conn.execute(
        f"UPDATE announcements SET status = ? WHERE id = ? AND status IN ({_marks(from_states)})",
        (to, announcement_id, *from_states),
    )
    return cursor.rowcount == 1


async def finish_in(
    conn: aiosqlite.Connection, announcement_id: int, to: Status, result: dict[str, int]
) -> bool:
    cursor = await conn.execute(
        "UPDATE announcements SET status = ?, result = ?, finished_at = ?"
        f" WHERE id = ? AND status IN ({_marks(FOLLOWED)}) AND result IS NULL",
        (to, json.dumps(result, sort_keys=True), time.time(), announcement_id, *FOLLOWED),
    )
    return cursor.rowcount == 1


async def set_progress(db: Database, announcement_id: int, message_id: int | None = None) -> None:
    """Progress was shown now; or, given a message id, that message is to show it next."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE announcements SET progress_at = CASE WHEN ? IS NULL THEN ? END,"
            " progress_message_id = COALESCE(?, progress_message_id) WHERE id = ?",
            (message_id, time.time(), message_id, announcement_id),
        )


async def export_in(conn: aiosqlite.Connection, user_id: int) -> int:
    """How many announcements were addressed to the person."""
    rows = list(
        await conn.execute_fetchall(
            "SELECT COUNT(*) AS n FROM announcement_recipients WHERE user_id = ?", (user_id,)
        )
    )
    return int(rows[0]["n"])


async def erase_in(conn: aiosqlite.Connection, user_id: int) -> None:
    await conn.execute("DELETE FROM announcement_recipients WHERE user_id = ?", (user_id,))
