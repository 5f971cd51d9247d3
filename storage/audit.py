"""The audit log: who did what to which record, for every feature.

Entries name a record as subject ('registration:42', 'submission:17'); an entry about a
person rather than a record (a ban) names them with person_subject(), 'user:<id>', so that
erasure can find it. Details hold codes and counts, never names, contacts or what people
wrote. A person's own actions carry their Telegram id as actor until they erase their data;
staff actions keep their actor for good, so that the team stays accountable.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from storage.db import Database
from storage.rows import from_row

Role = Literal["person", "moderator", "admin", "system"]


@dataclass(frozen=True)
class Entry:
    id: int
    at: float
    actor_id: int | None
    actor_role: str
    action: str
    subject: str
    from_state: str | None
    to_state: str | None
    detail: dict[str, Any] | None


ERASED_PERSON = "user:erased"


def subject(aggregate: str, record_id: int) -> str:
    return f"{aggregate}:{record_id}"


def person_subject(user_id: int) -> str:
    return f"user:{user_id}"


async def record_in(
    conn: aiosqlite.Connection,
    *,
    actor_id: int | None,
    actor_role: Role,
    action: str,
    subject: str,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: dict[str, Any] | None = None,
    at: float | None = None,
) -> int:
    """Add an entry inside the caller's transaction, with the change it records."""
    cursor = await conn.execute(
        "INSERT INTO audit_log"
        " (at, actor_id, actor_role, action, subject, from_state, to_state, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            time.time() if at is None else at,
            actor_id,
            actor_role,
            action,
            subject,
            from_state,
            to_state,
            None if detail is None else json.dumps(detail, sort_keys=True),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def record(db: Database, **entry: Any) -> int:
    """Add an entry on its own, e.g. a refused attempt that changes nothing else."""
    async with db.transaction() as conn:
        return await record_in(conn, **entry)


def _entry(row: aiosqlite.Row) -> Entry:
    detail = row["detail"]
    return from_row(Entry, row, detail=None if detail is None else json.loads(detail))


async def for_subject(db: Database, subject: str) -> list[Entry]:
    rows = await db.fetchall("SELECT * FROM audit_log WHERE subject = ? ORDER BY id", (subject,))
    return [_entry(r) for r in rows]


async def _about_in(
    conn: aiosqlite.Connection, user_id: int, subjects: Iterable[str]
) -> list[aiosqlite.Row]:
    wanted = sorted({*subjects, person_subject(user_id)})
    marks = ",".join("?" for _ in wanted)
    about = f" OR subject IN ({marks})"
    return list(
        await conn.execute_fetchall(
            "SELECT * FROM audit_log WHERE (actor_id = ? AND actor_role = 'person')"
            f"{about} ORDER BY id",
            (user_id, *wanted),
        )
    )


async def export_in(
    conn: aiosqlite.Connection, user_id: int, subjects: Iterable[str]
) -> list[dict[str, Any]]:
    """The person's own actions and what was done to their records.

    Staff who acted are shown by role only: their ids are not the person's data.
    """
    entries = [_entry(r) for r in await _about_in(conn, user_id, subjects)]
    return [
        {
            "at": iso(e.at),
            "by": "you" if e.actor_id == user_id and e.actor_role == "person" else e.actor_role,
            "action": e.action,
            "subject": e.subject,
            "from": e.from_state,
            "to": e.to_state,
        }
        for e in entries
    ]


async def erase_in(conn: aiosqlite.Connection, user_id: int, subjects: Iterable[str]) -> int:
    """Unlink the person from the log; the entries stay. Returns how many concern them."""
    count = len(await _about_in(conn, user_id, subjects))
    await conn.execute(
        "UPDATE audit_log SET actor_id = NULL WHERE actor_id = ? AND actor_role = 'person'",
        (user_id,),
    )
    await conn.execute(
        "UPDATE audit_log SET subject = ? WHERE subject = ?",
        (ERASED_PERSON, person_subject(user_id)),
    )
    return count


def iso(timestamp: float | None) -> str | None:
    """UTC time as ISO 8601, for exports."""
    if timestamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
