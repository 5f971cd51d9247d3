"""What the bot stores, in plain words."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.handlers.mydata import data_buttons
from bot.keyboards import home_row
from bot.replies import acknowledge, show


def privacy_text(context: BotContext) -> str:
    return context.t("privacy-text") + "\n\n" + context.t("privacy-commands")


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy and the menu entry."""
    await acknowledge(update)
    markup = InlineKeyboardMarkup([data_buttons(context), home_row(context)])
    await show(update, privacy_text(context), markup)
