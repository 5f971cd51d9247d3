"""People who talk to the bot: their language and whether they can be reached."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

import aiosqlite

from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class User:
    user_id: int
    language: str | None
    first_seen: float
    last_seen: float
    blocked_bot: bool


async def touch(db: Database, user_id: int) -> User:
    """Record that the person wrote now (they can be messaged again) and return them."""
    async with db.transaction() as conn:
        return await touch_in(conn, user_id)


_TOUCH = (
    "INSERT INTO users (user_id, first_seen, last_seen) VALUES (?, ?, ?)"
    " ON CONFLICT (user_id) DO UPDATE SET last_seen = excluded.last_seen,"
    " blocked_bot = 0 RETURNING *"
)


async def touch_in(conn: aiosqlite.Connection, user_id: int) -> User:
    """touch() inside the caller's transaction."""
    now = time.time()
    cursor = await conn.execute(_TOUCH, (user_id, now, now))
    row = await cursor.fetchone()
    assert row is not None
    return _user(row)


def touch_sync(conn: sqlite3.Connection, user_id: int) -> User:
    """touch() in a transaction run in the database's thread (Database.run_transaction)."""
    now = time.time()
    row = conn.execute(_TOUCH, (user_id, now, now)).fetchone()
    assert row is not None
    return _user(row)


async def get(db: Database, user_id: int) -> User | None:
    row = await db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
    return None if row is None else _user(row)


def _user(row: sqlite3.Row) -> User:
    return from_row(User, row, blocked_bot=bool(row["blocked_bot"]))


async def set_language(db: Database, user_id: int, language: str) -> None:
    now = time.time()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (user_id, language, first_seen, last_seen) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET language = excluded.language",
            (user_id, language, now, now),
        )


async def mark_blocked(db: Database, user_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET blocked_bot = 1 WHERE user_id = ?", (user_id,))
