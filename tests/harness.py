"""Running the real bot against the fake Bot API: in a thread, or as a process to kill."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Settings, load_settings
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def bot_env(fake: FakeTelegram, db_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_FILE_BASE_URL": fake.base_file_url,
        "DATABASE_PATH": str(db_path),
        "MODERATION_CHAT_ID": "-1001000000001",
        "MODERATOR_IDS": "9001,9002",
        "ADMIN_IDS": "9100",
        "LOG_LEVEL": "INFO",
        # Telegram's 20 a minute would make every moderation test wait; bench/ measures it.
        "GROUP_MESSAGES_PER_MINUTE": "600",
        # Likewise Telegram's 30 a second overall: tests that check the pace set it themselves.
        "MESSAGES_PER_SECOND": "1000",
    }
    env.update(extra)
    return env


def make_settings(fake: FakeTelegram, db_path: Path, **extra: str) -> Settings:
    env = bot_env(fake, db_path, **extra)
    return load_settings(**{k.lower(): v for k, v in env.items()})


class BotThread:
    """The whole bot (runner.run) on its own event loop in a thread: fast to start and stop."""

    def __init__(self, settings: Settings, mode: str = "polling") -> None:
        self.settings = settings
        self.mode = mode
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.error: BaseException | None = None

    def start(self) -> BotThread:
        self._thread = threading.Thread(target=self._main, name="bot", daemon=True)
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError("bot thread did not start")
        return self

    def _main(self) -> None:
        from bot import runner

        async def go() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            await runner.run(
                self.settings, "webhook" if self.mode == "webhook" else "polling", self._stop
            )

        try:
            asyncio.run(go())
        except BaseException as exc:
            self.error = exc
            self._ready.set()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(30)
            assert not self._thread.is_alive(), "bot thread did not stop"
        if self.error is not None:
            raise self.error

    def __enter__(self) -> BotThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class BotProcess:
    """python -m bot as a child process, for SIGKILL tests."""

    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env}
        self.log_path = log_path
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *self.args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(30)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def button_data(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def button_labels(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def eventually(check: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll until check() is true; for state that no message announces."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
