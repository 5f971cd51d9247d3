"""python -m bot: run the bot, or one of its maintenance commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sqlite3
import sys
import urllib.error
import urllib.request
from pathlib import Path

from bot import faq_cli, memory, startup
from bot.config import (
    Settings,
    SettingsError,
    load_settings,
    load_settings_without_token,
    settings_help,
)
from storage.db import MigrationError

EXIT_CONFIG = 2
# storage.exports.KINDS, without importing the storage layer for --help.
EXPORT_KINDS = ("registrations", "submissions", "subscriptions")
EXIT_UNREACHABLE = 3

COMMANDS = """\
Commands:
  run [--webhook]        run the bot (the default): long polling, or a webhook
  migrate                create or upgrade the database, then exit (no token needed)
  check-config           print every setting (secrets hidden) and what is wrong; exit 0 or 2
  backup PATH            copy the live database to PATH while the bot runs (no token needed)
  healthcheck            ask the running bot's /healthz (HEALTH_PORT); exit 0 if healthy
  faq check              validate the FAQ content
  faq search QUERY       rank FAQ entries for a query
  faq report             what the FAQ missed and how answers were rated (no token needed)
  export KIND PATH       registrations, submissions or subscriptions as CSV (no token needed)
"""


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bot",
        description="Telegram bot for Cambodia's National AI Strategy consultation.",
        epilog=COMMANDS
        + "\nSettings (environment variables or a .env file in the working directory):\n"
        + settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run the bot (the default): long polling, or --webhook")
    run.add_argument("--webhook", action="store_true", help="receive updates on WEBHOOK_URL")
    commands.add_parser("migrate", help="create or upgrade the database, then exit")
    commands.add_parser("check-config", help="print every setting and what is wrong")
    backup = commands.add_parser("backup", help="copy the live database to PATH")
    backup.add_argument("path", type=Path, metavar="PATH", help="file (or folder) for the copy")
    commands.add_parser("healthcheck", help="ask the running bot's /healthz; exit 0 if healthy")
    faq_cli.add_commands(commands)
    export = commands.add_parser(
        "export", help="write registrations, submissions or subscriptions as CSV (no token needed)"
    )
    export.add_argument("kind", choices=EXPORT_KINDS)
    export.add_argument("path", type=Path)
    export.add_argument("--db", type=Path, help="SQLite file (default: DATABASE_PATH)")
    return root


def fail(message: str, code: int = EXIT_CONFIG) -> int:
    print(message, file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "run"
    if command == "faq":
        # Content tools need no token or database.
        return faq_cli.run(args)
    if command == "check-config":
        return startup.check_config()
    if command == "run":
        return run(webhook=bool(getattr(args, "webhook", False)))
    try:
        settings = load_settings_without_token()
    except SettingsError as exc:
        return fail(f"configuration error: {exc}")
    if command == "healthcheck":
        return healthcheck(settings)
    if command == "backup":
        return backup(settings.database_path, args.path)
    if command == "export":
        # Reads the database only: no token needed.
        source = args.db or settings.database_path
        if not source.exists():
            return fail(f"no database at {source} (set DATABASE_PATH or --db)")
        return asyncio.run(_export(args.kind, args.path, source))
    problem = startup.database_path_problem(settings.database_path)
    if problem is not None:
        return fail(f"configuration error: {problem}")
    try:
        return asyncio.run(_migrate(settings.database_path))
    except (sqlite3.DatabaseError, MigrationError) as exc:
        return fail(f"database error: DATABASE_PATH {settings.database_path}: {exc}")


def run(webhook: bool) -> int:
    """Settings, database path and Telegram are checked, in that order, before anything starts."""
    memory.one_arena()
    try:
        settings = load_settings()
    except SettingsError as exc:
        return fail(f"configuration error: {exc}")
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        return fail("configuration error: webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    problem = startup.database_path_problem(settings.database_path)
    if problem is not None:
        return fail(f"configuration error: {problem}")

    from telegram.error import InvalidToken, NetworkError

    from bot import runner
    from bot.health import ListenError
    from bot.logs import setup_logging

    try:
        asyncio.run(startup.check_telegram(settings))
    except InvalidToken:
        return fail("configuration error: BOT_TOKEN was rejected by Telegram")
    except NetworkError as exc:
        return fail(_unreachable(settings, exc.message), EXIT_UNREACHABLE)

    setup_logging(settings.log_level, settings.bot_token.get_secret_value())
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(runner.run(settings, "webhook" if webhook else "polling"))
    except InvalidToken:
        return fail("configuration error: BOT_TOKEN was rejected by Telegram")
    except NetworkError as exc:
        return fail(_unreachable(settings, exc.message), EXIT_UNREACHABLE)
    except ListenError as exc:
        return fail(f"configuration error: {exc}")
    except (sqlite3.DatabaseError, MigrationError) as exc:
        return fail(f"database error: DATABASE_PATH {settings.database_path}: {exc}")
    return 0


def _unreachable(settings: Settings, reason: str) -> str:
    return f"cannot reach the Bot API at TELEGRAM_API_BASE_URL ({reason}); nothing was started"


async def _export(kind: str, path: Path, source: Path) -> int:
    from bot.admin import csv_export
    from storage.db import Database

    async with Database(source) as db:
        await db.migrate()
        count = await csv_export.write(db, kind, path)
    print(f"{count} {kind} written to {path}")
    return 0


async def _migrate(path: Path) -> int:
    from storage.db import Database

    async with Database(path) as db:
        applied = await db.migrate()
    print(f"applied migrations: {applied or 'none'}")
    return 0


def backup(database: Path, target: Path) -> int:
    from bot.backup import BackupError
    from bot.backup import backup as copy

    try:
        size = copy(database, target)
    except BackupError as exc:
        return fail(f"backup failed: {exc}", 1)
    print(f"backed up {database} to {target} ({size} bytes, integrity ok)")
    return 0


def healthcheck(settings: Settings) -> int:
    """For Docker's HEALTHCHECK: one line, exit 0 when /healthz says 200."""
    if settings.health_port is None:
        return fail("healthcheck: HEALTH_PORT is not set, so there is nothing to ask", 1)
    host = "127.0.0.1" if settings.health_listen in ("0.0.0.0", "") else settings.health_listen
    url = f"http://{host}:{settings.health_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            print(json.dumps(json.load(response)))
            return 0
    except urllib.error.HTTPError as exc:
        print(exc.read().decode("utf-8", "replace").strip())
        return 1
    except OSError as exc:
        return fail(f"healthcheck: no answer from {url} ({exc})", 1)


if __name__ == "__main__":
    sys.exit(main())
