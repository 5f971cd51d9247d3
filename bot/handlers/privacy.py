"""What the bot stores, in plain words."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.handlers.mydata import data_buttons
from bot.keyboards import home_row
from bot.replies import acknowledge, show

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def privacy_text(context: BotContext) -> str:
    days = str(context.settings.draft_retention_days)
    if context.lang == "km":
        days = days.translate(KHMER_DIGITS)
    retention = context.t("privacy-retention", days=days)
    return f"{context.t('privacy-text')}\n{retention}\n\n{context.t('privacy-commands')}"


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy and the menu entry."""
    await acknowledge(update)
    markup = InlineKeyboardMarkup([data_buttons(context), home_row(context)])
    await show(update, privacy_text(context), markup)
