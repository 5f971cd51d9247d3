"""Sending and editing that copes with what Telegram says about it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import safe_text
from bot.telegram_bot import TelegramBot


def escape(text: str) -> str:
    """Everything a person wrote goes out escaped (and clean): messages are sent as HTML."""
    return safe_text.escape(text)


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message a button was pressed on, or send a new one.

    Navigation edits in place instead of piling up messages.
    """
    bot = update.get_bot()
    assert isinstance(bot, TelegramBot)
    query = update.callback_query
    message = query.message if query is not None else None
    if message is not None and message.is_accessible:
        try:
            await bot.edit_unread(message.chat.id, message.message_id, text, markup)
            return
        except BadRequest as exc:
            if "not modified" in exc.message:
                return
            if (
                "message to edit not found" not in exc.message
                and "can't be edited" not in exc.message
            ):
                raise
    chat = update.effective_chat
    if chat is not None:
        await bot.send_unread(chat.id, text, markup)


async def acknowledge(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Stop the button's spinner; a too-old query is not worth failing over."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as exc:
        if (
            "query is too old" not in exc.message
            and "query id is invalid" not in exc.message.lower()
        ):
            raise
