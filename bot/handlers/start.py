"""Greeting, main menu, language choice and help."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import deeplinks
from bot.callbacks import LanguageButton
from bot.config import LANGUAGES
from bot.context import BotContext
from bot.handlers.tracking import app_language
from bot.keyboards import home_keyboard, language_row, main_menu
from bot.replies import acknowledge, show
from storage import users


def greeting_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    menu = main_menu(context, context.bot_data.menu)
    return InlineKeyboardMarkup([language_row(context), *menu.inline_keyboard])


async def start(update: Update, context: BotContext) -> None:
    """/start [payload]: follow a deep link, or greet and offer language and menu."""
    if context.args and await deeplinks.route(update, context, context.args[0]):
        return
    text = context.t("start-greeting")
    if await _language_was_guessed(update, context):
        # Said in the other language, so that someone who cannot read this one finds the switch.
        other = next(lang for lang in LANGUAGES if lang != context.lang)
        text += "\n\n" + context.t_in(other, "start-switch-hint")
    await show(update, text, greeting_keyboard(context))


async def _language_was_guessed(update: Update, context: BotContext) -> bool:
    """Neither chosen in the bot nor known from the Telegram app: DEFAULT_LANGUAGE was used."""
    if update.effective_user is None or app_language(update) is not None:
        return False
    stored = await users.get(context.db, update.effective_user.id)
    return stored is None or stored.language is None


async def home(update: Update, context: BotContext) -> None:
    """Home button: the main menu, in place."""
    await acknowledge(update)
    await show(update, context.t("menu-title"), main_menu(context, context.bot_data.menu))


async def ask_language(update: Update, context: BotContext) -> None:
    """/language or the menu entry: offer the two languages."""
    await acknowledge(update)
    markup = InlineKeyboardMarkup([language_row(context), *home_keyboard(context).inline_keyboard])
    await show(update, context.t("language-prompt"), markup)


async def set_language(update: Update, context: BotContext) -> None:
    """A language button: remember the choice and show the menu in that language."""
    assert update.callback_query is not None and update.effective_user is not None
    pressed = LanguageButton.parse(update.callback_query.data)
    choice = next((lang for lang in LANGUAGES if pressed and pressed.action == lang), None)
    if choice is None:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    await users.set_language(context.db, update.effective_user.id, choice)
    context.lang = choice
    await acknowledge(update, context.t("language-changed"))
    text = context.t("language-changed") + "\n\n" + context.t("menu-title")
    await show(update, text, main_menu(context, context.bot_data.menu))


async def help_command(update: Update, context: BotContext) -> None:
    """/help: what the bot can do, feature by feature."""
    features = "\n".join(context.t(entry.help_line) for entry in context.bot_data.menu)
    commands = "\n".join(f"/{name} – {context.t(key)}" for name, key in context.bot_data.commands)
    await show(
        update,
        context.t("help-text", features=features, commands=commands),
        main_menu(context, context.bot_data.menu),
    )
