"""Drops people's unfinished forms after DRAFT_RETENTION_DAYS (the number /privacy states)."""

from __future__ import annotations

from bot.config import Settings
from bot.contributions import rules
from bot.registration import flow
from storage import retention
from storage.db import Database

DAY_SECONDS = 24 * 3600


async def drop_unfinished_forms(db: Database, settings: Settings) -> int:
    """A housekeeping step: forms left unfinished longer than the setting allows are deleted."""
    return await retention.drop_unfinished_forms(
        db,
        settings.draft_retention_days * DAY_SECONDS,
        registration_form=flow.FORM,
        contribution_form=rules.FORM,
    )
