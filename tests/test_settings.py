"""Settings: names operators rely on, and one clear line for a bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings

TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWxyz0123456789"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(
            ("BOT_", "TELEGRAM_", "MODERAT", "ADMIN_", "DATABASE_", "DEFAULT_", "WEBHOOK_")
        ) or name.startswith(("CONSULTATION_", "WORKSHOP_", "ARTICLE_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_reads_every_documented_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("TELEGRAM_FILE_BASE_URL", "http://127.0.0.1:8081/file/bot")
    monkeypatch.setenv("MODERATION_CHAT_ID", "-1001234567890")
    monkeypatch.setenv("MODERATOR_IDS", "11, 12")
    monkeypatch.setenv("ADMIN_IDS", "13")
    monkeypatch.setenv("DATABASE_PATH", "/srv/bot/db.sqlite3")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "km")
    s = load_settings()
    assert s.bot_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(s)
    assert s.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert s.telegram_file_base_url == "http://127.0.0.1:8081/file/bot"
    assert s.moderation_chat_id == -1001234567890
    assert s.moderator_ids == {11, 12}
    assert s.admin_ids == {13}
    assert s.staff_ids == {11, 12, 13}
    assert str(s.database_path) == "/srv/bot/db.sqlite3"
    assert s.default_language == "km"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    s = load_settings()
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert s.database_path.parts[0] == "data"
    assert s.default_language == "km"
    assert s.moderator_ids == frozenset()


def test_event_dates_are_a_day_or_a_first_and_last_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    assert load_settings().consultation_dates is None and load_settings().workshop_date is None
    monkeypatch.setenv("CONSULTATION_DATES", "2027-05-12/2027-05-20")
    monkeypatch.setenv("WORKSHOP_DATE", " 2027-06-03 ")
    monkeypatch.setenv("ARTICLE_URL", "https://example.org/article")
    s = load_settings()
    assert s.consultation_dates == (date(2027, 5, 12), date(2027, 5, 20))
    assert s.workshop_date == (date(2027, 6, 3), date(2027, 6, 3))
    assert s.article_url == "https://example.org/article"
    monkeypatch.setenv("WORKSHOP_DATE", "")
    assert load_settings().workshop_date is None


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nADMIN_IDS=5\n", encoding="utf-8")
    assert load_settings().admin_ids == {5}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN"),
        ("MODERATOR_IDS", "12,abc", "MODERATOR_IDS"),
        ("ADMIN_IDS", "1;2", "ADMIN_IDS"),
        ("MODERATION_CHAT_ID", "moderators", "MODERATION_CHAT_ID"),
        ("DEFAULT_LANGUAGE", "fr", "DEFAULT_LANGUAGE"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org", "TELEGRAM_API_BASE_URL"),
        ("ARTICLE_URL", "example.org/article", "ARTICLE_URL"),
        ("CONSULTATION_DATES", "May", "CONSULTATION_DATES"),
        ("CONSULTATION_DATES", "2027-05-20/2027-05-12", "CONSULTATION_DATES"),
        ("WORKSHOP_DATE", "2027-06-03/2027-06-04/2027-06-05", "WORKSHOP_DATE"),
        ("WORKSHOP_DATE", "2027-02-30", "WORKSHOP_DATE"),
    ],
)
def test_malformed_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert str(err.value).startswith(expected)
    assert "\n" not in str(err.value)


def test_missing_token_is_named() -> None:
    with pytest.raises(SettingsError, match=r"^BOT_TOKEN is not set$"):
        load_settings()


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    result = run_bot(env={"BOT_TOKEN": TOKEN, "ADMIN_IDS": "x", "PYTHONPATH": str(root)})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: ADMIN_IDS: 'x' is not a Telegram user id"
    ]
    assert "Traceback" not in result.stderr


def test_webhook_mode_without_its_settings_exits_2(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    result = run_bot("run", "--webhook", env={"BOT_TOKEN": TOKEN, "PYTHONPATH": str(root)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "configuration error: webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET"
    )
    assert not (tmp_path / "data").exists()  # nothing was created before refusing


def test_help_lists_commands_and_settings() -> None:
    root = Path(__file__).resolve().parent.parent
    result = run_bot("--help", env={"PYTHONPATH": str(root)})
    assert result.returncode == 0
    for word in (
        "run",
        "migrate",
        "BOT_TOKEN",
        "MODERATION_CHAT_ID",
        "DATABASE_PATH",
        "DEFAULT_LANGUAGE",
    ):
        assert word in result.stdout
