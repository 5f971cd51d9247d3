"""/announce: an admin writes an announcement in both languages, previews it and sends it.

One question at a time, persisted like the registration form. The service checks and stores
each answer; the feeder sends in the background; the buttons on the progress message pause,
resume and cancel. Every step and button is checked against ADMIN_IDS.
"""

from __future__ import annotations

import functools
import time
from enum import StrEnum

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.announcements import service, views
from bot.announcements.service import Outcome, Problem
from bot.callbacks import AnnounceButton
from bot.context import BotContext
from bot.handlers.forms import StepHandler, form
from bot.moderation import gate
from bot.replies import acknowledge, show
from storage import announcements
from storage.announcements import Announcement, Audience

NAME = "announce"
END = ConversationHandler.END
PRIVATE = filters.ChatType.PRIVATE
NEW = filters.UpdateType.MESSAGE
TEXT = NEW & filters.TEXT & ~filters.COMMAND
MEDIA = NEW & (filters.PHOTO | filters.Document.ALL)


class Question(StrEnum):
    """The form's states: what is asked now; stored as their values, so they survive a restart."""

    KM = "km"
    EN = "en"
    MEDIA = "media"
    AUDIENCE = "audience"
    WHEN = "when"
    PREVIEW = "preview"


State = Question | int | None


def _admin_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _button(update: Update) -> AnnounceButton | None:
    return AnnounceButton.parse(update.callback_query.data if update.callback_query else None)


async def _draft(update: Update, context: BotContext) -> Announcement | None:
    """The admin's draft, if the update is theirs and (for a button) about that draft."""
    if not await gate.authorise(update, context, "announce", "announcement", role="admin"):
        return None
    draft = await announcements.draft_of(context.db, _admin_id(update))
    button = _button(update)
    if update.callback_query is not None and (
        draft is None or button is None or button.announcement_id != draft.id
    ):
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return None
    if draft is None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(context.t("ann-no-draft"))
    return draft


async def _problem(update: Update, context: BotContext, problem: Problem, step: Question) -> State:
    await acknowledge(update, context.t(f"ann-problem-{problem}"), alert=True)
    if update.callback_query is None and update.effective_message is not None:
        await update.effective_message.reply_text(context.t(f"ann-problem-{problem}"))
    return step


async def start(update: Update, context: BotContext) -> State:
    """/announce: admins only; the Khmer text first."""
    if not await gate.authorise(update, context, "announce", "announcement", role="admin"):
        return END
    assert update.effective_chat is not None
    await service.begin(context.db, _admin_id(update), update.effective_chat.id, context.lang)
    await show(update, context.t("ann-ask-km"))
    return Question.KM


async def take_text(update: Update, context: BotContext, step: Question) -> State:
    """The text in Khmer, then in English (as formatted by the admin)."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    message = update.effective_message
    assert message is not None
    problem = await service.set_text(context.db, draft, step.value, message.text_html)
    if problem is not None:
        return await _problem(update, context, problem, step)
    if step is Question.KM:
        await message.reply_text(context.t("ann-ask-en"))
        return Question.EN
    await message.reply_text(
        context.t("ann-ask-media"), reply_markup=views.skip_markup(context.t, draft.id)
    )
    return Question.MEDIA


async def take_media(update: Update, context: BotContext) -> State:
    """One photo or document to go with the texts."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    message = update.effective_message
    assert message is not None
    kind = "photo" if message.photo else "document"
    problem = await service.set_media(context.db, draft, kind, message.message_id)
    if problem is not None:
        return await _problem(update, context, problem, Question.MEDIA)
    return await _ask_audience(update, context, draft)


async def skip_media(update: Update, context: BotContext) -> State:
    """No attachment."""
    draft = await _draft(update, context)
    if draft is None:
        return Question.MEDIA
    await acknowledge(update)
    return await _ask_audience(update, context, draft)


async def _ask_audience(update: Update, context: BotContext, draft: Announcement) -> State:
    await show(update, context.t("ann-ask-audience"), views.audience_markup(context.t, draft.id))
    return Question.AUDIENCE


async def choose_audience(update: Update, context: BotContext) -> State:
    """An audience: then when to send. Registered participants: first tick their kinds."""
    draft = await _draft(update, context)
    button = _button(update)
    if draft is None or button is None:
        return Question.AUDIENCE
    if button.action == "kind":
        return await _tick_kinds(update, context, draft, button.value)
    problem = await service.set_audience(context.db, draft, views.expand(button.value))
    if problem is not None:
        return await _problem(update, context, problem, Question.AUDIENCE)
    await acknowledge(update)
    await show(update, context.t("ann-ask-when"), views.when_markup(context.t, draft.id))
    return Question.WHEN


async def _tick_kinds(
    update: Update, context: BotContext, draft: Announcement, ticked: str
) -> State:
    """The kinds ticked so far, edited in place."""
    chosen = Audience.parse(views.expand(ticked)) if ticked else None
    kinds = chosen.values if chosen is not None else ()
    await acknowledge(update)
    await show(update, context.t("ann-ask-kinds"), views.kinds_markup(context.t, draft.id, kinds))
    return Question.AUDIENCE


async def send_now(update: Update, context: BotContext) -> State:
    """Send now: to the preview."""
    draft = await _draft(update, context)
    if draft is None:
        return Question.WHEN
    await acknowledge(update)
    return await _preview(update, context, draft.id)


