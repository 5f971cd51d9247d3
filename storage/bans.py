"""Bans: people whose further submissions the moderators refuse."""

from __future__ import annotations

import time

import aiosqlite

from storage.db import Database


async def is_banned(db: Database, user_id: int) -> bool:
    return await db.fetchone("SELECT 1 FROM bans WHERE user_id = ?", (user_id,)) is not None


async def ban_in(
    conn: aiosqlite.Connection, user_id: int, banned_by: int, reason: str | None
) -> bool:
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO bans (user_id, banned_by, banned_at, reason) VALUES (?, ?, ?, ?)",
        (user_id, banned_by, time.time(), reason),
    )
    return cursor.rowcount == 1


async def unban_in(conn: aiosqlite.Connection, user_id: int) -> bool:
    cursor = await conn.execute("DELETE FROM bans WHERE user_id = ?", (user_id,))
    return cursor.rowcount == 1


async def is_banned_in(conn: aiosqlite.Connection, user_id: int) -> bool:
    rows = await conn.execute_fetchall("SELECT 1 FROM bans WHERE user_id = ?", (user_id,))
    return bool(list(rows))
