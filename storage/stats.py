"""Figures for the admins' /stats: counts only, nobody's identity or words except the
normalised unanswered questions (which carry no id)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from storage import registrations
from storage.db import Database

DAY = 86400.0


@dataclass(frozen=True)
class Figures:
    people: int
    by_language: dict[str, int]
    active_7: int
    active_30: int
    blocked: int
    registrations_by_kind: dict[str, int]
    registrations_by_status: dict[str, int]
    submissions_by_status: dict[str, int]
    submissions_by_topic: dict[str, int]
    median_decision_seconds: float | None
    top_answers: list[tuple[str, int]]
    helpful: int
    unhelpful: int
    top_unanswered: list[tuple[str, int]]
    subscribers_by_topic: dict[str, int] = field(default_factory=dict)


async def _counts(db: Database, sql: str, params: tuple[object, ...] = ()) -> dict[str, int]:
    rows = await db.fetchall(sql, params)
    return {str(r[0]): int(r[1]) for r in rows}


async def _one(db: Database, sql: str, params: tuple[object, ...] = ()) -> int:
    row = await db.fetchone(sql, params)
    return 0 if row is None or row[0] is None else int(row[0])


async def median_decision_seconds(db: Database) -> float | None:
    """The median time from a submission to a moderator's decision, without loading them all."""
    decided = "FROM submissions WHERE decided_at IS NOT NULL"
    count = await _one(db, f"SELECT COUNT(*) {decided}")
    if count == 0:
        return None
    order = f"SELECT decided_at - created_at AS d {decided} ORDER BY d LIMIT ? OFFSET ?"
    rows = await db.fetchall(order, (2 - count % 2, (count - 1) // 2))
    return sum(float(r["d"]) for r in rows) / len(rows)


async def figures(db: Database, now: float | None = None, top: int = 5) -> Figures:
    at = time.time() if now is None else now
    votes = await db.fetchone(
        "SELECT COALESCE(SUM(helpful), 0), COALESCE(SUM(1 - helpful), 0) FROM faq_feedback"
    )
    answers = await db.fetchall(
        "SELECT entry_id, SUM(given) AS n FROM faq_answers_given GROUP BY entry_id"
        " ORDER BY n DESC, entry_id LIMIT ?",
        (top,),
    )
    unanswered = await db.fetchall(
        "SELECT question, asked FROM faq_unanswered ORDER BY asked DESC, last_asked DESC LIMIT ?",
        (top,),
    )
    return Figures(
        people=await _one(db, "SELECT COUNT(*) FROM users"),
        by_language=await _counts(
            db, "SELECT COALESCE(language, 'unset'), COUNT(*) FROM users GROUP BY 1"
        ),
        active_7=await _one(db, "SELECT COUNT(*) FROM users WHERE last_seen >= ?", (at - 7 * DAY,)),
        active_30=await _one(
            db, "SELECT COUNT(*) FROM users WHERE last_seen >= ?", (at - 30 * DAY,)
        ),
        blocked=await _one(db, "SELECT COUNT(*) FROM users WHERE blocked_bot = 1"),
        registrations_by_kind=await _counts(
            db,
            "SELECT kind, COUNT(*) FROM registrations"
            f" WHERE status IN ({', '.join('?' for _ in registrations.ACTIVE)}) GROUP BY kind",
            registrations.ACTIVE,
        ),
        registrations_by_status=await _counts(
            db, "SELECT status, COUNT(*) FROM registrations GROUP BY status"
        ),
        submissions_by_status=await _counts(
            db, "SELECT status, COUNT(*) FROM submissions GROUP BY status"
        ),
        submissions_by_topic=await _counts(
            db, "SELECT COALESCE(topic, 'unset'), COUNT(*) FROM submissions GROUP BY 1"
        ),
        median_decision_seconds=await median_decision_seconds(db),
        top_answers=[(str(r["entry_id"]), int(r["n"])) for r in answers],
        helpful=0 if votes is None else int(votes[0]),
        unhelpful=0 if votes is None else int(votes[1]),
        top_unanswered=[(str(r["question"]), int(r["asked"])) for r in unanswered],
        subscribers_by_topic=await _counts(
            db, "SELECT topic, COUNT(*) FROM subscriptions WHERE subscribed = 1 GROUP BY topic"
        ),
    )


async def per_day(db: Database, days: int = 30, now: float | None = None) -> dict[str, list[int]]:
    """New registrations and submissions per UTC day, oldest first, the last `days` days."""
    at = time.time() if now is None else now
    today = int(at // DAY)
    first = today - days + 1
    series: dict[str, list[int]] = {}
    for name, table in (("registrations", "registrations"), ("submissions", "submissions")):
        rows = await db.fetchall(
            f"SELECT CAST(created_at / 86400 AS INTEGER) AS day, COUNT(*) AS n FROM {table}"
            " WHERE created_at >= ? GROUP BY day",
            (first * DAY,),
        )
        counts = [0] * days
        for r in rows:
            index = int(r["day"]) - first
            if 0 <= index < days:
                counts[index] = int(r["n"])
        series[name] = counts
    return series
