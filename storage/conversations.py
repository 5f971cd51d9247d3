"""Stored ConversationHandler states."""

from __future__ import annotations

import json

import aiosqlite

from storage.db import Database

ConversationWrite = tuple[str, tuple[int | str, ...], object | None]


async def load_all(db: Database, name: str) -> dict[tuple[int | str, ...], object]:
    rows = await db.fetchall("SELECT key, state FROM conversations WHERE name = ?", (name,))
    return {tuple(json.loads(r["key"])): json.loads(r["state"]) for r in rows}


async def save_in(conn: aiosqlite.Connection, writes: list[ConversationWrite]) -> None:
    """Write states inside the caller's transaction; None ends a conversation."""
    for name, key, state in writes:
        if state is None:
            await conn.execute(
                "DELETE FROM conversations WHERE name = ? AND key = ?", (name, json.dumps(key))
            )
        else:
            await conn.execute(
                "INSERT INTO conversations (name, key, state) VALUES (?, ?, ?)"
                " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                (name, json.dumps(key), json.dumps(state)),
            )


async def save(db: Database, writes: list[ConversationWrite]) -> None:
    async with db.transaction() as conn:
        await save_in(conn, writes)
