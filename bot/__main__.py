"""python -m bot: run the bot, or one of its maintenance commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from pathlib import Path

from bot.config import SettingsError, load_settings, settings_help
from bot.faq import cli as faq_cli

EXIT_CONFIG = 2
# storage.exports.KINDS, without importing the storage layer for --help.
EXPORT_KINDS = ("registrations", "submissions", "subscriptions")
EXIT_UNREACHABLE = 3


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bot",
        description="Telegram bot for Cambodia's National AI Strategy consultation.",
        epilog="Settings (environment variables or a .env file in the working directory):\n"
        + settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run the bot (the default): long polling, or --webhook")
    run.add_argument("--webhook", action="store_true", help="receive updates on WEBHOOK_URL")
    commands.add_parser("migrate", help="create or upgrade the database, then exit")
    faq_cli.add_commands(commands)
    export = commands.add_parser(
        "export", help="write registrations, submissions or subscriptions as CSV (no token needed)"
    )
    export.add_argument("kind", choices=EXPORT_KINDS)
    export.add_argument("path", type=Path)
    export.add_argument("--db", type=Path, help="SQLite file (default: DATABASE_PATH)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "run"
    if command == "faq":
        # Content tools need no token or database.
        return faq_cli.run(args)
    if command == "export":
        # Reads the database only: no token needed.
        return asyncio.run(_export(args.kind, args.path, args.db))
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    webhook = bool(getattr(args, "webhook", False))
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        print(
            "configuration error: webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET",
            file=sys.stderr,
        )
        return EXIT_CONFIG

    from bot.logs import setup_logging

    setup_logging(settings.log_level, settings.bot_token.get_secret_value())
    if command == "migrate":
        return asyncio.run(_migrate(settings.database_path))
    from telegram.error import InvalidToken, NetworkError

    from bot import runner

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(runner.run(settings, "webhook" if webhook else "polling"))
    except InvalidToken:
        print("configuration error: BOT_TOKEN was rejected by Telegram", file=sys.stderr)
        return EXIT_CONFIG
    except NetworkError as exc:
        print(f"cannot reach the Bot API at TELEGRAM_API_BASE_URL: {exc.message}", file=sys.stderr)
        return EXIT_UNREACHABLE
    return 0


async def _export(kind: str, path: Path, db_path: Path | None) -> int:
    from bot.admin import csv_export
    from storage.db import Database

    source = db_path or Path(os.environ.get("DATABASE_PATH", "data/bot.sqlite3"))
    if not source.exists():
        print(f"no database at {source} (set DATABASE_PATH or --db)", file=sys.stderr)
        return EXIT_CONFIG
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


if __name__ == "__main__":
    sys.exit(main())
