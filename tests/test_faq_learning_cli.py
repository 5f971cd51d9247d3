"""`faq phrasings export` and `faq report` on a database where moderators linked questions."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from bot.faq.phrasings import load_phrasings, parse
from storage import faq as faq_store
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "", **env},
    )


async def _fill(path: Path) -> None:
    async with Database(path) as db:
        await db.migrate()
        await faq_store.record_unanswered(db, "can ai predict the rice harvest", "en")
        await faq_store.record_unanswered(db, "is there a visa for ai experts", "en")
        async with db.transaction() as conn:
            for entry, text, language in [
                ("privacy", "Does the bot sell my phone number?", "en"),
                ("privacy", "បូតលក់លេខខ្ញុំទេ", "km"),
                ("nais_why", "ai chuoy kasekor ban te", "km"),
                ("nais_why", "Can AI predict the rice harvest?", "en"),
            ]:
                await faq_store.learn_in(conn, entry, text, text.lower().strip("?"), language)


def test_export_writes_the_data_files_with_the_learned_phrasings(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"
    asyncio.run(_fill(db_path))
    out = tmp_path / "export"
    result = run_cli("faq", "phrasings", "export", "--db", str(db_path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "4 learned phrasing(s) added" in result.stdout
    current = load_phrasings()
    files = {name: parse((out / f"{name}.toml").read_text("utf-8"), name) for name in current}
    assert files["en"]["privacy"] == [
        *current["en"]["privacy"],
        "Does the bot sell my phone number?",
    ]
    assert files["km"]["privacy"] == [*current["km"]["privacy"], "បូតលក់លេខខ្ញុំទេ"]
    assert files["rom"]["nais_why"] == [*current["rom"]["nais_why"], "ai chuoy kasekor ban te"]
    assert files["en"]["obr_how"] == current["en"]["obr_how"]


def test_report_shows_entries_that_gained_phrasings_and_what_is_still_unanswered(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "bot.sqlite3"
    asyncio.run(_fill(db_path))
    result = run_cli("faq", "report", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    gained, unanswered = result.stdout.split("Questions still unanswered")
    assert "nais_why" in gained and "privacy" in gained and "obr_how" not in gained
    # Linking a question answers it: it leaves the list of questions the FAQ missed.
    assert "is there a visa for ai experts" in unanswered
    assert "rice harvest" not in unanswered


def test_export_and_report_need_a_database(tmp_path: Path) -> None:
    result = run_cli("faq", "phrasings", "export", "--db", str(tmp_path / "none.sqlite3"))
    assert result.returncode == 2 and "no database" in result.stderr


def test_report_reads_the_database_the_bot_is_configured_with(tmp_path: Path) -> None:
    """No --db: DATABASE_PATH, read through the bot's own settings."""
    db_path = tmp_path / "bot.sqlite3"
    asyncio.run(_fill(db_path))
    result = run_cli("faq", "report", DATABASE_PATH=str(db_path))
    assert result.returncode == 0, result.stderr
    assert "is there a visa for ai experts" in result.stdout
    refused = run_cli("faq", "report", DATABASE_PATH=str(db_path), LOG_LEVEL="LOUD")
    assert refused.returncode == 2 and "configuration error: LOG_LEVEL" in refused.stderr
