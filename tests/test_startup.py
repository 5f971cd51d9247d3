"""Start-up as a newcomer meets it: each problem is one line and an exit code, nothing created."""

from __future__ import annotations

import os
import shlex
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from tests.fake_telegram import FakeTelegram
from tests.harness import ROOT, bot_env

TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWxyz0123456789"


def run_bot(
    *args: str, env: dict[str, str], cwd: Path, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "bot", *args],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The whole of stderr is one line: no log line before it, no traceback after it."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def read_only(folder: Path, *, with_database: bool) -> list[str]:
    """A command prefix under which `folder` is a read-only mount (as a container would have).

    As root, a tmpfs mounted read-only in a private mount namespace (the test machine's own
    mounts are untouched); otherwise the folder's write permission is removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        if with_database:
            sqlite3.connect(folder / "bot.sqlite3").close()
        folder.chmod(0o555)
        return []
    quoted = shlex.quote(str(folder))
    script = f"mount -t tmpfs none {quoted}"
    if with_database:
        script += f" && : > {quoted}/bot.sqlite3 && mount -o remount,ro {quoted}"
    else:
        script += f" && mount -o remount,ro {quoted}"
    return ["unshare", "--mount", "sh", "-c", f'{script} && exec "$@"', "sh"]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_missing_token_is_one_line_exit_2(workdir: Path) -> None:
    result = run_bot(env={}, cwd=workdir)
    assert result.returncode == 2
    assert one_line(result) == "configuration error: BOT_TOKEN is not set"
    assert files_under(workdir) == []


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("ADMIN_IDS", "x", "configuration error: ADMIN_IDS: 'x' is not a Telegram user id"),
        ("BOT_TOKEN", "not-a-token", "configuration error: BOT_TOKEN: does not look like"),
        ("HEALTH_PORT", "http", "configuration error: HEALTH_PORT: Input should be"),
        ("DRAFT_RETENTION_DAYS", "0", "configuration error: DRAFT_RETENTION_DAYS: Input should"),
    ],
)
def test_a_bad_setting_is_one_line_exit_2(workdir: Path, name: str, value: str, line: str) -> None:
    result = run_bot(env={"BOT_TOKEN": TOKEN, name: value}, cwd=workdir)
    assert result.returncode == 2
    assert one_line(result).startswith(line)
    assert files_under(workdir) == []


def test_database_path_that_is_a_folder(workdir: Path) -> None:
    (workdir / "data").mkdir()
    result = run_bot(env={"BOT_TOKEN": TOKEN, "DATABASE_PATH": "data"}, cwd=workdir)
    assert result.returncode == 2
    assert one_line(result) == "configuration error: DATABASE_PATH: data is a folder, not a file"
    assert files_under(workdir) == ["data"]


def test_database_path_under_a_file(workdir: Path) -> None:
    (workdir / "notes").write_text("x")
    env = {"BOT_TOKEN": TOKEN, "DATABASE_PATH": "notes/db/bot.sqlite3"}
    result = run_bot(env=env, cwd=workdir)
    assert result.returncode == 2
    assert one_line(result) == (
        "configuration error: DATABASE_PATH: notes is a file, so notes/db cannot be a folder"
    )


def test_database_on_a_read_only_mount(workdir: Path) -> None:
    mount = workdir / "ro"
    prefix = read_only(mount, with_database=True)
    env = {"BOT_TOKEN": TOKEN, "DATABASE_PATH": f"{mount}/bot.sqlite3"}
    result = run_bot(env=env, cwd=workdir, prefix=prefix)
    assert result.returncode == 2
    assert one_line(result) == (
        f"configuration error: DATABASE_PATH: {mount}/bot.sqlite3 cannot be written"
        " (read-only file or mount)"
    )


def test_missing_folder_on_a_read_only_mount(workdir: Path) -> None:
    mount = workdir / "ro"
    prefix = read_only(mount, with_database=False)
    env = {"BOT_TOKEN": TOKEN, "DATABASE_PATH": f"{mount}/data/bot.sqlite3"}
    result = run_bot(env=env, cwd=workdir, prefix=prefix)
    assert result.returncode == 2
    assert one_line(result) == (
        f"configuration error: DATABASE_PATH: the folder {mount}/data does not exist and cannot"
        f" be created in {mount} (read-only mount?)"
    )
    # migrate says the same; so does a missing file in a read-only folder
    result = run_bot("migrate", env=env, cwd=workdir, prefix=prefix)
    assert result.returncode == 2
    assert "cannot be created in" in one_line(result)
    env["DATABASE_PATH"] = f"{mount}/bot.sqlite3"
    result = run_bot(env=env, cwd=workdir, prefix=prefix)
    assert result.returncode == 2
    assert one_line(result) == (
        f"configuration error: DATABASE_PATH: bot.sqlite3 cannot be created in {mount}"
        " (read-only mount?)"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_bot_api_is_one_line_exit_3_and_creates_nothing(workdir: Path) -> None:
    env = {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot"}
    result = run_bot(env=env, cwd=workdir)
    assert result.returncode == 3
    assert one_line(result).startswith("cannot reach the Bot API at TELEGRAM_API_BASE_URL (")
    assert files_under(workdir) == []  # no data/bot.sqlite3


def test_rejected_token_is_one_line_exit_2_and_creates_nothing(
    fake: FakeTelegram, workdir: Path
) -> None:
    env = bot_env(fake, workdir / "data" / "bot.sqlite3", BOT_TOKEN="999999:WRONG-abcdefghijk")
    result = run_bot(env=env, cwd=workdir)
    assert result.returncode == 2
    assert one_line(result) == "configuration error: BOT_TOKEN was rejected by Telegram"
    assert files_under(workdir) == []


def test_health_port_in_use_is_one_line_exit_2(fake: FakeTelegram, workdir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(fake, workdir / "bot.sqlite3", HEALTH_PORT=str(port))
        result = run_bot(env=env, cwd=workdir)
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(f"configuration error: HEALTH_PORT: cannot listen on 127.0.0.1:{port}")
    assert files_under(workdir) == []


def test_migrate_and_faq_report_need_no_token(workdir: Path) -> None:
    env = {"DATABASE_PATH": "state/bot.sqlite3"}
    result = run_bot("migrate", env=env, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("applied migrations: [1,")
    assert (workdir / "state" / "bot.sqlite3").is_file()
    result = run_bot("faq", "report", env=env, cwd=workdir)
    assert result.returncode == 0, result.stderr


def test_help_lists_every_command(workdir: Path) -> None:
    result = run_bot("--help", env={}, cwd=workdir)
    assert result.returncode == 0
    for command in (
        "run [--webhook]",
        "migrate",
        "check-config",
        "backup PATH",
        "healthcheck",
        "faq check",
        "faq search",
        "faq report",
    ):
        assert f"\n  {command}" in result.stdout, command
    for name in Settings.model_fields:
        assert name.upper() in result.stdout


def test_check_config_all_good(workdir: Path) -> None:
    (workdir / ".env").write_text(f"BOT_TOKEN={TOKEN}\nADMIN_IDS=5\n")
    result = run_bot("check-config", env={"WEBHOOK_SECRET": "hush-hush-1234"}, cwd=workdir)
    # a secret without its URL is a problem worth naming
    assert result.returncode == 2
    assert "webhook mode needs both WEBHOOK_URL and WEBHOOK_SECRET" in result.stdout
    env = {"WEBHOOK_SECRET": "hush-hush-1234", "WEBHOOK_URL": "https://bot.example.org/hook"}
    result = run_bot("check-config", env=env, cwd=workdir)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    for name in Settings.model_fields:
        assert any(line.startswith(name.upper() + " ") for line in lines), name
    assert TOKEN not in result.stdout and TOKEN.split(":")[1] not in result.stdout
    assert "hush-hush" not in result.stdout
    assert any(line.startswith("ADMIN_IDS ") and "5  (.env)" in line for line in lines)
    assert any(line.startswith("DRAFT_RETENTION_DAYS ") and "(default)" in line for line in lines)
    assert lines[-1].startswith("settings: OK")
    assert files_under(workdir) == [".env"]


def test_check_config_names_every_problem(workdir: Path) -> None:
    (workdir / "data").mkdir()
    env = {
        "ADMIN_IDS": "x",
        "DEFAULT_LANGUAGE": "fr",
        "DATABASE_PATH": "data",
        "METRICS_TOKEN": "metrics-secret-99",
    }
    result = run_bot("check-config", env=env, cwd=workdir)
    assert result.returncode == 2
    out = result.stdout
    assert "settings: 4 problem(s)" in out
    for problem in (
        "  BOT_TOKEN is not set",
        "  ADMIN_IDS: 'x' is not a Telegram user id",
        "  DEFAULT_LANGUAGE: Input should be 'en' or 'km'",
        "  DATABASE_PATH: data is a folder, not a file",
    ):
        assert problem in out
    assert "metrics-secret-99" not in out
