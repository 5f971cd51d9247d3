"""Moderators answer a question with an FAQ entry, and the FAQ learns it: end to end."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.faq.catalog import load_catalog
from bot.faq.search import FaqSearch
from bot.i18n import Translator
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.harness import BotThread, button_data
from tests.test_e2e_contributions import GROUP_ID, MOD_A, card_of, db_one, moderators

JSON = dict[str, Any]
# Nothing in the FAQ's phrasings asks this: the bot cannot answer it before a moderator links it.
QUESTION = "តើក្រសួងនឹងផ្តល់អាហារូបករណ៍ AI ដល់និស្សិតទេ?"


def ask_the_team(fake: FakeTelegram, user: FakeUser, question: str) -> JSON:
    """Ask a question the FAQ cannot answer, then send it to the team; return its card."""
    mark = fake.mark()
    user.send(question)
    nothing = fake.wait_for_message(user.id, after=mark)
    assert "faq:ask" in button_data(nothing)
    assert not [d for d in button_data(nothing) if d.startswith("faq:v:")]
    mark = fake.mark()
    user.press(nothing, "faq:ask")
    sent = fake.wait_for_edit(user.id, nothing["message_id"], after=mark)
    assert "Q-000001" in sent["text"]
    return card_of(fake, "Q-000001")


def answered_with(fake: FakeTelegram, user: FakeUser, question: str) -> str | None:
    """The entry the bot answers the question with directly, or None."""
    mark = fake.mark()
    user.send(question)
    reply = fake.wait_for_message(user.id, after=mark)
    votes = [d for d in button_data(reply) if d.startswith("faq:v:")]
    return votes[0].split(":")[2] if votes else None


def test_a_moderator_links_a_question_and_the_faq_answers_it_from_then_on(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    bot = start_bot()
    sender = fake.user(4101, language_code="km")
    card = ask_the_team(fake, sender, QUESTION)
    assert "mod:link:1" in button_data(card)

    mark = fake.mark()
    group.press(mod, card, "mod:link:1")
    choices = fake.wait_for_edit(GROUP_ID, card["message_id"], after=mark)
    links = [d for d in button_data(choices) if d.startswith("mod:lk:1:")]
    assert 3 <= len(links) <= 6 and "mod:card:1" in button_data(choices)
    assert all(len(d.encode()) <= 64 and d.isascii() for d in button_data(choices))
    entry = links[-1].split(":")[3]

    mark = fake.mark()
    group.press(mod, choices, links[-1])
    answer = fake.wait_for_message(sender.id, after=mark)
    khmer = Translator()
    assert "Q-000001" in answer["text"] and "មានចម្លើយនៅក្នុងសំណួរដែលសួរញឹកញាប់" in answer["text"]
    assert khmer.get("km", f"faq-{entry}-q") in answer["text"]
    edited = fake.wait_for_edit(GROUP_ID, card["message_id"], after=mark)
    assert "answered by @sophea" in edited["text"]
    assert db_one(db_path, "SELECT status FROM submissions WHERE ref = 'Q-000001'") == ("answered",)
    assert db_one(db_path, "SELECT entry_id, phrasing FROM faq_learned") == (entry, QUESTION)
    assert db_one(
        db_path, "SELECT actor_id, actor_role, detail FROM audit_log WHERE action = 'faq-link'"
    ) == (MOD_A, "moderator", f'{{"entry": "{entry}"}}')

    # The next person asking the same is answered at once, in their own language.
    english = fake.user(4102, language_code="en")
    assert answered_with(fake, english, QUESTION) == entry
    assert khmer.get("en", f"faq-{entry}-q") in fake.last_message(english.id)["text"]

    # And after a restart.
    bot.stop()
    start_bot()
    assert answered_with(fake, fake.user(4103, language_code="km"), QUESTION) == entry


def test_a_forged_link_press_is_refused_recorded_and_changes_nothing(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, _, _ = moderators(fake)
    start_bot()
    sender = fake.user(4111, language_code="en")
    card = ask_the_team(fake, sender, QUESTION)
    intruder = fake.user(4999, language_code="en")
    for data in ("mod:link:1", "mod:lk:1:privacy"):
        answer = fake.callback_answer(group.press_raw(intruder, card["message_id"], data))
        assert answer["show_alert"] and "Only the team's moderators" in answer["text"]
    # The sender forging the press in their own chat.
    answer = fake.callback_answer(
        sender.press_raw(fake.last_message(sender.id)["message_id"], "mod:lk:1:privacy")
    )
    assert answer["show_alert"]
    assert db_one(db_path, "SELECT status FROM submissions") == ("open",)
    assert db_one(db_path, "SELECT COUNT(*) FROM faq_learned") == (0,)
    with sqlite3.connect(db_path) as conn:
        refused = conn.execute(
            "SELECT actor_id, action FROM audit_log WHERE action LIKE 'refused:%' ORDER BY id"
        ).fetchall()
    assert refused == [
        (intruder.id, "refused:link"),
        (intruder.id, "refused:lk"),
        (sender.id, "refused:lk"),
    ]
    assert answered_with(fake, fake.user(4112, language_code="en"), QUESTION) is None


def test_two_plausible_entries_answer_the_first_and_offer_the_second_first(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    search = FaqSearch(load_catalog(), Translator())
    candidates = [
        "who leads it and who spoke",
        "what is the strategy and why do we need it",
        "aim of the AI strategy and why it matters",
        "how do I send ideas and what happens after",
        "the strategy what why",
    ]
    # A question the matcher answers while another entry is nearly as likely, and that entry
    # is not already the first of the answer's related questions.
    question, decision = next(
        (q, d)
        for q in candidates
        if (d := search.decide(q)).answered
        and d.alternative
        and search.catalog.related.get(d.hits[0].entry_id, ("",))[0] != d.alternative
    )
    start_bot()
    user = fake.user(4121, language_code="en")
    mark = fake.mark()
    user.send(question)
    reply = fake.wait_for_message(user.id, after=mark)
    assert f"faq:v:{decision.hits[0].entry_id}:1" in button_data(reply)
    related = [d for d in button_data(reply) if d.startswith("faq:q:")]
    assert related[0] == f"faq:q:{decision.alternative}"
    assert related.count(related[0]) == 1
