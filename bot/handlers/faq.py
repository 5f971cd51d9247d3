"""Questions and answers: browse by category, ask in your own words, share, inline mode."""

from __future__ import annotations

from uuid import uuid4

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)

from bot import metrics
from bot.callbacks import FaqAnswer, FaqCategory, FaqVote
from bot.context import BotContext
from bot.faq.normalize import is_khmer, normalize
from bot.faq.search import Outcome
from bot.handlers import faq_views as views
from bot.replies import acknowledge, show
from storage import faq as faq_store

# A question longer than this is not a question for the FAQ.
MAX_QUESTION_CHARS = 1000
INLINE_RESULTS = 8


async def browse(update: Update, context: BotContext) -> None:
    """Menu entry: the categories."""
    await acknowledge(update)
    await show(update, *views.categories(context))


async def open_category(update: Update, context: BotContext) -> None:
    """A category button: its questions."""
    pressed = FaqCategory.parse(_data(update))
    screen = views.category(context, pressed.category_id) if pressed else None
    if screen is None:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    await acknowledge(update)
    await show(update, *screen)


async def open_answer(update: Update, context: BotContext) -> None:
    """A question button, from browsing, a related question or a suggestion."""
    pressed = FaqAnswer.parse(_data(update))
    if pressed is None or not context.bot_data.faq.catalog.has(pressed.entry_id):
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    await acknowledge(update)
    context.bot_data.answers_given.add(pressed.entry_id)
    # Chosen from suggestions to a typed question: ask whether it helped.
    await show(update, *views.answer(context, pressed.entry_id, ask_feedback=pressed.suggested))


async def vote(update: Update, context: BotContext) -> None:
    """👍 or 👎 under an answer: counted once per answer, then the buttons go."""
    query = update.callback_query
    assert query is not None
    pressed = FaqVote.parse(query.data)
    if pressed is None or not context.bot_data.faq.catalog.has(pressed.entry_id):
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    message = query.message
    if not isinstance(message, Message) or not _answered_there(update, message, query.data):
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    key = faq_store.vote_key(message.chat.id, message.message_id)
    await faq_store.record_vote(context.db, key, pressed.entry_id, pressed.helpful, context.lang)
    await acknowledge(update, context.t("faqui-thanks"))
    body, markup = views.answer(context, pressed.entry_id, ask_feedback=False)
    await show(update, body + "\n\n" + context.t("faqui-thanks"), markup)


def _data(update: Update) -> str | None:
    assert update.callback_query is not None
    return update.callback_query.data


def _answered_there(update: Update, message: Message, data: str | None) -> bool:
    """A vote counts only on an answer the bot gave this person, with that very button on it.

    Telegram attaches the real message to a press; forged data on any other message (a menu,
    someone else's answer) does not match its buttons.
    """
    user = update.effective_user
    if user is None or message.chat.id != user.id or message.from_user is None:
        return False
    markup = message.reply_markup
    buttons = [b.callback_data for row in markup.inline_keyboard for b in row] if markup else []
    return message.from_user.is_bot and data in buttons


async def ask(update: Update, context: BotContext) -> None:
    """Any text that is not a command: find the answer, offer choices, or admit there is none."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text
    if len(text) > MAX_QUESTION_CHARS:
        await message.reply_text(
            context.t("text-too-long", length=len(text), limit=MAX_QUESTION_CHARS)
        )
        return
    decision = context.bot_data.faq.decide(text)
    if decision.outcome is Outcome.ANSWER:
        metrics.FAQ_OUTCOMES.labels("answered").inc()
        context.bot_data.answers_given.add(decision.hits[0].entry_id)
        body, markup = views.answer(
            context, decision.hits[0].entry_id, ask_feedback=True, alternative=decision.alternative
        )
        await context.bot.send_unread(message.chat_id, body, markup)
        return
    if decision.outcome is Outcome.SUGGEST:
        metrics.FAQ_OUTCOMES.labels("suggested").inc()
        body, markup = views.suggestions(context, decision.hits)
    else:
        metrics.FAQ_OUTCOMES.labels("unanswered").inc()
        language = "km" if is_khmer(text) else "en"
        await faq_store.record_unanswered(context.db, normalize(text), language)
        body, markup = views.nothing_found(context)
    # Quoting the question keeps it with the reply: "send it to the team" reads it there.
    await context.bot.send_unread(message.chat_id, body, markup, quote=message.message_id)


async def open_from_link(update: Update, context: BotContext, entry_id: str) -> bool:
    """t.me/<bot>?start=faq_<id>: that answer, in the reader's language."""
    if not context.bot_data.faq.catalog.has(entry_id):
        return False
    await show(update, *views.answer(context, entry_id, ask_feedback=False))
    return True


async def inline_query(update: Update, context: BotContext) -> None:
    """@bot <words> in any chat: matching answers to send there."""
    query = update.inline_query
    assert query is not None
    text = query.query.strip()[:MAX_QUESTION_CHARS]
    faq = context.bot_data.faq
    if text:
        entry_ids = [h.entry_id for h in faq.search(text, top=INLINE_RESULTS) if h.score > 0.05]
    else:
        entry_ids = faq.catalog.entry_ids[:INLINE_RESULTS]
    results = []
    for entry_id in entry_ids:
        entry = views.text_of(context, entry_id)
        markup = None
        if context.bot.username:
            link = views.deep_link(context.bot.username, entry_id)
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(context.t("faqui-open-in-bot"), url=link)]]
            )
        results.append(
            InlineQueryResultArticle(
                id=f"{entry_id}:{uuid4().hex[:8]}",
                title=entry.question,
                description=views.plain_preview(entry.answer),
                input_message_content=InputTextMessageContent(views.answer_body(context, entry_id)),
                reply_markup=markup,
            )
        )
    await query.answer(results, cache_time=60, is_personal=True)
