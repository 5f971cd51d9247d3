"""What is checked before anything starts: the database path, Telegram, and check-config.

Each problem is one line for the operator; nothing is created on disk before these pass.
"""

from __future__ import annotations

import os
from pathlib import Path

from telegram import Bot

from bot import config
from bot.config import Settings
from bot.telegram_calls import TelegramCalls, TrackedRequest


def database_path_problem(path: Path) -> str | None:
    """Why SQLite could not keep its file (and journal) at path, or None; creates nothing."""
    if str(path) == ":memory:":
        return None
    if path.is_dir():
        return f"DATABASE_PATH: {path} is a folder, not a file"
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            return f"DATABASE_PATH: {path} cannot be written (read-only file or mount)"
        if not _writable(path.parent):
            # SQLite writes its journal next to the database.
            return f"DATABASE_PATH: its folder {path.parent} cannot be written (read-only mount?)"
        return None
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"DATABASE_PATH: {existing} is a file, so {path.parent} cannot be a folder"
    if not _writable(existing):
        if existing == path.parent:
            return f"DATABASE_PATH: {path.name} cannot be created in {existing} (read-only mount?)"
        return (
            f"DATABASE_PATH: the folder {path.parent} does not exist and cannot be created"
            f" in {existing} (read-only mount?)"
        )
    return None


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


async def check_telegram(settings: Settings) -> str:
    """getMe with the configured token; raises InvalidToken or NetworkError. Returns @username."""
    calls = TelegramCalls()
    bot = Bot(
        settings.bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
        request=TrackedRequest(calls),
        get_updates_request=TrackedRequest(calls),
    )
    async with bot:
        return bot.username


def check_config() -> int:
    """python -m bot check-config: every setting (secrets hidden), then what is wrong."""
    rows = config.listing()
    width = max(len(name) for name, _, _ in rows)
    for name, value, origin in rows:
        print(f"{name:<{width}}  {value}  ({origin})")
    found = config.problems()
    given = {name: value for name, value, _ in rows}
    problem = database_path_problem(Path(given["DATABASE_PATH"]))
    if problem is not None:
        found.append(problem)
    print()
    if not found:
        print("settings: OK (Telegram is not contacted; `python -m bot` checks the token)")
        return 0
    print(f"settings: {len(found)} problem(s)")
    for line in found:
        print(f"  {line}")
    return 2
