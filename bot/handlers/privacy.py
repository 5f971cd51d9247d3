"""What the bot stores, in plain words."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.keyboards import home_keyboard
from bot.replies import acknowledge, show


def privacy_text(context: BotContext) -> str:
    commands = "privacy-commands" if context.bot_data.has_data_commands else "privacy-commands-none"
    return context.t("privacy-text") + "\n\n" + context.t(commands)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy and the menu entry."""
    await acknowledge(update)
    await show(update, privacy_text(context), home_keyboard(context))
