"""Registering end to end, through the fake Bot API: the whole form in English and in Khmer,
wrong input at every step, Back, /cancel, restarts and a SIGKILL in the middle, an edit after
confirming, moderators verifying, /mydata and /deleteme."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Translator
from tests.fake_telegram import FakeGroup, FakeTelegram, FakeUser
from tests.harness import BotProcess, BotThread, bot_env, button_data, eventually

GROUP = -1001000000001
MODERATOR = 9001
ANONYMOUS_ADMIN = 1087968824
JSON = dict[str, Any]

I18N = Translator()


def km(key: str, **args: object) -> str:
    return I18N.get("km", key, **args)


@pytest.fixture(autouse=True)
def tireless_flood_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests fill in forms at machine speed; the flood guard would stop them."""
    monkeypatch.setenv("FLOOD_LIMIT", "10000")


# ----------------------------------------------------------------------------- helpers


def say(fake: FakeTelegram, user: FakeUser, text: str, expect: str | None = None) -> JSON:
    """Send text; return the first message the bot sends back (containing expect)."""
    mark = fake.mark()
    user.send(text)
    return fake.wait_for_message(user.id, expect, after=mark)


def tap(fake: FakeTelegram, user: FakeUser, message: JSON, data: str) -> JSON:
    """Press a button that edits its own message; return the edited message."""
    mark = fake.mark()
    user.press(message, data)
    return fake.wait_for_edit(user.id, message["message_id"], after=mark)


def tap_for_new(
    fake: FakeTelegram, user: FakeUser, message: JSON, data: str, expect: str | None = None
) -> JSON:
    """Press a button that answers with a new message; return it."""
    mark = fake.mark()
    user.press(message, data)
    return fake.wait_for_message(user.id, expect, after=mark)


def alert(fake: FakeTelegram, query_id: str) -> str:
    answer = fake.callback_answer(query_id)
    return str(answer.get("text") or "")


