"""Each status is one enum, and it is the database's list of states."""

from __future__ import annotations

import re
import sqlite3
from enum import StrEnum
from pathlib import Path

import pytest

from storage import announcements, inbox, outbox, registrations, submissions
from storage.db import Database
from storage.submissions import Status

MIGRATIONS = Path(__file__).resolve().parent.parent / "storage" / "migrations"


async def _one_submission(db: Database) -> int:
    async with db.transaction() as conn:
        submission_id, _ = await submissions.create_in(
            conn, kind="contribution", source_key="test:1", user_id=42, language="en",
            topic="strategy", text="A thought", attachments=[],
        )  # fmt: skip
    return submission_id


async def _set_status(db: Database, submission_id: int, status: str) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE submissions SET status = ? WHERE id = ?", (status, submission_id)
        )


async def test_every_status_is_a_state_the_database_takes_and_the_queue_holds_the_open_ones(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        submission_id = await _one_submission(db)
        for status in Status:
            await _set_status(db, submission_id, status)
            found = await submissions.get(db, submission_id)
            assert found is not None and found.status is status
            items, total = await submissions.open_items(db, 0, 10)
            waiting = status in (Status.OPEN, Status.CLAIMED)
            assert total == len(items) == (1 if waiting else 0), status
        with pytest.raises(sqlite3.IntegrityError):
            await _set_status(db, submission_id, "pending")


async def test_a_claim_moves_only_from_the_allowed_states(tmp_path: Path) -> None:
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        submission_id = await _one_submission(db)
        async with db.transaction() as conn:
            left = await submissions.transition_in(
                conn, submission_id, allowed_from=(Status.OPEN,), to=Status.CLAIMED, actor_id=7
            )
            again = await submissions.transition_in(
                conn, submission_id, allowed_from=(Status.OPEN,), to=Status.CLAIMED, actor_id=8
            )
        assert (left, again) == (Status.OPEN, None)
        found = await submissions.get(db, submission_id)
        assert found is not None and (found.status, found.claimed_by) == (Status.CLAIMED, 7)


@pytest.mark.parametrize(
    ("migration", "column", "enum"),
    [
        ("0004_registrations.sql", "status", registrations.Status),
        ("0005_submissions.sql", "status", Status),
        ("0016_announcements.sql", "status", announcements.Status),
        ("0016_announcements.sql", "state", announcements.RecipientState),
        ("0001_init.sql", "status", inbox.Status),
        ("0003_outbox.sql", "status", outbox.Status),
    ],
)
def test_each_status_enum_is_the_list_its_migration_checks(
    migration: str, column: str, enum: type[StrEnum]
) -> None:
    sql = (MIGRATIONS / migration).read_text()
    found = re.search(rf"{column}\s+TEXT NOT NULL[^,]*?CHECK \({column} IN \(([^)]*)\)\)", sql)
    assert found is not None
    checked = {value.strip().strip("'") for value in found.group(1).split(",")}
    assert checked == {member.value for member in enum}


def test_the_open_and_active_states() -> None:
    assert set(registrations.ACTIVE) == {"confirmed", "verified"}
    assert set(announcements.OPEN_STATES) == {"scheduled", "sending", "paused"}


@pytest.mark.parametrize(
    ("module", "enum"), [("inbox.py", inbox.Status), ("outbox.py", outbox.Status)]
)
def test_the_inbox_and_outbox_spell_only_their_enum_in_sql(
    module: str, enum: type[StrEnum]
) -> None:
    """Their SQL keeps literal states (the partial indexes need them): each one is a member."""
    source = (MIGRATIONS.parent / module).read_text()
    spelled = set(re.findall(r"status\s*(?:=|!=)\s*'([a-z]+)'", source))
    assert spelled and spelled <= {m.value for m in enum}, spelled
