"""Sending and editing that copes with what Telegram says about it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import safe_text


def escape(text: str) -> str:
    """Everything a person wrote goes out escaped (and clean): messages are sent as HTML."""
    return safe_text.escape(text)


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message a button was pressed on, or send a new one.

    Navigation edits in place instead of piling up messages.
    """
    query = update.callback_query
    if query is not None and query.message is not None and query.message.is_accessible:
        try:
            await query.edit_message_text(text, reply_markup=markup)
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
        await chat.send_message(text, reply_markup=markup)


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
