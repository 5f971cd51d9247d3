"""Rows for the admins' CSV exports, streamed from the database a batch at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from storage.audit import iso
from storage.db import Database

BATCH = 500
KINDS = ("registrations", "submissions", "subscriptions")

_QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    "registrations": (
        (
            "reference", "kind", "full_name", "organisation", "position", "interests",
            "participation", "email", "phone", "language", "status", "created_at",
            "updated_at", "verified_at",
        ),
        "SELECT printf('R-%06d', id), kind, full_name, organisation, position, interests,"
        " modes, email, phone, language, status, created_at, updated_at, verified_at, id"
        " FROM registrations WHERE id > ? ORDER BY id LIMIT ?",
    ),
    "submissions": (
        (
            "reference", "kind", "language", "topic", "status", "text", "reason",
            "created_at", "decided_at",
        ),
        "SELECT ref, kind, language, topic, status, text, reason, created_at, decided_at, id"
        " FROM submissions WHERE id > ? ORDER BY id LIMIT ?",
    ),
    "subscriptions": (
        ("telegram_user_id", "topic", "subscribed", "language", "changed_at"),
        "SELECT user_id, topic, subscribed, language, changed_at, rowid_key FROM ("
        " SELECT *, user_id * 10 + CASE topic WHEN 'events' THEN 0 WHEN 'strategy' THEN 1"
        " ELSE 2 END AS rowid_key FROM subscriptions) WHERE rowid_key > ?"
        " ORDER BY rowid_key LIMIT ?",
    ),
}  # fmt: skip
_TIMES = {"created_at", "updated_at", "verified_at", "decided_at", "changed_at"}


def header(kind: str) -> tuple[str, ...]:
    return _QUERIES[kind][0]


async def rows(db: Database, kind: str) -> AsyncIterator[Sequence[Any]]:
    """Every row of an export, BATCH at a time (keyset pagination): memory stays flat."""
    columns, sql = _QUERIES[kind]
    after: int = -1
    while True:
        batch = await db.fetchall(sql, (after, BATCH))
        if not batch:
            return
        for row in batch:
            values = list(row)[: len(columns)]
            yield [
                iso(v) if name in _TIMES and v is not None else v
                for name, v in zip(columns, values, strict=True)
            ]
        last = batch[-1]
        after = int(last[len(columns)])
