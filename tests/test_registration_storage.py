"""Registrations, consent, the audit log and personal data, on real SQLite files.

The promises checked here: nothing personal is written before consent; registering again
updates the one registration; /deleteme leaves nothing personal in any table or column.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import audit, consent, outbox, personal_data, registrations
from storage.db import Database
from storage.registrations import Answers

PERSON = 777_123_456
OTHER = 777_999_001
MODERATOR = 9001
VERSION = "2026-11"

ANSWERS = Answers(
    kind="company",
    full_name="សុខ ចាន់ថា Zebra-Person",
    organisation="Mekong Unicorn Analytics",
    position="Chief Quokka Officer",
    interests=("education", "data"),
    modes=("may_consultations", "written_input"),
    email="chantha.quokka@example.org",
    phone="+85512777888",
)
# Every value above that identifies the person; none may survive erasure anywhere.
PERSONAL = [
    "សុខ ចាន់ថា",
    "Zebra-Person",
    "Mekong Unicorn",
    "Quokka Officer",
    "chantha.quokka",
    "12777888",
]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "bot.sqlite3") as database:
        await database.migrate()
        yield database


async def count(db: Database, table: str) -> int:
    row = await db.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


async def register(
    db: Database, user_id: int, answers: Answers = ANSWERS
) -> registrations.Confirmed:
    async with db.transaction() as conn:
        given = await consent.give_in(conn, user_id, consent.REGISTRATION, VERSION)
        await registrations.open_draft_in(conn, user_id, given.id, answers, editing=False)
        confirmed = await registrations.confirm_in(conn, user_id, "km")
    assert confirmed is not None
    return confirmed


# ----------------------------------------------------------------------------- consent first


async def test_nothing_is_written_before_consent(db: Database) -> None:
    # An answer without an open form is refused and writes nothing.
    assert await registrations.save_draft(db, PERSON, ANSWERS) is None
    assert await registrations.get_draft(db, PERSON) is None
    # A draft cannot exist without a recorded consent: the schema refuses it.
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await registrations.open_draft_in(conn, PERSON, 12345, ANSWERS, editing=False)
    # Nor can a confirmation turn nothing into a registration.
    async with db.transaction() as conn:
        assert await registrations.confirm_in(conn, PERSON, "en") is None
    for table in ("consents", "registration_drafts", "registrations", "audit_log", "outbox"):
        assert await count(db, table) == 0, table


async def test_consent_records_time_and_notice_version(db: Database) -> None:
    before = time.time()
    async with db.transaction() as conn:
        first = await consent.give_in(conn, PERSON, consent.REGISTRATION, VERSION)
        again = await consent.give_in(conn, PERSON, consent.REGISTRATION, VERSION)
        newer = await consent.give_in(conn, PERSON, consent.REGISTRATION, "2027-01")
    assert first.id == again.id, "agreeing twice to the same notice records it once"
    assert newer.id != first.id
    assert before <= first.given_at <= time.time()
    assert first.notice_version == VERSION and first.active
    latest = await consent.active(db, PERSON, consent.REGISTRATION)
    assert latest is not None and latest.notice_version == "2027-01"
    async with db.transaction() as conn:
        assert await consent.withdraw_in(conn, PERSON, consent.REGISTRATION) == 2
    assert await consent.active(db, PERSON, consent.REGISTRATION) is None
    assert all(c.withdrawn_at is not None for c in await consent.of_user(db, PERSON))


async def test_cancelling_a_form_keeps_nothing_of_it(db: Database) -> None:
    async with db.transaction() as conn:
        given = await consent.give_in(conn, PERSON, consent.REGISTRATION, VERSION)
        await registrations.open_draft_in(conn, PERSON, given.id, Answers(), editing=False)
    await registrations.save_draft(db, PERSON, ANSWERS.replace(phone=None))
    async with db.transaction() as conn:
        draft = await registrations.delete_draft_in(conn, PERSON)
        assert draft is not None and draft.answers.full_name == ANSWERS.full_name
        assert await consent.release_unused_in(conn, draft.consent_id)
    assert await count(db, "registration_drafts") == 0
    assert await consent.active(db, PERSON, consent.REGISTRATION) is None


async def test_cancelling_an_edit_keeps_the_consent_a_registration_relies_on(
    db: Database,
) -> None:
    confirmed = await register(db, PERSON)
    async with db.transaction() as conn:
        assert confirmed.registration.consent_id is not None
        assert not await consent.release_unused_in(conn, confirmed.registration.consent_id)
    assert await consent.active(db, PERSON, consent.REGISTRATION) is not None


# ----------------------------------------------------------------------------- one registration


async def test_registering_again_updates_the_same_registration(db: Database) -> None:
    first = await register(db, PERSON)
    assert first.outcome == "created"
    assert first.registration.reference == "R-000001"
    assert first.registration.revision == 1 and first.registration.status == "confirmed"
    # The same confirmation delivered again finds no draft and creates nothing.
    async with db.transaction() as conn:
        assert await registrations.confirm_in(conn, PERSON, "km") is None

    same = await register(db, PERSON)
    assert same.outcome == "unchanged" and same.registration.revision == 1

    changed = await register(db, PERSON, ANSWERS.replace(email="new.address@example.org"))
    assert changed.outcome == "updated"
    assert changed.registration.id == first.registration.id
    assert changed.registration.revision == 2
    assert changed.registration.answers.email == "new.address@example.org"
    assert await count(db, "registrations") == 1
    assert await count(db, "registration_drafts") == 0


async def test_an_edit_of_a_verified_registration_needs_verifying_again(db: Database) -> None:
    first = await register(db, PERSON)
    async with db.transaction() as conn:
        outcome, _ = await registrations.verify_in(conn, first.registration.id, 1, MODERATOR)
    assert outcome == "verified"
    changed = await register(db, PERSON, ANSWERS.replace(position="Director"))
    assert changed.registration.status == "confirmed"
    assert changed.registration.verified_by is None
    assert changed.previous_status == "verified"


async def test_verify_outcomes(db: Database) -> None:
    first = await register(db, PERSON)
    reg_id = first.registration.id
    await register(db, PERSON, ANSWERS.replace(position="Director"))
    async with db.transaction() as conn:
        assert (await registrations.verify_in(conn, reg_id, 1, MODERATOR))[0] == "stale"
        assert (await registrations.verify_in(conn, reg_id, 2, MODERATOR))[0] == "verified"
        assert (await registrations.verify_in(conn, reg_id, 2, MODERATOR))[0] == "already"
        assert (await registrations.verify_in(conn, 999, 1, MODERATOR))[0] == "missing"
        await registrations.withdraw_in(conn, PERSON)
        assert (await registrations.verify_in(conn, reg_id, 2, MODERATOR))[0] == "inactive"


async def test_withdrawing_deletes_the_details_and_registering_again_keeps_the_reference(
    db: Database,
) -> None:
    first = await register(db, PERSON)
    async with db.transaction() as conn:
        withdrawn = await registrations.withdraw_in(conn, PERSON)
        assert withdrawn is not None and withdrawn.answers.email == ANSWERS.email
        assert await registrations.withdraw_in(conn, PERSON) is None
    stored = await registrations.get_by_user(db, PERSON)
    assert stored is not None and stored.status == "withdrawn"
    assert stored.answers == Answers()
    again = await register(db, PERSON)
    assert again.outcome == "created"
    assert again.registration.reference == first.registration.reference
    assert again.registration.revision == 2


async def test_the_schema_refuses_details_on_an_erased_registration(db: Database) -> None:
    await register(db, PERSON)
    async with db.transaction() as conn:
        await registrations.erase_in(conn, PERSON)
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await conn.execute("UPDATE registrations SET email = 'x@example.org'")


def test_answers_survive_json_and_choices_keep_their_order() -> None:
    assert Answers.from_json(ANSWERS.to_json()) == ANSWERS
    assert Answers.from_json('{"kind": "expert", "unknown": 1}') == Answers(kind="expert")
    assert registrations.in_order(["data", "health", "nope", "data"], registrations.INTERESTS) == (
        "health",
        "data",
    )
    assert outbox.parse_registration_card_key(outbox.registration_card_key(42, 3)) == (42, 3)
    assert outbox.parse_registration_card_key("reg-card:x:1") is None


# ----------------------------------------------------------------------------- personal data


async def populate(db: Database, user_id: int, answers: Answers = ANSWERS) -> int:
    """Everything the bot can hold about one person, the way the bot writes it."""
    now = time.time()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (user_id, language, first_seen, last_seen) VALUES (?, 'km', ?, ?)",
            (user_id, now, now),
        )
    confirmed = await register(db, user_id, answers)
    reg = confirmed.registration
    card_text = f"New registration {reg.reference}\n{answers.full_name} {answers.email}"
    async with db.transaction() as conn:
        await audit.record_in(
            conn,
            actor_id=user_id,
            actor_role="person",
            action="registration.created",
            subject=reg.subject,
            to_state="confirmed",
        )
        await audit.record_in(
            conn,
            actor_id=user_id,
            actor_role="person",
            action="registration.verify_refused",
            subject=reg.subject,
        )
        await audit.record_in(
            conn,
            actor_id=MODERATOR,
            actor_role="moderator",
            action="ban",
            subject=audit.person_subject(user_id),
        )
        await outbox.enqueue_in(
            conn,
            dedup_key=outbox.registration_card_key(reg.id, 1),
            chat_id=-1001000000001,
            method="send_message",
            payload={"text": card_text},
        )
        await outbox.enqueue_in(
            conn,
            dedup_key=f"reg-verified:{reg.id}:1",
            chat_id=user_id,
            method="send_message",
            payload={"text": f"Verified {reg.reference}"},
        )
        await conn.execute(
            "INSERT INTO conversations (name, key, state) VALUES ('registration', ?, '\"email\"')",
            (json.dumps([user_id, user_id]),),
        )
    # The card went out; the moderator verified it.
    due = await outbox.due(db)
    async with db.transaction() as conn:
        for item in due:
            if item.dedup_key.startswith("reg-card:"):
                await outbox.mark_sent_in(conn, item.id, 55)
        await registrations.verify_in(conn, reg.id, 1, MODERATOR)
        await audit.record_in(
            conn,
            actor_id=MODERATOR,
            actor_role="moderator",
            action="registration.verified",
            subject=reg.subject,
        )
    await registrations.add_card(db, reg.id, 1, -1001000000001, 55)
    # A second form, opened and left unfinished.
    async with db.transaction() as conn:
        given = await consent.give_in(conn, user_id, consent.REGISTRATION, VERSION)
        await registrations.open_draft_in(conn, user_id, given.id, answers, editing=True)
    return reg.id


async def dump(db: Database) -> dict[str, list[dict[str, object]]]:
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    everything = {}
    for table in tables:
        rows = await db.fetchall(f"SELECT * FROM {table['name']}")
        everything[str(table["name"])] = [dict(r) for r in rows]
    return everything


def traces(everything: dict[str, list[dict[str, object]]], user_id: int) -> list[str]:
    """Every cell, in every table, that still points at the person."""
    as_token = re.compile(rf"(?<!\d){user_id}(?!\d)")
    found = []
    for table, rows in everything.items():
        for row in rows:
            for column, value in row.items():
                where = f"{table}.{column}={value!r}"
                if isinstance(value, int) and value == user_id:
                    found.append(where)
                elif isinstance(value, str | bytes):
                    text = value.decode() if isinstance(value, bytes) else value
                    if as_token.search(text) or any(p in text for p in PERSONAL):
                        found.append(where)
    return found


async def test_export_holds_everything_stored_about_the_person(db: Database) -> None:
    await populate(db, PERSON)
    document = await personal_data.export(db, PERSON)
    text = json.dumps(document, ensure_ascii=False)
    assert document["telegram_user_id"] == PERSON
    assert document["user"]["language"] == "km"
    registration = document["registration"]
    assert registration["reference"] == "R-000001"
    assert registration["full_name"] == ANSWERS.full_name
    assert registration["email"] == ANSWERS.email and registration["phone"] == ANSWERS.phone
    assert registration["interests"] == ["education", "data"]
    assert registration["verified"] is True
    assert document["registration_draft"]["answers"]["organisation"] == ANSWERS.organisation
    assert document["consents"][0]["privacy_notice_version"] == VERSION
    assert document["open_forms"] == [{"form": "registration", "at_step": "email"}]
    assert len(document["messages_to_you"]) == 1
    actions = [(e["by"], e["action"]) for e in document["audit_log"]]
    assert ("you", "registration.created") in actions
    assert ("moderator", "registration.verified") in actions
    assert ("moderator", "ban") in actions
    # Staff are named by role only.
    assert str(MODERATOR) not in text
    assert "សុខ ចាន់ថា" in text


async def test_export_of_someone_unknown_is_empty_not_an_error(db: Database) -> None:
    document = await personal_data.export(db, PERSON)
    assert document["user"] is None and document["registration"] is None
    assert document["consents"] == [] and document["audit_log"] == []


async def test_deleteme_leaves_nothing_personal_in_any_table_or_column(db: Database) -> None:
    other_answers = Answers(
        kind="academic",
        full_name="Other Person",
        organisation="Royal University",
        position="Lecturer",
        interests=("health",),
        modes=("june_workshop",),
        email="other@example.org",
        phone="+85599111222",
    )
    reg_id = await populate(db, PERSON)
    await populate(db, OTHER, other_answers)
    assert traces(await dump(db), PERSON), "the check finds the person before erasure"

    remaining = await personal_data.erase(db, PERSON)

    everything = await dump(db)
    assert traces(everything, PERSON) == []
    codes = {r.code: r.args for r in remaining}
    assert codes["registration"] == {"reference": "R-000001"}
    assert codes["consents"] == {"count": 1}
    assert codes["audit"]["count"] == 4
    # What remains for the record is there, unlinked.
    erased = await registrations.get(db, reg_id)
    assert erased is not None and erased.status == "erased" and erased.user_id is None
    assert erased.answers == Answers()
    kept = next(c for c in everything["consents"] if c["id"] == erased.consent_id)
    assert kept["user_id"] is None and kept["withdrawn_at"] is not None
    assert kept["notice_version"] == VERSION
    assert len(await audit.for_subject(db, erased.subject)) == 3
    assert await audit.for_subject(db, audit.ERASED_PERSON)
    # Staff actions keep their actor; the person's own do not.
    actors = {(e.action, e.actor_id) for e in await audit.for_subject(db, erased.subject)}
    assert ("registration.verified", MODERATOR) in actors
    assert ("registration.created", None) in actors
    # The other person is untouched.
    assert traces(everything, OTHER)
    other = await registrations.get_by_user(db, OTHER)
    assert other is not None and other.answers == other_answers
    # Erasing again finds nothing more to do.
    again = await personal_data.erase(db, PERSON)
    assert [r.code for r in again] == []


async def test_every_remaining_code_has_a_message() -> None:
    from bot.i18n import Translator

    i18n = Translator()
    for language in i18n.languages:
        for code in personal_data.REMAINING_CODES:
            assert i18n.has(language, f"mydata-remains-{code}"), (language, code)
