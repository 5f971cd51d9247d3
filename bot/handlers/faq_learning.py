"""Moderators answer a question with an FAQ entry, and the FAQ learns the question.

The buttons sit on a question's card in the moderators' group and arrive through
moderation.on_button, which checks who pressed them (moderators only, in the group) and
records refusals, like every other button on a card.
"""

from __future__ import annotations

from typing import Literal

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import FaqLink
from bot.context import BotContext, BotData
from bot.contributions import cards, service
from bot.faq.normalize import normalize
from bot.handlers import faq_views as views
from bot.keyboards import cb
from bot.replies import acknowledge
from storage import audit, outbox, submissions, users
from storage import faq as faq_store
from storage.submissions import Submission

CHOICES = 6
LABEL_CHARS = 60
LINKABLE = ("open", "claimed")


def _t(context: BotContext, key: str, **args: object) -> str:
    return context.t_in(context.settings.moderation_language, key, **args)


def _question(context: BotContext, entry_id: str, language: str) -> str:
    question = views.text_of(context, entry_id, language).question
    return question if len(question) <= LABEL_CHARS else question[: LABEL_CHARS - 1] + "…"


async def show_choices(update: Update, context: BotContext, item: Submission) -> None:
    """🔗 on a question's card: the entries the matcher ranks best for it."""
    if item.kind != "question":
        await acknowledge(update, _t(context, "faqlearn-not-question"), alert=True)
        return
    if item.status not in LINKABLE:
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
        return
    language = context.settings.moderation_language
    hits = context.bot_data.faq.search(item.text, top=CHOICES)
    rows = [
        [
            InlineKeyboardButton(
                _question(context, hit.entry_id, language),
                callback_data=FaqLink(item.id, hit.entry_id).pack(),
            )
        ]
        for hit in hits
    ]
    rows.append(
        [
            InlineKeyboardButton(
                _t(context, "mod-btn-back"), callback_data=cb(cards.MOD, "card", item.id)
            )
        ]
    )
    await acknowledge(update, _t(context, "faqlearn-pick", ref=item.ref))
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))


async def link(update: Update, context: BotContext, item: Submission) -> None:
    """An entry chosen for the question: answer the sender, learn the phrasing, audit it."""
    query = update.callback_query
    pressed = FaqLink.parse(query.data) if query else None
    user = update.effective_user
    assert user is not None
    if (
        pressed is None
        or pressed.submission_id != item.id
        or item.kind != "question"
        or not context.bot_data.faq.catalog.has(pressed.entry_id)
    ):
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
        return
    entry_id = pressed.entry_id
    async with context.db.transaction() as conn:
        previous = await submissions.transition_in(
            conn, item.id, allowed_from=LINKABLE, to="answered", actor_id=user.id
        )
        if previous is not None:
            role: Literal["moderator", "admin"] = (
                "admin" if context.settings.is_admin(user.id) else "moderator"
            )
            await audit.record_in(
                conn, actor_id=user.id, actor_role=role, action="faq-link",
                subject=audit.subject("submission", item.id), from_state=previous,
                to_state="answered", detail={"entry": entry_id},
            )  # fmt: skip
            await faq_store.learn_in(conn, entry_id, item.text, normalize(item.text), item.language)
            moved = await submissions.get(context.db, item.id)
            assert moved is not None
            name = f"@{user.username}" if user.username else user.full_name
            await service.queue_card_update(conn, context, moved, {user.id: name})
            await _queue_answer(conn, context, moved, entry_id)
    if previous is None:
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
        return
    context.bot_data.faq.learn(entry_id, item.text)
    context.bot_data.outbox.wake()
    language = context.settings.moderation_language
    question = _question(context, entry_id, language)
    await acknowledge(update, _t(context, "faqlearn-linked", ref=item.ref, question=question))


async def _queue_answer(
    conn: aiosqlite.Connection, context: BotContext, item: Submission, entry_id: str
) -> None:
    """The entry's answer, in the sender's language (their current choice, if they made one)."""
    if item.user_id is None:
        return
    user = await users.get(context.db, item.user_id)
    language = user.language if user and user.language else item.language
    # The answer goes in after formatting: Fluent refuses placeables this long.
    text = context.t_in(language, "faqlearn-answer-intro", ref=item.ref)
    text += "\n\n" + views.answer_body(context, entry_id, language)
    await outbox.enqueue_in(
        conn,
        dedup_key=f"faq-link:{item.id}",
        chat_id=item.user_id,
        method="send_message",
        payload={"text": text},
    )


async def restore(data: BotData) -> None:
    """At start: the phrasings moderators linked before are matched again."""
    for found in await faq_store.learned(data.db):
        data.faq.learn(found.entry_id, found.phrasing)
