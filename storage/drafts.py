"""A contribution being written: its topic, texts and files, until Send or Cancel."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiosqlite

from storage.db import Database
from storage.submissions import Attachment, attachment_of


@dataclass(frozen=True)
class Draft:
    user_id: int
    topic: str | None
    text: str
    last_album: str | None
    attachments: list[Attachment]


async def start_draft(db: Database, user_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM contribution_drafts WHERE user_id = ?", (user_id,))
        await conn.execute(
            "INSERT INTO contribution_drafts (user_id, created_at) VALUES (?, ?)",
            (user_id, time.time()),
        )


async def get_draft(db: Database, user_id: int) -> Draft | None:
    row = await db.fetchone("SELECT * FROM contribution_drafts WHERE user_id = ?", (user_id,))
    if row is None:
        return None
    files = await db.fetchall(
        "SELECT * FROM contribution_draft_files WHERE user_id = ? ORDER BY source_message_id",
        (user_id,),
    )
    attachments = [attachment_of(f) for f in files]
    texts = await db.fetchall(
        "SELECT text FROM contribution_draft_texts WHERE user_id = ? ORDER BY source_message_id",
        (user_id,),
    )
    text = "\n\n".join(t["text"] for t in texts)
    return Draft(user_id, row["topic"], text, row["last_album"], attachments)


async def set_draft_topic(db: Database, user_id: int, topic: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE contribution_drafts SET topic = ? WHERE user_id = ?", (topic, user_id)
        )


async def add_draft_text(db: Database, user_id: int, message_id: int, text: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT OR IGNORE INTO contribution_draft_texts (user_id, source_message_id, text)"
            " VALUES (?, ?, ?)",
            (user_id, message_id, text),
        )


async def add_draft_file(db: Database, user_id: int, attachment: Attachment) -> bool:
    """False if this message was already added (a replayed update)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO contribution_draft_files (user_id, source_message_id, kind,"
            " file_id, file_unique_id, file_name, mime_type, file_size, media_group_id,"
            " source_chat_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                attachment.source_message_id,
                attachment.kind,
                attachment.file_id,
                attachment.file_unique_id,
                attachment.file_name,
                attachment.mime_type,
                attachment.file_size,
                attachment.media_group_id,
                attachment.source_chat_id,
            ),
        )
        if attachment.media_group_id:
            await conn.execute(
                "UPDATE contribution_drafts SET last_album = ? WHERE user_id = ?",
                (attachment.media_group_id, user_id),
            )
        return cursor.rowcount == 1


async def delete_draft_in(conn: aiosqlite.Connection, user_id: int) -> None:
    await conn.execute("DELETE FROM contribution_drafts WHERE user_id = ?", (user_id,))


async def delete_draft(db: Database, user_id: int) -> None:
    async with db.transaction() as conn:
        await delete_draft_in(conn, user_id)
