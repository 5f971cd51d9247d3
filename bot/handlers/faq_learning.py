"""Moderators answer a question with an FAQ entry, and the FAQ learns the question.

The buttons sit on a question's card in the moderators' group and arrive through
moderation.on_card, which runs the moderation gate first (moderators only, in the group;
refusals audited), like every other button on a card.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import CardButton, FaqLink
from bot.context import BotContext, BotData
from bot.handlers import faq_views as views
from bot.moderation import service
from bot.moderation.gate import Actor, display_name
from bot.moderation.gate import group_text as _t
from bot.replies import acknowledge
from storage import faq as faq_store
from storage import users
from storage.submissions import OPEN_STATES, Submission

CHOICES = 6
LABEL_CHARS = 60


def _question(context: BotContext, entry_id: str, language: str) -> str:
    question = views.text_of(context, entry_id, language).question
    return question if len(question) <= LABEL_CHARS else question[: LABEL_CHARS - 1] + "…"


async def show_choices(update: Update, context: BotContext, item: Submission) -> None:
    """🔗 on a question's card: the entries the matcher ranks best for it."""
    if item.kind != "question":
        await acknowledge(update, _t(context, "faqlearn-not-question"), alert=True)
        return
    if item.status not in OPEN_STATES:
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
                _t(context, "mod-btn-back"), callback_data=CardButton.of("card", item.id).pack()
            )
        ]
    )
    await acknowledge(update, _t(context, "faqlearn-pick", ref=item.ref))
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))


async def link(update: Update, context: BotContext, item: Submission) -> None:
    """An entry chosen for the question: the sender gets its answer and the FAQ learns it."""
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
    actor = Actor(user.id, display_name(user))
    answer = await _answer_for_sender(context, item, entry_id)
    decision = await service.answer_with_faq(context, actor, item, entry_id, answer)
    if not decision.moved:
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
        return
    language = context.settings.moderation_language
    question = _question(context, entry_id, language)
    await acknowledge(update, _t(context, "faqlearn-linked", ref=item.ref, question=question))


async def _answer_for_sender(context: BotContext, item: Submission, entry_id: str) -> str:
    """The entry's answer, in the sender's language (their current choice, if they made one)."""
    user = await users.get(context.db, item.user_id) if item.user_id is not None else None
    language = user.language if user and user.language else item.language
    # The answer goes in after formatting: Fluent refuses placeables this long.
    text = context.t_in(language, "faqlearn-answer-intro", ref=item.ref)
    return text + "\n\n" + views.answer_body(context, entry_id, language)


async def restore(data: BotData) -> None:
    """At start: the phrasings moderators linked before are matched again."""
    for found in await faq_store.learned(data.db):
        data.faq.learn(found.entry_id, found.phrasing)
