"""Topics people chose to hear about: opted in, opted out, and nothing else."""

from __future__ import annotations

import time
from typing import Any

import aiosqlite

from storage.audit import iso
from storage.db import Database

# Codes stored; labels are in the locales (sub-topic-<code>).
TOPICS = ("events", "strategy", "eservices")


async def topics_of(db: Database, user_id: int) -> set[str]:
    rows = await db.fetchall(
        "SELECT topic FROM subscriptions WHERE user_id = ? AND subscribed = 1", (user_id,)
    )
    return {str(r["topic"]) for r in rows}


async def set_in(
    conn: aiosqlite.Connection, user_id: int, topic: str, subscribed: bool, language: str
) -> bool:
    """Subscribe or unsubscribe; True if that changed anything."""
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}")
    cursor = await conn.execute(
        "INSERT INTO subscriptions (user_id, topic, subscribed, language, changed_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, topic) DO UPDATE SET"
        " subscribed = excluded.subscribed, language = excluded.language,"
        " changed_at = excluded.changed_at WHERE subscribed != excluded.subscribed",
        (user_id, topic, int(subscribed), language, time.time()),
    )
    return cursor.rowcount == 1


async def export_in(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, Any]]:
    rows = await conn.execute_fetchall(
        "SELECT topic, subscribed, changed_at FROM subscriptions WHERE user_id = ? ORDER BY topic",
        (user_id,),
    )
    return [
        {
            "topic": r["topic"],
            "subscribed": bool(r["subscribed"]),
            "changed_at": iso(r["changed_at"]),
        }
        for r in rows
    ]


async def erase_in(conn: aiosqlite.Connection, user_id: int) -> None:
    await conn.execute("DELETE FROM subscriptions WHERE user_id = ?", (user_id,))
