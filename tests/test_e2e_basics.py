"""The bot end to end against the fake Bot API: greeting, language, menu, restarts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.fake_telegram import FakeTelegram
from tests.harness import BotThread, button_data, button_labels, eventually


def test_start_greets_in_khmer_and_language_choice_survives_restart(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    bot = start_bot()
    dara = fake.user(1001, first_name="Dara", language_code="km")
    mark = fake.mark()
    dara.send("/start")
    greeting = fake.wait_for_message(dara.id, after=mark)
    assert "សូមស្វាគមន៍" in greeting["text"]
    assert {"lang:km", "lang:en", "m:lang"} <= set(button_data(greeting))
    assert "ខ្មែរ" in button_labels(greeting) and "English" in button_labels(greeting)

    mark = fake.mark()
    dara.press(greeting, "lang:en")
    edited = fake.wait_for_edit(dara.id, greeting["message_id"], after=mark)
    assert "English" in edited["text"]
    assert "What would you like to do?" in edited["text"]

    bot.stop()
    start_bot()
    mark = fake.mark()
    dara.send("/start")
    again = fake.wait_for_message(dara.id, after=mark)
    assert again["text"].startswith("Welcome!")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT language FROM users WHERE user_id = 1001").fetchone() == ("en",)


def test_english_app_gets_english_and_can_switch_to_khmer(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    john = fake.user(1002, first_name="John", language_code="en-GB")
    mark = fake.mark()
    john.send("/language")
    prompt = fake.wait_for_message(john.id, after=mark)
    assert prompt["text"] == "Which language do you want to use?"
    mark = fake.mark()
    john.press(prompt, "lang:km")
    edited = fake.wait_for_edit(john.id, prompt["message_id"], after=mark)
    assert "ភាសាខ្មែរ" in edited["text"]
    mark = fake.mark()
    john.send("/help")
    help_text = fake.wait_for_message(john.id, after=mark)
    assert "/language" in help_text["text"] and "ពាក្យបញ្ជា" in help_text["text"]


def test_commands_are_published_in_both_languages(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    eventually(lambda: {"", "km", "en"} <= set(fake.commands), what="three command lists")
    lists = {
        lang: {c["command"]: c["description"] for c in commands}
        for lang, commands in fake.commands.items()
    }
    assert {"start", "help", "language", "privacy"} <= set(lists[""])
    assert set(lists[""]) == set(lists["km"]) == set(lists["en"])
    assert lists["en"]["language"] == "Change the language"
    assert lists["km"]["language"] == "ប្តូរភាសា"
    # Apps in any other language get DEFAULT_LANGUAGE, Khmer unless configured otherwise.
    assert lists[""]["language"] == "ប្តូរភាសា"


def test_help_privacy_menu_and_unknown_input_each_get_an_answer(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    sok = fake.user(1003, language_code="en")
    mark = fake.mark()
    sok.send("/privacy")
    privacy = fake.wait_for_message(sok.id, after=mark)
    assert "What the bot stores" in privacy["text"]
    assert "moderators" in privacy["text"]

    mark = fake.mark()
    sok.send("/nosuchcommand")
    assert "did not understand" in fake.wait_for_message(sok.id, after=mark)["text"]

    mark = fake.mark()
    sok.send_sticker()
    assert "only read text" in fake.wait_for_message(sok.id, after=mark)["text"]

    mark = fake.mark()
    query = sok.press(privacy, "m:home")
    menu = fake.wait_for_edit(sok.id, privacy["message_id"], after=mark)
    assert menu["text"] == "What would you like to do?"
    assert fake.callback_answer(query) is not None


def test_forged_or_stale_button_is_refused_politely(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    vanna = fake.user(1004, language_code="km")
    mark = fake.mark()
    vanna.send("/start")
    greeting = fake.wait_for_message(vanna.id, after=mark)
    for data in ("lang:fr", "admin:approve:1", "m:nowhere", "ខ្មែរ"):
        query = vanna.press_raw(greeting["message_id"], data)
        answer = fake.callback_answer(query)
        assert answer["show_alert"] is True
        assert "ប៊ូតុងនេះលែងប្រើបាន" in answer["text"]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT language FROM users WHERE user_id = 1004").fetchone() == (None,)


def test_unknown_deep_link_falls_back_to_the_greeting(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(1005, language_code="en")
    for payload in ("nothing_here", "faq_no_such_entry", "<script>"):
        mark = fake.mark()
        user.send(f"/start {payload}")
        assert fake.wait_for_message(user.id, after=mark)["text"].startswith("Welcome!")


def test_broken_unicode_is_replaced_and_answered(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(1006, language_code="en")
    mark = fake.mark()
    user.send("hello \ud800 world")
    reply = fake.wait_for_message(user.id, after=mark)
    # Undecodable text is replaced before use: the question is handled like any other.
    assert "could not find an answer" in reply["text"]
    mark = fake.mark()
    user.press(reply, "faq:ask")
    sent = fake.wait_for_edit(user.id, reply["message_id"], after=mark)
    assert "Q-000001" in sent["text"]


def test_a_flood_is_cut_off_with_one_warning(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    spammer = fake.user(1007, language_code="en")
    for i in range(30):
        spammer.send(f"/help {i}")
    fake.wait_for_message(spammer.id, text_contains="very fast")
    other = fake.user(1008, language_code="en")
    mark = fake.mark()
    other.send("/help")
    assert "What this bot can do" in fake.wait_for_message(other.id, after=mark)["text"]
    texts = [m.get("text", "") for m in fake.sent_messages(spammer.id)]
    assert sum("very fast" in t for t in texts) == 1
    assert sum("What this bot can do" in t for t in texts) == 20


def test_in_another_group_the_bot_points_to_the_private_chat(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    group = fake.group(-1002000000002, title="Friends")
    member = fake.user(1009, language_code="km")
    mark = fake.mark()
    group.send(member, "/start")
    reply = fake.wait_for_message(group.id, after=mark)
    assert "ការជជែកឯកជន" in reply["text"]


def test_an_edited_message_gets_an_explanation_not_a_second_answer(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(1010, language_code="en")
    mark = fake.mark()
    sent = user.send("who leads the strategy")
    fake.wait_for_message(user.id, after=mark)
    mark = fake.mark()
    user.edit(sent, "what is the goal of the strategy")
    reply = fake.wait_for_message(user.id, after=mark)
    assert "changes made afterwards do not reach me" in reply["text"]
