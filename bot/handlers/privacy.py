"""What the bot stores, in plain words."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.handlers.mydata import data_buttons
from bot.keyboards import home_row
from bot.replies import acknowledge, show


def privacy_text(context: BotContext) -> str:
    commands = "privacy-commands" if context.bot_data.has_data_commands else "privacy-commands-none"
    return context.t("privacy-text") + "\n\n" + context.t(commands)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy and the menu entry."""
    await acknowledge(update)
    rows = [data_buttons(context)] if context.bot_data.has_data_commands else []
    await show(update, privacy_text(context), InlineKeyboardMarkup([*rows, home_row(context)]))
