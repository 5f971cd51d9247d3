"""Questions and answers end to end: browse, type in Khmer or English, inline mode, deep links."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bot.faq.catalog import load_catalog
from bot.faq.search import FaqSearch, Outcome
from bot.i18n import Translator
from tests.fake_telegram import FakeTelegram
from tests.harness import BotThread, button_data


def buttons(message: dict[str, object]) -> list[dict[str, str]]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]  # type: ignore[union-attr]


def test_browse_categories_questions_and_answer_in_one_message(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(3001, language_code="en")
    mark = fake.mark()
    user.send("/start")
    menu = fake.wait_for_message(user.id, after=mark)
    assert "m:faq" in button_data(menu)

    mark = fake.mark()
    user.press(menu, "m:faq")
    categories = fake.wait_for_edit(user.id, menu["message_id"], after=mark)
    assert "faq:c:strategy" in button_data(categories)
    assert {"faq:c:participate", "faq:c:eservices", "faq:c:policies", "faq:c:bot"} <= set(
        button_data(categories)
    )

    mark = fake.mark()
    user.press(categories, "faq:c:strategy")
    questions = fake.wait_for_edit(user.id, menu["message_id"], after=mark)
    assert "faq:q:nais_lead" in button_data(questions)

    mark = fake.mark()
    user.press(questions, "faq:q:nais_lead")
    answer = fake.wait_for_edit(user.id, menu["message_id"], after=mark)
    assert "Ministry of Post and Telecommunications" in answer["text"]
    data = button_data(answer)
    assert "faq:c:strategy" in data and "m:home" in data  # Back and Home
    assert any(d.startswith("faq:q:") for d in data)  # related questions
    share = next(b for b in buttons(answer) if "url" in b)
    shared_link = parse_qs(urlsplit(share["url"]).query)["url"][0]
    assert shared_link == "https://t.me/cambodia_ai_test_bot?start=faq_nais_lead"

    mark = fake.mark()
    user.press(answer, "faq:c:strategy")
    back = fake.wait_for_edit(user.id, menu["message_id"], after=mark)
    assert "faq:q:nais_lead" in button_data(back)
    # Navigation edited one message instead of sending new ones.
    assert len(fake.sent_messages(user.id)) == 1


def test_typed_khmer_question_is_answered_in_khmer_and_feedback_is_counted(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(3002, language_code="km")
    mark = fake.mark()
    # "Who leads the drafting of the AI strategy?" with a zero-width space and no spaces.
    user.send("អ្នកណា​ដឹកនាំការរៀបចំយុទ្ធសាស្ត្រ AI?")
    answer = fake.wait_for_message(user.id, after=mark)
    assert "ក្រសួងប្រៃសណីយ៍ និងទូរគមនាគមន៍" in answer["text"]
    assert {"faq:v:nais_lead:1", "faq:v:nais_lead:0"} <= set(button_data(answer))

    mark = fake.mark()
    user.press(answer, "faq:v:nais_lead:1")
    thanked = fake.wait_for_edit(user.id, answer["message_id"], after=mark)
    assert "faq:v:nais_lead:1" not in button_data(thanked)
    # The same vote pressed again (an old client) counts once.
    user.press_raw(answer["message_id"], "faq:v:nais_lead:1")
    mark = fake.mark()
    user.send("/help")
    fake.wait_for_message(user.id, after=mark)
    with sqlite3.connect(db_path) as conn:
        votes = conn.execute("SELECT entry_id, helpful, language FROM faq_feedback").fetchall()
    assert votes == [("nais_lead", 1, "km")]


def test_typed_english_question_with_typos_is_answered(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(3003, language_code="en")
    mark = fake.mark()
    user.send("how many bussinesses registerd onlin so far")
    answer = fake.wait_for_message(user.id, after=mark)
    assert "42,000" in answer["text"]
    assert "15.6 billion" in answer["text"]


def test_out_of_scope_question_is_not_answered_and_is_noted_without_user_id(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(3004, language_code="en")
    mark = fake.mark()
    user.send("What's the weather in Siem Reap tomorrow?")
    reply = fake.wait_for_message(user.id, after=mark)
    assert "could not find an answer" in reply["text"]
    assert "m:faq" in button_data(reply)
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT * FROM faq_unanswered").fetchall()
        columns = [c[1] for c in conn.execute("PRAGMA table_info(faq_unanswered)")]
    assert len(rows) == 1
    assert rows[0][0] == "what s the weather in siem reap tomorrow"
    assert not any("user" in c or "chat" in c for c in columns)


def test_an_unsure_match_offers_three_questions(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    search = FaqSearch(load_catalog(), Translator())
    # One word that several entries share: the matcher is unsure (which word depends on the
    # phrasings, so the test asks the matcher which of these it is unsure about).
    word = next(
        w
        for w in ("AI", "strategy", "e-services", "digital", "online", "policy", "plan", "services")
        if search.decide(w).outcome is Outcome.SUGGEST and len(search.decide(w).hits) >= 2
    )
    start_bot()
    user = fake.user(3005, language_code="en")
    mark = fake.mark()
    user.send(word)
    reply = fake.wait_for_message(user.id, after=mark)
    suggested = [d for d in button_data(reply) if d.startswith("faq:s:")]
    assert "not sure" in reply["text"]
    assert 2 <= len(suggested) <= 3
    mark = fake.mark()
    user.press(reply, suggested[0])
    chosen = fake.wait_for_edit(user.id, reply["message_id"], after=mark)
    assert any(d.startswith("faq:v:") for d in button_data(chosen))


def test_inline_mode_lists_matching_answers(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(3006, language_code="en")
    query_id = user.inline_query("online business registration")
    answer = fake.inline_answer(query_id)
    results = answer["results"]
    assert results and results[0]["id"].startswith(("obr_how:", "obr_stats:"))
    first = results[0]
    assert first["type"] == "article"
    assert "<b>" in first["input_message_content"]["message_text"]
    link = first["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link.startswith("https://t.me/cambodia_ai_test_bot?start=faq_obr_")

    khmer = fake.user(3007, language_code="km")
    answer = fake.inline_answer(khmer.inline_query("យុទ្ធសាស្ត្រ"))
    assert answer["results"]
    assert any("យុទ្ធសាស្ត្រ" in r["title"] for r in answer["results"])


def test_deep_link_opens_the_answer_in_the_readers_language(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    khmer = fake.user(3008, language_code="km")
    mark = fake.mark()
    khmer.send("/start faq_obr_stats")
    answer = fake.wait_for_message(khmer.id, after=mark)
    assert "៤២" in answer["text"] or "42" in answer["text"]
    assert "សហគ្រាស" in answer["text"]

    english = fake.user(3009, language_code="en")
    mark = fake.mark()
    english.send("/start faq_obr_stats")
    assert "42,000" in fake.wait_for_message(english.id, after=mark)["text"]


def test_configured_contact_details_reach_the_answers(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot(OBR_URL="https://obr.example.org/register")
    user = fake.user(3010, language_code="en")
    mark = fake.mark()
    user.send("/start faq_obr_how")
    assert "https://obr.example.org/register" in fake.wait_for_message(user.id, after=mark)["text"]


def test_forged_faq_buttons_are_refused(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(3011, language_code="en")
    mark = fake.mark()
    user.send("/start")
    menu = fake.wait_for_message(user.id, after=mark)
    for data in ("faq:q:nope", "faq:c:nope", "faq:v:nais_lead:7", "faq:v:../../x:1"):
        answer = fake.callback_answer(user.press_raw(menu["message_id"], data))
        assert answer["show_alert"] is True
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM faq_feedback").fetchone() == (0,)


def test_a_very_long_question_gets_a_clear_message(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(3012, language_code="km")
    mark = fake.mark()
    user.send("ក" * 3000)
    reply = fake.wait_for_message(user.id, after=mark)
    assert "វែងពេក" in reply["text"]


def test_faq_report_shows_what_was_missed_and_the_votes(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    bot = start_bot()
    user = fake.user(3013, language_code="en")
    for _ in range(2):
        mark = fake.mark()
        user.send("What is the weather in Siem Reap tomorrow?")
        fake.wait_for_message(user.id, after=mark)
    mark = fake.mark()
    user.send("who leads the AI strategy")
    answer = fake.wait_for_message(user.id, after=mark)
    mark = fake.mark()
    user.press(answer, "faq:v:nais_lead:0")
    fake.wait_for_edit(user.id, answer["message_id"], after=mark)
    bot.stop()
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "bot", "faq", "report", "--db", str(db_path)],
        capture_output=True, text=True, timeout=60, cwd=root,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "    2  en  what is the weather in siem reap tomorrow" in result.stdout
    assert "nais_lead" in result.stdout and "0 / 1" in result.stdout
