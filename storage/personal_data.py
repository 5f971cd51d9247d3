"""Everything the bot stores about one person: exported on request, erased on request.

Extension point: every aggregate that stores something about a person adds one DataPart to
PARTS, with three plain functions that run inside the caller's transaction:

    export(conn, user_id)      -> a JSON-ready value (None or [] when nothing is stored)
    erase(conn, user_id, now)  -> list[Remaining]: what it had to keep, for the person to read
    subjects(conn, user_id)    -> audit-log subjects about the person (optional)

For example, contributions would add

    DataPart("contributions", contributions.export_in, contributions.erase_in,
             contributions.subjects_in)

where erase_in deletes unpublished contributions and strips name and contact from published
ones, returning [Remaining("contributions-published", {"count": n})] when it kept some. Each
Remaining code needs a message `mydata-remains-<code>` in both locales (the /deleteme answer
shows it; a test checks the codes used here).

The audit log is handled last, by this module: entries about the subjects the parts name,
and the person's own actions, are exported; on erasure they stay, unlinked from the person.
Parts run in PARTS order; subjects are collected before anything is erased.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from storage import (
    announcements,
    audit,
    bans,
    consent,
    drafts,
    outbox,
    registrations,
    submissions,
    subscriptions,
)
from storage.audit import iso
from storage.db import Database

EXPORT_FORMAT = "cambodia-ai-strategy-bot/personal-data/1"


@dataclass(frozen=True)
class Remaining:
    """Something kept after erasure, described by a code and the values its text needs."""

    code: str
    args: dict[str, str | int] = field(default_factory=dict)


Exporter = Callable[[aiosqlite.Connection, int], Awaitable[Any]]
Eraser = Callable[[aiosqlite.Connection, int, float], Awaitable[list[Remaining]]]
SubjectFinder = Callable[[aiosqlite.Connection, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class DataPart:
    """One aggregate's share of what is stored about a person."""

    name: str
    export: Exporter
    erase: Eraser
    subjects: SubjectFinder | None = None


# ----------------------------------------------------------------------------- users


async def _export_user(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any] | None:
    rows = list(await conn.execute_fetchall("SELECT * FROM users WHERE user_id = ?", (user_id,)))
    if not rows:
        return None
    row = rows[0]
    return {
        "language": row["language"],
        "first_seen": iso(row["first_seen"]),
        "last_seen": iso(row["last_seen"]),
        "blocked_the_bot": bool(row["blocked_bot"]),
    }


async def _erase_user(conn: aiosqlite.Connection, user_id: int, now: float) -> list[Remaining]:
    # The whole row: the language chosen and when they wrote. Writing again starts afresh.
    await conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
    return []


# ----------------------------------------------------------------------------- registrations


async def _erase_registration(
    conn: aiosqlite.Connection, user_id: int, now: float
) -> list[Remaining]:
    erased = await registrations.erase_in(conn, user_id, now)
    if erased is None:
        return []
    return [Remaining("registration", {"reference": erased.reference})]


async def _erase_draft(conn: aiosqlite.Connection, user_id: int, now: float) -> list[Remaining]:
    await registrations.delete_draft_in(conn, user_id)
    return []


async def _erase_consents(conn: aiosqlite.Connection, user_id: int, now: float) -> list[Remaining]:
    count = await consent.erase_in(conn, user_id, now)
    return [Remaining("consents", {"count": count})] if count else []


# ----------------------------------------------------------------------------- conversations


_OWN_CONVERSATIONS = (
    "FROM conversations WHERE EXISTS (SELECT 1 FROM json_each(conversations.key)"
    " WHERE json_each.value = ?)"
)


async def _export_conversations(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, Any]]:
    rows = await conn.execute_fetchall(f"SELECT name, state {_OWN_CONVERSATIONS}", (user_id,))
    return [{"form": r["name"], "at_step": json.loads(r["state"])} for r in rows]


async def open_forms(db: Database, user_id: int) -> list[str]:
    """Names of the conversations (forms) the person has open, as last committed."""
    rows = await db.fetchall(f"SELECT name {_OWN_CONVERSATIONS}", (user_id,))
    return [str(r["name"]) for r in rows]


