"""What a registration change tells others: the audit log, the moderators' cards, the person.

Every function runs inside the caller's transaction, so the change, its audit entry and its
messages are stored together; the outbox delivers the messages later, once each.
"""

from __future__ import annotations

import logging
from typing import Literal

import aiosqlite
from telegram import Message, MessageId
from telegram.error import TelegramError

from bot.context import BotContext
from bot.moderation.gate import actor_role, group_t
from bot.registration import views
from storage import audit, outbox, registrations
from storage.db import Database
from storage.outbox import OutboxItem
from storage.registrations import Confirmed, Registration

log = logging.getLogger(__name__)

# The outbox hook that remembers where a card was posted (see bot/app.py sent_hooks()).
CARD_SENT = "reg-card"

Retirement = Literal["superseded", "withdrawn", "erased"]


async def confirmed_in(
    conn: aiosqlite.Connection, context: BotContext, confirmed: Confirmed, actor_id: int
) -> None:
    """Audit a confirmation; for a new or changed registration, post a card to verify."""
    registration = confirmed.registration
    await audit.record_in(
        conn,
        actor_id=actor_id,
        actor_role="person",
        action=f"registration.{confirmed.outcome}",
        subject=registration.subject,
        from_state=confirmed.previous_status,
        to_state=registration.status,
        detail={"revision": registration.revision},
    )
    if confirmed.outcome == "unchanged":
        return
    await retire_cards_in(conn, context, registration, "superseded")
    chat_id = context.bot_data.moderation_chat_id
    if chat_id is None:
        return
    text, markup = views.card(group_t(context), registration, confirmed.outcome == "created")
    await outbox.enqueue_in(
        conn,
        dedup_key=outbox.registration_card_key(registration.id, registration.revision),
        chat_id=chat_id,
        method="send_message",
        payload={"text": text, "reply_markup": markup.to_dict() if markup else None},
        on_sent=CARD_SENT,
    )


async def retire_cards_in(
    conn: aiosqlite.Connection, context: BotContext, registration: Registration, why: Retirement
) -> None:
    """Take the details and the Verify button off the cards already posted."""
    t = group_t(context)
    text = t(f"reg-card-{why}", reference=registration.reference)
    for card in await registrations.cards_in(conn, registration.id):
        await outbox.enqueue_in(
            conn,
            dedup_key=outbox.registration_card_retired_key(card.chat_id, card.message_id),
            chat_id=card.chat_id,
            method="edit_message_text",
            payload={"message_id": card.message_id, "text": text},
        )


async def verified_in(
    conn: aiosqlite.Connection,
    context: BotContext,
    registration: Registration,
    moderator_id: int,
    language: str,
) -> None:
    """Audit a verification and tell the person, in their language."""
    await audit.record_in(
        conn,
        actor_id=moderator_id,
        actor_role=actor_role(context.settings, moderator_id),
        action="registration.verified",
        subject=registration.subject,
        from_state=registrations.Status.CONFIRMED,
        to_state=registrations.Status.VERIFIED,
        detail={"revision": registration.revision},
    )
    if registration.user_id is None:
        return
    text = context.t_in(language, "reg-verified-notice", reference=registration.reference)
    await outbox.enqueue_in(
        conn,
        dedup_key=f"reg-verified:{registration.id}:{registration.revision}",
        chat_id=registration.user_id,
        method="send_message",
        payload={"text": text},
    )


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
