"""Moderators verify registrations with the button on each card in the moderators' group.

The button is not a permission: every press goes through the one check in bot/access.py
(who and where), and refusals are written to the audit log.
"""

from __future__ import annotations

import logging
import re

from telegram import Message, MessageId, Update
from telegram.error import TelegramError

from bot import access, safe_text
from bot.context import BotContext
from bot.registration import notify, views
from bot.replies import acknowledge, show
from storage import audit, registrations, users
from storage.db import Database
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)

_VERIFY = re.compile(r"^reg:verify:(\d{1,12}):(\d{1,6})$", re.ASCII)


async def verify(update: Update, context: BotContext) -> None:
    """Verify on a card: check who pressed, mark that version verified, tell the person."""
    assert update.callback_query is not None
    match = _VERIFY.match(update.callback_query.data or "")
    if match is None:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    registration_id, revision = int(match.group(1)), int(match.group(2))
    user = update.effective_user
    refusal = access.refusal(update, context)
    if refusal is not None or user is None:
        await access.record_refusal(
            update, context, refusal or "anonymous",
            action="registration.verify_refused",
            subject=audit.subject(registrations.AGGREGATE, registration_id),
            detail={"revision": revision},
        )  # fmt: skip
        await acknowledge(update, context.t("reg-verify-refused"), alert=True)
        return
    await _mark_verified(update, context, registration_id, revision, user.id)


async def _mark_verified(
    update: Update, context: BotContext, registration_id: int, revision: int, moderator_id: int
) -> None:
    registered = await registrations.get(context.db, registration_id)
    person = None
    if registered is not None and registered.user_id is not None:
        person = await users.get(context.db, registered.user_id)
    language = (
        (person.language if person else None)
        or (registered.language if registered else None)
        or context.settings.default_language
    )
    async with context.db.transaction() as conn:
        outcome, found = await registrations.verify_in(
            conn, registration_id, revision, moderator_id
        )
        if outcome == "verified" and found is not None:
            await notify.verified_in(conn, context, found, moderator_id, language)
    if outcome != "verified" or found is None:
        await acknowledge(update, context.t(f"reg-verify-{outcome}"), alert=True)
        return
    context.bot_data.outbox.wake()
    await acknowledge(update, context.t("reg-verify-done"))
    assert update.effective_user is not None
    moderator = safe_text.plain_name(update.effective_user.full_name)
    await show(update, views.verified_card(notify.group_t(context), found, moderator))


async def card_sent(db: Database, item: OutboxItem, message: Message | MessageId | None) -> None:
    """A card reached the group: remember where, to edit it later.

    A card that was already on its way when its registration was withdrawn, erased or
    replaced shows details that must not stay: it is taken down at once.
    """
    parsed = registrations.parse_card_key(item.dedup_key)
    if parsed is None or not isinstance(message, Message):
        return
    registration_id, revision = parsed
    registered = await registrations.get(db, registration_id)
    if registered is None or not registered.active or registered.revision != revision:
        try:
            await message.delete()
        except TelegramError as exc:
            log.warning("could not take down an outdated card: %s", type(exc).__name__)
        return
    await registrations.add_card(db, registration_id, revision, message.chat.id, message.message_id)
