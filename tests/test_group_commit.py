"""Group commit (storage/commits.py): transactions asked for together share one commit, and
each caller still gets exactly its own outcome, on a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from storage.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "commits.sqlite3") as database:
        await database.conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        await database.conn.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
        await database.conn.execute(
            "CREATE TABLE children (id INTEGER PRIMARY KEY,"
            " parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)"
        )
        yield database


def insert(note_id: int, body: str = "note") -> Callable[[sqlite3.Connection], int]:
    def work(conn: sqlite3.Connection) -> int:
        conn.execute("INSERT INTO notes (id, body) VALUES (?, ?)", (note_id, body))
        return note_id

    return work


async def note_ids(db: Database) -> list[int]:
    return [int(r["id"]) for r in await db.fetchall("SELECT id FROM notes ORDER BY id")]


async def traced(db: Database) -> list[str]:
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    return statements


async def test_many_callers_at_once_share_commits_and_each_gets_its_result(db: Database) -> None:
    statements = await traced(db)

    async def one_person(i: int) -> int:
        await asyncio.sleep((i % 10) * 0.001)  # arriving over 10 ms, as people do
        return await db.run_transaction(insert(i))

    results = await asyncio.gather(*(one_person(i) for i in range(1, 201)))
    await db.conn.set_trace_callback(None)
    assert results == list(range(1, 201))
    assert await note_ids(db) == list(range(1, 201))
    begins = sum(s.startswith("BEGIN") for s in statements)
    assert begins <= 100, begins  # one commit each would be 200


async def test_work_asked_for_during_a_commit_goes_into_the_next_one(db: Database) -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(conn: sqlite3.Connection) -> str:
        entered.set()
        release.wait(5)
        conn.execute("INSERT INTO notes (id, body) VALUES (100, 'slow')")
        return "slow"

    statements = await traced(db)
    first = asyncio.ensure_future(db.run_transaction(slow))
    await asyncio.to_thread(entered.wait, 5)
    behind = [asyncio.ensure_future(db.run_transaction(insert(i))) for i in range(1, 11)]
    await asyncio.sleep(0.01)
    release.set()
    assert await first == "slow"
    assert await asyncio.gather(*behind) == list(range(1, 11))
    await db.conn.set_trace_callback(None)
    assert sum(s.startswith("BEGIN") for s in statements) == 2, statements
    assert await note_ids(db) == [*range(1, 11), 100]


async def test_a_failing_piece_is_rolled_back_alone(db: Database) -> None:
    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO notes (id, body) VALUES (50, 'half')")
        raise ValueError("refused")

    await db.run_transaction(insert(1))
    outcomes = await asyncio.gather(
        db.run_transaction(insert(2)),
        db.run_transaction(insert(3)),
        db.run_transaction(half_then_fail),
        db.run_transaction(insert(1)),  # a duplicate key: an sqlite3 error, its own
        db.run_transaction(insert(4)),
        return_exceptions=True,
    )
    assert outcomes[:2] == [2, 3] and outcomes[4] == 4
    assert isinstance(outcomes[2], ValueError)
    assert isinstance(outcomes[3], sqlite3.IntegrityError)
    assert await note_ids(db) == [1, 2, 3, 4]


async def test_a_failing_commit_fails_every_caller_and_keeps_nothing(db: Database) -> None:
    def orphan(conn: sqlite3.Connection) -> None:
        # Checked only at COMMIT: the whole shared transaction fails there.
        conn.execute("INSERT INTO children (id, parent) VALUES (1, 999)")

    await db.run_transaction(insert(1))
    outcomes = await asyncio.gather(
        db.run_transaction(insert(10)),
        db.run_transaction(orphan),
        db.run_transaction(insert(11)),
        return_exceptions=True,
    )
    assert all(isinstance(o, sqlite3.IntegrityError) for o in outcomes), outcomes
    assert await note_ids(db) == [1]
    assert not db.conn._conn.in_transaction  # type: ignore[attr-defined]
    assert await db.run_transaction(insert(13)) == 13


async def test_a_lingering_piece_waits_for_company_and_commits_without_it(db: Database) -> None:
    statements = await traced(db)
    lingering = asyncio.ensure_future(db.run_transaction(insert(1), linger=0.5))
    await asyncio.sleep(0.01)
    assert await note_ids(db) == []  # not committed yet: still waiting
    assert await db.run_transaction(insert(2)) == 2
    assert await lingering == 1  # it went with the next one
    assert sum(s.startswith("BEGIN") for s in statements) == 1, statements
    alone = await asyncio.wait_for(db.run_transaction(insert(3), linger=0.01), timeout=5)
    await db.conn.set_trace_callback(None)
    assert alone == 3
    assert await note_ids(db) == [1, 2, 3]


async def test_a_caller_cancelled_before_its_commit_leaves_nothing(db: Database) -> None:
    lingering = asyncio.ensure_future(db.run_transaction(insert(1), linger=0.5))
    await asyncio.sleep(0.01)
    lingering.cancel()
    assert await db.run_transaction(insert(2)) == 2
    assert await note_ids(db) == [2]


async def test_closing_commits_what_lingers(tmp_path: Path) -> None:
    path = tmp_path / "closing.sqlite3"
    database = await Database(path).open()
    await database.conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    lingering = asyncio.ensure_future(database.run_transaction(insert(7), linger=30.0))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(database.close(), timeout=5)
    assert await lingering == 7
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT id FROM notes").fetchall() == [(7,)]
