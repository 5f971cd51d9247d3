"""Tests of the fake Telegram Bot API server, driven by a real python-telegram-bot Bot."""

from __future__ import annotations

import asyncio
import functools
import json
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputMediaPhoto,
    InputTextMessageContent,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from tests.fake_telegram import FakeTelegram, FakeUser, RecordedRequest

JSON = dict[str, Any]
DARA = 1001
KHMER_HELLO = "សួស្តី"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def make_bot(fake: FakeTelegram, *, read_timeout: float = 5.0, token: str | None = None) -> Bot:
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0, connection_pool_size=8)
    return Bot(
        token or fake.token,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        request=request,
    )


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(fake) as client:
        yield client


@pytest.fixture
def dara(fake: FakeTelegram) -> FakeUser:
    """A user who has already written to the bot."""
    user = fake.user(DARA, first_name="Dara", language_code="km", username="dara_kh")
    user.send(KHMER_HELLO)
    return user


def last_call(fake: FakeTelegram, method: str) -> RecordedRequest:
    calls = fake.calls(method)
    assert calls, f"no {method} call was recorded"
    return calls[-1]


def last_description(fake: FakeTelegram, method: str) -> str:
    response = last_call(fake, method).response
    assert response is not None
    return str(response["description"])


def in_flight(fake: FakeTelegram, method: str) -> bool:
    return any(record.status is None for record in fake.calls(method))


def wait_until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in data])


async def raw_post(
    fake: FakeTelegram,
    method: str,
    *,
    json_body: JSON | None = None,
    form: dict[str, str] | None = None,
    token: str | None = None,
) -> tuple[int, JSON]:
    url = f"{fake.base_url}{token or fake.token}/{method}"
    async with httpx.AsyncClient() as client:
        response = await client.post(url, json=json_body, data=form)
    return response.status_code, response.json()


# --------------------------------------------------------------------------- server & protocol


def test_serves_plain_threads_without_an_event_loop(fake: FakeTelegram) -> None:
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/bot"
    assert fake.base_file_url == f"http://127.0.0.1:{fake.port}/file/bot"
    url = f"{fake.base_url}{fake.token}/getMe"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    assert body["ok"] is True
    assert body["result"]["username"] == "cambodia_ai_test_bot"
    assert body["result"]["id"] == 123456


def test_long_poll_from_another_thread_wakes_when_a_user_writes(fake: FakeTelegram) -> None:
    user = fake.user(2002, first_name="Sok")
    results: list[JSON] = []

    def poll() -> None:
        url = f"{fake.base_url}{fake.token}/getUpdates?timeout=5"
        with urllib.request.urlopen(url, timeout=10) as response:
            results.append(json.load(response))

    poller = threading.Thread(target=poll)
    started = time.monotonic()
    poller.start()
    wait_until(lambda: in_flight(fake, "getUpdates"))
    user.send("hello")
    poller.join(timeout=10)
    assert time.monotonic() - started < 2
    assert [u["message"]["text"] for u in results[0]["result"]] == ["hello"]


def test_context_manager_stops_listening() -> None:
    with FakeTelegram() as server:
        url = f"{server.base_url}{server.token}/getMe"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken, match="was rejected by the server"):
        async with make_bot(fake, token="999:WRONG"):
            pass
    status, body = await raw_post(fake, "getMe", token="999:WRONG")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert last_call(fake, "getMe").status == 401


async def test_unknown_method_is_not_found(fake: FakeTelegram, bot: Bot) -> None:
    status, body = await raw_post(fake, "sendTelepathy")
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")


