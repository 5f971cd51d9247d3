"""The background rounds the outbox sender, the announcement feeder and housekeeping run."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.rounds import Rounds


async def test_a_failed_round_is_logged_by_kind_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[int] = []

    async def round_() -> float:
        ran.append(len(ran))
        if len(ran) == 1:
            raise RuntimeError("a secret the log must not show")
        return 60.0

    rounds = Rounds("test-rounds", round_, wait_after_failure=0.01)
    with caplog.at_level(logging.ERROR):
        rounds.start()
        for _ in range(200):
            if len(ran) >= 2:
                break
            await asyncio.sleep(0.01)
        await rounds.stop()
    assert ran == [0, 1]
    assert "test-rounds round failed (RuntimeError)" in caplog.text
    assert "secret" not in caplog.text


async def test_a_wake_cuts_the_wait_short_and_stop_ends_the_task() -> None:
    ran = asyncio.Event()
    count = 0

    async def round_() -> float:
        nonlocal count
        count += 1
        ran.set()
        return 3600.0

    rounds = Rounds("test-rounds", round_, wait_after_failure=3600.0)
    rounds.start()
    await asyncio.wait_for(ran.wait(), 5)
    ran.clear()
    rounds.wake()
    await asyncio.wait_for(ran.wait(), 5)
    await asyncio.wait_for(rounds.stop(), 5)
    assert count == 2
