"""Sending a contribution: topic, then text and files, then a summary to confirm."""

from __future__ import annotations

import warnings
from enum import IntEnum

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import safe_text
from bot.callbacks import ContributionButton as Button
from bot.callbacks import MenuButton
from bot.context import BotContext
from bot.contributions import rules, service
from bot.contributions.rules import Refusal
from bot.keyboards import button, home_row
from bot.replies import acknowledge, escape, show
from storage import drafts, personal_data, submissions

# Edits of sent messages are not new content: they get their own answer (edited_message).
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
# How much of the text the summary shows, in Telegram's units.
SUMMARY_PREVIEW = 1000


class Stage(IntEnum):
    TOPIC = 1
    COLLECT = 2
    CONFIRM = 3


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def refusal_reason(context: BotContext, user_id: int) -> str | None:
    """Why this person may not send now, in their language; None if they may."""
    refused = await service.refusal(context, user_id)
    return None if refused is None else _refusal_text(context, refused)


def _refusal_text(context: BotContext, refused: Refusal) -> str:
    return context.t(refused.key, **refused.args)


def topic_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    rows = [
        [button(context, rules.topic_label_key(t), Button("topic", t).pack())] for t in rules.TOPICS
    ]
    rows.append([button(context, "ctb-cancel-button", Button("cancel").pack())])
    return InlineKeyboardMarkup(rows)


def collect_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button(context, "ctb-done-button", Button("done").pack())],
            [button(context, "ctb-cancel-button", Button("cancel").pack())],
        ]
    )


async def start(update: Update, context: BotContext) -> int:
    """/contribute or the menu entry: check the person may send, then ask for the topic."""
    await acknowledge(update)
    if any(
        name != rules.FORM for name in await personal_data.open_forms(context.db, _user_id(update))
    ):
        await show(
            update, context.t("ctb-other-form-open"), InlineKeyboardMarkup([home_row(context)])
        )
        return ConversationHandler.END
    reason = await refusal_reason(context, _user_id(update))
    if reason is not None:
        await show(update, reason, InlineKeyboardMarkup([home_row(context)]))
        return ConversationHandler.END
    await drafts.start_draft(context.db, _user_id(update))
    await show(update, context.t("ctb-choose-topic"), topic_keyboard(context))
    return Stage.TOPIC


async def choose_topic(update: Update, context: BotContext) -> int:
    """A topic button: remember it and ask for the content."""
    assert update.callback_query is not None
    pressed = Button.parse(update.callback_query.data)
    topic = pressed.value if pressed is not None else ""
    if topic not in rules.TOPICS:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return Stage.TOPIC
    await acknowledge(update)
    await drafts.set_draft_topic(context.db, _user_id(update), topic)
    text = context.t("ctb-send-content", topic=context.t(rules.topic_label_key(topic)))
    await show(update, text, collect_keyboard(context))
    return Stage.COLLECT


