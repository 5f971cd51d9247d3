"""The last word: nothing a person sends goes unanswered."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.keyboards import main_menu
from bot.replies import acknowledge


async def unknown_message(update: Update, context: BotContext) -> None:
    """Text or a command no feature took."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("fallback-unknown"), reply_markup=main_menu(context, context.bot_data.menu)
    )


async def unsupported_message(update: Update, context: BotContext) -> None:
    """Stickers, locations, files outside a conversation that takes them."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("fallback-unsupported"), reply_markup=main_menu(context, context.bot_data.menu)
    )


async def private_only(update: Update, context: BotContext) -> None:
    """A person's command in some other group the bot was added to: point to the private chat."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.t("fallback-group"))


async def edited(update: Update, context: BotContext) -> None:
    """A message edited after it was sent: the bot answered the first version."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.t("fallback-edited"))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message, or forged callback data."""
    await acknowledge(update, context.t("callback-expired"), alert=True)
