"""Registrations of experts and partners, and the drafts of forms being filled in.

One registration per Telegram user: registering again updates it (a new revision). A draft
exists only after consent (it references the consent row) and only while the form is open.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import aiosqlite

from storage import outbox
from storage.audit import iso, subject
from storage.db import Database

# The vocabulary of the form, in the order it is offered. Codes are stored; labels are in
# the locales (reg-kind-<code>, reg-interest-<code>, reg-mode-<code>).
KINDS = ("expert", "company", "academic", "partner", "civil_society", "government", "other")
INTERESTS = (
    "education",
    "health",
    "agriculture",
    "governance",
    "business",
    "ethics",
    "data",
    "skills",
)
MODES = ("may_consultations", "june_workshop", "written_input")
# An individual expert may have no organisation; everyone else names one.
INDIVIDUAL = "expert"


class Status(StrEnum):
    """Where a registration stands; migration 0004's CHECK lists the same values."""

    CONFIRMED = "confirmed"
    VERIFIED = "verified"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


# Taking part: the details are kept and shown.
ACTIVE = (Status.CONFIRMED, Status.VERIFIED)
AGGREGATE = "registration"


@dataclass(frozen=True)
class Answers:
    """What the form asks; None (or empty) until answered."""

    kind: str | None = None
    full_name: str | None = None
    organisation: str | None = None
    position: str | None = None
    interests: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    email: str | None = None
    phone: str | None = None

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Answers:
        raw = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        for name in ("interests", "modes"):
            values[name] = tuple(values.get(name) or ())
        return cls(**values)

    def replace(self, **changes: Any) -> Answers:
        return dataclasses.replace(self, **changes)


def in_order(codes: tuple[str, ...] | list[str], vocabulary: tuple[str, ...]) -> tuple[str, ...]:
    """Known codes only, each once, in the order they are offered."""
    chosen = set(codes)
    return tuple(code for code in vocabulary if code in chosen)


def reference_of(registration_id: int) -> str:
    return f"R-{registration_id:06d}"


@dataclass(frozen=True)
class Draft:
    user_id: int
    consent_id: int
    answers: Answers
    editing: bool