async def _erase_conversations(
    conn: aiosqlite.Connection, user_id: int, now: float
) -> list[Remaining]:
    await conn.execute(f"DELETE {_OWN_CONVERSATIONS}", (user_id,))
    return []


# ----------------------------------------------------------------------------- outbox


async def _export_outbox(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, Any]]:
    rows = await outbox.export_chat_in(conn, user_id)
    return [
        {"status": r["status"], "queued_at": iso(r["created_at"]), "sent_at": iso(r["sent_at"])}
        for r in rows
    ]


async def _erase_outbox(conn: aiosqlite.Connection, user_id: int, now: float) -> list[Remaining]:
    # Messages to the person, sent or not: their text can carry what they gave; and the pace
    # of their chat, which says when the bot last wrote to them.
    await outbox.erase_chat_in(conn, user_id)
    return []


# ----------------------------------------------------------------------------- contributions


async def _erase_submissions(
    conn: aiosqlite.Connection, user_id: int, now: float
) -> list[Remaining]:
    erased = await submissions.erase_in(conn, user_id)
    await drafts.delete_draft_in(conn, user_id)
    remaining = []
    if erased.kept:
        remaining.append(Remaining("contributions-kept", {"count": erased.kept}))
    if await bans.is_banned_in(conn, user_id):
        remaining.append(Remaining("ban"))
    return remaining


# ----------------------------------------------------------------------------- subscriptions


async def _erase_subscriptions(
    conn: aiosqlite.Connection, user_id: int, now: float
) -> list[Remaining]:
    await subscriptions.erase_in(conn, user_id)
    return []


async def _erase_announcements(
    conn: aiosqlite.Connection, user_id: int, now: float
) -> list[Remaining]:
    # Who an announcement went to: the person's id is all it holds, so it goes.
    await announcements.erase_in(conn, user_id)
    return []


PARTS: list[DataPart] = [
    DataPart("user", _export_user, _erase_user),
    DataPart(
        "registration", registrations.export_in, _erase_registration, registrations.subjects_in
    ),
    DataPart("registration_draft", registrations.export_draft_in, _erase_draft),
    DataPart("consents", consent.export_in, _erase_consents),
    DataPart("open_forms", _export_conversations, _erase_conversations),
    DataPart("messages_to_you", _export_outbox, _erase_outbox),
    DataPart("contributions", submissions.export_in, _erase_submissions, submissions.subjects_in),
    DataPart("subscriptions", subscriptions.export_in, _erase_subscriptions),
    DataPart("announcements_addressed_to_you", announcements.export_in, _erase_announcements),
]
AUDIT_PART = "audit_log"


async def _subjects_in(conn: aiosqlite.Connection, user_id: int) -> list[str]:
    found: list[str] = []
    for part in PARTS:
        if part.subjects is not None:
            found.extend(await part.subjects(conn, user_id))
    return found


async def export(db: Database, user_id: int) -> dict[str, Any]:
    """Everything stored about the person, as one JSON-ready document (one consistent read)."""
    async with db.transaction() as conn:
        document: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "generated_at": iso(time.time()),
            "telegram_user_id": user_id,
        }
        for part in PARTS:
            document[part.name] = await part.export(conn, user_id)
        document[AUDIT_PART] = await audit.export_in(
            conn, user_id, await _subjects_in(conn, user_id)
        )
    return document


async def erase_in(
    conn: aiosqlite.Connection, user_id: int, now: float | None = None
) -> list[Remaining]:
    """Erase the person's data inside the caller's transaction; returns what remains."""
    when = time.time() if now is None else now
    subjects = await _subjects_in(conn, user_id)
    remaining: list[Remaining] = []
    for part in PARTS:
        remaining.extend(await part.erase(conn, user_id, when))
    kept = await audit.erase_in(conn, user_id, subjects)
    if kept:
        remaining.append(Remaining("audit", {"count": kept}))
    return remaining


async def erase(db: Database, user_id: int, now: float | None = None) -> list[Remaining]:
    async with db.transaction() as conn:
        return await erase_in(conn, user_id, now)


# Codes a Remaining can carry here; other aggregates add theirs (and their messages).
REMAINING_CODES = ("registration", "consents", "audit", "contributions-kept", "ban")
