"""The migration runner: fresh database, idempotent reruns, all-or-nothing failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import Database, Migration, MigrationError, bundled_migrations, split_statements


async def tables(db: Database) -> set[str]:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r["name"] for r in rows}


async def test_fresh_database_gets_every_migration(tmp_path: Path) -> None:
    async with Database(tmp_path / "bot.sqlite3") as db:
        applied = await db.migrate()
        assert applied == [m.version for m in bundled_migrations()]
        assert {"users", "inbox", "conversations", "schema_migrations"} <= await tables(db)
        mode = await db.fetchone("PRAGMA journal_mode")
        assert mode is not None and mode[0] == "wal"
        fk = await db.fetchone("PRAGMA foreign_keys")
        assert fk is not None and fk[0] == 1


async def test_second_run_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Database(path) as db:
        await db.migrate()
    async with Database(path) as db:
        assert await db.migrate() == []
        rows = await db.fetchall("SELECT version FROM schema_migrations")
        assert len(rows) == len(bundled_migrations())


async def test_failing_migration_leaves_nothing_half_applied(tmp_path: Path) -> None:
    good = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    bad = Migration(
        2,
        "0002_b.sql",
        "CREATE TABLE b (x INTEGER);\nINSERT INTO a VALUES (1);\nINSERT INTO nowhere VALUES (1);\n",
    )
    async with Database(tmp_path / "bot.sqlite3") as db:
        with pytest.raises(MigrationError, match=r"0002_b\.sql"):
            await db.migrate([good, bad])
        assert "a" in await tables(db)
        assert "b" not in await tables(db)
        rows = await db.fetchall("SELECT * FROM a")
        assert rows == []
        assert await db.applied_versions() == [1]


async def test_migrations_apply_in_version_order(tmp_path: Path) -> None:
    first = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    second = Migration(2, "0002_b.sql", "ALTER TABLE a ADD COLUMN y TEXT;")
    async with Database(tmp_path / "bot.sqlite3") as db:
        assert await db.migrate([second, first]) == [1, 2]


def test_statements_split_on_semicolons_outside_strings() -> None:
    script = (
        "-- note; with a semicolon\nCREATE TABLE t (x TEXT DEFAULT 'a;b');\n"
        "INSERT INTO t VALUES ('c;d');\n"
    )
    assert split_statements(script) == [
        "-- note; with a semicolon\nCREATE TABLE t (x TEXT DEFAULT 'a;b');",
        "INSERT INTO t VALUES ('c;d');",
    ]


def test_bundled_migration_names_are_numbered() -> None:
    versions = [m.version for m in bundled_migrations()]
    # Numbers are unique and ascending; gaps are fine (parallel branches reserve numbers).
    assert versions == sorted(set(versions))
