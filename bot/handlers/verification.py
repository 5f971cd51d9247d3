"""Moderators verify registrations with the button on each card in the moderators' group.

The button is not a permission: every press passes the moderation gate (who and where), and
refusals are written to the audit log there.
"""

from __future__ import annotations

import logging

from telegram import Message, MessageId, Update
from telegram.error import TelegramError

from bot import safe_text
from bot.callbacks import VerifyRegistration
from bot.context import BotContext
from bot.moderation import gate, service
from bot.registration import views
from bot.replies import acknowledge, show
from storage import audit, outbox, registrations
from storage.db import Database
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)


async def verify(update: Update, context: BotContext) -> None:
    """Verify on a card: check who pressed, mark that version verified, tell the person."""
    assert update.callback_query is not None
    pressed = VerifyRegistration.parse(update.callback_query.data or "")
    if pressed is None:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    allowed = await gate.authorise(
        update, context, "registration.verify",
        audit.subject(registrations.AGGREGATE, pressed.registration_id),
        audit_as="registration.verify_refused", detail={"revision": pressed.revision},
        refusal_key="reg-verify-refused",
    )  # fmt: skip
    if not allowed:
        return
    outcome, found = await service.verify_registration(
        context, gate.acting(update), pressed.registration_id, pressed.revision
    )
    if outcome != "verified" or found is None:
        await acknowledge(update, context.t(f"reg-verify-{outcome}"), alert=True)
        return
    await acknowledge(update, context.t("reg-verify-done"))
    assert update.effective_user is not None
    moderator = safe_text.plain_name(update.effective_user.full_name)
    await show(update, views.verified_card(gate.group_t(context), found, moderator))


async def card_sent(db: Database, item: OutboxItem, message: Message | MessageId | None) -> None:
    """A card reached the group: remember where, to edit it later.

    A card that was already on its way when its registration was withdrawn, erased or
    replaced shows details that must not stay: it is taken down at once.
    """
    parsed = outbox.parse_registration_card_key(item.dedup_key)
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