async def topic_expected(update: Update, context: BotContext) -> int:
    """Anything but a topic button while the topic is asked."""
    await _reply(update, context.t("ctb-topic-expected"), topic_keyboard(context))
    return Stage.TOPIC


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    """Answered below what the person sent, with the buttons of the step they are at."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, reply_markup=markup)


async def add_text(update: Update, context: BotContext) -> int:
    """A text message: part of the contribution, within the length limit."""
    message = update.effective_message
    assert message is not None and message.text is not None
    draft = await drafts.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _lost_draft(update, context)
    total = len(draft.text) + len(message.text)
    if total > rules.MAX_TEXT_CHARS:
        await message.reply_text(
            context.t("ctb-text-too-long", length=total, limit=rules.MAX_TEXT_CHARS),
            reply_markup=collect_keyboard(context),
        )
        return Stage.COLLECT
    await drafts.add_draft_text(context.db, _user_id(update), message.message_id, message.text)
    await message.reply_text(context.t("ctb-text-added"), reply_markup=collect_keyboard(context))
    return Stage.COLLECT


async def add_file(update: Update, context: BotContext) -> int:
    """A document, photo or voice note, or each item of an album."""
    message = update.effective_message
    assert message is not None
    found = rules.attachment_of(message)
    if isinstance(found, Refusal):
        await message.reply_text(context.t(found.key, **found.args))
        return Stage.COLLECT
    if found is None:
        return await unsupported(update, context)
    draft = await drafts.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _lost_draft(update, context)
    if len(draft.attachments) >= rules.MAX_ATTACHMENTS:
        await message.reply_text(context.t("ctb-too-many-files", limit=rules.MAX_ATTACHMENTS))
        return Stage.COLLECT
    caption = message.caption or ""
    if caption and len(draft.text) + len(caption) <= rules.MAX_TEXT_CHARS:
        await drafts.add_draft_text(context.db, _user_id(update), message.message_id, caption)
    first_of_album = found.media_group_id is None or found.media_group_id != draft.last_album
    await drafts.add_draft_file(context.db, _user_id(update), found)
    # One acknowledgement per album, not one per photo in it.
    if first_of_album:
        await message.reply_text(
            context.t("ctb-file-added"), reply_markup=collect_keyboard(context)
        )
    return Stage.COLLECT


async def unsupported(update: Update, context: BotContext) -> int:
    """A sticker, location, video or anything else the team cannot take."""
    await _reply(update, context.t("ctb-unsupported"), collect_keyboard(context))
    return Stage.COLLECT


async def done(update: Update, context: BotContext) -> int:
    """Done: show what will be sent, with Send and Cancel."""
    draft = await drafts.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _lost_draft(update, context)
    if not draft.text and not draft.attachments:
        await acknowledge(update, context.t("ctb-empty"), alert=True)
        return Stage.COLLECT
    await acknowledge(update)
    # The text goes in after formatting: Fluent refuses long values.
    template = context.t(
        "ctb-summary",
        topic=context.t(rules.topic_label_key(draft.topic or "strategy")),
        text=safe_text.SLOT,
        files=len(draft.attachments),
    )
    room = safe_text.TEXT_LIMIT - safe_text.visible_len(template.replace(safe_text.SLOT, ""))
    preview = safe_text.clip(draft.text, min(SUMMARY_PREVIEW, room)) if draft.text else "—"
    summary = safe_text.fill(template, escape(preview))
    markup = InlineKeyboardMarkup(
        [
            [button(context, "ctb-send-button", Button("send").pack())],
            [button(context, "ctb-more-button", Button("more").pack())],
            [button(context, "ctb-cancel-button", Button("cancel").pack())],
        ]
    )
    await show(update, summary, markup)
    return Stage.CONFIRM


async def add_more(update: Update, context: BotContext) -> int:
    """Back from the summary to adding content."""
    await acknowledge(update)
    await show(update, context.t("ctb-add-more"), collect_keyboard(context))
    return Stage.COLLECT


async def send(update: Update, context: BotContext) -> int:
    """Send: store it, queue the card, and give the reference number."""
    query = update.callback_query
    assert query is not None and query.message is not None
    source_key = f"ctb:{query.message.chat.id}:{query.message.message_id}"
    sent = await service.send_draft(context, _user_id(update), source_key)
    if sent.refused is not None:
        await acknowledge(update)
        await show(
            update, _refusal_text(context, sent.refused), InlineKeyboardMarkup([home_row(context)])
        )
        return ConversationHandler.END
    if sent.ref is None:
        return await _lost_draft(update, context)
    return await _confirm_sent(update, context, sent.ref)


async def _confirm_sent(update: Update, context: BotContext, ref: str) -> int:
    await acknowledge(update)
    markup = InlineKeyboardMarkup(
        [[button(context, "ctb-mine-button", Button("mine").pack())], home_row(context)]
    )
    await show(update, context.t("ctb-sent", ref=ref), markup)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel or the Cancel button: forget the unfinished contribution."""
    await acknowledge(update)
    await drafts.delete_draft(context.db, _user_id(update))
    await show(update, context.t("ctb-cancelled"), InlineKeyboardMarkup([home_row(context)]))
    return ConversationHandler.END