async def take_time(update: Update, context: BotContext) -> State:
    """A time to send, in Cambodia's time: to the preview."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    message = update.effective_message
    assert message is not None and message.text is not None
    parsed = service.parse_time(message.text, time.time())
    if isinstance(parsed, Problem):
        return await _problem(update, context, parsed, Question.WHEN)
    await service.set_time(context.db, draft, parsed)
    return await _preview(update, context, draft.id)


async def _preview(update: Update, context: BotContext, announcement_id: int) -> State:
    """Each language exactly as its recipients get it, then the counts and Confirm."""
    draft = await announcements.get(context.db, announcement_id)
    chat = update.effective_chat
    assert draft is not None and chat is not None
    preview = await service.preview(context.db, draft, context.settings.default_language)
    if preview.total == 0:
        return await _problem(update, context, Problem.NO_RECIPIENTS, Question.AUDIENCE)
    i18n = context.bot_data.i18n
    for language in ("km", "en"):
        await chat.send_message(context.t(f"ann-preview-{language}"))
        method, payload = views.message_for(i18n, draft, language)
        payload["reply_markup"] = InlineKeyboardMarkup.de_json(payload["reply_markup"], context.bot)
        await getattr(context.bot, method)(chat_id=chat.id, **payload)
    await chat.send_message(
        views.preview_summary(context.t, context.lang, preview),
        reply_markup=views.confirm_markup(context.t, draft.id),
    )
    return Question.PREVIEW


async def confirm(update: Update, context: BotContext) -> State:
    """Confirm: it goes now, or at its time; this message becomes the progress message."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    outcome = await service.confirm(context.db, _admin_id(update), draft.id)
    await acknowledge(update, context.t(f"ann-outcome-{outcome}"))
    query = update.callback_query
    assert query is not None
    if isinstance(query.message, Message):
        await announcements.set_progress(context.db, draft.id, query.message.message_id)
    if outcome is Outcome.SCHEDULED and draft.send_at is not None:
        text = context.t("ann-scheduled", when=service.local_time(draft.send_at))
        await show(update, text, views.scheduled_markup(context.t, draft.id))
    context.bot_data.announcements.wake()
    return END


async def discard(update: Update, context: BotContext) -> State:
    """Discard the draft."""
    draft = await _draft(update, context)
    if draft is None:
        return END
    outcome = await service.discard(context.db, _admin_id(update), draft.id)
    await acknowledge(update)
    await show(update, context.t(f"ann-outcome-{outcome}"))
    return END


async def cancel(update: Update, context: BotContext) -> State:
    """/cancel: the draft is dropped."""
    draft = await announcements.draft_of(context.db, _admin_id(update))
    if draft is not None:
        await service.discard(context.db, _admin_id(update), draft.id)
    await show(update, context.t("ann-outcome-discarded"))
    return END


async def wrong_input(update: Update, context: BotContext, step: Question) -> State:
    """Something that does not answer the question: say what is expected."""
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.t(f"ann-expected-{step}"))
    return step


async def control(update: Update, context: BotContext) -> None:
    """Pause, resume or cancel on the progress message."""
    button = _button(update)
    subject = f"announcement:{button.announcement_id}" if button else "announcement"
    if not await gate.authorise(update, context, "announce.control", subject, role="admin"):
        return
    if button is None or button.action not in ("pause", "resume", "cancel"):
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    outcome = await service.control(
        context.db, _admin_id(update), button.announcement_id, button.action
    )
    await acknowledge(update, context.t(f"ann-outcome-{outcome}"))
    await context.bot_data.announcements.refresh(button.announcement_id)


def _also(step: Question) -> list[StepHandler]:
    return [
        CommandHandler("cancel", cancel),
        CommandHandler("announce", start, filters=PRIVATE),
        CallbackQueryHandler(
            functools.partial(wrong_input, step=step),
            pattern=AnnounceButton.pattern("skip", "aud", "kind", "now", "ok", "no"),
        ),
        MessageHandler(NEW & ~filters.COMMAND, functools.partial(wrong_input, step=step)),
    ]


def conversation() -> ConversationHandler[BotContext]:
    """The /announce form: one state per question, persisted by name."""
    states: dict[Question, list[StepHandler]] = {
        Question.KM: [MessageHandler(TEXT, functools.partial(take_text, step=Question.KM))],
        Question.EN: [MessageHandler(TEXT, functools.partial(take_text, step=Question.EN))],
        Question.MEDIA: [
            MessageHandler(MEDIA, take_media),
            CallbackQueryHandler(skip_media, pattern=AnnounceButton.pattern("skip")),
        ],
        Question.AUDIENCE: [
            CallbackQueryHandler(choose_audience, pattern=AnnounceButton.pattern("kind", "aud")),
        ],
        Question.WHEN: [
            CallbackQueryHandler(send_now, pattern=AnnounceButton.pattern("now")),
            MessageHandler(TEXT, take_time),
        ],
        Question.PREVIEW: [
            CallbackQueryHandler(confirm, pattern=AnnounceButton.pattern("ok")),
            CallbackQueryHandler(discard, pattern=AnnounceButton.pattern("no")),
        ],
    }
    return form(NAME, [CommandHandler("announce", start, filters=PRIVATE)], states, _also)
