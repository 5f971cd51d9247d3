"""Subscriptions and announcements end to end: toggles, sending at the configured rate, in
both languages, through 429s and 403s, pause, cancel, a schedule and a SIGKILL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.outbox import MAX_IN_FLIGHT
from tests.announce_helpers import (
    ADMIN,
    add_participant,
    add_subscribers,
    announce,
    received,
)
from tests.fake_telegram import FakeTelegram
from tests.harness import BotProcess, BotThread, bot_env, button_data, button_labels, eventually

KM = "សិក្ខាសាលាថ្នាក់ជាតិ ថ្ងៃទី ១០ ខែមិថុនា <ចូលរួម & ពិភាក្សា>"
EN = "National workshop on 10 June <join & discuss>"


def subscriptions_of(db_path: Path, user_id: int) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT topic, subscribed FROM subscriptions WHERE user_id = ?", (user_id,)
        ).fetchall()
    return dict(rows)


def report(fake: FakeTelegram, timeout: float = 60) -> dict[str, object]:
    return fake.wait_for_message(ADMIN, "Announcement #", timeout=timeout)


def test_subscribing_and_unsubscribing_with_toggles_edited_in_place(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    dara = fake.user(3001, language_code="en")
    mark = fake.mark()
    dara.send("/subscriptions")
    toggles = fake.wait_for_message(dara.id, "News and announcements", after=mark)
    assert all(label.startswith("⬜") for label in button_labels(toggles)[:3])
    assert subscriptions_of(db_path, dara.id) == {}

    mark = fake.mark()
    dara.press(toggles, "sub:on:events")
    toggles = fake.wait_for_edit(dara.id, toggles["message_id"], after=mark)
    assert button_labels(toggles)[0] == "☑️ Consultations and events"
    assert "sub:off:events" in button_data(toggles)
    mark = fake.mark()
    dara.press(toggles, "sub:on:eservices")
    toggles = fake.wait_for_edit(dara.id, toggles["message_id"], after=mark)
    assert subscriptions_of(db_path, dara.id) == {"events": 1, "eservices": 1}

    mark = fake.mark()
    dara.press(toggles, "sub:off:events")
    toggles = fake.wait_for_edit(dara.id, toggles["message_id"], after=mark)
    assert button_labels(toggles)[0] == "⬜ Consultations and events"
    assert subscriptions_of(db_path, dara.id) == {"events": 0, "eservices": 1}

    # /mydata shows it; /deleteme erases it.
    mark = fake.mark()
    dara.send("/mydata")
    readable = fake.wait_for_message(dara.id, "What the bot stores about you", after=mark)
    assert "News you chose to receive: E-services news" in readable["text"]
    mark = fake.mark()
    dara.send("/deleteme")
    ask = fake.wait_for_message(dara.id, "Delete your data?", after=mark)
    erase = next(d for d in button_data(ask) if d.startswith("my:erase:"))
    mark = fake.mark()
    dara.press(ask, erase)
    fake.wait_for_edit(dara.id, ask["message_id"], after=mark)
    assert subscriptions_of(db_path, dara.id) == {}


def test_announcement_to_300_subscribers_in_both_languages_keeps_the_rates(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    khmer = list(range(10_001, 10_151))
    english = list(range(20_001, 20_151))
    add_subscribers(fake, db_path, khmer, "events", "km")
    add_subscribers(fake, db_path, english, "events", "en")
    add_subscribers(fake, db_path, [30_001], "strategy", "en")  # did not choose events
    start_bot(ANNOUNCE_RATE="25", ANNOUNCE_PROGRESS_SECONDS="1")
    admin = fake.user(ADMIN, language_code="en")

    summary = announce(fake, admin, KM, EN, "topic:events")
    assert "Recipients in Khmer: 150" in summary["text"]
    assert "Recipients in English: 150" in summary["text"]
    # The preview is exactly what each language gets, unsubscribe button included.
    previews = fake.sent_messages(admin.id)
    assert any(m.get("text", "").startswith("សិក្ខាសាលាថ្នាក់ជាតិ") for m in previews)
    assert any(m.get("text", "").startswith("National workshop") for m in previews)

    mark = fake.mark()
    admin.press(summary, button_data(summary)[0])
    progress = fake.wait_for_edit(admin.id, summary["message_id"], after=mark, timeout=10)
    assert "Sent:" in progress["text"]
    assert {"⏸ Pause", "⏹ Cancel"} <= set(button_labels(progress))

    final = report(fake, timeout=60)
    assert "Sent: 300 of 300" in final["text"] and "finished" in final["text"]
    for user_id in khmer:
        got = received(fake, user_id, "សិក្ខាសាលាថ្នាក់ជាតិ")
        assert len(got) == 1 and not received(fake, user_id, "National workshop")
        assert button_labels(got[0]) == ["🔕 ឈប់ទទួល៖ កិច្ចពិគ្រោះយោបល់ និងព្រឹត្តិការណ៍"]
    for user_id in english:
        got = received(fake, user_id, "National workshop")
        # What the admin wrote arrives as written: escaped, not taken for markup.
        assert len(got) == 1 and got[0]["text"] == EN
        assert button_data(got[0]) == ["sub:stop:events"]
    assert fake.sent_messages(30_001) == []

    overall, per_chat = fake.send_peaks()
    assert overall <= 25, f"{overall} sends in one second, more than the configured 25"
    assert max(per_chat[u] for u in khmer + english) == 1

    # One tap under the announcement unsubscribes.
    got = received(fake, english[0], "National workshop")[0]
    mark = fake.mark()
    fake.user(english[0], language_code="en").press(got, "sub:stop:events")
    eventually(lambda: subscriptions_of(db_path, english[0]) == {"events": 0}, what="unsubscribed")
    edited = fake.wait_for_edit(english[0], got["message_id"], after=mark)
    assert button_data(edited) == ["sub:show:"]


def test_a_429_waits_and_a_403_marks_the_person_blocked(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    people = list(range(40_001, 40_041))
    add_subscribers(fake, db_path, people, "strategy", "en")
    for user_id in people[20:23]:
        fake.block(user_id)
    start_bot(ANNOUNCE_RATE="20", ANNOUNCE_PROGRESS_SECONDS="1")
    admin = fake.user(ADMIN, language_code="en")
    summary = announce(fake, admin, KM, EN, "topic:strategy")
    admin.press(summary, button_data(summary)[0])
    eventually(lambda: len(fake.calls("sendMessage")) > 10 + 6, timeout=20, what="sending")
    fake.fail_next("sendMessage", "429", retry_after=1)

    final = report(fake, timeout=60)
    assert "Sent: 37 of 40" in final["text"] and "Blocked the bot: 3" in final["text"]
    assert "Failed: 0" in final["text"]
    assert [r for r in fake.calls("sendMessage") if r.status == 429]
    for user_id in people:
        expected = 0 if user_id in people[20:23] else 1
        assert len(received(fake, user_id, "National workshop")) == expected
    with sqlite3.connect(db_path) as conn:
        blocked = {r[0] for r in conn.execute("SELECT user_id FROM users WHERE blocked_bot = 1")}
    assert blocked == set(people[20:23])

    # Blocked people are skipped from then on: not even tried again.
    tried = len(fake.calls("sendMessage"))
    summary = announce(fake, admin, KM, EN + " (again)", "topic:strategy")
    assert "Total: 37" in summary["text"]
    admin.press(summary, button_data(summary)[0])
    fake.wait_for_message(ADMIN, "Announcement #2", timeout=60)
    attempted = {int(r.params["chat_id"]) for r in fake.calls("sendMessage")[tried:]}
    assert not attempted & set(people[20:23])


def test_pause_resume_and_cancel(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    people = list(range(50_001, 50_061))
    add_subscribers(fake, db_path, people, "eservices", "km")
    start_bot(ANNOUNCE_RATE="10", ANNOUNCE_PROGRESS_SECONDS="1")
    admin = fake.user(ADMIN, language_code="en")
    summary = announce(fake, admin, KM, EN, "topic:eservices")
    admin.press(summary, button_data(summary)[0])

    def delivered() -> int:
        return sum(len(received(fake, u, "សិក្ខាសាលាថ្នាក់ជាតិ")) for u in people)

    eventually(lambda: delivered() >= 10, timeout=20, what="some sent")
    progress = fake.sent_messages(admin.id)[-1]
    assert progress["message_id"] == summary["message_id"]
    assert "⏸ Pause" in button_labels(progress)
    admin.press(progress, next(d for d in button_data(progress) if ":pause:" in d))
    time.sleep(2.5)  # what was already queued goes; nothing after it
    paused_at = delivered()
    time.sleep(2.0)
    assert delivered() == paused_at < len(people)
    progress = fake.sent_messages(admin.id)[-1]
    assert "paused" in progress["text"] and "▶️ Resume" in button_labels(progress)

    admin.press(progress, next(d for d in button_data(progress) if ":resume:" in d))
    eventually(lambda: delivered() >= paused_at + 5, timeout=20, what="sending again")
    progress = fake.sent_messages(admin.id)[-1]
    admin.press(progress, next(d for d in button_data(progress) if ":cancel:" in d))
    final = report(fake, timeout=30)
    assert "cancelled" in final["text"]
    stopped_at = delivered()
    time.sleep(2.0)
    assert delivered() == stopped_at < len(people)
    with sqlite3.connect(db_path) as conn:
        actions = conn.execute(
            "SELECT actor_id, action FROM audit_log WHERE action LIKE 'announcement.%' ORDER BY id"
        ).fetchall()
    assert actions == [
        (ADMIN, "announcement.scheduled"),
        (ADMIN, "announcement.pause"),
        (ADMIN, "announcement.resume"),
        (ADMIN, "announcement.cancel"),
    ]


def test_a_scheduled_reminder_to_registered_participants_of_an_event(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    add_participant(fake, db_path, 60_001, "expert", ["june_workshop"], "Sok")
    add_participant(fake, db_path, 60_002, "company", ["may_consultations"], "Dara")
    start_bot()
    admin = fake.user(ADMIN, language_code="en")
    now = datetime.now(timezone(timedelta(hours=7)))
    at = (now + timedelta(seconds=6)).replace(microsecond=0)
    summary = announce(
        fake, admin, KM, EN, "mode:june_workshop", when=at.strftime("%Y-%m-%d %H:%M:%S")
    )
    assert "Total: 1" in summary["text"] and at.strftime("%H:%M") in summary["text"]
    mark = fake.mark()
    admin.press(summary, button_data(summary)[0])
    scheduled = fake.wait_for_edit(admin.id, summary["message_id"], after=mark)
    assert "Scheduled for" in scheduled["text"]
    assert received(fake, 60_001, "សិក្ខាសាលា") == []
    got = fake.wait_for_message(60_001, "សិក្ខាសាលាថ្នាក់ជាតិ", timeout=15)
    sent_at = [r.timestamp for r in fake.calls("sendMessage") if r.params["chat_id"] == 60_001]
    assert len(sent_at) == 1 and sent_at[0] >= at.timestamp()
    assert button_data(got) == ["sub:stop:events"]
    report(fake, timeout=15)
    assert received(fake, 60_002, "សិក្ខាសាលា") == []


def test_sigkill_in_the_middle_then_resumes_with_no_duplicates(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    people = list(range(70_001, 70_121))
    add_subscribers(fake, db_path, people, "events", "en")
    env = bot_env(fake, db_path, ANNOUNCE_RATE="30", ANNOUNCE_PROGRESS_SECONDS="1")
    bot = BotProcess(env, tmp_path / "bot.log").start()
    admin = fake.user(ADMIN, language_code="en")
    fake.wait_for_request("deleteWebhook", timeout=30)
    summary = announce(fake, admin, KM, EN, "topic:events")
    admin.press(summary, button_data(summary)[0])

    def counts() -> list[int]:
        return [len(received(fake, u, "National workshop")) for u in people]

    eventually(lambda: sum(counts()) >= 40, timeout=30, what="a third sent")
    fake.fail_next("sendMessage", "stall")
    fake.wait_stalled(timeout=10)
    bot.kill()
    assert 40 <= sum(counts()) < len(people)

    bot = BotProcess(env, tmp_path / "bot.log").start()
    try:
        final = report(fake, timeout=60)
        assert "Sent: 120 of 120" in final["text"]
        got = counts()
        assert min(got) == 1, bot.log()
        # Only a message in flight at the kill can arrive twice: Telegram may have taken it
        # before the outbox recorded it, and the Bot API has no idempotency key.
        assert sum(got) - len(people) <= MAX_IN_FLIGHT, bot.log()
    finally:
        bot.terminate()


def test_registering_asks_once_with_nothing_ticked(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    from tests.test_e2e_registration import register_quickly

    start_bot(FLOOD_LIMIT="10000")
    lina = fake.user(3101, language_code="en")
    mark = fake.mark()
    register_quickly(fake, lina, "Lina Chan")
    offer = fake.wait_for_message(lina.id, "Would you like to receive news?", after=mark)
    assert [label[0] for label in button_labels(offer)[:3]] == ["⬜"] * 3
    assert subscriptions_of(db_path, lina.id) == {}
    mark = fake.mark()
    lina.press(offer, "sub:on:events")
    fake.wait_for_edit(lina.id, offer["message_id"], after=mark)
    assert subscriptions_of(db_path, lina.id) == {"events": 1}


def test_an_announcement_with_a_photo_carries_each_language_as_its_caption(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    add_subscribers(fake, db_path, [80_001], "strategy", "km")
    add_subscribers(fake, db_path, [80_002], "strategy", "en")
    start_bot()
    admin = fake.user(ADMIN, language_code="en")
    summary = announce(fake, admin, KM, EN, "topic:strategy", photo=True)
    assert "Total: 2" in summary["text"]
    admin.press(summary, button_data(summary)[0])
    report(fake, timeout=20)
    for user_id, caption in ((80_001, KM), (80_002, EN)):
        got = received(fake, user_id, caption.split()[0])
        assert len(got) == 1 and "photo" in got[0] and got[0]["caption"] == caption
        assert button_data(got[0]) == ["sub:stop:strategy"]
