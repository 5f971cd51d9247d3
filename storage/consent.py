"""Consent records: when a person agreed to which privacy notice, and when that ended.

Nothing personal is stored for a purpose before a consent for it is recorded here; the
tables that hold personal data reference a consent row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.audit import iso
from storage.db import Database
from storage.rows import from_row

REGISTRATION = "registration"


@dataclass(frozen=True)
class Consent:
    id: int
    user_id: int | None
    purpose: str
    notice_version: str
    given_at: float
    withdrawn_at: float | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


def _consent(row: aiosqlite.Row) -> Consent:
    return from_row(Consent, row)


async def give_in(
    conn: aiosqlite.Connection,
    user_id: int,
    purpose: str,
    notice_version: str,
    now: float | None = None,
) -> Consent:
    """Record consent; an active consent to the same notice is reused, not repeated."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM consents WHERE user_id = ? AND purpose = ? AND notice_version = ?"
        " AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1",
        (user_id, purpose, notice_version),
    )
    for row in rows:
        return _consent(row)
    given_at = time.time() if now is None else now
    cursor = await conn.execute(
        "INSERT INTO consents (user_id, purpose, notice_version, given_at) VALUES (?, ?, ?, ?)",
        (user_id, purpose, notice_version, given_at),
    )
    assert cursor.lastrowid is not None
    return Consent(cursor.lastrowid, user_id, purpose, notice_version, given_at, None)


async def active(
    db: Database, user_id: int, purpose: str, notice_version: str | None = None
) -> Consent | None:
    """The person's latest active consent for a purpose (to a given notice, if named)."""
    row = await db.fetchone(
        "SELECT * FROM consents WHERE user_id = ? AND purpose = ? AND withdrawn_at IS NULL"
        " AND (? IS NULL OR notice_version = ?) ORDER BY id DESC LIMIT 1",
        (user_id, purpose, notice_version, notice_version),
    )
    return None if row is None else _consent(row)


async def of_user(db: Database, user_id: int) -> list[Consent]:
    rows = await db.fetchall("SELECT * FROM consents WHERE user_id = ? ORDER BY id", (user_id,))
    return [_consent(r) for r in rows]


async def withdraw_in(
    conn: aiosqlite.Connection, user_id: int, purpose: str, now: float | None = None
) -> int:
    """End every active consent of the person for a purpose; returns how many ended."""
    cursor = await conn.execute(
        "UPDATE consents SET withdrawn_at = ? WHERE user_id = ? AND purpose = ?"
        " AND withdrawn_at IS NULL",
        (time.time() if now is None else now, user_id, purpose),
    )
    return cursor.rowcount


async def release_unused_in(
    conn: aiosqlite.Connection, consent_id: int, now: float | None = None
) -> bool:
    """A form was cancelled: its consent ends unless a registration still relies on it."""
    cursor = await conn.execute(
        "UPDATE consents SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.consent_id = consents.id"
        " AND r.status IN ('confirmed', 'verified'))",
        (time.time() if now is None else now, consent_id),
    )
    return cursor.rowcount == 1


async def export_in(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, Any]]:
    rows = await conn.execute_fetchall(
        "SELECT * FROM consents WHERE user_id = ? ORDER BY id", (user_id,)
    )
    return [
        {
            "purpose": c.purpose,
            "privacy_notice_version": c.notice_version,
            "given_at": iso(c.given_at),
            "withdrawn_at": iso(c.withdrawn_at),
        }
        for c in map(_consent, rows)
    ]


async def erase_in(conn: aiosqlite.Connection, user_id: int, now: float | None = None) -> int:
    """Withdraw and unlink the person's consents; the records stay. Returns how many."""
    when = time.time() if now is None else now
    cursor = await conn.execute(
        "UPDATE consents SET withdrawn_at = COALESCE(withdrawn_at, ?), user_id = NULL"
        " WHERE user_id = ?",
        (when, user_id),
    )
    return cursor.rowcount
