"""Many people at once: every update handled exactly once, every answer once and in order."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.fake_telegram import FakeTelegram, FakeUser
from tests.harness import BotThread, eventually

PEOPLE = 30
CYCLES = 8  # five updates each: 40 per person

# Each update of a cycle, and the first line of text its answer must contain.
TOPIC_PROMPT = "Send a contribution"
TOPIC_EXPECTED = "Please choose a topic with the buttons first."
CANCELLED = "Cancelled. Nothing was sent."
QUESTION = "who leads the AI strategy"


def send_cycle(user: FakeUser, menu_id: int, cycle: int) -> list[str]:
    """A form begun, a wrong step, the form cancelled, a question, a menu button pressed."""
    user.send("/contribute")
    user.send("a thought before choosing")
    user.send("/cancel")
    user.send(QUESTION)
    return [user.press_raw(menu_id, "m:faq" if cycle % 2 == 0 else "m:home")]


def outgoing(fake: FakeTelegram, chat_id: int) -> list[tuple[str, str]]:
    """What the bot sent to a chat, in the order Telegram received it: (method, text)."""
    return [
        (r.method, str(r.params.get("text", "")))
        for r in fake.requests
        if r.method in ("sendMessage", "editMessageText")
        and str(r.params.get("chat_id")) == str(chat_id)
        and r.status == 200
    ]


def test_thirty_people_forty_messages_each_at_once(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot(FLOOD_LIMIT="1000")
    people = [fake.user(6000 + i, language_code="en") for i in range(PEOPLE)]
    menus: dict[int, int] = {}
    for person in people:
        person.send("/start")
    for person in people:
        menus[person.id] = int(
            fake.wait_for_message(person.id, text_contains="Welcome")["message_id"]
        )

    queries: list[str] = []
    for cycle in range(CYCLES):
        for person in people:
            queries += send_cycle(person, menus[person.id], cycle)
    total = PEOPLE * (1 + CYCLES * 5)

    def handled() -> int:
        with sqlite3.connect(db_path) as conn:
            row = conn.execute("SELECT COUNT(*) FROM inbox WHERE status != 'pending'").fetchone()
        return int(row[0])

    # Halfway through, Telegram delivers again some updates it already delivered: some
    # handled by now, some still waiting.
    eventually(lambda: handled() >= total // 2, timeout=120, what="half the updates handled")
    with sqlite3.connect(db_path) as conn:
        received = int(conn.execute("SELECT MAX(update_id) FROM inbox").fetchone()[0])
    for update_id in range(PEOPLE + 1, received + 1, 7):
        fake.inject_duplicate(update_id)

    def all_done() -> bool:
        return handled() >= total

    eventually(all_done, timeout=180, what="every update handled")
    eventually(
        lambda: (
            sum(1 for r in fake.calls("answerCallbackQuery") if r.status == 200) >= len(queries)
        ),
        timeout=30,
        what="every button press answered",
    )

    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT status, attempts, COUNT(*) FROM inbox GROUP BY 1, 2").fetchall()
    assert rows == [("done", 1, total)]

    answered = Counter(
        str(r.params.get("callback_query_id")) for r in fake.calls("answerCallbackQuery")
    )
    assert sorted(answered) == sorted(queries)
    assert set(answered.values()) == {1}

    for person in people:
        sent = outgoing(fake, person.id)
        assert sent[0][0] == "sendMessage" and "Welcome" in sent[0][1]
        cycles = [sent[1 + 5 * i : 6 + 5 * i] for i in range(CYCLES)]
        assert len(sent) == 1 + 5 * CYCLES, "\n".join(f"{m} {t[:50]!r}" for m, t in sent)
        for cycle in cycles:
            methods = [method for method, _ in cycle]
            assert methods == ["sendMessage"] * 4 + ["editMessageText"]
            assert TOPIC_PROMPT in cycle[0][1]
            assert cycle[1][1] == TOPIC_EXPECTED
            assert cycle[2][1] == CANCELLED
            assert "Ministry of Post and Telecommunications" in cycle[3][1]