async def test_json_form_and_multipart_parameters_are_decoded(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    markup = {"inline_keyboard": [[{"text": "yes", "callback_data": "yes"}]]}
    status, _ = await raw_post(
        fake, "sendMessage", json_body={"chat_id": DARA, "text": "json", "reply_markup": markup}
    )
    assert status == 200
    form = {"chat_id": str(DARA), "text": "123", "reply_markup": json.dumps(markup)}
    status, body = await raw_post(fake, "sendMessage", form=form)
    assert status == 200
    assert body["result"]["text"] == "123"
    await bot.send_document(DARA, b"%PDF-1.4", filename="plan.pdf", reply_markup=keyboard("yes"))

    for record in fake.calls("sendMessage"):
        assert record.params["chat_id"] == DARA
        assert record.params["reply_markup"] == markup
    assert fake.calls("sendMessage")[1].params["text"] == "123"
    upload = last_call(fake, "sendDocument").params
    assert upload["reply_markup"] == markup
    assert upload["document"].filename == "plan.pdf"
    assert upload["document"].data == b"%PDF-1.4"


async def test_answers_are_ascii_json_even_for_lone_surrogates(
    fake: FakeTelegram, dara: FakeUser
) -> None:
    body = b'{"chat_id": 1001, "text": "\\u1780 \\ud83d"}'
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{fake.base_url}{fake.token}/sendMessage",
            content=body,
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 200
    assert response.content.isascii()
    assert json.loads(response.content)["result"]["text"] == "\u1780 \ud83d"


async def test_requests_record_method_params_status_and_time(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    before = time.time()
    await bot.send_message(DARA, "hi")
    record = last_call(fake, "sendMessage")
    assert record.params == {"chat_id": DARA, "text": "hi"}
    assert record.status == 200
    assert record.delivered
    assert before <= record.timestamp <= time.time()
    assert record.response is not None and record.response["ok"] is True


# --------------------------------------------------------------------------- sending


async def test_sent_messages_look_like_telegram_messages(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sok = fake.user(2002, first_name="Sok")
    sok.send("hi")
    first = await bot.send_message(DARA, "one")
    second = await bot.send_message(DARA, "two")
    other = await bot.send_message(2002, "three")

    # the user's own message took id 1 in each private chat
    assert (first.message_id, second.message_id, other.message_id) == (2, 3, 2)
    assert first.from_user is not None and first.from_user.username == "cambodia_ai_test_bot"
    assert first.chat.id == DARA and first.chat.type == "private"
    assert first.chat.first_name == "Dara"
    assert abs(first.date.timestamp() - time.time()) < 5
    assert [m["text"] for m in fake.sent_messages(DARA)] == ["one", "two"]
    assert [m["text"] for m in fake.sent_messages()] == ["one", "two", "three"]
    assert fake.last_message(2002)["text"] == "three"


async def test_html_is_parsed_into_text_and_entities(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    html = (
        '<b>ផែនការ</b> &lt;AI&gt; &amp; <a href="https://mptc.gov.kh/?a=1&b=2">link</a> '
        '<pre><code class="language-python">x = 1</code></pre>'
    )
    message = await bot.send_message(DARA, html, parse_mode=ParseMode.HTML)
    assert message.text == "ផែនការ <AI> & link x = 1"
    recorded = fake.last_message(DARA)
    assert recorded["entities"] == [
        {"type": "bold", "offset": 0, "length": 6},
        {"type": "text_link", "offset": 14, "length": 4, "url": "https://mptc.gov.kh/?a=1&b=2"},
        {"type": "pre", "offset": 19, "length": 5, "language": "python"},
    ]


async def test_every_allowed_tag_and_entity_is_accepted(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    html = (
        "<strong>a</strong><i>b</i><em>c</em><u>d</u><ins>e</ins><s>f</s><strike>g</strike>"
        '<del>h</del><span class="tg-spoiler">i</span><tg-spoiler>j</tg-spoiler>'
        '<tg-emoji emoji-id="5368324170671202286">k</tg-emoji><code>l</code><pre>m</pre>'
        "<blockquote>n</blockquote><blockquote expandable>o</blockquote>"
        "<pre><code class=Language-Go>p</code></pre>&quot;&#65;&#x42;"
    )
    message = await bot.send_message(DARA, html, parse_mode=ParseMode.HTML)
    assert message.text == 'abcdefghijklmnop"AB'
    assert fake.last_message(DARA)["entities"][-1] == {
        "type": "pre",
        "offset": 15,
        "length": 1,
        "language": "go",  # unquoted attribute values are case-folded, as in Telegram
    }
    types = [e["type"] for e in fake.last_message(DARA)["entities"]]
    assert types == [
        "bold", "italic", "italic", "underline", "underline", "strikethrough",
        "strikethrough", "strikethrough", "spoiler", "spoiler", "custom_emoji", "code", "pre",
        "blockquote", "expandable_blockquote", "pre",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("ផែន<p>x</p>", 'Unsupported start tag "p" at byte offset 9'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('ផែន<a href=x"y>t</a>', "Unexpected end of name token at byte offset 17"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("AT&T", 'Character "&" is reserved and must be escaped as "&amp;" at byte offset 2'),
        ("&nbsp;", 'Character "&" is reserved and must be escaped as "&amp;" at byte offset 0'),
        ("&#xD800;", 'Character "&" is reserved and must be escaped as "&amp;" at byte offset 0'),
    ],
)
async def test_malformed_html_is_refused_like_telegram(
    fake: FakeTelegram, bot: Bot, dara: FakeUser, html: str, problem: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(DARA, html, parse_mode=ParseMode.HTML)
    assert last_call(fake, "sendMessage").status == 400
    assert last_description(fake, "sendMessage") == f"Bad Request: can't parse entities: {problem}"
    assert fake.sent_messages(DARA) == []


async def test_html_is_only_parsed_in_html_mode(bot: Bot, dara: FakeUser) -> None:
    message = await bot.send_message(DARA, "1 < 2 & <div>")
    assert message.text == "1 < 2 & <div>"


@pytest.mark.parametrize(
    ("text", "parse_mode", "accepted"),
    [
        ("a" * 4096, None, True),
        ("a" * 4097, None, False),
        ("ក" * 4096, None, True),
        ("😀" * 2048, None, True),
        ("😀" * 2048 + "a", None, False),
        ("<b>" + "a" * 4096 + "</b>", ParseMode.HTML, True),
        ("&amp;" * 4096, ParseMode.HTML, True),
        ("&amp;" * 4097, ParseMode.HTML, False),
    ],
)
async def test_text_length_is_counted_in_utf16_after_parsing(
    fake: FakeTelegram, bot: Bot, dara: FakeUser, text: str, parse_mode: str | None, accepted: bool
) -> None:
    if accepted:
        await bot.send_message(DARA, text, parse_mode=parse_mode)
        assert len(fake.sent_messages(DARA)) == 1
        return
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(DARA, text, parse_mode=parse_mode)
    assert last_description(fake, "sendMessage") == "Bad Request: message is too long"


@pytest.mark.parametrize(("text", "parse_mode"), [("", None), (" \n ", None), ("<b></b>", "HTML")])
async def test_empty_text_is_refused(
    fake: FakeTelegram, bot: Bot, dara: FakeUser, text: str, parse_mode: str | None
) -> None:
    with pytest.raises(BadRequest, match="text is empty"):
        await bot.send_message(DARA, text, parse_mode=parse_mode)
    assert last_description(fake, "sendMessage") == "Bad Request: message text is empty"


async def test_caption_limit_is_1024(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    await bot.send_photo(DARA, b"\xff\xd8jpeg", caption="c" * 1024)
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(DARA, b"doc", filename="a.txt", caption="c" * 1025)
    assert last_description(fake, "sendDocument") == "Bad Request: message caption is too long"
    assert [m["caption"] for m in fake.sent_messages(DARA)] == ["c" * 1024]


@pytest.mark.parametrize(
    ("data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("ក" * 21, True), ("ក" * 22, False)],
)
async def test_callback_data_is_limited_to_64_bytes(
    fake: FakeTelegram, bot: Bot, dara: FakeUser, data: str, accepted: bool
) -> None:
    if accepted:
        await bot.send_message(DARA, "pick", reply_markup=keyboard(data))
        assert fake.last_message(DARA)["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        return
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(DARA, "pick", reply_markup=keyboard("ok", data))
    assert last_description(fake, "sendMessage") == "Bad Request: BUTTON_DATA_INVALID"


@pytest.mark.parametrize(
    ("inline_keyboard", "problem"),
    [
        (
            [{"text": "a", "callback_data": "a"}],
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays',
        ),
        ([["a"]], "can't parse inline keyboard button: InlineKeyboardButton should be an Object"),
        (
            [[{"callback_data": "a"}]],
            "can't parse inline keyboard button: Can't find field \"text\"",
        ),
        (
            [[{"text": "a"}]],
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        (
            [[{"text": "a", "callback_data": "a", "url": "https://example.org"}]],
            "can't parse inline keyboard button: exactly one of the optional fields must be used",
        ),
    ],
)
async def test_inline_keyboard_shape_is_validated(
    fake: FakeTelegram, dara: FakeUser, inline_keyboard: Any, problem: str
) -> None:
    markup = {"inline_keyboard": inline_keyboard}
    status, body = await raw_post(
        fake, "sendMessage", json_body={"chat_id": DARA, "text": "x", "reply_markup": markup}
    )
    assert (status, body["description"]) == (400, f"Bad Request: {problem}")
    assert fake.sent_messages(DARA) == []


async def test_reply_keyboards_are_remembered_per_chat(bot: Bot, fake: FakeTelegram) -> None:
    fake.user(DARA).share_contact("+85512345678")
    status, _ = await raw_post(
        fake,
        "sendMessage",
        json_body={
            "chat_id": DARA,
            "text": "Share your phone",
            "reply_markup": {"keyboard": [[{"text": "📱", "request_contact": True}]]},
        },
    )
    assert status == 200
    assert fake.reply_keyboard(DARA) == {"keyboard": [[{"text": "📱", "request_contact": True}]]}
    assert "reply_markup" not in fake.last_message(DARA)


# --------------------------------------------------------------------------- who may be messaged


async def test_user_who_never_wrote_cannot_be_messaged(fake: FakeTelegram, bot: Bot) -> None:
    fake.user(3003, first_name="Vanna")
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(3003, "hello")
    with pytest.raises(Forbidden):
        await bot.send_message(4004, "hello")
    assert last_call(fake, "sendMessage").status == 403
    assert (
        last_description(fake, "sendMessage")
        == "Forbidden: bot can't initiate conversation with a user"
    )
    assert fake.sent_messages() == []


async def test_unknown_chat_is_not_found_but_known_group_works(
    fake: FakeTelegram, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-100999, "hello")
    assert last_description(fake, "sendMessage") == "Bad Request: chat not found"
    fake.group(-100123, "Moderators")
    message = await bot.send_message(-100123, "hello")
    assert message.chat.type == "supergroup" and message.chat.title == "Moderators"


async def test_blocked_user_is_forbidden_until_unblocked(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    fake.block(DARA)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(DARA, "still there?")
    assert last_description(fake, "sendMessage") == "Forbidden: bot was blocked by the user"
    fake.unblock(DARA)
    await bot.send_message(DARA, "welcome back")
    assert [m["text"] for m in fake.sent_messages(DARA)] == ["welcome back"]


async def test_migrated_group_answers_with_the_new_chat_id(fake: FakeTelegram, bot: Bot) -> None:
    fake.group(-4321, "Old moderators")
    new_group = fake.migrate_group(-4321, -1004321)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-4321, "hello")
    assert caught.value.new_chat_id == -1004321
    assert last_call(fake, "sendMessage").response == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1004321},
    }
    message = await bot.send_message(new_group.id, "hello again")
    assert message.chat.type == "supergroup"
    notes = [u["message"] for u in fake.pending_updates]
    assert notes[0]["migrate_to_chat_id"] == -1004321
    assert notes[1]["migrate_from_chat_id"] == -4321


# --------------------------------------------------------------------------- edits & deletes


async def test_editing_with_identical_content_is_not_modified(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sent = await bot.send_message(
        DARA, "<b>Vote</b>", parse_mode="HTML", reply_markup=keyboard("a")
    )
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "<b>Vote</b>",
            chat_id=DARA,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("a"),
        )
    assert last_description(fake, "editMessageText") == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    assert fake.edit_history(DARA, sent.message_id) == [fake.last_message(DARA)]


async def test_editing_a_missing_message_is_not_found(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=DARA, message_id=999)
    assert last_description(fake, "editMessageText") == "Bad Request: message to edit not found"
    with pytest.raises(BadRequest, match="can't be edited"):
        await bot.edit_message_text("x", chat_id=DARA, message_id=1)  # the user's own message


async def test_edits_update_state_keep_history_and_drop_omitted_keyboard(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sent = await bot.send_message(DARA, "Question 1", reply_markup=keyboard("yes", "no"))
    mark = fake.mark()
    edited = await bot.edit_message_text("Thanks!", chat_id=DARA, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.text == "Thanks!"
    current = fake.last_message(DARA)
    assert current["text"] == "Thanks!"
    assert "reply_markup" not in current  # Telegram removes the keyboard when it is omitted
    assert "edit_date" in current
    history = fake.edit_history(DARA, sent.message_id)
    assert [v["text"] for v in history] == ["Question 1", "Thanks!"]
    assert fake.wait_for_edit(DARA, sent.message_id, after=mark)["text"] == "Thanks!"


async def test_reply_markup_and_caption_edits(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    text = await bot.send_message(DARA, "pick", reply_markup=keyboard("a"))
    await bot.edit_message_reply_markup(DARA, text.message_id, reply_markup=keyboard("b"))
    assert fake.last_message(DARA)["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(DARA, text.message_id, reply_markup=keyboard("b"))
    with pytest.raises(BadRequest, match="no caption"):
        await bot.edit_message_caption(DARA, text.message_id, caption="c")

    photo = await bot.send_photo(DARA, b"jpeg", caption="old")
    await bot.edit_message_caption(DARA, photo.message_id, caption="<i>new</i>", parse_mode="HTML")
    current = fake.sent_messages(DARA)[-1]
    assert current["caption"] == "new"
    assert current["caption_entities"] == [{"type": "italic", "offset": 0, "length": 3}]
    with pytest.raises(BadRequest, match="no text"):
        await bot.edit_message_text("x", chat_id=DARA, message_id=photo.message_id)


async def test_delete_message(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    sent = await bot.send_message(DARA, "temporary")
    assert await bot.delete_message(DARA, sent.message_id) is True
    assert fake.sent_messages(DARA) == []
    assert [m["text"] for m in fake.deleted_messages(DARA)] == ["temporary"]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(DARA, sent.message_id)
    assert last_description(fake, "deleteMessage") == "Bad Request: message to delete not found"


# --------------------------------------------------------------------------- callback queries


async def test_press_queues_callback_query_and_answer_is_recorded(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    await bot.send_message(DARA, "Agree?", reply_markup=keyboard("agree", "disagree"))
    await bot.get_updates(offset=100)
    query_id = dara.press(fake.last_message(DARA), "agree")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "agree"
    assert update.callback_query.from_user.id == DARA
    assert isinstance(update.callback_query.message, Message)
    assert update.callback_query.message.text == "Agree?"
    await update.callback_query.answer("Thanks", show_alert=True)
    answer = fake.callback_answer(query_id, timeout=1)
    assert (answer["text"], answer["show_alert"]) == ("Thanks", True)
    assert fake.callback_answers == {query_id: answer}


async def test_unknown_or_repeated_callback_answer_is_too_old(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    expected = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    with pytest.raises(BadRequest, match="too old"):
        await bot.answer_callback_query("123456789")
    assert last_description(fake, "answerCallbackQuery") == expected
    await bot.send_message(DARA, "x", reply_markup=keyboard("a"))
    query_id = dara.press(fake.last_message(DARA), "a")
    assert await bot.answer_callback_query(query_id) is True
    with pytest.raises(BadRequest, match="too old"):
        await bot.answer_callback_query(query_id)


async def test_press_requires_a_real_button_but_press_raw_forges(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sent = await bot.send_message(DARA, "x", reply_markup=keyboard("a"))
    with pytest.raises(ValueError, match="no button with callback_data 'b'"):
        dara.press(fake.last_message(DARA), "b")
    with pytest.raises(ValueError, match="not a live bot message"):
        dara.press({"chat": {"id": DARA}, "message_id": 1}, "a")
    query_id = dara.press_raw(sent.message_id, "admin:delete_all")
    callback = fake.pending_updates[-1]["callback_query"]
    assert (callback["id"], callback["data"]) == (query_id, "admin:delete_all")
    assert callback["message"]["message_id"] == sent.message_id


async def test_press_uses_the_current_state_of_the_message(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sent = await bot.send_message(DARA, "step 1", reply_markup=keyboard("next"))
    stale = fake.last_message(DARA)
    await bot.edit_message_text(
        "step 2", chat_id=DARA, message_id=sent.message_id, reply_markup=keyboard("done")
    )
    with pytest.raises(ValueError, match="no button"):
        dara.press(stale, "next")
    dara.press(stale, "done")
    assert fake.pending_updates[-1]["callback_query"]["message"]["text"] == "step 2"


# --------------------------------------------------------------------------- getUpdates


async def test_offset_confirms_and_unconfirmed_updates_come_back(
    fake: FakeTelegram, bot: Bot
) -> None:
    user = fake.user(DARA)
    ids = [user.send(text)["update_id"] for text in ("a", "b", "c")]
    assert ids == sorted(ids) and len(set(ids)) == 3
    first = await bot.get_updates()
    again = await bot.get_updates()
    assert [u.update_id for u in again] == [u.update_id for u in first] == ids
    rest = await bot.get_updates(offset=ids[1])
    assert [u.message.text for u in rest if u.message] == ["b", "c"]
    # offset 0 confirms nothing more: "a" stays gone, "b" and "c" remain
    assert [u.update_id for u in await bot.get_updates(offset=0)] == ids[1:]
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert fake.pending_updates == []


async def test_limit_caps_the_batch(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(DARA)
    for index in range(5):
        user.send(f"m{index}")
    assert len(await bot.get_updates(limit=2)) == 2
    assert len(await bot.get_updates()) == 5


async def test_long_poll_wakes_immediately_for_a_new_update(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(DARA)
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.to_thread(wait_until, lambda: in_flight(fake, "getUpdates"))
    assert not poll.done()
    user.send("wake up")
    updates = await asyncio.wait_for(poll, 3)
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_long_poll_returns_empty_after_timeout(fake: FakeTelegram) -> None:
    started = time.monotonic()
    status, body = await raw_post(fake, "getUpdates", json_body={"timeout": 0.3})
    elapsed = time.monotonic() - started
    assert (status, body) == (200, {"ok": True, "result": []})
    assert 0.25 <= elapsed < 2


async def test_inject_duplicate_redelivers_a_confirmed_update(fake: FakeTelegram, bot: Bot) -> None:
    update_id = fake.user(DARA).send("/start")["update_id"]
    await bot.get_updates()
    assert await bot.get_updates(offset=update_id + 1) == ()
    fake.inject_duplicate(update_id)
    (duplicate,) = await bot.get_updates(offset=update_id + 1)
    assert duplicate.update_id == update_id
    assert duplicate.message is not None and duplicate.message.text == "/start"
    assert await bot.get_updates(offset=update_id + 1) == ()
    with pytest.raises(ValueError, match="never queued"):
        fake.inject_duplicate(999)


async def test_second_poller_terminates_the_first_with_conflict(fake: FakeTelegram) -> None:
    async with make_bot(fake) as old_instance, make_bot(fake) as new_instance:
        first = asyncio.create_task(old_instance.get_updates(timeout=5))
        await asyncio.to_thread(wait_until, lambda: in_flight(fake, "getUpdates"))
        second = asyncio.create_task(new_instance.get_updates(timeout=0))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 3)
        assert await second == ()


async def test_webhook_blocks_polling_and_drop_pending_updates_clears_queue(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.user(DARA).send("queued")
    assert await bot.set_webhook("https://example.org/hook")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.org/hook", 1)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    assert (await bot.get_webhook_info()).url == ""


# --------------------------------------------------------------------------- bot settings


async def test_commands_are_recorded_per_scope_and_language(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Start"), ("help", "Help")])
    await bot.set_my_commands([("start", "ចាប់ផ្ដើម")], language_code="km")
    group_scope = {"type": "all_group_chats"}
    await bot.set_my_commands([("report", "Report")], scope=BotCommandScopeAllGroupChats())

    assert fake.commands == {
        "": [
            {"command": "start", "description": "Start"},
            {"command": "help", "description": "Help"},
        ],
        "km": [{"command": "start", "description": "ចាប់ផ្ដើម"}],
    }
    assert fake.commands_for(group_scope) == [{"command": "report", "description": "Report"}]
    assert [c.command for c in await bot.get_my_commands(language_code="km")] == ["start"]
    assert await bot.delete_my_commands(language_code="km")
    assert await bot.get_my_commands(language_code="km") == ()
    assert set(fake.commands) == {""}


@pytest.mark.parametrize(
    ("command", "description", "problem"),
    [
        ("Start", "Start", "BOT_COMMAND_INVALID"),
        ("start-now", "Start", "BOT_COMMAND_INVALID"),
        ("s" * 33, "Start", "BOT_COMMAND_INVALID"),
        ("start", "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        ("start", "d" * 257, "BOT_COMMAND_DESCRIPTION_INVALID"),
    ],
)
async def test_invalid_commands_are_refused(
    fake: FakeTelegram, bot: Bot, command: str, description: str, problem: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.set_my_commands([(command, description)])
    assert last_description(fake, "setMyCommands") == f"Bad Request: {problem}"
    assert fake.commands == {}


async def test_chat_and_member_methods(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    group = fake.group(-100123, "Moderators")
    group.set_member_status(dara, "administrator")
    assert (await bot.get_chat(DARA)).first_name == "Dara"
    assert (await bot.get_chat(-100123)).title == "Moderators"
    assert (await bot.get_chat_member(-100123, DARA)).status == "administrator"
    assert (await bot.get_chat_member(-100123, bot.id)).status == "member"
    assert [m.user.id for m in await bot.get_chat_administrators(-100123)] == [DARA]
    assert fake.chat_member_status(-100123, DARA) == "administrator"
    assert await bot.send_chat_action(DARA, "typing") is True
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(DARA, "dancing")
    assert await bot.set_chat_menu_button(DARA) is True
    assert fake.menu_buttons == {DARA: {"type": "default"}}
    assert await bot.leave_chat(-100123) is True
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-100123, "hello?")
    assert await bot.log_out() is True
    assert await bot.close() is True


# --------------------------------------------------------------------------- files & media


async def test_user_document_can_be_fetched_and_downloaded(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    update = dara.send_document("submission.pdf", "application/pdf", caption="My comments")
    document = update["message"]["document"]
    assert document["file_name"] == "submission.pdf" and document["file_size"] == 1024
    file = await bot.get_file(document["file_id"])
    assert file.file_path is not None and file.file_path.endswith("documents/file_1.pdf")
    content = await file.download_as_bytearray()
    assert len(content) == 1024
    assert fake.downloads == ["documents/file_1.pdf"]

    dara.send_document("big.pdf", "application/pdf", 25 * 1024 * 1024)
    big_id = fake.pending_updates[-1]["message"]["document"]["file_id"]
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big_id)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("no-such-file")


async def test_file_download_needs_the_right_token(fake: FakeTelegram, dara: FakeUser) -> None:
    dara.send_document("a.txt", "text/plain", content=b"hello")
    async with httpx.AsyncClient() as client:
        good = await client.get(f"{fake.base_file_url}{fake.token}/documents/file_1.txt")
        wrong = await client.get(f"{fake.base_file_url}1:BAD/documents/file_1.txt")
        missing = await client.get(f"{fake.base_file_url}{fake.token}/documents/nope.txt")
    assert (good.status_code, good.content) == (200, b"hello")
    assert (wrong.status_code, missing.status_code) == (401, 404)


async def test_bot_uploads_are_recorded_and_downloadable(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sent = await bot.send_document(DARA, b"report body", filename="report.txt", caption="Report")
    assert sent.document is not None and sent.document.file_name == "report.txt"
    assert sent.caption == "Report"
    file = await bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == b"report body"

    photo = await bot.send_photo(DARA, b"\xff\xd8photo")
    assert len(photo.photo) == 3 and photo.photo[-1].file_size == len(b"\xff\xd8photo")
    await bot.send_voice(DARA, b"OggS", duration=4)
    assert fake.last_message(DARA)["voice"]["duration"] == 4
    reused = await bot.send_document(DARA, sent.document.file_id)
    assert reused.document is not None and reused.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(DARA, "not-a-file-id")
    assert len(fake.sent_messages(DARA)) == 4


async def test_media_group_uploads_share_a_media_group_id(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    messages = await bot.send_media_group(
        DARA, [InputMediaPhoto(b"one", caption="Album"), InputMediaPhoto(b"two")]
    )
    assert len(messages) == 2
    assert messages[0].media_group_id is not None
    assert messages[0].media_group_id == messages[1].media_group_id
    assert messages[0].caption == "Album"
    assert [m["message_id"] for m in fake.sent_messages(DARA)] == [2, 3]
    with pytest.raises(BadRequest, match="Too much messages"):
        await bot.send_media_group(DARA, [InputMediaPhoto(b"x")] * 11)


async def test_copy_and_forward(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    group = fake.group(-100123, "Moderators")
    copied = await bot.copy_message(-100123, DARA, 1)
    forwarded = await bot.forward_message(-100123, DARA, 1)
    copy_message, forward_message = fake.sent_messages(group.id)
    assert copy_message["message_id"] == copied.message_id
    assert copy_message["text"] == KHMER_HELLO and "forward_origin" not in copy_message
    assert forwarded.forward_origin is not None
    assert forward_message["forward_origin"]["sender_user"]["id"] == DARA
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(-100123, DARA, 999)


# --------------------------------------------------------------------------- playing users


async def test_user_messages_look_like_telegram_updates(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.user(DARA, first_name="Dara", language_code="km")
    first = user.send("/start@cambodia_ai_test_bot ref")
    message = first["message"]
    assert message["from"] == {
        "id": DARA,
        "is_bot": False,
        "first_name": "Dara",
        "language_code": "km",
    }
    assert message["chat"] == {"id": DARA, "type": "private", "first_name": "Dara"}
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 27}]
    reply = user.send("follow-up", reply_to=message)["message"]
    assert reply["reply_to_message"]["message_id"] == message["message_id"]
    contact = user.share_contact("+85512345678")["message"]["contact"]
    assert contact == {"phone_number": "+85512345678", "first_name": "Dara", "user_id": DARA}
    assert user.send_sticker()["message"]["sticker"]["type"] == "regular"
    assert user.send_voice(duration=7)["message"]["voice"]["duration"] == 7
    assert user.send_photo(caption="poster")["message"]["caption"] == "poster"

    updates = await bot.get_updates()
    assert len(updates) == 6
    assert updates[0].message is not None
    assert (updates[0].message.text or "").startswith("/start")
    assert updates[5].message is not None and len(updates[5].message.photo) == 3


async def test_album_is_queued_together_with_one_media_group_id(
    fake: FakeTelegram, bot: Bot
) -> None:
    user = fake.user(DARA)
    updates = user.send_album(
        ["photo", {"type": "document", "file_name": "annex.pdf"}], caption="Evidence"
    )
    ids = [u["update_id"] for u in updates]
    assert ids[1] == ids[0] + 1
    first, second = (u["message"] for u in updates)
    assert first["media_group_id"] == second["media_group_id"]
    assert first["caption"] == "Evidence" and "caption" not in second
    assert second["document"]["file_name"] == "annex.pdf"
    received = await bot.get_updates()
    assert [u.message.media_group_id for u in received if u.message] == [
        first["media_group_id"]
    ] * 2


async def test_group_members_anonymous_admins_and_group_buttons(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.group(-100123, "Moderators")
    sophea = fake.user(5005, first_name="Sophea", language_code="en")
    sent = await bot.send_message(group.id, "Approve?", reply_markup=keyboard("approve"))
    reply = group.send(sophea, "/approve", reply_to=fake.last_message(group.id))["message"]
    assert reply["chat"]["type"] == "supergroup"
    assert reply["from"]["language_code"] == "en"
    assert reply["reply_to_message"]["from"]["is_bot"] is True
    anonymous = group.send_as_anonymous_admin("I am admin")["message"]
    assert anonymous["from"]["id"] == 1087968824
    assert anonymous["sender_chat"]["id"] == group.id
    query_id = group.press(sophea, fake.last_message(group.id), "approve")
    callback = fake.pending_updates[-1]["callback_query"]
    assert callback["id"] == query_id and callback["message"]["message_id"] == sent.message_id
    assert fake.chat_member_status(group.id, 5005) == "member"
    with pytest.raises(Forbidden):
        await bot.send_message(5005, "private hello")  # writing in a group is not /start


async def test_inline_query_answers_are_recorded(fake: FakeTelegram, bot: Bot) -> None:
    query_id = fake.user(DARA).inline_query("ethics")
    (update,) = await bot.get_updates()
    assert update.inline_query is not None and update.inline_query.query == "ethics"
    article = InlineQueryResultArticle("1", "AI ethics", InputTextMessageContent("Principles"))
    await bot.answer_inline_query(query_id, [article])
    answer = fake.inline_answer(query_id, timeout=1)
    assert answer["results"] == [
        {
            "type": "article",
            "id": "1",
            "title": "AI ethics",
            "input_message_content": {"message_text": "Principles"},
        }
    ]
    with pytest.raises(BadRequest, match="too old"):
        await bot.answer_inline_query(query_id, [])


# --------------------------------------------------------------------------- faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next_429_answers_retry_after(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    fake.fail_next("sendMessage", "429", count=2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_message(DARA, "hi")
    await bot.send_message(DARA, "hi")
    failed = fake.calls("sendMessage")[0]
    assert failed.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert (failed.status, failed.fault, failed.delivered) == (429, "429", False)
    assert len(fake.sent_messages(DARA)) == 1


@pytest.mark.parametrize(
    ("kind", "description"), [("500", "Internal Server Error"), ("502", "Bad Gateway")]
)
async def test_fail_next_server_errors(
    fake: FakeTelegram, bot: Bot, dara: FakeUser, kind: str, description: str
) -> None:
    fake.fail_next("sendmessage", kind)
    with pytest.raises(NetworkError, match=description):
        await bot.send_message(DARA, "hi")
    record = last_call(fake, "sendMessage")
    assert record.status == int(kind)
    assert record.response == {"ok": False, "error_code": int(kind), "description": description}
    assert fake.sent_messages() == []


async def test_fail_next_502_after_the_message_was_accepted(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    fake.fail_next("sendMessage", "502-accepted")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(DARA, "the card")
    record = last_call(fake, "sendMessage")
    assert (record.status, record.fault, record.delivered) == (502, "502-accepted", True)
    # Telegram took it: the message is there, though the client was told otherwise.
    assert [m["text"] for m in fake.sent_messages(DARA)] == ["the card"]
    await bot.send_message(DARA, "again")
    assert len(fake.sent_messages(DARA)) == 2


def test_fail_next_rejects_unknown_kinds(fake: FakeTelegram) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.fail_next("sendMessage", "418")


async def test_timeout_fault_times_the_client_out_without_delivering(
    fake: FakeTelegram, dara: FakeUser
) -> None:
    fake.fail_next("sendMessage", "timeout")
    async with make_bot(fake, read_timeout=0.3) as impatient:
        with pytest.raises(TimedOut):
            await impatient.send_message(DARA, "hi")
        await impatient.send_message(DARA, "second try")
    record = fake.calls("sendMessage")[0]
    assert (record.fault, record.delivered) == ("timeout", False)
    assert [m["text"] for m in fake.sent_messages(DARA)] == ["second try"]


async def test_stop_does_not_hang_on_held_requests() -> None:
    server = FakeTelegram().start()
    server.fail_next("getMe", "timeout")
    server.fail_next("getChat", "stall")
    async with httpx.AsyncClient(timeout=30) as client:
        held = [
            asyncio.create_task(client.post(f"{server.base_url}{server.token}/{method}"))
            for method in ("getMe", "getChat")
        ]
        await server.await_stalled(timeout=2)
        started = time.monotonic()
        await asyncio.to_thread(server.stop)
        assert time.monotonic() - started < 3
        await asyncio.gather(*held, return_exceptions=True)
    assert [(r.method, r.delivered) for r in server.requests] == [
        ("getMe", False),
        ("getChat", False),
    ]


async def test_released_stall_is_delivered(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    fake.fail_next("sendMessage", "stall")
    sending = asyncio.create_task(bot.send_message(DARA, "slow"))
    stalled = await asyncio.to_thread(fake.wait_stalled, 2)
    assert stalled.method == "sendMessage" and stalled.status is None
    assert fake.sent_messages(DARA) == []
    fake.release_stalled()
    message = await asyncio.wait_for(sending, 3)
    assert message.text == "slow"
    record = last_call(fake, "sendMessage")
    assert (record.stalled, record.delivered, record.status) == (True, True, 200)


async def test_stall_abandoned_by_the_client_is_never_delivered(
    fake: FakeTelegram, dara: FakeUser
) -> None:
    fake.fail_next("sendMessage", "stall")
    async with make_bot(fake, read_timeout=0.3) as impatient:
        with pytest.raises(TimedOut):
            await impatient.send_message(DARA, "lost")
    await asyncio.to_thread(wait_until, lambda: last_call(fake, "sendMessage").disconnected)
    fake.release_stalled()
    await asyncio.sleep(0.1)
    record = last_call(fake, "sendMessage")
    assert (record.stalled, record.disconnected, record.delivered) == (True, True, False)
    assert record.status is None
    assert fake.sent_messages() == []


def test_bot_process_killed_mid_stall_never_delivers(fake: FakeTelegram, dara: FakeUser) -> None:
    fake.fail_next("sendMessage", "stall")
    script = textwrap.dedent(
        f"""
        import asyncio
        from telegram import Bot

        async def main():
            async with Bot({fake.token!r}, base_url={fake.base_url!r}) as bot:
                await bot.send_message({DARA}, "never arrives")

        asyncio.run(main())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        stalled = fake.wait_stalled(timeout=30)
        assert stalled.params["text"] == "never arrives"
    finally:
        process.kill()
        process.wait(timeout=10)
    wait_until(lambda: last_call(fake, "sendMessage").disconnected)
    fake.release_stalled()
    time.sleep(0.1)
    record = last_call(fake, "sendMessage")
    assert (record.delivered, record.status) == (False, None)
    assert fake.sent_messages() == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_group_rate_limit_answers_429_like_telegram(bot: Bot) -> None:
    clock = [1000.0]
    with FakeTelegram(clock=lambda: clock[0]) as limited:
        limited.group(-100123, "Moderators")
        limited.group(-100456, "Other")
        limited.rate_limit_group(-100123, per_minute=20)
        async with make_bot(limited) as sender:
            for index in range(20):
                await sender.send_message(-100123, f"m{index}")
            clock[0] += 30
            with pytest.raises(RetryAfter):
                await sender.send_message(-100123, "one too many")
            assert last_call(limited, "sendMessage").response == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 30",
                "parameters": {"retry_after": 30},
            }
            await sender.send_message(-100456, "other group is fine")
            clock[0] += 31
            await sender.send_message(-100123, "after the window")
        assert len(limited.sent_messages(-100123)) == 21


# --------------------------------------------------------------------------- waiting


async def test_wait_for_message_returns_the_first_message_after_the_mark(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    await bot.send_message(DARA, "old reply")
    mark = fake.mark()
    wait = functools.partial(fake.wait_for_message, DARA, after=mark, timeout=3)
    waiting = asyncio.create_task(asyncio.to_thread(wait))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await bot.send_message(DARA, "new reply")
    assert (await waiting)["text"] == "new reply"
    assert fake.wait_for_message(DARA, "old")["text"] == "old reply"
    found = fake.wait_for(lambda m: m["text"].startswith("new"), timeout=1)
    assert found["text"] == "new reply"


async def test_await_helpers_do_not_block_the_loop(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    mark = fake.mark()
    waiting = asyncio.create_task(fake.await_message(DARA, "ចម្លើយ", after=mark, timeout=3))
    await bot.send_message(DARA, "សូមអរគុណ ចម្លើយ")  # runs while the waiter polls
    assert (await waiting)["text"] == "សូមអរគុណ ចម្លើយ"
    found = await fake.await_for(lambda m: "អរគុណ" in m["text"], timeout=1)
    assert found["message_id"] == 2


async def test_timeout_report_lists_what_was_sent(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    await bot.send_message(DARA, "Welcome to the consultation")
    with pytest.raises(BadRequest):
        await bot.send_message(DARA, "")
    with pytest.raises(AssertionError) as caught:
        await fake.await_message(DARA, "Goodbye", timeout=0.2)
    report = str(caught.value)
    assert "timed out after 0.2s waiting for a message to chat 1001 containing 'Goodbye'" in report
    assert f"chat={DARA} id=2 'Welcome to the consultation'" in report
    assert "sendMessage -> 400 Bad Request: message text is empty" in report
    with pytest.raises(AssertionError, match="Welcome"):
        fake.wait_for_edit(DARA, 2, timeout=0.1)
    with pytest.raises(AssertionError, match="the bot sent nothing to chat 4004"):
        fake.last_message(4004)


async def test_await_edit_and_callback_answer(fake: FakeTelegram, bot: Bot, dara: FakeUser) -> None:
    sent = await bot.send_message(DARA, "Rate", reply_markup=keyboard("5"))
    query_id = dara.press(fake.last_message(DARA), "5")
    mark = fake.mark()
    edit = asyncio.create_task(fake.await_edit(DARA, sent.message_id, after=mark, timeout=3))
    answer = asyncio.create_task(fake.await_callback_answer(query_id, timeout=3))
    await bot.answer_callback_query(query_id, text="Saved")
    await bot.edit_message_text("Rated 5", chat_id=DARA, message_id=sent.message_id)
    assert (await edit)["text"] == "Rated 5"
    assert (await answer)["text"] == "Saved"
    request = await fake.await_request("editMessageText", after=mark, timeout=1)
    assert request.status == 200
    assert fake.wait_for_request("answerCallbackQuery", after=mark, timeout=1).delivered


async def test_send_peaks_count_the_busiest_window_overall_and_per_chat(
    fake: FakeTelegram, bot: Bot, dara: FakeUser
) -> None:
    sok = fake.user(1002, first_name="Sok")
    sok.send("hi")
    for _ in range(3):
        await bot.send_message(dara.id, "one")
    await bot.send_message(sok.id, "two")
    with pytest.raises(BadRequest):
        await bot.send_message(dara.id, "x" * 5000)
    overall, per_chat = fake.send_peaks(window=60.0)
    assert overall == 4
    assert per_chat == {dara.id: 3, sok.id: 1}
