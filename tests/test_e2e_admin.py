"""The admins' tools end to end: refusals for everyone else, /stats with its chart, /export
CSV files that open with correct Khmer and no formulas, and the same exports from the CLI."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.i18n import Translator
from tests.announce_helpers import ADMIN, add_participant, migrate
from tests.fake_telegram import FakeTelegram
from tests.harness import ROOT, BotThread, eventually

PNG = b"\x89PNG\r\n\x1a\n"


def audit_actions(db_path: Path) -> list[tuple[int | None, str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT actor_id, action, subject FROM audit_log ORDER BY id"
        ).fetchall()


def test_only_an_admin_may_announce_see_stats_or_export(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    start_bot()
    person = fake.user(4001, language_code="km")
    moderator = fake.user(9001, language_code="en")
    for user, refusal in (
        (person, "មានតែអ្នកគ្រប់គ្រងរបស់ក្រុមការងារ"),
        (moderator, "Only the team's admins can do this."),
    ):
        for command in ("/announce", "/stats", "/export"):
            mark = fake.mark()
            user.send(command)
            fake.wait_for_message(user.id, refusal, after=mark)
    # A forged button is refused too.
    mark = fake.mark()
    query = person.press_raw(1, "an:cancel:1")
    assert "មានតែអ្នកគ្រប់គ្រង" in fake.callback_answer(query)["text"]
    assert not fake.calls("sendDocument") and not fake.calls("sendPhoto")
    refused = [(a, s) for actor, a, s in audit_actions(db_path) if actor in (4001, 9001)]
    assert sorted(refused) == sorted(
        [("refused:announce", "announcement"), ("refused:stats", "stats")] * 2
        + [("refused:export", "export")] * 2
        + [("refused:announce.control", "announcement:1")]
    )
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM announcements").fetchone() == (0,)


def _seed_khmer_and_formulas(fake: FakeTelegram, db_path: Path) -> None:
    add_participant(fake, db_path, 5001, "expert", ["june_workshop"], '=HYPERLINK("x")')
    add_participant(fake, db_path, 5002, "academic", ["may_consultations"], "សុខ ដារា")
    now = time.time()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO submissions (ref, kind, source_key, user_id, language, topic, text,"
            " status, created_at, updated_at, decided_at)"
            " VALUES ('C-000001', 'contribution', 'k1', 5002, 'km', 'strategy',"
            " '@SUM(1+1) យុទ្ធសាស្ត្រ', 'approved', ?, ?, ?)",
            (now - 7200, now, now - 3600),
        )
        conn.execute(
            "INSERT INTO subscriptions (user_id, topic, subscribed, language, changed_at)"
            " VALUES (5002, 'events', 1, 'km', ?)",
            (now,),
        )


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_stats_and_export_for_an_admin(
    fake: FakeTelegram, start_bot: Callable[..., BotThread], db_path: Path
) -> None:
    _seed_khmer_and_formulas(fake, db_path)
    admin = fake.user(ADMIN, language_code="km")
    start_bot()
    # Admins see their own commands in their chat's menu, in both languages.
    own = {"type": "chat", "chat_id": ADMIN}
    eventually(lambda: bool(fake.commands_for(own, "km")), what="the admin's commands")
    listed = [c["command"] for c in fake.commands_for(own)]
    assert listed[-3:] == ["announce", "stats", "export"] and "start" in listed
    assert all("announce" not in c["command"] for c in fake.commands_for())

    mark = fake.mark()
    admin.send("/stats")
    figures = fake.wait_for_message(admin.id, "ស្ថិតិ", after=mark)
    expert = Translator().get("km", "reg-kind-expert")
    assert "ការចុះឈ្មោះ" in figures["text"] and f"{expert} ១" in figures["text"]
    assert "១ ម៉ោង" in figures["text"]  # the median decision took an hour
    chart = fake.wait_for_message(admin.id, "ការចុះឈ្មោះថ្មី", after=mark, timeout=30)
    assert "photo" in chart
    assert fake.calls("sendPhoto")[-1].params["photo"].data.startswith(PNG)

    mark = fake.mark()
    admin.send("/export")
    fake.wait_for_message(admin.id, "subscriptions", after=mark, timeout=20)
    files = {
        r.params["document"].filename: r.params["document"].data for r in fake.calls("sendDocument")
    }
    registrations = read_csv(files["registrations.csv"])
    assert registrations[0][:3] == ["reference", "kind", "full_name"]
    names = {row[2] for row in registrations[1:]}
    assert names == {'\'=HYPERLINK("x")', "សុខ ដារា"}
    submissions = read_csv(files["submissions.csv"])
    assert submissions[1][5] == "'@SUM(1+1) យុទ្ធសាស្ត្រ"
    subscriptions = read_csv(files["subscriptions.csv"])
    assert subscriptions[1][:3] == ["5002", "events", "1"]
    exports = [(a, s) for actor, a, s in audit_actions(db_path) if actor == ADMIN]
    assert exports == [
        ("export", "export:registrations"),
        ("export", "export:submissions"),
        ("export", "export:subscriptions"),
    ]


def test_export_from_the_command_line_needs_no_token(
    fake: FakeTelegram, db_path: Path, tmp_path: Path
) -> None:
    _seed_khmer_and_formulas(fake, db_path)
    out = tmp_path / "registrations.csv"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export", "registrations", str(out)],
        env={"PYTHONPATH": str(ROOT), "DATABASE_PATH": str(db_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    rows = read_csv(out.read_bytes())
    assert {row[2] for row in rows[1:]} == {'\'=HYPERLINK("x")', "សុខ ដារា"}
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "export", "everything", str(out)],
        env={"PYTHONPATH": str(ROOT), "DATABASE_PATH": str(db_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "registrations" in bad.stderr


def test_an_export_of_100000_rows_streams(tmp_path: Path) -> None:
    import asyncio
    import tracemalloc

    from bot.admin import csv_export
    from storage.db import Database

    db_path = tmp_path / "big.sqlite3"
    migrate(db_path)
    now = time.time()
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO subscriptions (user_id, topic, subscribed, language, changed_at)"
            " VALUES (?, 'events', 1, 'km', ?)",
            ((i, now) for i in range(1, 100_001)),
        )

    async def export() -> tuple[int, int]:
        async with Database(db_path) as db:
            tracemalloc.start()
            count = await csv_export.write(db, "subscriptions", tmp_path / "out.csv")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return count, peak

    count, peak = asyncio.run(export())
    assert count == 100_000
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 100_001 and lines[-1].startswith("100000,events,1,km,")
    # 100,000 rows held at once would take tens of megabytes.
    assert peak < 5_000_000, f"peak {peak} bytes"
