"""Drops people's unfinished forms after DRAFT_RETENTION_DAYS (the number /privacy states)."""

from __future__ import annotations

import logging

from bot.context import BotContext
from bot.handlers import contributions, registration
from storage import retention

log = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600
# How often the stored forms are looked over; the first look is at start.
INTERVAL_SECONDS = 3600


async def drop_unfinished_forms(context: BotContext) -> None:
    """A job-queue job: forms left unfinished longer than the setting allows are deleted."""
    days = context.settings.draft_retention_days
    dropped = await retention.drop_unfinished_forms(
        context.db,
        days * DAY_SECONDS,
        registration_form=registration.NAME,
        contribution_form=contributions.NAME,
    )
    if dropped:
        log.info("dropped %d unfinished form(s) older than %d days", dropped, days)
