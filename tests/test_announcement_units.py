"""Callback data of subscriptions and announcements, times typed by admins, audiences."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.announcements import views
from bot.announcements.service import CAMBODIA, Problem, parse_time
from bot.callbacks import AnnounceButton, SubscriptionButton
from storage.announcements import Audience
from storage.registrations import KINDS


def test_announce_buttons_round_trip_and_stay_small() -> None:
    every_kind = views._short("kinds:" + ",".join(KINDS))
    for button in (
        AnnounceButton("pause", 123456789012),
        AnnounceButton("aud", 7, "topic:eservices"),
        AnnounceButton("kind", 999999999999, every_kind),
    ):
        data = button.pack()
        assert data.isascii() and len(data.encode()) <= 64
        assert AnnounceButton.parse(data) == button
    assert views.expand(every_kind) == "kinds:" + ",".join(KINDS)


@pytest.mark.parametrize(
    "data",
    ["", "an", "an:pause", "an:explode:1", "an:pause:x", "an:pause:-1", "sub:on:events",
     "an:aud:1:ថ្មី", "an:pause:1234567890123"],
)  # fmt: skip
def test_forged_announce_buttons_are_refused(data: str) -> None:
    assert AnnounceButton.parse(data) is None


def test_subscription_buttons() -> None:
    for button in (
        SubscriptionButton("on", "events"),
        SubscriptionButton("stop", "all"),
        SubscriptionButton("show"),
    ):
        assert SubscriptionButton.parse(button.pack()) == button
    for forged in (
        "sub:on:all",
        "sub:on:weather",
        "sub:show:events",
        "sub:drop:events",
        "x:on:events",
    ):
        assert SubscriptionButton.parse(forged) is None


def test_audiences_parse_only_what_exists() -> None:
    assert Audience.parse("topic:events") == Audience("topic", ("events",))
    assert Audience.parse("kinds:company,expert") == Audience("kinds", ("expert", "company"))
    assert Audience.parse("mode:june_workshop") is not None
    for bad in ("topic:weather", "kinds:", "kinds:king", "mode:party", "all:x", "everyone"):
        assert Audience.parse(bad) is None


def test_times_are_read_in_cambodia() -> None:
    now = datetime(2026, 5, 1, 9, 0, tzinfo=CAMBODIA).timestamp()
    assert (
        parse_time("2026-05-02 08:30", now)
        == datetime(2026, 5, 2, 8, 30, tzinfo=CAMBODIA).timestamp()
    )
    assert parse_time("  2026-05-01   09:00:30 ", now) == now + 30
    # A bare time is the next one: 08:00 has passed today, so tomorrow.
    assert parse_time("08:00", now) == now + 23 * 3600
    assert parse_time("2026-04-30 08:00", now) is Problem.PAST_TIME
    assert parse_time("tomorrow", now) is Problem.BAD_TIME
    assert parse_time("25:00", now) is Problem.BAD_TIME