async def command_in_form(update: Update, context: BotContext) -> int | None:
    """Another command mid-contribution: say how to finish or cancel, and stay."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.t("ctb-command-in-form"))
    return None


async def stale_button_in_form(update: Update, context: BotContext) -> None:
    """A button from another message while the contribution is open."""
    await acknowledge(update, context.t("callback-expired"), alert=True)


async def _lost_draft(update: Update, context: BotContext) -> int:
    await acknowledge(update)
    await show(update, context.t("ctb-lost"), InlineKeyboardMarkup([home_row(context)]))
    return ConversationHandler.END


async def my_submissions(update: Update, context: BotContext) -> None:
    """/mysubmissions: what became of each thing the person sent."""
    await acknowledge(update)
    items = await submissions.of_user(context.db, _user_id(update))
    if not items:
        await show(update, context.t("mine-none"), InlineKeyboardMarkup([home_row(context)]))
        return
    lines = [
        context.t(
            "mine-line",
            ref=item.ref,
            kind=context.t(f"mine-kind-{item.kind}"),
            status=context.t(f"mine-status-{item.status}"),
        )
        for item in items
    ]
    text = context.t("mine-title") + "\n\n" + "\n".join(lines)
    await show(update, text, InlineKeyboardMarkup([home_row(context)]))


async def hand_over_question(update: Update, context: BotContext) -> None:
    """The FAQ found nothing: send the person's question to the team with one press."""
    query = update.callback_query
    assert query is not None
    message = query.message
    question = message.reply_to_message if isinstance(message, Message) else None
    text = question.text if question is not None else None
    if message is None or question is None or not text:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    source_key = f"ask:{message.chat.id}:{question.message_id}"
    sent = await service.ask_team(context, _user_id(update), source_key, text)
    if sent.refused is not None:
        await acknowledge(update, _refusal_text(context, sent.refused), alert=True)
        return
    assert sent.ref is not None
    await acknowledge(update)
    await show(
        update, context.t("ask-sent", ref=sent.ref), InlineKeyboardMarkup([home_row(context)])
    )


def conversation() -> ConversationHandler[BotContext]:
    """The contribution form; its state is stored, so a restart resumes it."""
    files = filters.Document.ALL | filters.PHOTO | filters.VOICE
    # PTB warns that button presses are tracked per chat, not per message: that is intended.
    warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
    return ConversationHandler(
        entry_points=[
            CommandHandler("contribute", start, filters=PRIVATE),
            CallbackQueryHandler(start, pattern=MenuButton.pattern("contribute")),
        ],
        states={
            Stage.TOPIC: [
                CallbackQueryHandler(choose_topic, pattern=Button.pattern("topic")),
                CallbackQueryHandler(cancel, pattern=Button.pattern("cancel")),
                MessageHandler(PRIVATE & ~filters.COMMAND, topic_expected),
            ],
            Stage.COLLECT: [
                MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, add_text),
                MessageHandler(PRIVATE & files, add_file),
                CallbackQueryHandler(done, pattern=Button.pattern("done")),
                CallbackQueryHandler(cancel, pattern=Button.pattern("cancel")),
                MessageHandler(PRIVATE & ~filters.COMMAND, unsupported),
            ],
            Stage.CONFIRM: [
                CallbackQueryHandler(send, pattern=Button.pattern("send")),
                CallbackQueryHandler(add_more, pattern=Button.pattern("more")),
                CallbackQueryHandler(cancel, pattern=Button.pattern("cancel")),
                MessageHandler(PRIVATE & ~filters.COMMAND, add_more_hint),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel, filters=PRIVATE),
            MessageHandler(PRIVATE & filters.COMMAND, command_in_form),
            CallbackQueryHandler(stale_button_in_form),
        ],
        name=rules.FORM,
        persistent=True,
        allow_reentry=True,
    )


async def add_more_hint(update: Update, context: BotContext) -> int:
    """Content typed at the summary: it must be added with "Add more" first."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.t("ctb-use-buttons"))
    return Stage.CONFIRM
