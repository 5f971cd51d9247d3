"""Contributions and questions through the moderation queue, end to end."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fake_telegram import FakeGroup, FakeTelegram, FakeUser
from tests.harness import BotProcess, BotThread, bot_env, button_data, eventually

GROUP_ID = -1001000000001
MOD_A, MOD_B, ADMIN = 9001, 9002, 9100

JSON = dict[str, Any]


def moderators(fake: FakeTelegram) -> tuple[FakeGroup, FakeUser, FakeUser]:
    group = fake.group(GROUP_ID, title="Moderators")
    return (
        group,
        fake.user(MOD_A, first_name="Sophea", language_code="en", username="sophea"),
        fake.user(MOD_B, first_name="Rith", language_code="km"),
    )


def contribute(fake: FakeTelegram, user: FakeUser, *parts: str | Callable[[], object]) -> JSON:
    """Walk /contribute: topic, the given parts (texts or file senders), Done; return summary."""
    mark = fake.mark()
    user.send("/contribute")
    topics = fake.wait_for_message(user.id, after=mark)
    mark = fake.mark()
    user.press(topics, "ctb:topic:education")
    fake.wait_for_edit(user.id, topics["message_id"], after=mark)
    for part in parts:
        mark = fake.mark()
        if isinstance(part, str):
            user.send(part)
        else:
            part()
        fake.wait_for_message(user.id, after=mark)
    target = fake.last_message(user.id)
    mark = fake.mark()
    user.press(target, "ctb:done")
    return fake.wait_for_edit(user.id, target["message_id"], after=mark)


def send_contribution(
    fake: FakeTelegram, user: FakeUser, *parts: str | Callable[[], object]
) -> str:
    summary = contribute(fake, user, *parts)
    mark = fake.mark()
    user.press(summary, "ctb:send")
    sent = fake.wait_for_edit(user.id, summary["message_id"], after=mark)
    return str(sent["text"].split("Reference: ")[-1].split("លេខយោង៖ ")[-1].split()[0])


def card_of(fake: FakeTelegram, ref: str, timeout: float = 10.0) -> JSON:
    return fake.wait_for_message(GROUP_ID, text_contains=ref, timeout=timeout)


def db_one(db_path: Path, sql: str, *params: object) -> tuple[Any, ...]:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None, sql
    return tuple(row)


def test_text_contribution_reaches_the_group_escaped_and_is_listed(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    start_bot()
    dara = fake.user(4001, language_code="en")
    ref = send_contribution(fake, dara, "Teach <b>AI</b> in schools <3 & universities")
    assert ref == "C-000001"
    card = card_of(fake, ref)
    assert "Teach <b>AI</b> in schools <3 & universities" in card["text"]  # arrived literally
    assert "Education" in card["text"] and "Not registered" in card["text"]
    assert {"mod:claim:1", "mod:ok:1", "mod:no:1", "mod:reply:1", "mod:ban:1"} <= set(
        button_data(card)
    )
    mark = fake.mark()
    dara.send("/mysubmissions")
    listing = fake.wait_for_message(dara.id, after=mark)
    assert "C-000001 · contribution · received" in listing["text"]
    assert db_one(db_path, "SELECT status, topic FROM submissions") == ("open", "education")


def test_an_album_is_one_contribution_with_its_files_copied_to_the_group(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(4002, language_code="en")
    summary = contribute(
        fake, user, lambda: user.send_album(["photo", "photo", "document"], caption="Field notes")
    )
    assert "Files: 3" in summary["text"]
    # The form's message, and one acknowledgement for the whole album (now the summary).
    assert len(fake.sent_messages(user.id)) == 2
    mark = fake.mark()
    user.press(summary, "ctb:send")
    card = card_of(fake, "C-000001")
    assert "3 attachment" in card["text"] and "Field notes" in card["text"]
    eventually(lambda: len(fake.sent_messages(GROUP_ID)) == 4, what="card and three copies")
    copies = fake.sent_messages(GROUP_ID)[1:]
    assert all("C-000001" in (m.get("caption") or "") for m in copies)
    assert mark


def test_files_over_the_limit_or_of_the_wrong_type_are_refused_and_nothing_changes(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(4003, language_code="km")
    mark = fake.mark()
    user.send("/contribute")
    topics = fake.wait_for_message(user.id, after=mark)
    user.press(topics, "ctb:topic:health")
    mark = fake.mark()
    user.send_document("big.pdf", "application/pdf", file_size=25 * 1024 * 1024)
    assert "ធំពេក" in fake.wait_for_message(user.id, after=mark)["text"]
    mark = fake.mark()
    user.send_document("setup.exe", "application/x-msdownload", file_size=1000)
    assert "setup.exe" in fake.wait_for_message(user.id, after=mark)["text"]
    mark = fake.mark()
    user.send_sticker()
    assert "រួចរាល់" in fake.wait_for_message(user.id, after=mark)["text"]
    mark = fake.mark()
    user.send("x" * 3500)
    assert "វែងពេក" in fake.wait_for_message(user.id, after=mark)["text"]
    # Nothing was accepted, so there is nothing to send yet.
    answer = fake.callback_answer(user.press(fake.last_message(user.id), "ctb:done"))
    assert answer["show_alert"] and "ឯកសារ" in answer["text"]


def test_unanswered_question_goes_to_the_team_and_the_reply_comes_back(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4004, language_code="km")
    mark = fake.mark()
    user.send("តើក្រសួងនឹងផ្តល់អាហារូបករណ៍ AI ដល់និស្សិតទេ?")
    nothing = fake.wait_for_message(user.id, after=mark)
    assert "faq:ask" in button_data(nothing)
    mark = fake.mark()
    user.press(nothing, "faq:ask")
    sent = fake.wait_for_edit(user.id, nothing["message_id"], after=mark)
    assert "Q-000001" in sent["text"]
    card = card_of(fake, "Q-000001")
    assert "អាហារូបករណ៍" in card["text"] and "Question" in card["text"]

    mark = fake.mark()
    group.send(mod, "Not yet decided; we will announce it <soon> & here.", reply_to=card)
    answer = fake.wait_for_message(user.id, after=mark)
    assert "Q-000001" in answer["text"]
    assert "Not yet decided; we will announce it <soon> & here." in answer["text"]
    assert "ក្រុមការងារបានឆ្លើយ" in answer["text"]
    fake.wait_for_message(GROUP_ID, text_contains="sent to the sender", after=mark)
    assert db_one(db_path, "SELECT status FROM submissions WHERE ref = 'Q-000001'") == ("answered",)
    edited = fake.wait_for_edit(GROUP_ID, card["message_id"], after=mark)
    assert "answered by @sophea" in edited["text"]


def test_approve_and_reject_tell_the_sender_in_their_language(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod_a, mod_b = moderators(fake)
    start_bot()
    khmer = fake.user(4005, language_code="km")
    english = fake.user(4006, language_code="en")
    ref_km = send_contribution(fake, khmer, "សូមបញ្ចូលកសិកម្មក្នុងយុទ្ធសាស្ត្រ")
    ref_en = send_contribution(fake, english, "Please cover agriculture")
    card_km, card_en = card_of(fake, ref_km), card_of(fake, ref_en)

    mark = fake.mark()
    group.press(mod_a, card_km, "mod:claim:1")
    claimed = fake.wait_for_edit(GROUP_ID, card_km["message_id"], after=mark)
    assert "claimed by @sophea" in claimed["text"]
    mark = fake.mark()
    group.press(mod_a, claimed, "mod:ok:1")
    note = fake.wait_for_message(khmer.id, after=mark)
    assert ref_km in note["text"] and "ទទួលយក" in note["text"]
    approved = fake.wait_for_edit(GROUP_ID, card_km["message_id"], after=mark)
    assert "approved by @sophea" in approved["text"]

    mark = fake.mark()
    group.press(mod_b, card_en, "mod:no:2")
    reasons = fake.wait_for_edit(GROUP_ID, card_en["message_id"], after=mark)
    assert "mod:rr:2:duplicate" in button_data(reasons)
    mark = fake.mark()
    group.press(mod_b, reasons, "mod:rr:2:duplicate")
    note = fake.wait_for_message(english.id, after=mark)
    assert "was not accepted" in note["text"] and "Already received" in note["text"]
    rows = (
        sqlite3.connect(db_path)
        .execute(
            "SELECT actor_id, actor_role, action, from_state, to_state FROM audit_log"
            " WHERE subject = 'submission:1' ORDER BY id"
        )
        .fetchall()
    )
    assert rows == [
        (khmer.id, "person", "submit", None, "open"),
        (MOD_A, "moderator", "claimed", "open", "claimed"),
        (MOD_A, "moderator", "approved", "claimed", "approved"),
    ]


def test_reject_with_own_words_by_command(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4007, language_code="en")
    ref = send_contribution(fake, user, "spam spam")
    card_of(fake, ref)
    mark = fake.mark()
    group.send(mod, f"/reject {ref} Please write about AI policy.")
    note = fake.wait_for_message(user.id, after=mark)
    assert "Please write about AI policy." in note["text"]


def test_forged_and_anonymous_actions_are_refused_and_recorded(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4008, language_code="en")
    ref = send_contribution(fake, user, "An idea")
    card = card_of(fake, ref)
    intruder = fake.user(4999, language_code="en")
    answer = fake.callback_answer(group.press(intruder, card, "mod:ok:1"))
    assert answer["show_alert"] and "Only the team's moderators" in answer["text"]
    # The sender forging an approve in their own chat.
    answer = fake.callback_answer(
        user.press_raw(fake.last_message(user.id)["message_id"], "mod:ok:1")
    )
    assert answer["show_alert"]
    mark = fake.mark()
    group.send_as_anonymous_admin("/queue")
    assert "act as yourself" in fake.wait_for_message(GROUP_ID, after=mark)["text"]
    # A moderator pressing a forged card button outside the group changes nothing either.
    mark = fake.mark()
    mod.send("/start")
    greeting = fake.wait_for_message(mod.id, after=mark)
    answer = fake.callback_answer(mod.press_raw(greeting["message_id"], "mod:ok:1"))
    assert answer["show_alert"]
    assert db_one(db_path, "SELECT status FROM submissions") == ("open",)
    # Every refusal is recorded with its reason, the moderator's wrong place included.
    with sqlite3.connect(db_path) as conn:
        reasons = sorted(
            json.loads(detail)["reason"]
            for (detail,) in conn.execute(
                "SELECT detail FROM audit_log WHERE action LIKE 'refused:%'"
            )
        )
    assert reasons == ["anonymous", "not-a-moderator", "not-a-moderator", "wrong-place"]
    assert not [m for m in fake.sent_messages(user.id) if "accepted" in m.get("text", "")]


def test_two_moderators_racing_the_first_wins(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod_a, mod_b = moderators(fake)
    start_bot()
    user = fake.user(4009, language_code="en")
    ref = send_contribution(fake, user, "Race me")
    card = card_of(fake, ref)
    first = group.press(mod_a, card, "mod:ok:1")
    second = group.press(mod_b, card, "mod:ok:1")
    assert "approved" in fake.callback_answer(first)["text"]
    loser = fake.callback_answer(second)
    assert loser["show_alert"] and "already approved" in loser["text"]
    assert db_one(db_path, "SELECT status, decided_by FROM submissions") == ("approved", MOD_A)
    eventually(lambda: len([m for m in fake.sent_messages(user.id) if ref in m["text"]]) >= 2)
    notes = [m["text"] for m in fake.sent_messages(user.id) if "accepted" in m.get("text", "")]
    assert len(notes) == 1 and "not accepted" not in notes[0]


def test_ban_refuses_further_submissions_and_unban_lifts_it(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4010, language_code="en")
    ref = send_contribution(fake, user, "abuse")
    card = card_of(fake, ref)
    mark = fake.mark()
    group.press(mod, card, "mod:ban:1")
    fake.wait_for_message(GROUP_ID, text_contains="banned", after=mark)
    mark = fake.mark()
    user.send("/contribute")
    assert "can no longer send" in fake.wait_for_message(user.id, after=mark)["text"]
    mark = fake.mark()
    group.send(mod, f"/unban {ref}")
    assert "can send again" in fake.wait_for_message(GROUP_ID, after=mark)["text"]
    mark = fake.mark()
    user.send("/contribute")
    assert "ctb:topic:education" in button_data(fake.wait_for_message(user.id, after=mark))


def test_a_persons_flood_of_submissions_is_limited(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    moderators(fake)
    start_bot(SUBMISSION_LIMIT="2")
    user = fake.user(4011, language_code="en")
    send_contribution(fake, user, "one")
    send_contribution(fake, user, "two")
    mark = fake.mark()
    user.send("/contribute")
    assert "Please wait about" in fake.wait_for_message(user.id, after=mark)["text"]
    other = fake.user(4012, language_code="en")
    assert send_contribution(fake, other, "mine") == "C-000003"


def test_queue_lists_open_items_oldest_first(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4013, language_code="en")
    for text in ("first idea", "second idea"):
        card_of(fake, send_contribution(fake, user, text))
    mark = fake.mark()
    group.send(mod, "/queue")
    queue = fake.wait_for_message(GROUP_ID, text_contains="Open items", after=mark)
    assert queue["text"].index("C-000001") < queue["text"].index("C-000002")


def test_429_and_5xx_during_delivery_still_deliver_once(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(4014, language_code="en")
    summary = contribute(fake, user, "retry me")
    fake.fail_next("sendMessage", "429", retry_after=1)
    fake.fail_next("sendMessage", "500", count=2)
    user.press(summary, "ctb:send")
    card = card_of(fake, "C-000001", timeout=30)
    assert card
    statuses = [r.status for r in fake.calls("sendMessage")]
    assert 429 in statuses and 500 in statuses
    assert len([m for m in fake.sent_messages(GROUP_ID) if "C-000001" in m["text"]]) == 1


def test_cards_follow_the_group_when_it_becomes_a_supergroup(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    fake.group(-1000000000555, title="Moderators")
    new_id = -1009999999999
    fake.migrate_group(-1000000000555, new_id, notify=False)
    start_bot(MODERATION_CHAT_ID="-1000000000555")
    user = fake.user(4015, language_code="en")
    send_contribution(fake, user, "hello group")
    card = fake.wait_for_message(new_id, text_contains="C-000001", timeout=20)
    assert card
    assert db_one(db_path, "SELECT value FROM bot_state") == (str(new_id),)


def test_sigkill_before_the_card_is_out_loses_and_duplicates_nothing(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    moderators(fake)
    env = bot_env(fake, db_path)
    bot = BotProcess(env, tmp_path / "bot.log").start()
    user = fake.user(4016, language_code="en")
    summary = contribute(fake, user, "survive a crash")
    # The card's request is in flight when the process dies.
    fake.fail_next("sendMessage", "stall")
    user.press(summary, "ctb:send")
    fake.wait_stalled(timeout=20)
    bot.kill()
    assert db_one(db_path, "SELECT COUNT(*) FROM submissions") in ((0,), (1,))
    bot = BotProcess(env, tmp_path / "bot.log").start()
    try:
        card = card_of(fake, "C-000001", timeout=30)
        eventually(
            lambda: (
                db_one(db_path, "SELECT card_message_id FROM submissions")[0] == card["message_id"]
            ),
            timeout=20,
            what="card id stored",
        )
    finally:
        assert bot.terminate() == 0
    assert db_one(db_path, "SELECT COUNT(*) FROM submissions") == (1,)
    assert len([m for m in fake.sent_messages(GROUP_ID) if "C-000001" in m["text"]]) == 1
    refs = [m for m in fake.sent_messages(user.id) if "C-000001" in m.get("text", "")]
    assert len(refs) == 1


def test_sigkill_while_send_is_being_handled_makes_one_submission(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    moderators(fake)
    env = bot_env(fake, db_path)
    bot = BotProcess(env, tmp_path / "bot.log").start()
    user = fake.user(4017, language_code="en")
    summary = contribute(fake, user, "pressed send, then a crash")
    fake.fail_next("editMessageText", "stall")  # the person's confirmation is in flight
    user.press(summary, "ctb:send")
    fake.wait_stalled(timeout=20)
    # The card went out and was recorded; only the handler of the press is unfinished. (A
    # kill between Telegram accepting a message and the outbox recording it would send that
    # message again: the Bot API has no idempotency key. README, "How it works".)
    eventually(
        lambda: db_one(db_path, "SELECT COUNT(*) FROM submission_group_messages") == (1,),
        timeout=20,
        what="card recorded",
    )
    bot.kill()
    assert db_one(db_path, "SELECT status FROM inbox ORDER BY update_id DESC LIMIT 1") == (
        "pending",
    )
    bot = BotProcess(env, tmp_path / "bot.log").start()
    try:
        card_of(fake, "C-000001", timeout=30)
        fake.wait_for(
            lambda m: m["chat"]["id"] == user.id and "C-000001" in m.get("text", ""), timeout=30
        )
        mark = fake.mark()
        user.send("/mysubmissions")
        listing = fake.wait_for_message(user.id, after=mark, timeout=30)
    finally:
        assert bot.terminate() == 0
    assert listing["text"].count("C-0000") == 1
    assert db_one(db_path, "SELECT COUNT(*) FROM submissions") == (1,)
    assert len([m for m in fake.sent_messages(GROUP_ID) if "C-000001" in m["text"]]) == 1


def test_mydata_and_deleteme_cover_what_the_person_sent(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4018, language_code="en")
    accepted = send_contribution(fake, user, "Kept for the record: teach AI ethics")
    pending = send_contribution(
        fake, user, "My private idea, call me", lambda: user.send_document("plan.pdf")
    )
    card_accepted, card_pending = card_of(fake, accepted), card_of(fake, pending)
    mark = fake.mark()
    group.press(mod, card_accepted, "mod:ok:1")
    fake.wait_for_message(user.id, text_contains="accepted", after=mark)
    eventually(lambda: len(fake.sent_messages(GROUP_ID)) == 3, what="two cards and a copy")
    copy = fake.sent_messages(GROUP_ID)[2]

    mark = fake.mark()
    user.send("/mydata")
    fake.wait_for_message(user.id, text_contains="as a file", after=mark)
    document = json.loads(fake.calls("sendDocument")[-1].params["document"].data.decode())
    sent = document["contributions"]["sent"]
    assert [s["reference"] for s in sent] == [accepted, pending]
    assert sent[1]["files"][0]["file_name"] == "plan.pdf"

    mark = fake.mark()
    user.send("/deleteme")
    ask = fake.wait_for_message(user.id, after=mark)
    erase_button = next(d for d in button_data(ask) if d.startswith("my:erase:"))
    mark = fake.mark()
    user.press(ask, erase_button)
    erased = fake.wait_for_edit(user.id, ask["message_id"], after=mark)
    assert "one contribution the team had accepted" in erased["text"]

    emptied = fake.wait_for_edit(GROUP_ID, card_pending["message_id"], after=mark)
    assert emptied["text"] == f"🗑 {pending}"
    eventually(
        lambda: copy["message_id"] not in [m["message_id"] for m in fake.sent_messages(GROUP_ID)],
        what="the attachment copy taken down",
    )
    kept_card = fake.wait_for_edit(GROUP_ID, card_accepted["message_id"], after=mark)
    assert "Kept for the record" in kept_card["text"]
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT ref, user_id, text FROM submissions").fetchall()
        payloads = " ".join(r[0] for r in conn.execute("SELECT payload FROM outbox"))
    assert rows == [(accepted, None, "Kept for the record: teach AI ethics")]
    assert "My private idea" not in payloads


async def register(db_path: Path, user_id: int) -> None:
    """A confirmed registration, made through the registration storage."""
    from storage import consent, registrations
    from storage.db import Database
    from storage.registrations import Answers

    answers = Answers(
        kind="academic", full_name="Dr. Sreymom <Keo>", organisation="RUPP",
        position="Lecturer", interests=("education",), modes=("written_input",),
        email="sreymom@example.org",
    )  # fmt: skip
    async with Database(db_path) as db, db.transaction() as conn:
        given = await consent.give_in(conn, user_id, consent.REGISTRATION, "2026-11")
        await registrations.open_draft_in(conn, user_id, given.id, answers, editing=False)
        await registrations.confirm_in(conn, user_id, "en")


def test_a_registered_senders_card_shows_their_registration(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    start_bot()
    asyncio.run(register(db_path, 4019))
    user = fake.user(4019, language_code="en")
    card = card_of(fake, send_contribution(fake, user, "From a lecturer"))
    expected = "Registered: R-000001 · Academic or research institution · Dr. Sreymom <Keo>"
    assert expected in card["text"]


def test_a_sender_who_blocked_the_bot_is_marked_not_retried(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group, mod, _ = moderators(fake)
    start_bot()
    user = fake.user(4020, language_code="en")
    card = card_of(fake, send_contribution(fake, user, "then I leave"))
    fake.block(user.id)
    group.press(mod, card, "mod:ok:1")
    eventually(
        lambda: (
            db_one(
                db_path,
                "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND status = 'failed'",
                user.id,
            )
            == (1,)
        ),
        what="the notification given up",
    )
    assert db_one(db_path, "SELECT blocked_bot FROM users WHERE user_id = ?", user.id) == (1,)
    forbidden = [r for r in fake.calls("sendMessage") if r.status == 403]
    assert len(forbidden) == 1


def test_a_contribution_in_progress_survives_a_restart(
    fake: FakeTelegram, start_bot: Callable[..., BotThread]
) -> None:
    moderators(fake)
    bot = start_bot()
    user = fake.user(4021, language_code="km")
    mark = fake.mark()
    user.send("/contribute")
    topics = fake.wait_for_message(user.id, after=mark)
    mark = fake.mark()
    user.press(topics, "ctb:topic:agriculture")
    fake.wait_for_edit(user.id, topics["message_id"], after=mark)
    mark = fake.mark()
    user.send("ផ្នែកទីមួយ")
    ack = fake.wait_for_message(user.id, after=mark)
    bot.stop()
    start_bot()
    mark = fake.mark()
    user.send("ផ្នែកទីពីរ")  # still collecting after the restart
    ack = fake.wait_for_message(user.id, after=mark)
    mark = fake.mark()
    user.press(ack, "ctb:done")
    summary = fake.wait_for_edit(user.id, ack["message_id"], after=mark)
    assert "ផ្នែកទីមួយ" in summary["text"] and "ផ្នែកទីពីរ" in summary["text"]
    assert "កសិកម្ម" in summary["text"]
    mark = fake.mark()
    user.press(summary, "ctb:send")
    assert "C-000001" in fake.wait_for_edit(user.id, ack["message_id"], after=mark)["text"]
    assert "ផ្នែកទីពីរ" in card_of(fake, "C-000001")["text"]


def test_a_failure_while_queueing_the_card_stores_nothing_and_keeps_the_draft(
    fake: FakeTelegram,
    start_bot: Callable[..., BotThread],
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moderators(fake)
    start_bot()
    user = fake.user(4022, language_code="en")
    summary = contribute(fake, user, "all or nothing")

    async def broken(*args: object) -> str:
        raise RuntimeError("the card could not be written")

    monkeypatch.setattr("bot.contributions.service.registration_line", broken)
    mark = fake.mark()
    user.press(summary, "ctb:send")
    assert "went wrong" in fake.wait_for_message(user.id, after=mark)["text"]
    assert db_one(db_path, "SELECT COUNT(*) FROM submissions") == (0,)
    assert db_one(db_path, "SELECT COUNT(*) FROM outbox WHERE chat_id = ?", GROUP_ID) == (0,)
    assert db_one(db_path, "SELECT COUNT(*) FROM contribution_draft_texts") == (1,)

    monkeypatch.undo()
    mark = fake.mark()
    user.press(summary, "ctb:send")  # the form is still at its summary: try again
    assert "C-000001" in fake.wait_for_edit(user.id, summary["message_id"], after=mark)["text"]
    assert card_of(fake, "C-000001")
