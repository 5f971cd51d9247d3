"""Nothing a person or Telegram sends can silence the bot, drop a message or open the queue."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fake_telegram import FakeTelegram, utf16_len
from tests.harness import BotThread, button_data, eventually
from tests.test_e2e_contributions import (
    GROUP_ID,
    MOD_A,
    card_of,
    contribute,
    db_one,
    moderators,
    send_contribution,
)

JSON = dict[str, Any]


def refusals(db_path: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT actor_id, action, detail FROM audit_log"
            " WHERE action LIKE 'refused:%' ORDER BY id"
        ).fetchall()
    return [(actor, action, json.loads(detail)["reason"]) for actor, action, detail in rows]


def body_after_header(text: str) -> str:
    return text.split("\n\n", 1)[1]


# --------------------------------------------------------------------------- messages disappear


def test_a_long_moderator_answer_full_of_html_reaches_the_sender_whole(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5001, language_code="en")
    ref = send_contribution(fake, user, "Please answer at length")
    card = card_of(fake, ref)
    # 3,900 characters (Fluent refuses over 2,500; with the header it exceeds Telegram's 4,096).
    answer = ("Policy <b>&</b> plan 😀 " * 200)[:3900].strip()
    mark = fake.mark()
    group.send(mod, answer, reply_to=card)
    told = fake.wait_for_message(GROUP_ID, text_contains="sent to the sender", after=mark)
    assert ref in told["text"]
    eventually(lambda: len(fake.sent_messages(user.id)) >= 2 + 2, what="the answer in two parts")
    parts = [m["text"] for m in fake.sent_messages(user.id) if ref in m["text"]][-2:]
    assert "The team answered" in parts[0] and "part 2 of 2" in parts[1]
    assert all(utf16_len(p) <= 4096 for p in parts)
    relayed = body_after_header(parts[0]).removesuffix("…") + body_after_header(parts[1])
    assert relayed == answer


def test_a_long_contribution_full_of_html_characters_can_be_sent(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(5002, language_code="km")
    text = "<&" * 1500
    summary = contribute(fake, user, text)
    assert "<&<&" in summary["text"] and "ctb:send" in button_data(summary)
    mark = fake.mark()
    user.press(summary, "ctb:send")
    sent = fake.wait_for_edit(user.id, summary["message_id"], after=mark)
    assert "C-000001" in sent["text"]
    card = card_of(fake, "C-000001")
    assert text in card["text"]
    assert db_one(db_path, "SELECT text FROM submissions") == (text,)


def test_a_contribution_too_long_for_one_card_reaches_the_moderators_in_parts(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5003, language_code="en")
    # 3,000 characters, 6,000 UTF-16 units: sent in two messages of 3,000 units each.
    half = "😀" * 1500
    ref = send_contribution(fake, user, half, half)
    assert db_one(db_path, "SELECT text FROM submissions") == (half + "\n\n" + half,)
    card = card_of(fake, ref)
    eventually(lambda: len(fake.sent_messages(GROUP_ID)) >= 2, what="the card's second part")
    first, second = fake.sent_messages(GROUP_ID)[:2]
    assert first["message_id"] == card["message_id"]
    assert "part 2 of 2" in second["text"] and ref in second["text"]
    emojis = first["text"].count("😀") + second["text"].count("😀")
    assert emojis == 3000
    # A reply to the second part answers the sender too.
    mark = fake.mark()
    group.send(mod, "Thank you, noted.", reply_to=second)
    assert ref in fake.wait_for_message(user.id, after=mark)["text"]


# --------------------------------------------------------------------------- file names


def test_file_names_are_escaped_in_the_refusal(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    start_bot()
    user = fake.user(5004, language_code="en")
    mark = fake.mark()
    user.send("/contribute")
    topics = fake.wait_for_message(user.id, after=mark)
    user.press(topics, "ctb:topic:health")
    for name in ("a<b.exe", '<b>bold</b><a href="https://example.org">x</a>.exe'):
        mark = fake.mark()
        user.send_document(name, "application/x-msdownload", file_size=1000)
        refusal = fake.wait_for_message(user.id, after=mark)
        assert f"“{name}”" in refusal["text"]
        assert not refusal.get("entities")


def test_a_lone_surrogate_in_a_file_name_is_replaced_and_answered_in_khmer(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(5005, language_code="km")
    mark = fake.mark()
    user.send("/contribute")
    topics = fake.wait_for_message(user.id, after=mark)
    user.press(topics, "ctb:topic:health")
    mark = fake.mark()
    user.send_document("virus\ud800.exe", "application/x-msdownload", file_size=1000)
    refusal = fake.wait_for_message(user.id, after=mark)
    assert "virus\ufffd.exe" in refusal["text"] and "ខ្ញុំមិនអាចទទួល" in refusal["text"]
    mark = fake.mark()
    user.send_document("notes\udfff.pdf", "application/pdf", file_size=1000)
    assert "ឯកសារ" in fake.wait_for_message(user.id, after=mark)["text"]
    summary_target = fake.last_message(user.id)
    mark = fake.mark()
    user.press(summary_target, "ctb:done")
    summary = fake.wait_for_edit(user.id, summary_target["message_id"], after=mark)
    mark = fake.mark()
    user.press(summary, "ctb:send")
    fake.wait_for_edit(user.id, summary["message_id"], after=mark)
    stored = db_one(db_path, "SELECT file_name FROM submission_files")
    assert stored == ("notes\ufffd.pdf",)
    eventually(
        lambda: db_one(db_path, "SELECT COUNT(*) FROM inbox WHERE status != 'done'") == (0,),
        what="every update handled",
    )


# --------------------------------------------------------------------------- names


def test_direction_overrides_are_removed_from_names_shown_to_moderators(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group = fake.group(GROUP_ID, title="Moderators")
    trickster = fake.user(MOD_A, first_name="\u202eSophea\u2066 <i>", language_code="en")
    start_bot()
    user = fake.user(5006, language_code="en")
    ref = send_contribution(fake, user, "An idea")
    card = card_of(fake, ref)
    mark = fake.mark()
    group.press(trickster, card, f"mod:claim:{1}")
    claimed = fake.wait_for_edit(GROUP_ID, card["message_id"], after=mark)
    assert "claimed by Sophea <i>" in claimed["text"]
    assert not any(ch in claimed["text"] for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2069")


# --------------------------------------------------------------------------- the queue leaks out


def test_another_groups_migration_does_not_make_it_a_moderators_chat(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    other = fake.group(-4242, title="Coffee")
    start_bot()
    user = fake.user(5007, language_code="en")
    ref = send_contribution(fake, user, "An idea")
    card_of(fake, ref)
    other.send(mod, "hello")
    new_other = fake.migrate_group(-4242, -1004242)
    eventually(
        lambda: db_one(db_path, "SELECT COUNT(*) FROM inbox WHERE status != 'done'") == (0,),
        what="the migration handled",
    )
    mark = fake.mark()
    new_other.send(mod, "/queue")
    # Answered nowhere there; the moderators' group still works.
    group.send(mod, "/queue")
    fake.wait_for_message(GROUP_ID, text_contains=ref, after=mark)
    assert fake.sent_messages(-1004242) == []
    answer = fake.callback_answer(new_other.press_raw(mod, 1, "mod:ok:1"))
    assert answer["show_alert"] and "only in the moderators' group" in answer["text"]
    assert db_one(db_path, "SELECT status FROM submissions") == ("open",)
    assert refusals(db_path)[-1] == (MOD_A, "refused:ok", "wrong-place")


def test_the_queue_page_button_works_only_in_the_moderators_group(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(5008, language_code="en")
    ref = send_contribution(fake, user, "A secret idea")
    card_of(fake, ref)
    mod = fake.user(MOD_A, language_code="en")
    mark = fake.mark()
    mod.send("/start")
    greeting = fake.wait_for_message(mod.id, after=mark)
    answer = fake.callback_answer(mod.press_raw(greeting["message_id"], "modq:0"))
    assert answer["show_alert"]
    assert not any(ref in m.get("text", "") for m in fake.sent_messages(mod.id))
    edits = fake.edit_history(mod.id, greeting["message_id"])
    assert all(ref not in e.get("text", "") for e in edits)
    assert refusals(db_path) == [(MOD_A, "refused:queue", "wrong-place")]


def test_a_missing_item_is_refused_and_recorded(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5009, language_code="en")
    ref = send_contribution(fake, user, "An idea")
    card = card_of(fake, ref)
    answer = fake.callback_answer(group.press_raw(mod, card["message_id"], "mod:ok:77"))
    assert answer["show_alert"] and "does not exist" in answer["text"]
    assert refusals(db_path) == [(MOD_A, "refused:ok", "missing-item")]


def test_huge_ids_in_buttons_and_commands_are_answered_not_crashed(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5010, language_code="en")
    ref = send_contribution(fake, user, "An idea")
    card = card_of(fake, ref)
    huge = "9" * 400
    for data in (f"mod:ok:{huge}", f"mod:ok:{2**63}", f"modq:{huge}", f"mod:rr:{huge}:spam"):
        answer = fake.callback_answer(group.press_raw(mod, card["message_id"], data))
        assert answer["show_alert"] or data.startswith("modq")
    mark = fake.mark()
    group.send(mod, f"/unban {huge}")
    assert "/unban" in fake.wait_for_message(GROUP_ID, after=mark)["text"]
    eventually(
        lambda: db_one(db_path, "SELECT COUNT(*) FROM inbox WHERE status != 'done'") == (0,),
        what="every update handled",
    )
    assert db_one(db_path, "SELECT status FROM submissions") == ("open",)


def test_votes_count_only_on_an_answer_to_that_person(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    user = fake.user(5011, language_code="en")
    mark = fake.mark()
    user.send("/start")
    menu = fake.wait_for_message(user.id, after=mark)
    forged = [user.press_raw(menu["message_id"], f"faq:v:nais_lead:{i}") for i in (1, 0, 1)]
    assert all(fake.callback_answer(q)["show_alert"] for q in forged)
    # Someone else's answer does not take this person's vote either.
    other = fake.user(5012, language_code="en")
    mark = fake.mark()
    other.send("Who leads the drafting of the AI strategy?")
    answer = fake.wait_for_message(other.id, after=mark)
    assert "faq:v:nais_lead:1" in button_data(answer)
    assert fake.callback_answer(user.press_raw(answer["message_id"], "faq:v:nais_lead:1"))
    assert db_one(db_path, "SELECT COUNT(*) FROM faq_feedback") == (0,)
    # A real vote on a real answer still counts.
    mark = fake.mark()
    other.press(answer, "faq:v:nais_lead:1")
    fake.wait_for_edit(other.id, answer["message_id"], after=mark)
    assert db_one(db_path, "SELECT COUNT(*) FROM faq_feedback") == (1,)


# --------------------------------------------------------------------------- 502 after delivery


def test_a_reply_to_an_unrecorded_copy_of_a_card_reaches_the_sender(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5013, language_code="en")
    summary = contribute(fake, user, "Twice delivered")
    # Telegram takes the card, but the bot hears 502 and sends it again.
    fake.fail_next("sendMessage", "502-accepted")
    user.press(summary, "ctb:send")
    eventually(lambda: len(fake.sent_messages(GROUP_ID)) == 2, timeout=15, what="two copies")
    unrecorded = fake.sent_messages(GROUP_ID)[0]
    assert "C-000001" in unrecorded["text"]
    mark = fake.mark()
    group.send(mod, "Answer to the first copy", reply_to=unrecorded)
    note = fake.wait_for_message(user.id, text_contains="Answer to the first copy", after=mark)
    assert "C-000001" in note["text"]


def test_a_moderator_is_told_when_the_answer_cannot_reach_the_sender(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5014, language_code="en")
    ref = send_contribution(fake, user, "Then I leave")
    card = card_of(fake, ref)
    user.block()
    mark = fake.mark()
    group.send(mod, "Thanks for the idea.", reply_to=card)
    warning = fake.wait_for_message(GROUP_ID, text_contains="did not reach", after=mark)
    assert ref in warning["text"] and "blocked the bot" in warning["text"]


def test_a_moderator_answering_with_anything_but_text_is_told_nothing_went_out(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    _group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(5015, language_code="en")
    ref = send_contribution(fake, user, "Where is the workshop?")
    card = card_of(fake, ref)
    mark = fake.mark()
    fake._act(
        lambda world: world.post(
            world.require_user(mod.id), GROUP_ID,
            {"location": {"latitude": 11.56, "longitude": 104.92}}, reply_to=card,
        )
    )  # fmt: skip
    told = fake.wait_for_message(GROUP_ID, text_contains="Nothing was sent", after=mark)
    assert "as text" in told["text"]
    assert db_one(db_path, "SELECT status FROM submissions") == ("open",)
