"""Stored ConversationHandler states."""

from __future__ import annotations

import json
import sqlite3

import aiosqlite

from storage.db import Database

ConversationWrite = tuple[str, tuple[int | str, ...], object | None]


async def load_all(db: Database, name: str) -> dict[tuple[int | str, ...], object]:
    rows = await db.fetchall("SELECT key, state FROM conversations WHERE name = ?", (name,))
    return {tuple(json.loads(r["key"])): json.loads(r["state"]) for r in rows}


_DELETE = "DELETE FROM conversations WHERE name = ? AND key = ?"
_UPSERT = (
    "INSERT INTO conversations (name, key, state) VALUES (?, ?, ?)"
    " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state"
)


async def save_in(conn: aiosqlite.Connection, writes: list[ConversationWrite]) -> None:
    """Write states inside the caller's transaction; None ends a conversation."""
    for name, key, state in writes:
        if state is None:
            await conn.execute(_DELETE, (name, json.dumps(key)))
        else:
            await conn.execute(_UPSERT, (name, json.dumps(key), json.dumps(state)))


def save_sync(conn: sqlite3.Connection, writes: list[ConversationWrite]) -> None:
    """save_in() for a transaction run in the database's thread (Database.run_transaction)."""
    for name, key, state in writes:
        if state is None:
            conn.execute(_DELETE, (name, json.dumps(key)))
        else:
            conn.execute(_UPSERT, (name, json.dumps(key), json.dumps(state)))


async def save(db: Database, writes: list[ConversationWrite]) -> None:
    async with db.transaction() as conn:
        await save_in(conn, writes)
