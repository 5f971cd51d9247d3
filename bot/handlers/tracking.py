"""Runs ahead of every feature: who is writing, in which language, and is it sane."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.config import LANGUAGES, Language
from bot.context import BotContext
from bot.replies import acknowledge
from storage import users


def app_language(update: Update) -> Language | None:
    """The person's Telegram app language when it is one of ours (km, en-GB → en), else None."""
    user = update.effective_user
    code = (user.language_code or "").lower() if user is not None else ""
    primary = code.replace("_", "-").partition("-")[0]
    return primary if primary in LANGUAGES else None


def detect_language(update: Update, context: BotContext) -> Language:
    """The app's language when the bot speaks it; otherwise DEFAULT_LANGUAGE (Khmer)."""
    return app_language(update) or context.settings.default_language


async def track_user(update: Update, context: BotContext) -> None:
    """Remember that the person wrote, and answer them in their chosen language."""
    user = update.effective_user
    if user is None:
        return
    chat = update.effective_chat
    # The inbox processor records the person as seen when it claims the update.
    stored = context.bot_data.seen_users.get(update.update_id)
    if stored is None and chat is not None and chat.type == ChatType.PRIVATE:
        stored = await users.touch(context.db, user.id)
    elif stored is None:
        stored = await users.get(context.db, user.id)
    context.lang = _language(update, context, stored)


async def recall_language(update: Update, context: BotContext) -> None:
    """Where track_user did not run (the error handler): the person's language all the same."""
    if update.effective_user is not None:
        stored = await users.get(context.db, update.effective_user.id)
        context.lang = _language(update, context, stored)


def _language(update: Update, context: BotContext, stored: users.User | None) -> Language:
    language = stored.language if stored is not None else None
    return language if language in LANGUAGES else detect_language(update, context)


async def guard_flood(update: Update, context: BotContext) -> None:
    """Drop a person's updates beyond the flood limit, saying so once."""
    user = update.effective_user
    if user is None or context.settings.is_moderator(user.id):
        return
    guard = context.bot_data.flood
    if guard.allow(user.id):
        return
    if (
        guard.should_warn(user.id)
        and update.effective_chat
        and update.effective_chat.type == ChatType.PRIVATE
    ):
        await acknowledge(update)
        await update.effective_chat.send_message(context.t("flood-slow-down"))
    raise ApplicationHandlerStop


async def guard_text(update: Update, context: BotContext) -> None:
    """Refuse text that cannot be stored or sent back: broken Unicode."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or message.caption or ""
    if _is_valid_unicode(text):
        return
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await update.effective_chat.send_message(context.t("text-invalid"))
    raise ApplicationHandlerStop


def _is_valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