@dataclass(frozen=True)
class Registration:
    id: int
    user_id: int | None
    consent_id: int | None
    answers: Answers
    language: str | None
    status: Status
    revision: int
    verified_by: int | None
    verified_at: float | None
    created_at: float
    updated_at: float

    @property
    def reference(self) -> str:
        return reference_of(self.id)

    @property
    def subject(self) -> str:
        return subject(AGGREGATE, self.id)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def _registration(row: aiosqlite.Row) -> Registration:
    return Registration(
        id=row["id"],
        user_id=row["user_id"],
        consent_id=row["consent_id"],
        answers=Answers(
            kind=row["kind"],
            full_name=row["full_name"],
            organisation=row["organisation"],
            position=row["position"],
            interests=tuple(json.loads(row["interests"])),
            modes=tuple(json.loads(row["modes"])),
            email=row["email"],
            phone=row["phone"],
        ),
        language=row["language"],
        status=Status(row["status"]),
        revision=row["revision"],
        verified_by=row["verified_by"],
        verified_at=row["verified_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _draft(row: aiosqlite.Row) -> Draft:
    return Draft(
        user_id=row["user_id"],
        consent_id=row["consent_id"],
        answers=Answers.from_json(row["answers"]),
        editing=bool(row["editing"]),
    )


async def _one(
    conn: aiosqlite.Connection, sql: str, params: tuple[object, ...]
) -> aiosqlite.Row | None:
    for row in await conn.execute_fetchall(sql, params):
        return row
    return None


# ----------------------------------------------------------------------------- drafts


async def open_draft_in(
    conn: aiosqlite.Connection,
    user_id: int,
    consent_id: int,
    answers: Answers,
    editing: bool,
    now: float | None = None,
) -> Draft:
    """Start (or restart) the person's form; the consent must already be recorded."""
    when = time.time() if now is None else now
    await conn.execute(
        "INSERT INTO registration_drafts (user_id, consent_id, answers, editing, started_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
        " consent_id = excluded.consent_id, answers = excluded.answers,"
        " editing = excluded.editing, started_at = excluded.started_at,"
        " updated_at = excluded.updated_at",
        (user_id, consent_id, answers.to_json(), int(editing), when, when),
    )
    return Draft(user_id, consent_id, answers, editing)


async def get_draft(db: Database, user_id: int) -> Draft | None:
    row = await db.fetchone("SELECT * FROM registration_drafts WHERE user_id = ?", (user_id,))
    return None if row is None else _draft(row)


async def save_draft(
    db: Database, user_id: int, answers: Answers, editing: bool | None = None
) -> Draft | None:
    """Store an answer; None (and nothing written) when the person has no open form."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE registration_drafts SET answers = ?, editing = COALESCE(?, editing),"
            " updated_at = ? WHERE user_id = ?",
            (answers.to_json(), None if editing is None else int(editing), time.time(), user_id),
        )
        if cursor.rowcount == 0:
            return None
        row = await _one(conn, "SELECT * FROM registration_drafts WHERE user_id = ?", (user_id,))
    return None if row is None else _draft(row)


async def delete_draft_in(conn: aiosqlite.Connection, user_id: int) -> Draft | None:
    """Forget the unfinished form; returns what it was."""
    row = await _one(conn, "SELECT * FROM registration_drafts WHERE user_id = ?", (user_id,))
    if row is None:
        return None
    await conn.execute("DELETE FROM registration_drafts WHERE user_id = ?", (user_id,))
    return _draft(row)


# ----------------------------------------------------------------------------- registrations


async def get(db: Database, registration_id: int) -> Registration | None:
    row = await db.fetchone("SELECT * FROM registrations WHERE id = ?", (registration_id,))
    return None if row is None else _registration(row)


async def get_by_user(db: Database, user_id: int) -> Registration | None:
    row = await db.fetchone("SELECT * FROM registrations WHERE user_id = ?", (user_id,))
    return None if row is None else _registration(row)


async def get_in(conn: aiosqlite.Connection, registration_id: int) -> Registration | None:
    row = await _one(conn, "SELECT * FROM registrations WHERE id = ?", (registration_id,))
    return None if row is None else _registration(row)


async def _by_user_in(conn: aiosqlite.Connection, user_id: int) -> Registration | None:
    row = await _one(conn, "SELECT * FROM registrations WHERE user_id = ?", (user_id,))
    return None if row is None else _registration(row)


@dataclass(frozen=True)
class Confirmed:
    registration: Registration
    outcome: Literal["created", "updated", "unchanged"]
    previous_status: str | None
    previous_revision: int | None


_FIELDS_SQL = (
    "kind = ?, full_name = ?, organisation = ?, position = ?, interests = ?, modes = ?,"
    " email = ?, phone = ?"
)


def _field_values(answers: Answers) -> tuple[object, ...]:
    return (
        answers.kind,
        answers.full_name,
        answers.organisation,
        answers.position,
        json.dumps(list(answers.interests)),
        json.dumps(list(answers.modes)),
        answers.email,
        answers.phone,
    )


async def confirm_in(
    conn: aiosqlite.Connection, user_id: int, language: str, now: float | None = None
) -> Confirmed | None:
    """Turn the person's draft into their registration; None when there is no draft.

    The first confirmation creates the registration; later ones update the same row (a new
    revision, to be verified again) unless nothing changed. The draft is gone afterwards.
    """
    when = time.time() if now is None else now
    draft = await delete_draft_in(conn, user_id)
    if draft is None:
        return None
    existing = await _by_user_in(conn, user_id)
    if existing is None:
        cursor = await conn.execute(
            "INSERT INTO registrations (user_id, consent_id, kind, full_name, organisation,"
            " position, interests, modes, email, phone, language, status, revision,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (
                user_id,
                draft.consent_id,
                *_field_values(draft.answers),
                language,
                Status.CONFIRMED,
                when,
                when,
            ),
        )
        assert cursor.lastrowid is not None
        created = await get_in(conn, cursor.lastrowid)
        assert created is not None
        return Confirmed(created, "created", None, None)
    if existing.active and existing.answers == draft.answers:
        await conn.execute(
            "UPDATE registrations SET consent_id = ?, language = ? WHERE id = ?",
            (draft.consent_id, language, existing.id),
        )
        return Confirmed(existing, "unchanged", existing.status, existing.revision)
    await conn.execute(
        f"UPDATE registrations SET {_FIELDS_SQL}, consent_id = ?, language = ?,"
        " status = ?, revision = revision + 1, verified_by = NULL,"
        " verified_at = NULL, updated_at = ? WHERE id = ?",
        (
            *_field_values(draft.answers),
            draft.consent_id,
            language,
            Status.CONFIRMED,
            when,
            existing.id,
        ),
    )
    await _forget_cards_in(conn, existing.id)
    updated = await get_in(conn, existing.id)
    assert updated is not None
    outcome: Literal["created", "updated"] = "updated" if existing.active else "created"
    return Confirmed(updated, outcome, existing.status, existing.revision)


VerifyOutcome = Literal["verified", "already", "stale", "inactive", "missing"]


async def verify_in(
    conn: aiosqlite.Connection,
    registration_id: int,
    revision: int,
    moderator_id: int,
    now: float | None = None,
) -> tuple[VerifyOutcome, Registration | None]:
    """Mark one revision verified; a card of an older revision cannot verify a newer one."""
    found = await get_in(conn, registration_id)
    if found is None:
        return "missing", None
    if not found.active:
        return "inactive", found
    if found.revision != revision:
        return "stale", found
    if found.status == Status.VERIFIED:
        return "already", found
    await conn.execute(
        "UPDATE registrations SET status = ?, verified_by = ?, verified_at = ? WHERE id = ?",
        (Status.VERIFIED, moderator_id, time.time() if now is None else now, registration_id),
    )
    verified = await get_in(conn, registration_id)
    return "verified", verified


_CLEARED = (
    "kind = NULL, full_name = NULL, organisation = NULL, position = NULL, interests = '[]',"
    " modes = '[]', email = NULL, phone = NULL, language = NULL, verified_by = NULL,"
    " verified_at = NULL"
)


async def withdraw_in(
    conn: aiosqlite.Connection, user_id: int, now: float | None = None
) -> Registration | None:
    """The person no longer takes part: details deleted, the reference kept for them.

    Returns the registration as it was, or None when there was no active one.
    """
    existing = await _by_user_in(conn, user_id)
    if existing is None or not existing.active:
        return None
    await conn.execute(
        f"UPDATE registrations SET {_CLEARED}, status = ?, updated_at = ? WHERE id = ?",
        (Status.WITHDRAWN, time.time() if now is None else now, existing.id),
    )
    await _forget_cards_in(conn, existing.id)
    await delete_draft_in(conn, user_id)
    return existing


# ----------------------------------------------------------------------------- group cards


async def _forget_cards_in(conn: aiosqlite.Connection, registration_id: int) -> None:
    """The details are gone: so are the copies the outbox kept of the cards it sent."""
    await outbox.forget_payloads(conn, outbox.registration_cards(registration_id))


@dataclass(frozen=True)
class Card:
    chat_id: int
    message_id: int
    registration_id: int
    revision: int


async def add_card(
    db: Database, registration_id: int, revision: int, chat_id: int, message_id: int
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT OR IGNORE INTO registration_cards"
            " (chat_id, message_id, registration_id, revision) VALUES (?, ?, ?, ?)",
            (chat_id, message_id, registration_id, revision),
        )


async def cards_in(conn: aiosqlite.Connection, registration_id: int) -> list[Card]:
    rows = await conn.execute_fetchall(
        "SELECT * FROM registration_cards WHERE registration_id = ? ORDER BY revision, message_id",
        (registration_id,),
    )
    return [Card(r["chat_id"], r["message_id"], r["registration_id"], r["revision"]) for r in rows]


# ----------------------------------------------------------------------------- personal data


def _export(registration: Registration) -> dict[str, Any]:
    a = registration.answers
    return {
        "reference": registration.reference,
        "status": registration.status,
        "revision": registration.revision,
        "kind": a.kind,
        "full_name": a.full_name,
        "organisation": a.organisation,
        "position": a.position,
        "interests": list(a.interests),
        "participation": list(a.modes),
        "email": a.email,
        "phone": a.phone,
        "language": registration.language,
        "verified": registration.status == Status.VERIFIED,
        "verified_at": iso(registration.verified_at),
        "created_at": iso(registration.created_at),
        "updated_at": iso(registration.updated_at),
    }


async def export_in(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any] | None:
    found = await _by_user_in(conn, user_id)
    return None if found is None else _export(found)


async def export_draft_in(conn: aiosqlite.Connection, user_id: int) -> dict[str, Any] | None:
    row = await _one(conn, "SELECT * FROM registration_drafts WHERE user_id = ?", (user_id,))
    if row is None:
        return None
    answers = dataclasses.asdict(Answers.from_json(row["answers"]))
    return {
        "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()},
        "started_at": iso(row["started_at"]),
        "updated_at": iso(row["updated_at"]),
    }


async def subjects_in(conn: aiosqlite.Connection, user_id: int) -> list[str]:
    """Audit-log subjects about the person: their registration."""
    found = await _by_user_in(conn, user_id)
    return [] if found is None else [found.subject]


async def erase_in(
    conn: aiosqlite.Connection, user_id: int, now: float | None = None
) -> Registration | None:
    """Delete every personal detail and the link to the person; the reference and dates stay.

    Returns the registration as it was, or None when there was none.
    """
    await delete_draft_in(conn, user_id)
    existing = await _by_user_in(conn, user_id)
    if existing is None:
        return None
    await conn.execute(
        f"UPDATE registrations SET {_CLEARED}, user_id = NULL, status = ?, updated_at = ?"
        " WHERE id = ?",
        (Status.ERASED, time.time() if now is None else now, existing.id),
    )
    await _forget_cards_in(conn, existing.id)
    return existing
