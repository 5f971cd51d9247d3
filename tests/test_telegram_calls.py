"""The bot's HTTP client for the Bot API (aiohttp under python-telegram-bot), against the fake."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.telegram_calls import TelegramCalls, TrackedRequest
from tests.fake_telegram import FakeTelegram

KHMER = "យុទ្ធសាស្ត្រជាតិស្តីពីបញ្ញាសិប្បនិម្មិត 🇰🇭"


@dataclass
class Link:
    """A bot on the bot's own client, what that client noted, and a person who wrote to it."""

    client: Bot
    calls: TelegramCalls
    chat: int


@pytest.fixture
async def link(fake: FakeTelegram) -> AsyncIterator[Link]:
    calls = TelegramCalls()
    request = TrackedRequest(calls, connection_pool_size=4, read_timeout=1.0)
    person = fake.user(8101, language_code="km")
    person.send("hi")
    async with Bot(fake.token, base_url=fake.base_url, request=request) as client:
        yield Link(client, calls, person.id)


async def test_text_buttons_and_khmer_arrive_whole(fake: FakeTelegram, link: Link) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(KHMER[:20], callback_data="m:home")]])
    sent = await link.client.send_message(
        link.chat, f"<b>{KHMER}</b>", parse_mode="HTML", reply_markup=markup
    )
    assert sent.text == KHMER and sent.reply_markup == markup
    record = fake.requests[-1]
    assert record.params["text"] == f"<b>{KHMER}</b>"
    assert record.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "m:home"
    assert link.calls.last_ok is not None and link.calls.failing_since is None


async def test_a_file_goes_up_as_multipart(fake: FakeTelegram, link: Link) -> None:
    content = "id,name\n1,ស្រី\n".encode()
    sent = await link.client.send_document(link.chat, content, filename="export.csv", caption=KHMER)
    assert sent.document is not None and sent.document.file_name == "export.csv"
    upload = fake.requests[-1].params["document"]
    assert upload.data == content and fake.requests[-1].params["caption"] == KHMER


async def test_telegram_refusals_and_flood_waits_come_back_as_telegram_errors(
    fake: FakeTelegram, link: Link
) -> None:
    with pytest.raises(BadRequest):
        await link.client.send_message(link.chat, "x" * 4097)
    fake.fail_next("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as flood:
        await link.client.send_message(link.chat, "hello")
    assert flood.value.retry_after == timedelta(seconds=7)
    assert link.calls.failing_since is None  # Telegram answered: it is reachable


async def test_a_5xx_and_a_held_request_are_failures(fake: FakeTelegram, link: Link) -> None:
    fake.fail_next("sendMessage", "502")
    with pytest.raises(NetworkError):
        await link.client.send_message(link.chat, "hello")
    assert link.calls.failing_since is not None
    fake.fail_next("sendMessage", "timeout")
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await link.client.send_message(link.chat, "hello")
    assert time.monotonic() - started < 10  # the read timeout, not the fake's hold
    assert (await link.client.send_message(link.chat, "hello")).text == "hello"
    assert link.calls.failing_since is None


async def test_text_that_is_not_unicode_is_never_sent(fake: FakeTelegram, link: Link) -> None:
    before = len(fake.requests)
    with pytest.raises(NetworkError) as refused:
        await link.client.send_message(link.chat, "broken \ud800 text")
    assert isinstance(refused.value.__cause__, UnicodeEncodeError)
    assert len(fake.requests) == before


async def test_nobody_listening_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = TrackedRequest(TelegramCalls(), connect_timeout=2.0)
    client = Bot(
        "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef",
        base_url=f"http://127.0.0.1:{port}/bot",
        request=request,
    )
    with pytest.raises(NetworkError) as failed:
        await client.initialize()
    assert "aiohttp.ClientConnectorError" in str(failed.value)
    assert "ABCDEFGHIJ" not in str(failed.value)  # no token in what may be logged
    await request.shutdown()


async def test_a_proxy_in_the_environment_is_used(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a ministry's proxy, HTTP(S)_PROXY is how the bot must reach Telegram: here the
    proxy named is closed, so the call fails there instead of going straight to the fake."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{port}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    request = TrackedRequest(TelegramCalls(), connect_timeout=2.0)
    client = Bot(fake.token, base_url=fake.base_url, request=request)
    with pytest.raises(NetworkError):
        await client.initialize()
    await request.shutdown()
    assert not [r for r in fake.requests if r.method == "getMe"]


async def test_the_proxy_settings_are_read_once_not_on_every_call(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looking them up again cost two trips to a thread per call (aiohttp's trust_env). Read
    at the first call to an address, they hold for the life of the client: a proxy named
    afterwards is not used, and NO_PROXY for the fake's address keeps a proxy set before away."""
    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    request = TrackedRequest(TelegramCalls(), connect_timeout=2.0)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as client:
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        assert (await client.get_me()).is_bot
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    bypassing = TrackedRequest(TelegramCalls(), connect_timeout=2.0)
    async with Bot(fake.token, base_url=fake.base_url, request=bypassing) as client:
        assert (await client.get_me()).is_bot
