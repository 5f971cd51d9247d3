"""The SQLite database: connection settings, transactions and numbered migrations."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar, cast

import aiosqlite

from storage.commits import GroupCommit

T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """A migration failed; nothing of it was applied."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migrations shipped in storage/migrations, in version order."""
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a version number: {versions}")
    return found


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements.

    executescript() commits before it runs and so cannot share a transaction with
    the migration record; running statement by statement keeps both in one.
    """
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        raise MigrationError(f"incomplete SQL statement at the end of a migration: {current!r}")
    return [s for s in statements if _has_code(s)]


def _has_code(statement: str) -> bool:
    return any(
        line.strip() and not line.strip().startswith("--") for line in statement.splitlines()
    )


class Database:
    """One aiosqlite connection, shared by the whole bot.

    SQLite serialises writers anyway; a single connection with explicit
    transactions keeps every handler's writes atomic without lock juggling.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._commits = GroupCommit(self._in_thread, self._lock)

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> Database:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        # Takes effect on a new file only; enable_incremental_vacuum() converts an old one.
        await conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA synchronous=NORMAL")
        self._conn = conn
        return self

    async def close(self) -> None:
        if self._conn is not None:
            await self._commits.drain()
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""
        conn = self.conn
        async with self._lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    async def enable_incremental_vacuum(self) -> bool:
        """Let the file shrink as rows are deleted; True if it had to be rebuilt for that.

        A file created without it needs one full VACUUM, which cannot run inside a
        transaction (so not in a migration) and rewrites the whole file once.
        """
        async with self._lock:
            row = await self.fetchone("PRAGMA auto_vacuum")
            if row is not None and int(row[0]) == 2:
                return False
            await self.conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            await self.conn.execute("VACUUM")
            return True

    async def incremental_vacuum(self, chunk: int = 1000) -> int:
        """Give the pages freed by deletions back to the file system; returns how many.

        In chunks, so other work gets the connection in between. executescript, because
        execute() steps a PRAGMA once, and each step frees a single page.
        """
        freed = 0
        while True:
            async with self._lock:
                row = await self.fetchone("PRAGMA freelist_count")
                waiting = int(row[0]) if row is not None else 0
                if waiting == 0:
                    return freed
                await self.conn.executescript(f"PRAGMA incremental_vacuum({int(chunk)});")
            freed += min(waiting, chunk)

    async def run_transaction(
        self, work: Callable[[sqlite3.Connection], T], *, linger: float = 0.0
    ) -> T:
        """work(connection) in a transaction in the database's thread; returns once committed.

        work is plain sqlite3 code and must not await anything. Transactions asked for together
        share one commit (storage/commits.py); linger: seconds this one may wait for others to
        share it with.
        """
        return cast(T, await self._commits.run(work, linger))

    async def _in_thread(self, function: Callable[..., T], *args: object) -> T:
        # aiosqlite runs a function in its thread with _execute; that thread owns _conn.
        result = await self.conn._execute(function, self.conn._conn, *args)  # type: ignore[no-untyped-call]
        return cast(T, result)

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def applied_versions(self) -> list[int]:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
        )
        rows = await self.fetchall("SELECT version FROM schema_migrations ORDER BY version")
        return [int(r["version"]) for r in rows]

    async def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply every migration not yet applied, each with its record in one transaction."""
        todo = bundled_migrations() if migrations is None else migrations
        done = set(await self.applied_versions())
        applied = []
        for migration in sorted(todo, key=lambda m: m.version):
            if migration.version in done:
                continue
            try:
                async with self.transaction() as conn:
                    for statement in split_statements(migration.sql):
                        await conn.execute(statement)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (?, ?, ?)",
                        (migration.version, migration.name, time.time()),
                    )
            except Exception as exc:
                raise MigrationError(f"migration {migration.name} failed: {exc}") from exc
            applied.append(migration.version)
        return applied
