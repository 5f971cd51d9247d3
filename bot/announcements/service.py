"""Announcement use cases: each validates, changes one transaction, audits, returns a result.

The sending itself is the feeder's (bot/announcements/feeder.py): it hands recipients to the
outbox at the configured rate; the outbox delivers them.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

import aiosqlite

from storage import announcements, audit, outbox
from storage.announcements import Announcement, Audience, RecipientState, Status
from storage.db import Database
from storage.outbox import Delivery

MAX_TEXT = 4096
MAX_CAPTION = 1024
# Times typed by the team are Cambodia's (UTC+7, no daylight saving).
CAMBODIA = timezone(timedelta(hours=7))
_TAG = re.compile(r"<[^>]+>")


class Problem(StrEnum):
    """Why an input was refused; the handler shows ann-problem-<value>."""

    TOO_LONG = "too-long"
    TOO_LONG_FOR_CAPTION = "too-long-for-caption"
    EMPTY = "empty"
    BAD_TIME = "bad-time"
    PAST_TIME = "past-time"
    BAD_AUDIENCE = "bad-audience"
    NO_RECIPIENTS = "no-recipients"


def recipient_prefix(announcement_id: int) -> str:
    """Outbox keys of one announcement's messages: one per recipient."""
    return f"ann:{announcement_id}:u"


def recipient_key(announcement_id: int, user_id: int) -> str:
    return f"{recipient_prefix(announcement_id)}{user_id}"


def report_key(announcement_id: int) -> str:
    return f"ann:{announcement_id}:report"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """What Telegram counts of an HTML text: the characters shown, in UTF-16 units."""
    return utf16_len(html.unescape(_TAG.sub("", html_text)))


async def begin(db: Database, admin_id: int, chat_id: int, language: str) -> int:
    async with db.transaction() as conn:
        return await announcements.new_draft_in(conn, admin_id, chat_id, language)


async def set_text(
    db: Database, draft: Announcement, language: str, html_text: str
) -> Problem | None:
    length = visible_length(html_text)
    if length == 0:
        return Problem.EMPTY
    limit = MAX_CAPTION if draft.media_kind else MAX_TEXT
    if length > limit:
        return Problem.TOO_LONG_FOR_CAPTION if draft.media_kind else Problem.TOO_LONG
    field = "text_km" if language == "km" else "text_en"
    await announcements.update_draft(db, draft.id, **{field: html_text})
    return None


async def set_media(
    db: Database, draft: Announcement, kind: str, message_id: int
) -> Problem | None:
    """A photo or document goes with the texts, which then become its caption."""
    if any(visible_length(t or "") > MAX_CAPTION for t in (draft.text_km, draft.text_en)):
        return Problem.TOO_LONG_FOR_CAPTION
    await announcements.update_draft(db, draft.id, media_kind=kind, media_message_id=message_id)
    return None


async def set_audience(db: Database, draft: Announcement, code: str) -> Problem | None:
    if Audience.parse(code) is None:
        return Problem.BAD_AUDIENCE
    await announcements.update_draft(db, draft.id, audience=code)
    return None


def parse_time(text: str, now: float) -> float | Problem:
    """'YYYY-MM-DD HH:MM[:SS]' or 'HH:MM' (the next such time), in Cambodia's time."""
    cleaned = " ".join(text.strip().split())
    for shape in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            at = datetime.strptime(cleaned, shape).replace(tzinfo=CAMBODIA).timestamp()
        except ValueError:
            continue
        return at if at > now else Problem.PAST_TIME
    try:
        clock = datetime.strptime(cleaned, "%H:%M").time()
    except ValueError:
        return Problem.BAD_TIME
    today = datetime.fromtimestamp(now, CAMBODIA).date()
    at = datetime.combine(today, clock, CAMBODIA).timestamp()
    return at if at > now else at + 86400


def local_time(at: float) -> str:
    return datetime.fromtimestamp(at, CAMBODIA).strftime("%Y-%m-%d %H:%M")


async def set_time(db: Database, draft: Announcement, send_at: float) -> None:
    await announcements.update_draft(db, draft.id, send_at=send_at)


@dataclass(frozen=True)
class Preview:
    announcement: Announcement
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def preview(db: Database, draft: Announcement, default_language: str) -> Preview:
    assert draft.audience is not None
    counts = await announcements.count_audience(db, draft.audience, default_language)
    return Preview(draft, {"km": counts.get("km", 0), "en": counts.get("en", 0)})


