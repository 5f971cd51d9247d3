"""An announcement to many subscribers through the real bot and the fake Bot API.

Reports the achieved rate against the configured one, the largest number of sends in any one
second, how long a person who writes during the broadcast waits for the first reply, and the
bot process's peak memory. The bot runs as its own process (so its memory is its own).

Run: python bench/announce.py [--subscribers 10000] [--rate 100] [--askers 5]

--rate above Telegram's 30 a second (ANNOUNCE_RATE's limit) is for measuring the feeder
quickly: the bench lifts the setting's bound and python-telegram-bot's overall limit in its
child process only. --rate 25 is the default setting (10,000 then take about 7 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.announce_helpers import ADMIN, add_subscribers, announce  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402
from tests.harness import bot_env, button_data  # noqa: E402

FIRST_SUBSCRIBER = 1_000_000
ASKER = 900_000


def child(rate: int) -> None:
    """The bot, with the announcement rate (and Telegram's overall limit) set to `rate`."""
    import asyncio

    from bot import app, runner
    from bot.config import load_settings
    from bot.logs import setup_logging
    from bot.sends import CountingRateLimiter

    settings = load_settings().model_copy(update={"announce_rate": rate})
    overall = max(30, rate)

    def limiter(group_per_minute: int) -> CountingRateLimiter:
        return CountingRateLimiter(
            overall_max_rate=overall,
            group_max_rate=1,
            group_time_period=60 / group_per_minute,
            max_retries=3,
        )

    app.rate_limiter = limiter  # type: ignore[assignment]
    setup_logging("WARNING", settings.bot_token.get_secret_value())
    asyncio.run(runner.run(settings))


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=100, help="announcements a second")
    parser.add_argument("--askers", type=int, default=5, help="people who write meanwhile")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-announce-"))
    db_path = folder / "bot.sqlite3"
    fake = FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz").start()
    ids = list(range(FIRST_SUBSCRIBER, FIRST_SUBSCRIBER + args.subscribers))
    half = len(ids) // 2
    add_subscribers(fake, db_path, ids[:half], "events", "km")
    add_subscribers(fake, db_path, ids[half:], "events", "en")
    env = bot_env(fake, db_path, FLOOD_LIMIT="10000", ANNOUNCE_PROGRESS_SECONDS="3")
    env.update({"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)})
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(args.rate)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    try:
        fake.wait_for_request("deleteWebhook", timeout=60)
        admin = fake.user(ADMIN, language_code="en")
        summary = announce(fake, admin, "សេចក្តីជូនដំណឹង", "Announcement", "topic:events")
        admin.press(summary, button_data(summary)[0])
        started = time.time()

        waits = []
        subscribers = set(ids)

        def sent_to_subscribers() -> list[float]:
            return sorted(
                r.timestamp
                for r in fake.calls("sendMessage")
                if r.status == 200 and int(r.params["chat_id"]) in subscribers
            )

        expected = len(ids) / args.rate
        for n in range(args.askers):
            # Spread over the broadcast: a person asks while it runs.
            time.sleep(max(0.0, started + (n + 1) * expected / (args.askers + 1) - time.time()))
            asker = fake.user(ASKER + n, language_code="en")
            mark = fake.mark()
            asked = time.time()
            asker.send("/help")
            fake.wait_for_message(asker.id, after=mark, timeout=60)
            waits.append(time.time() - asked)

        # Polled once a second: the fake's own waiting re-reads every message at each send.
        deadline = time.time() + args.subscribers / 5 + 120
        while not any("Announcement #" in m.get("text", "") for m in fake.sent_messages(ADMIN)):
            if time.time() > deadline:
                raise SystemExit("no final report")
            time.sleep(1.0)
        times = sent_to_subscribers()
        peak_overall, per_chat = fake.send_peaks()
        rss = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
        fake.stop()

    duration = times[-1] - times[0] if len(times) > 1 else float("nan")
    achieved = (len(times) - 1) / duration if duration else float("nan")
    figures = {
        "subscribers": args.subscribers,
        "delivered": len(times),
        "configured_rate_per_s": args.rate,
        "achieved_rate_per_s": round(achieved, 2),
        "achieved_over_configured": round(achieved / args.rate, 3),
        "largest_sends_in_any_second": peak_overall,
        "largest_sends_to_one_subscriber_in_a_second": max(per_chat.get(i, 0) for i in ids),
        "first_reply_during_broadcast_s": {
            "median": round(statistics.median(waits), 3) if waits else None,
            "max": round(max(waits), 3) if waits else None,
        },
        "bot_peak_rss_mb": round(rss, 1),
        "confirm_to_last_send_s": round(times[-1] - started, 1) if times else None,
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
