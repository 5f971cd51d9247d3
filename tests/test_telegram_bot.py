"""bot/telegram_bot.py: answers sent and screens edited without reading the message back, yet
with the bot's defaults, its rate limiter and Telegram's errors, against the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import Defaults

from bot.app import rate_limiter
from bot.telegram_bot import TelegramBot
from tests.fake_telegram import FakeTelegram

KHMER = "យុទ្ធសាស្ត្រជាតិស្តីពីបញ្ញាសិប្បនិម្មិត 🇰🇭"
MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("👍 បាទ/ចាស", callback_data="faq:v:x:1")]])


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[TelegramBot]:
    limiter = rate_limiter(20)
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    async with TelegramBot(
        fake.token, base_url=fake.base_url, defaults=defaults, rate_limiter=limiter
    ) as client:
        yield client


async def test_an_answer_goes_out_with_the_defaults_and_its_id_comes_back(
    fake: FakeTelegram, bot: TelegramBot
) -> None:
    person = fake.user(8201, language_code="km")
    person.send("សួស្តី")
    asked = fake.pending_updates[-1]["message"]["message_id"]
    message_id = await bot.send_unread(person.id, f"<b>{KHMER}</b> https://example.org", MARKUP)
    sent = fake.last_message(person.id)
    assert sent["message_id"] == message_id
    assert sent["text"] == f"{KHMER} https://example.org"  # HTML parsed: the default
    assert sent["entities"][0]["type"] == "bold"
    assert sent["reply_markup"] == MARKUP.to_dict()
    params = fake.requests[-1].params
    assert params["link_preview_options"] == {"is_disabled": True}
    assert "reply_parameters" not in params

    await bot.send_unread(person.id, "quoted", quote=asked)
    assert fake.last_message(person.id)["reply_to_message"]["message_id"] == asked


async def test_an_edit_changes_the_message_in_place(fake: FakeTelegram, bot: TelegramBot) -> None:
    person = fake.user(8202, language_code="en")
    person.send("hi")
    message_id = await bot.send_unread(person.id, "first", MARKUP)
    await bot.edit_unread(person.id, message_id, "<i>second</i>")
    history = fake.edit_history(person.id, message_id)
    assert [v["text"] for v in history] == ["first", "second"]
    assert "reply_markup" not in history[-1]


async def test_telegram_refusals_still_raise(fake: FakeTelegram, bot: TelegramBot) -> None:
    person = fake.user(8203, language_code="en")
    person.send("hi")
    with pytest.raises(BadRequest):
        await bot.send_unread(person.id, "<b>unclosed")
    with pytest.raises(BadRequest):
        await bot.send_unread(person.id, "x" * 4097)
    with pytest.raises(Forbidden):
        await bot.send_unread(999_999, "nobody wrote from here")
    fake.fail_next("sendMessage", "502")
    with pytest.raises(NetworkError):
        await bot.send_unread(person.id, "hello")
    assert fake.sent_messages(person.id) == []


async def test_sends_pass_through_the_rate_limiter(fake: FakeTelegram, bot: TelegramBot) -> None:
    person = fake.user(8204, language_code="en")
    person.send("hi")
    assert bot.rate_limiter is not None
    before = bot.rate_limiter.recent(5)  # type: ignore[attr-defined]
    await bot.send_unread(person.id, "one")
    await bot.send_unread(person.id, "two")
    assert bot.rate_limiter.recent(5) == before + 2  # type: ignore[attr-defined]


async def test_every_keyboard_arrives_as_given_however_many_and_however_often(
    fake: FakeTelegram,
) -> None:
    """Keyboards are turned into JSON once per keyboard object and kept: hundreds of different
    ones, and the same one again after them, each still arrives exactly as it was given."""
    async with TelegramBot(fake.token, base_url=fake.base_url) as bot:  # no limiter: 600 sends
        await _send_many_keyboards(fake, bot)


async def _send_many_keyboards(fake: FakeTelegram, bot: TelegramBot) -> None:
    person = fake.user(8205, language_code="en")
    person.send("hi")
    first = MARKUP
    await bot.send_unread(person.id, "first", first)
    keyboards = [
        InlineKeyboardMarkup([[InlineKeyboardButton(f"{n} ✅", callback_data=f"faq:q:{n}")]])
        for n in range(600)
    ]
    for n, markup in enumerate(keyboards):
        message_id = await bot.send_unread(person.id, f"n{n}", markup)
        if n % 97 == 0:
            await bot.edit_unread(person.id, message_id, f"edited {n}", keyboards[n // 2])
    await bot.send_unread(person.id, "first again", first)
    sent = {m["text"]: m.get("reply_markup") for m in fake.sent_messages(person.id)}
    assert sent["first again"] == sent["first"] == first.to_dict()
    for n, markup in enumerate(keyboards):
        text = f"edited {n}" if n % 97 == 0 else f"n{n}"
        expected = keyboards[n // 2] if n % 97 == 0 else markup
        assert sent[text] == expected.to_dict(), text