def db_rows(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def db_count(db_path: Path, table: str) -> int:
    return int(db_rows(db_path, f"SELECT COUNT(*) FROM {table}")[0][0])


def conversation_state(db_path: Path, user_id: int) -> str | None:
    rows = db_rows(
        db_path,
        "SELECT state FROM conversations WHERE name = 'registration' AND key = ?",
        (json.dumps([user_id, user_id]),),
    )
    return json.loads(rows[0][0]) if rows else None


def press_raw_in_group(
    fake: FakeTelegram, user_id: int, card: JSON, data: str = "reg:verify:1:1"
) -> str:
    """Press a button no longer on a group message (an old client, or forged data)."""
    return FakeGroup(fake, GROUP).press_raw(user_id, int(card["message_id"]), data)


def moderators(fake: FakeTelegram) -> Any:
    group = fake.group(GROUP, "Moderators")
    fake.user(MODERATOR, first_name="Mod <Srey>", language_code="en")
    return group


def everything(db_path: Path) -> dict[str, list[dict[str, Any]]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {name: [dict(r) for r in conn.execute(f"SELECT * FROM {name}")] for name in names}


def traces(db_path: Path, user_id: int, personal: list[str]) -> list[str]:
    """Every cell of every table that still points at the person."""
    token = re.compile(rf"(?<!\d){user_id}(?!\d)")
    found = []
    for table, rows in everything(db_path).items():
        for row in rows:
            for column, value in row.items():
                if (isinstance(value, int) and value == user_id) or (
                    isinstance(value, str)
                    and (token.search(value) or any(p in value for p in personal))
                ):
                    found.append(f"{table}.{column}={value!r}")
    return found


# ----------------------------------------------------------------------------- English


def test_the_whole_form_in_english_with_wrong_input_at_every_step(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    group = moderators(fake)
    start_bot()
    sok = fake.user(31337031, first_name="Sok", language_code="en")

    # Consent first: nothing is stored before it, whatever the person sends.
    notice = say(fake, sok, "/register", "Nothing is stored until you press")
    assert "2026-11" in notice["text"]
    assert button_data(notice) == ["reg:agree", "reg:cancel"]
    again = say(fake, sok, "Chantha Sok", "Please press “I agree”")
    assert button_data(again) == ["reg:agree", "reg:cancel"]
    for table in ("consents", "registration_drafts", "registrations"):
        assert db_count(db_path, table) == 0, table

    mark = fake.mark()
    query = sok.press(notice, "reg:agree")
    kind_q = fake.wait_for_edit(sok.id, notice["message_id"], after=mark)
    assert "consent is recorded" in alert(fake, query)
    assert "Question 1 of 8" in kind_q["text"]
    assert "In what capacity are you taking part?" in kind_q["text"]
    consent = db_rows(db_path, "SELECT user_id, notice_version, given_at FROM consents")
    assert consent[0][:2] == (sok.id, "2026-11") and consent[0][2] <= time.time()

    # Kind: text where a button is expected, then a forged choice, then a real one.
    kind_q = say(fake, sok, "a company", "Please answer with the buttons")
    assert "reg:kind:company" in button_data(kind_q)
    assert "This button is no longer valid" in alert(
        fake, sok.press_raw(kind_q["message_id"], "reg:kind:hacker")
    )
    name_q = tap(fake, sok, kind_q, "reg:kind:company")
    assert "Question 2 of 8" in name_q["text"]

    # Name: a photo, 500 characters, a command, then a name with HTML in it.
    mark = fake.mark()
    sok.send_photo()
    assert "Please answer with text" in fake.wait_for_message(sok.id, after=mark)["text"]
    assert "too long (500 characters)" in say(fake, sok, "x" * 500)["text"]
    assert "middle of registering" in say(fake, sok, "/help")["text"]
    org_q = say(fake, sok, "Chantha <Sok> & Co", "Question 3 of 8")

    # Back returns to the name; answer it again.
    name_again = tap(fake, sok, org_q, "reg:back:organisation")
    assert "Question 2 of 8" in name_again["text"]
    org_q = say(fake, sok, "  Chantha   <Sok> & Co ", "Question 3 of 8")
    assert "I have none" not in str(org_q.get("reply_markup"))

    mark = fake.mark()
    sok.send_sticker()
    assert "Please answer with text" in fake.wait_for_message(sok.id, after=mark)["text"]
    say(fake, sok, "Mekong AI Lab", "Question 4 of 8")
    assert "too short" in say(fake, sok, "A")["text"]
    interests_q = say(fake, sok, "Data Scientist", "Question 5 of 8")

    # Interests: Done with nothing ticked, then ticking and unticking.
    query = sok.press(interests_q, "reg:done:interests")
    assert "at least one" in alert(fake, query)
    interests_q = tap(fake, sok, interests_q, "reg:int:education:1")
    interests_q = tap(fake, sok, interests_q, "reg:int:data:1")
    interests_q = tap(fake, sok, interests_q, "reg:int:education:0")
    interests_q = tap(fake, sok, interests_q, "reg:int:health:1")
    # The same tick delivered twice sets it, it does not undo it.
    assert alert(fake, sok.press_raw(interests_q["message_id"], "reg:int:health:1")) == ""
    assert "reg:int:health:0" in button_data(interests_q)
    assert "This button is no longer valid" in alert(
        fake, sok.press_raw(interests_q["message_id"], "reg:int:health:maybe")
    )
    labels = [b["text"] for row in interests_q["reply_markup"]["inline_keyboard"] for b in row]
    assert "✅ Health" in labels and "▫️ Education" in labels
    modes_q = tap(fake, sok, interests_q, "reg:done:interests")
    assert "Question 6 of 8" in modes_q["text"]
    assert "belongs to an earlier question" in alert(
        fake, sok.press_raw(kind_q["message_id"], "reg:kind:expert")
    )
    modes_q = tap(fake, sok, modes_q, "reg:mode:may_consultations:1")
    modes_q = tap(fake, sok, modes_q, "reg:mode:june_workshop:1")
    email_q = tap(fake, sok, modes_q, "reg:done:modes")
    assert "Question 7 of 8" in email_q["text"]

    # E-mail: not one, almost one, then one.
    wrong = say(fake, sok, "not-an-email")
    assert "“not-an-email” is not an e-mail address" in wrong["text"]
    assert "is not an e-mail address" in say(fake, sok, "chantha@example")["text"]
    phone_q = say(fake, sok, "Chantha@Example.ORG", "Question 8 of 8")
    keyboard = fake.reply_keyboard(sok.id)
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_contact"] is True

    # Phone: a wrong number, then the share-contact button.
    assert "does not look like a phone number" in say(fake, sok, "12345")["text"]
    mark = fake.mark()
    sok.share_contact("855 12 345 678")
    fake.wait_for_message(sok.id, "Phone number saved", after=mark)
    summary = fake.wait_for_message(sok.id, "Please check your details", after=mark)
    assert fake.reply_keyboard(sok.id) == {"remove_keyboard": True}
    text = summary["text"]
    for shown in (
        "Private sector company",
        "Chantha <Sok> & Co",
        "Mekong AI Lab",
        "Data Scientist",
        "Health, Data and infrastructure",
        "Stakeholder consultations (dates to be announced), "
        "National workshop (date to be announced)",
        "Chantha@example.org",
        "+85512345678",
    ):
        assert shown in text, shown
    del phone_q

    # Change one answer from the summary, then confirm.
    email_again = tap(fake, sok, summary, "reg:change:email")
    assert "Current answer: Chantha@example.org" in email_again["text"]
    summary = say(fake, sok, "chantha.sok@example.org", "Please check your details")
    assert "chantha.sok@example.org" in summary["text"]
    done = tap(fake, sok, summary, "reg:confirm")
    assert "you are registered" in done["text"] and "R-000001" in done["text"]

    # Confirm pressed twice: no second registration, no second card.
    assert "already registered (R-000001)" in alert(
        fake, sok.press_raw(summary["message_id"], "reg:confirm")
    )
    card = fake.wait_for_message(GROUP, "New registration R-000001")
    assert "Chantha <Sok> & Co" in card["text"] and "chantha.sok@example.org" in card["text"]
    assert button_data(card) == ["reg:verify:1:1"]
    assert db_count(db_path, "registrations") == 1
    assert db_count(db_path, "registration_drafts") == 0
    assert conversation_state(db_path, sok.id) is None
    time.sleep(0.3)
    assert sum("New registration" in m["text"] for m in fake.sent_messages(GROUP)) == 1

    # Verify: refused for a member who is not a moderator, and for an anonymous admin.
    stranger = fake.user(5555, first_name="Stranger", language_code="en")
    anonymous = fake.user(ANONYMOUS_ADMIN, first_name="Group", language_code="en")
    for presser in (stranger, anonymous):
        query = group.press(presser, card, "reg:verify:1:1")
        assert "Only the team's moderators" in alert(fake, query)
    refused = db_rows(
        db_path,
        "SELECT actor_id FROM audit_log WHERE action = 'registration.verify_refused'",
    )
    assert sorted(r[0] for r in refused) == [5555, ANONYMOUS_ADMIN]
    assert db_rows(db_path, "SELECT status FROM registrations") == [("confirmed",)]

    mark = fake.mark()
    query = group.press(MODERATOR, card, "reg:verify:1:1")
    assert "Verified" in alert(fake, query)
    verified_card = fake.wait_for_edit(GROUP, card["message_id"], after=mark)
    assert "Verified by Mod <Srey>" in verified_card["text"]
    assert button_data(verified_card) == []
    notice_to_person = fake.wait_for_message(sok.id, "has been verified", after=mark)
    assert "R-000001" in notice_to_person["text"]
    assert "already verified" in alert(fake, press_raw_in_group(fake, MODERATOR, card))

    # Edit after confirming, from /profile.
    profile = say(fake, sok, "/profile", "Your registration R-000001")
    assert "verified by the team" in profile["text"]
    position_again = tap(fake, sok, profile, "reg:edit:position")
    assert "Current answer: Data Scientist" in position_again["text"]
    summary = say(fake, sok, "Head of Data", "Your registration R-000001")
    mark = fake.mark()
    updated = tap(fake, sok, summary, "reg:confirm")
    assert "is updated" in updated["text"]
    new_card = fake.wait_for_message(GROUP, "Updated registration R-000001 (version 2)", after=mark)
    assert "Head of Data" in new_card["text"] and button_data(new_card) == ["reg:verify:1:2"]
    retired = fake.wait_for_edit(GROUP, card["message_id"], after=mark)
    assert "replaced by a newer one" in retired["text"] and "Chantha" not in retired["text"]
    assert db_rows(db_path, "SELECT revision, status FROM registrations") == [(2, "confirmed")]

    # /mydata: a readable message and the JSON file.
    mark = fake.mark()
    sok.send("/mydata")
    readable = fake.wait_for_message(sok.id, "What the bot stores about you", after=mark)
    assert "R-000001" in readable["text"] and "Head of Data" in readable["text"]
    assert "Chantha <Sok> & Co" in readable["text"]
    file_message = fake.wait_for_message(sok.id, "as a file (JSON)", after=mark)
    assert file_message["document"]["file_name"] == "my-data.json"
    upload = fake.calls("sendDocument")[-1].params["document"]
    document = json.loads(upload.data.decode("utf-8"))
    assert document["telegram_user_id"] == sok.id
    assert document["registration"]["position"] == "Head of Data"
    assert document["registration"]["phone"] == "+85512345678"
    assert document["consents"][0]["privacy_notice_version"] == "2026-11"
    assert any(e["action"] == "registration.verified" for e in document["audit_log"])

    # /deleteme: keep, then delete for real; an old confirmation cannot delete.
    ask = say(fake, sok, "/deleteme", "Delete your data?")
    assert "Nothing was deleted" in tap(fake, sok, ask, "my:keep")["text"]
    ask = say(fake, sok, "/deleteme", "Delete your data?")
    assert "too old" in alert(fake, sok.press_raw(ask["message_id"], "my:erase:1"))
    erase_button = next(d for d in button_data(ask) if d.startswith("my:erase:"))
    mark = fake.mark()
    erased = tap(fake, sok, ask, erase_button)
    assert "Your data has been deleted" in erased["text"]
    assert "What remains" in erased["text"] and "R-000001" in erased["text"]
    assert "consent record" in erased["text"] and "log of actions" in erased["text"]
    wiped = fake.wait_for_edit(GROUP, new_card["message_id"], after=mark)
    assert "the person deleted their data" in wiped["text"]
    personal = ["Chantha", "Mekong AI", "Data Scientist", "Head of Data", "85512345678"]
    eventually(lambda: not traces(db_path, sok.id, personal), what="nothing personal left")
    for message in fake.sent_messages(GROUP):
        assert not any(p in message["text"] for p in personal), message["text"]
    assert db_rows(db_path, "SELECT user_id, status FROM registrations") == [(None, "erased")]


# ----------------------------------------------------------------------------- Khmer


def test_the_whole_form_in_khmer_survives_a_restart_in_the_middle(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    bot = start_bot()
    dara = fake.user(31337032, first_name="Dara", language_code="km")

    # From the main menu.
    greeting = say(fake, dara, "/start", "សូមស្វាគមន៍")
    assert "m:register" in button_data(greeting)
    notice = tap(fake, dara, greeting, "m:register")
    assert "ខ្ញុំមិនរក្សាទុកអ្វីទាំងអស់" in notice["text"]
    kind_q = tap(fake, dara, notice, "reg:agree")
    assert "តើលោកអ្នកចូលរួមក្នុងនាមជាអ្វី?" in kind_q["text"]
    name_q = tap(fake, dara, kind_q, "reg:kind:expert")
    assert "សំណួរទី ២ នៃ ៨" in name_q["text"]
    org_q = say(fake, dara, "សុខ ចាន់ថា", "សំណួរទី ៣ នៃ ៨")
    assert "reg:skip:organisation" in button_data(org_q)
    assert km("reg-error-too-long", length=500, limit=150) in say(fake, dara, "ក" * 500)["text"]
    position_q = tap(fake, dara, org_q, "reg:skip:organisation")
    assert "សំណួរទី ៤ នៃ ៨" in position_q["text"]
    interests_q = say(fake, dara, "អ្នកស្រាវជ្រាវឯករាជ្យ", "សំណួរទី ៥ នៃ ៨")
    interests_q = tap(fake, dara, interests_q, "reg:int:agriculture:1")
    modes_q = tap(fake, dara, interests_q, "reg:done:interests")
    modes_q = tap(fake, dara, modes_q, "reg:mode:written_input:1")
    email_q = tap(fake, dara, modes_q, "reg:done:modes")
    assert "សំណួរទី ៧ នៃ ៨" in email_q["text"]
    assert "មិនមែនជាអាសយដ្ឋានអ៊ីមែលទេ" in say(fake, dara, "ចាន់ថា@gmail")["text"]
    eventually(lambda: conversation_state(db_path, dara.id) == "email", what="state stored")

    # The bot restarts; the person carries on at the same question.
    bot.stop()
    start_bot()
    again = say(fake, dara, "/register", km("reg-continue"))
    assert "សំណួរទី ៧ នៃ ៨" in again["text"]
    phone_q = say(fake, dara, "chantha@example.com.kh", "សំណួរទី ៨ នៃ ៨")
    assert "ចែករំលែកលេខទូរស័ព្ទរបស់ខ្ញុំ" in phone_q["text"]
    keyboard = fake.reply_keyboard(dara.id)
    assert keyboard is not None
    assert keyboard["keyboard"][1][0]["text"] == km("reg-no-phone")
    # A phone number typed in Khmer digits is understood; then take it back with the keyboard.
    summary = say(fake, dara, "០១២ ៣៤៥ ៦៧៨", "សូមពិនិត្យព័ត៌មានរបស់លោកអ្នក")
    assert "+85512345678" in summary["text"] and "សុខ ចាន់ថា" in summary["text"]
    assert km("reg-kind-expert") in summary["text"] and "កសិកម្ម" in summary["text"]
    phone_again = tap_for_new(fake, dara, summary, "reg:change:phone", "សំណួរទី ៨ នៃ ៨")
    assert "+85512345678" in phone_again["text"]
    summary = say(fake, dara, km("reg-no-phone"), "សូមពិនិត្យព័ត៌មានរបស់លោកអ្នក")
    assert "+85512345678" not in summary["text"]
    mark = fake.mark()
    done = tap(fake, dara, summary, "reg:confirm")
    assert "អ្នកបានចុះឈ្មោះរួចរាល់ហើយ" in done["text"] and "R-000001" in done["text"]
    card = fake.wait_for_message(GROUP, "New registration R-000001", after=mark)
    assert "សុខ ចាន់ថា" in card["text"] and "Individual expert" in card["text"]
    assert "Language: ខ្មែរ" in card["text"]

    # The moderator verifies; the person is told in Khmer.
    mark = fake.mark()
    fake.group(GROUP).press(MODERATOR, card, "reg:verify:1:1")
    told = fake.wait_for_message(dara.id, "ក្រុមការងារបានផ្ទៀងផ្ទាត់", after=mark)
    assert "R-000001" in told["text"]

    # /mydata in Khmer, from the privacy screen's button; the file keeps Khmer as UTF-8.
    privacy = say(fake, dara, "/privacy")
    assert {"my:show", "my:delete", "m:home"} <= set(button_data(privacy))
    mark = fake.mark()
    dara.press(privacy, "my:show")
    readable = fake.wait_for_message(dara.id, "អ្វីដែលខ្ញុំរក្សាទុកអំពីលោកអ្នក", after=mark)
    assert "សុខ ចាន់ថា" in readable["text"] and "R-000001" in readable["text"]
    fake.wait_for_message(dara.id, "JSON", after=mark)
    raw = fake.calls("sendDocument")[-1].params["document"].data
    assert "សុខ ចាន់ថា".encode() in raw
    assert json.loads(raw)["registration"]["organisation"] is None


# ----------------------------------------------------------------------------- cancel, old buttons


def test_cancel_keeps_nothing_and_old_buttons_are_refused(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    vanna = fake.user(31337033, first_name="Vanna", language_code="en")
    assert "nothing to cancel" in say(fake, vanna, "/cancel")["text"]

    notice = say(fake, vanna, "/register")
    kind_q = tap(fake, vanna, notice, "reg:agree")
    name_q = tap(fake, vanna, kind_q, "reg:kind:partner")
    say(fake, vanna, "Vanna Chey", "Question 3 of 8")
    assert db_count(db_path, "registration_drafts") == 1
    cancelled = say(fake, vanna, "/cancel", "Cancelled")
    assert "Nothing of this form was kept" in cancelled["text"]
    assert db_count(db_path, "registration_drafts") == 0
    assert db_count(db_path, "registrations") == 0
    assert db_rows(db_path, "SELECT withdrawn_at IS NOT NULL FROM consents") == [(1,)]
    eventually(lambda: conversation_state(db_path, vanna.id) is None, what="form closed")
    # A button of the closed form.
    assert "This form is closed" in alert(
        fake, vanna.press_raw(name_q["message_id"], "reg:back:name")
    )

    # Cancel at the phone question also takes its keyboard away.
    notice = say(fake, vanna, "/register")
    kind_q = tap(fake, vanna, notice, "reg:agree")
    tap(fake, vanna, kind_q, "reg:kind:government")
    say(fake, vanna, "Vanna Chey", "Question 3 of 8")
    say(fake, vanna, "Ministry of Examples", "Question 4 of 8")
    interests_q = say(fake, vanna, "Adviser", "Question 5 of 8")
    interests_q = tap(fake, vanna, interests_q, "reg:int:ethics:1")
    modes_q = tap(fake, vanna, interests_q, "reg:done:interests")
    modes_q = tap(fake, vanna, modes_q, "reg:mode:june_workshop:1")
    email_q = tap(fake, vanna, modes_q, "reg:done:modes")
    say(fake, vanna, "vanna@example.gov.kh", "Question 8 of 8")
    # Back from the phone question, with the keyboard's Back word.
    back_to_email = say(fake, vanna, "⬅️ Back", "Question 7 of 8")
    assert fake.reply_keyboard(vanna.id) is not None
    say(fake, vanna, "vanna@example.gov.kh", "Question 8 of 8")
    mark = fake.mark()
    vanna.press(email_q, "reg:cancel")
    fake.wait_for_message(vanna.id, "Cancelled", after=mark)
    assert fake.reply_keyboard(vanna.id) == {"remove_keyboard": True}
    assert db_count(db_path, "registrations") == 0
    assert db_count(db_path, "registration_drafts") == 0
    del back_to_email

    # One form at a time: registering is refused while a contribution is being written, and
    # the other way round.
    say(fake, vanna, "/contribute")
    eventually(
        lambda: bool(db_rows(db_path, "SELECT 1 FROM conversations WHERE name != 'registration'")),
        what="the contribution form open",
    )
    assert "another form" in say(fake, vanna, "/register")["text"]
    say(fake, vanna, "/cancel")
    notice = say(fake, vanna, "/register", "Nothing is stored")
    assert "middle of registering" in say(fake, vanna, "/contribute")["text"]
    tap(fake, vanna, notice, "reg:cancel")

    # /profile without a registration offers to register.
    profile = say(fake, vanna, "/profile", "not registered")
    assert "m:register" in button_data(profile)


def test_withdrawing_from_profile_deletes_the_details(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    moderators(fake)
    start_bot()
    lina = fake.user(31337034, first_name="Lina", language_code="en")
    register_quickly(fake, lina, "Lina Phan")
    card = fake.wait_for_message(GROUP, "New registration R-000001")
    # Registering again while registered opens the summary; confirming it unchanged changes
    # nothing and posts no second card.
    notice = say(fake, lina, "/register")
    summary = tap(fake, lina, notice, "reg:agree")
    assert "Your registration R-000001" in summary["text"] and "Lina Phan" in summary["text"]
    assert "Nothing changed" in tap(fake, lina, summary, "reg:confirm")["text"]
    assert db_count(db_path, "consents") == 1
    cards = "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'reg-card:%'"
    assert db_rows(db_path, cards) == [(1,)]
    profile = say(fake, lina, "/profile", "Your registration R-000001")
    ask = tap(fake, lina, profile, "prof:withdraw")
    assert "Withdraw registration R-000001?" in ask["text"]
    mark = fake.mark()
    done = tap(fake, lina, ask, "prof:withdraw:yes")
    assert "is withdrawn" in done["text"]
    again = lina.press_raw(ask["message_id"], "prof:withdraw:yes")
    assert "no registration to withdraw" in alert(fake, again)
    retired = fake.wait_for_edit(GROUP, card["message_id"], after=mark)
    assert "was withdrawn" in retired["text"] and "Lina" not in retired["text"]
    assert db_rows(db_path, "SELECT status, full_name, email FROM registrations") == [
        ("withdrawn", None, None)
    ]
    # Verify on the old card: the registration is no longer active.
    assert "withdrawn or deleted" in alert(fake, press_raw_in_group(fake, MODERATOR, card))
    # Registering again keeps the reference.
    register_quickly(fake, lina, "Lina Phan")
    assert db_rows(db_path, "SELECT id, status, revision FROM registrations") == [
        (1, "confirmed", 2)
    ]


def register_quickly(fake: FakeTelegram, user: FakeUser, name: str) -> JSON:
    notice = say(fake, user, "/register")
    kind_q = tap(fake, user, notice, "reg:agree")
    tap(fake, user, kind_q, "reg:kind:academic")
    say(fake, user, name, "Question 3 of 8")
    say(fake, user, "Royal University", "Question 4 of 8")
    interests_q = say(fake, user, "Lecturer", "Question 5 of 8")
    interests_q = tap(fake, user, interests_q, "reg:int:skills:1")
    modes_q = tap(fake, user, interests_q, "reg:done:interests")
    modes_q = tap(fake, user, modes_q, "reg:mode:written_input:1")
    tap(fake, user, modes_q, "reg:done:modes")
    say(fake, user, "lina@example.edu.kh", "Question 8 of 8")
    summary = say(fake, user, "No phone number", "Please check your details")
    return tap(fake, user, summary, "reg:confirm")


# ----------------------------------------------------------------------------- SIGKILL


def test_a_sigkill_in_the_middle_of_the_form_resumes_at_the_same_question(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    env = bot_env(fake, db_path)
    bot = BotProcess(env, tmp_path / "bot.log").start()
    kosal = fake.user(31337035, first_name="Kosal", language_code="en")
    try:
        mark = fake.mark()
        kosal.send("/register")
        notice = fake.wait_for_message(kosal.id, "I agree", after=mark, timeout=30)
        kind_q = tap(fake, kosal, notice, "reg:agree")
        tap(fake, kosal, kind_q, "reg:kind:civil_society")
        say(fake, kosal, "Kosal Meas", "Question 3 of 8")
        eventually(lambda: conversation_state(db_path, kosal.id) == "organisation", what="state")

        # The answer is stored, but the process dies while the next question is on its way.
        fake.fail_next("sendMessage", "stall")
        kosal.send("Open Data Cambodia")
        fake.wait_stalled(timeout=10)
        bot.kill()
    finally:
        if bot.proc is not None and bot.proc.poll() is None:
            bot.kill()
    assert conversation_state(db_path, kosal.id) == "organisation"

    restarted = BotProcess(env, tmp_path / "bot.log").start()
    try:
        position_q = fake.wait_for_message(kosal.id, "Question 4 of 8", timeout=30)
        assert "position" in position_q["text"]
        interests_q = say(fake, kosal, "Coordinator", "Question 5 of 8")
        assert "Question 5 of 8" in interests_q["text"]
    finally:
        assert restarted.terminate() == 0
    questions = [m["text"] for m in fake.sent_messages(kosal.id) if "Question 4 of 8" in m["text"]]
    assert len(questions) == 1
    draft = db_rows(db_path, "SELECT answers FROM registration_drafts")
    answers = json.loads(draft[0][0])
    assert answers["organisation"] == "Open Data Cambodia"
    assert answers["position"] == "Coordinator"