class Outcome(StrEnum):
    """What a confirm or a control button did; the handler shows ann-outcome-<value>."""

    SCHEDULED = "scheduled"
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    CANCELLED = "cancelled"
    DISCARDED = "discarded"
    TOO_LATE = "too-late"


async def confirm(db: Database, admin_id: int, announcement_id: int) -> Outcome:
    """Confirm: the draft is scheduled (now, or at its time); the feeder takes it from there."""
    found = await announcements.get(db, announcement_id)
    if found is None or found.status != Status.DRAFT or found.audience is None:
        return Outcome.TOO_LATE
    send_at = found.send_at if found.send_at is not None else time.time()
    async with db.transaction() as conn:
        if not await announcements.schedule_in(conn, announcement_id, send_at):
            return Outcome.TOO_LATE
        detail = {"audience": found.audience.code(), "send_at": int(send_at)}
        await _audit_in(
            conn, admin_id, announcement_id, "scheduled", Status.DRAFT, Status.SCHEDULED, detail
        )
    return Outcome.SCHEDULED if found.send_at is not None else Outcome.STARTED


async def discard(db: Database, admin_id: int, announcement_id: int) -> Outcome:
    async with db.transaction() as conn:
        moved = await announcements.move_in(
            conn, announcement_id, (Status.DRAFT,), Status.CANCELLED
        )
        if moved:
            await _audit_in(
                conn, admin_id, announcement_id, "discarded", Status.DRAFT, Status.CANCELLED
            )
    return Outcome.DISCARDED if moved else Outcome.TOO_LATE


_CONTROLS: dict[str, tuple[tuple[Status, ...], Status, Outcome]] = {
    "pause": ((Status.SENDING,), Status.PAUSED, Outcome.PAUSED),
    "resume": ((Status.PAUSED,), Status.SENDING, Outcome.RESUMED),
    "cancel": (announcements.OPEN_STATES, Status.CANCELLED, Outcome.CANCELLED),
}


async def control(db: Database, admin_id: int, announcement_id: int, action: str) -> Outcome:
    """Pause, resume or cancel; cancelling withdraws what has not gone out yet."""
    from_states, to, outcome = _CONTROLS[action]
    found = await announcements.get(db, announcement_id)
    if found is None:
        return Outcome.TOO_LATE
    async with db.transaction() as conn:
        if not await announcements.move_in(conn, announcement_id, from_states, to):
            return Outcome.TOO_LATE
        detail: dict[str, int] = {}
        if action == "cancel":
            detail["dropped"] = await announcements.drop_waiting_in(conn, announcement_id)
            detail["withdrawn"] = await outbox.cancel_pending_in(
                conn, recipient_prefix(announcement_id)
            )
        await _audit_in(conn, admin_id, announcement_id, action, found.status, to, detail or None)
    return outcome


async def _audit_in(
    conn: aiosqlite.Connection,
    admin_id: int,
    announcement_id: int,
    what: str,
    from_state: str,
    to_state: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """An admin's step with an announcement, in the audit log."""
    await audit.record_in(
        conn, actor_id=admin_id, actor_role="admin", action=f"announcement.{what}",
        subject=audit.subject("announcement", announcement_id),
        from_state=from_state, to_state=to_state, detail=detail,
    )  # fmt: skip


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    blocked: int
    cancelled: int
    remaining: int

    @property
    def finished(self) -> bool:
        return self.remaining == 0

    def eta_seconds(self, rate: float) -> int:
        return int(self.remaining / rate + 0.999) if rate > 0 else 0

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "sent": self.sent,
            "failed": self.failed,
            "blocked": self.blocked,
            "cancelled": self.cancelled,
        }


async def progress(db: Database, announcement: Announcement) -> Progress:
    """Where sending stands: the recipients' states and what the outbox did with each."""
    states = await announcements.states(db, announcement.id)
    done = await outbox.outcomes(db, recipient_prefix(announcement.id))
    return Progress(
        total=announcement.total,
        sent=done.get(Delivery.SENT, 0),
        failed=done.get(Delivery.FAILED, 0),
        blocked=done.get(Delivery.BLOCKED, 0) + states.get(RecipientState.SKIPPED, 0),
        cancelled=done.get(Delivery.CANCELLED, 0) + states.get(RecipientState.DROPPED, 0),
        remaining=done.get(Delivery.PENDING, 0) + states.get(RecipientState.WAITING, 0),
    )
