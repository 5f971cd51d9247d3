"""What the FAQ learns from its readers: votes on answers, and questions it missed."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass

import aiosqlite

from storage.db import Database

MAX_QUESTION_CHARS = 500


def vote_key(chat_id: int, message_id: int) -> str:
    """One vote per answer message, without keeping who voted."""
    return hashlib.sha256(f"{chat_id}:{message_id}".encode()).hexdigest()[:24]


async def record_vote(db: Database, key: str, entry_id: str, helpful: bool, language: str) -> bool:
    """False when this answer was already voted on."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO faq_feedback (vote_key, entry_id, helpful, language, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (key, entry_id, int(helpful), language, time.time()),
        )
        return cursor.rowcount == 1


async def record_unanswered(db: Database, normalized_question: str, language: str) -> None:
    question = normalized_question[:MAX_QUESTION_CHARS]
    if not question:
        return
    now = time.time()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO faq_unanswered (question, language, first_asked, last_asked)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (question) DO UPDATE SET"
            " asked = asked + 1, last_asked = excluded.last_asked",
            (question, language, now, now),
        )


@dataclass(frozen=True)
class Unanswered:
    question: str
    language: str
    asked: int


async def top_unanswered(db: Database, limit: int = 20) -> list[Unanswered]:
    rows = await db.fetchall(
        "SELECT question, language, asked FROM faq_unanswered"
        " ORDER BY asked DESC, last_asked DESC LIMIT ?",
        (limit,),
    )
    return [Unanswered(r["question"], r["language"], r["asked"]) for r in rows]


@dataclass(frozen=True)
class FeedbackCount:
    entry_id: str
    helpful: int
    not_helpful: int


async def feedback_counts(db: Database) -> list[FeedbackCount]:
    rows = await db.fetchall(
        "SELECT entry_id, SUM(helpful) AS yes, SUM(1 - helpful) AS no FROM faq_feedback"
        " GROUP BY entry_id ORDER BY entry_id"
    )
    return [FeedbackCount(r["entry_id"], int(r["yes"]), int(r["no"])) for r in rows]


def add_answers_given_sync(conn: sqlite3.Connection, counts: Mapping[tuple[str, str], int]) -> None:
    """Answers given per (entry, day), for the most-asked entries in /stats; inside the
    caller's transaction (the one that finishes the update that gave them)."""
    conn.executemany(
        "INSERT INTO faq_answers_given (entry_id, day, given) VALUES (?, ?, ?)"
        " ON CONFLICT (entry_id, day) DO UPDATE SET given = given + excluded.given",
        [(entry_id, day, n) for (entry_id, day), n in counts.items()],
    )


MAX_PHRASING_CHARS = 1000


@dataclass(frozen=True)
class Learned:
    entry_id: str
    phrasing: str
    language: str


async def learn_in(
    conn: aiosqlite.Connection, entry_id: str, phrasing: str, normalized: str, language: str
) -> None:
    """A moderator linked a question to an entry: keep it as a phrasing of that entry."""
    if not normalized:
        return
    await conn.execute(
        "INSERT INTO faq_learned (normalized, phrasing, entry_id, language, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (normalized) DO UPDATE SET"
        " entry_id = excluded.entry_id, phrasing = excluded.phrasing,"
        " language = excluded.language, created_at = excluded.created_at",
        (normalized, phrasing[:MAX_PHRASING_CHARS], entry_id, language, time.time()),
    )
    # The question has an answer now: it is no longer one the FAQ missed.
    await conn.execute("DELETE FROM faq_unanswered WHERE question = ?", (normalized,))


async def learned(db: Database) -> list[Learned]:
    rows = await db.fetchall(
        "SELECT entry_id, phrasing, language FROM faq_learned ORDER BY created_at, normalized"
    )
    return [Learned(r["entry_id"], r["phrasing"], r["language"]) for r in rows]
