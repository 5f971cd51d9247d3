"""`/start <payload>` links: t.me/<bot>?start=<payload> routed to the feature that owns it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from bot.context import BotContext

# Telegram allows A-Z, a-z, 0-9, _ and - in start parameters, up to 64 characters.
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

LinkHandler = Callable[[Update, BotContext, str], Awaitable[bool]]


@dataclass(frozen=True)
class DeepLink:
    prefix: str
    handler: LinkHandler


async def route(update: Update, context: BotContext, payload: str) -> bool:
    """True when a feature took the link; unknown or malformed payloads fall through."""
    if not _PAYLOAD.match(payload):
        return False
    for link in context.bot_data.deep_links:
        if payload.startswith(link.prefix):
            return await link.handler(update, context, payload.removeprefix(link.prefix))
    return False
