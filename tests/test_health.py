"""GET /healthz and /metrics: healthy, and unhealthy for each reason it can be."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram.error import NetworkError

from bot.app import BotApplication, build_application
from bot.context import BotData
from bot.health import Health, HealthServer
from bot.processor import InboxProcessor
from storage import outbox
from storage.db import Database
from tests.fake_telegram import FakeTelegram
from tests.harness import ROOT, BotProcess, BotThread, bot_env, make_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def sample(metrics_text: str, name: str) -> float:
    """The value of one sample line (name with its labels) in Prometheus' text format."""
    for line in metrics_text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


# ----------------------------------------------------------------------------- the whole bot


def test_healthy_bot_and_its_metrics(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    port = free_port()
    start_bot(HEALTH_PORT=str(port))
    base = f"http://127.0.0.1:{port}"
    _, before = get(f"{base}/metrics")
    user = fake.user(7001, language_code="en")
    mark = fake.mark()
    user.send("how many bussinesses registerd onlin so far")  # answered
    fake.wait_for_message(user.id, text_contains="42,000", after=mark)
    mark = fake.mark()
    user.send("What's the weather in Siem Reap tomorrow?")  # not in the FAQ
    fake.wait_for_message(user.id, text_contains="could not find an answer", after=mark)

    status, body = get(f"{base}/healthz")
    assert status == 200, body
    report = json.loads(body)
    assert report["ok"] is True and report["problems"] == []
    assert report["database"] == "ok" and report["processor"] == "running"
    assert report["outbox_backlog"] == 0
    assert report["oldest_due_message_seconds"] is None
    assert report["telegram_last_ok_seconds_ago"] is not None
    assert report["telegram_failing_seconds"] == 0

    # what Docker's HEALTHCHECK runs
    probe = subprocess.run(
        [sys.executable, "-m", "bot", "healthcheck"],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HEALTH_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout)["ok"] is True

    status, after = get(f"{base}/metrics")
    assert status == 200
    for outcome, grew_by in (("answered", 1), ("unanswered", 1), ("suggested", 0)):
        name = f'bot_faq_questions_total{{outcome="{outcome}"}}'
        assert sample(after, name) - sample(before, name) == grew_by, outcome
    for family in (
        "bot_updates_handled_total",
        "bot_updates_failed_total",
        "bot_handler_seconds_bucket",
        "bot_messages_sent_total",
        "bot_messages_refused_total",
        "bot_telegram_429_total",
    ):
        assert re.search(rf"^# TYPE {family.rsplit('_', 1)[0]}", after, re.M), family
    assert sample(after, "bot_inbox_backlog") == 0
    assert sample(after, "bot_outbox_backlog") == 0


def test_metrics_token(fake: FakeTelegram, start_bot: Callable[..., BotThread]) -> None:
    port = free_port()
    start_bot(HEALTH_PORT=str(port), METRICS_TOKEN="scrape-me-123")
    url = f"http://127.0.0.1:{port}/metrics"
    assert get(url)[0] == 401
    assert get(url, {"Authorization": "Bearer wrong"})[0] == 401
    status, text = get(url, {"Authorization": "Bearer scrape-me-123"})
    assert status == 200 and "bot_inbox_backlog" in text
    # /healthz stays open: Docker's HEALTHCHECK has no token
    assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200


def test_webhook_server_reports_the_same_health_and_no_metrics(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_env(
        fake,
        db_path,
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
        WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    bot = BotProcess(env, tmp_path / "bot.log", "run", "--webhook").start()
    try:
        fake.wait_for_request("setWebhook", timeout=30)
        status, body = get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200, body
        report = json.loads(body)
        assert report["processor"] == "running" and report["database"] == "ok"
        # the public server does not publish metrics
        assert get(f"http://127.0.0.1:{port}/metrics")[0] == 404
    finally:
        assert bot.terminate() == 0


# ----------------------------------------------------------------------------- one part fails


@dataclass
class Parts:
    app: BotApplication
    db: Database
    processor: InboxProcessor
    url: str

    @property
    def data(self) -> BotData:
        data = self.app.bot_data
        assert isinstance(data, BotData)
        return data


@pytest.fixture
async def parts(fake: FakeTelegram, db_path: Path) -> AsyncIterator[Parts]:
    """The bot's parts, started as runner.run starts them, with the health listener."""
    settings = make_settings(
        fake, db_path, HEALTH_MAX_OUTBOX_SECONDS="0.5", HEALTH_MAX_TELEGRAM_SILENCE_SECONDS="0.5"
    )
    db = await Database(db_path).open()
    await db.migrate()
    app = build_application(settings, db)
    async with app:
        processor = InboxProcessor(app, db, 2)
        await processor.start()
        data = app.bot_data
        assert isinstance(data, BotData)
        port = free_port()
        server = HealthServer(
            Health(settings, db, processor, data.telegram_calls), "127.0.0.1", port
        )
        await server.start()
        try:
            yield Parts(app, db, processor, f"http://127.0.0.1:{port}/healthz")
        finally:
            await server.stop()
            await processor.stop()
            await data.outbox.stop()
    await db.close()


async def healthz(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def until_status(url: str, status: int, seconds: float = 10.0) -> dict[str, Any]:
    for _ in range(int(seconds / 0.05)):
        got, report = await healthz(url)
        if got == status:
            return report
        await asyncio.sleep(0.05)
    raise AssertionError(f"/healthz never answered {status}: {report}")


async def test_unhealthy_when_the_processor_is_stopped(parts: Parts) -> None:
    status, report = await healthz(parts.url)
    assert status == 200, report
    await parts.processor.stop()
    status, report = await healthz(parts.url)
    assert status == 503
    assert report["processor"] == "stopped"
    assert report["problems"] == ["the inbox processor is not running"]
    # Docker's HEALTHCHECK sees it too
    port = parts.url.split(":")[2].split("/")[0]
    probe = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "healthcheck",
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HEALTH_PORT": port},
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await probe.communicate()
    assert probe.returncode == 1
    assert json.loads(out)["problems"] == ["the inbox processor is not running"]


async def test_unhealthy_when_the_database_is_unreachable(parts: Parts) -> None:
    assert (await healthz(parts.url))[0] == 200
    await parts.db.close()
    status, report = await healthz(parts.url)
    assert status == 503
    assert report["database"].startswith("unreachable")
    assert report["problems"] == ["the database cannot be read"]
    await parts.db.open()
    assert (await healthz(parts.url))[0] == 200


async def test_unhealthy_while_the_outbox_is_stuck_and_healthy_once_it_moves(
    fake: FakeTelegram, parts: Parts
) -> None:
    assert (await healthz(parts.url))[0] == 200
    user = fake.user(7002, language_code="en")
    user.send("/start")  # so that the bot may write to them (nothing polls it here)
    # Owed to a person, and nothing delivers it: the sender is not running.
    async with parts.db.transaction() as conn:
        await outbox.enqueue_in(
            conn,
            dedup_key="health:1",
            chat_id=user.id,
            method="send_message",
            payload={"text": "your contribution C-000001 was approved"},
        )
    report = await until_status(parts.url, 503)
    assert report["problems"] == ["a message has waited too long in the outbox"]
    assert report["outbox_backlog"] == 1
    assert report["oldest_due_message_seconds"] >= 0.5
    await parts.data.outbox.start()
    await fake.await_message(user.id, text_contains="C-000001")
    report = await until_status(parts.url, 200)
    assert report["outbox_backlog"] == 0


async def test_unhealthy_while_calls_to_telegram_fail(fake: FakeTelegram, parts: Parts) -> None:
    assert (await healthz(parts.url))[0] == 200
    fake.fail_next("getMe", "502")
    with pytest.raises(NetworkError):
        await parts.app.bot.get_me()
    report = await until_status(parts.url, 503)  # nothing has succeeded since
    assert report["problems"] == ["calls to Telegram have failed for too long"]
    assert report["telegram_failing_seconds"] >= 0.5
    await parts.app.bot.get_me()
    report = await until_status(parts.url, 200)
    assert report["telegram_failing_seconds"] == 0
