"""The command list Telegram shows in the menu, in both languages."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import Translator

log = logging.getLogger(__name__)


def command_list(
    i18n: Translator, language: str, commands: list[tuple[str, str]]
) -> list[BotCommand]:
    return [BotCommand(name, i18n.get(language, key)) for name, key in commands]


async def publish(
    bot: Bot, i18n: Translator, default_language: str, commands: list[tuple[str, str]]
) -> None:
    """setMyCommands for Khmer apps, English apps, and everyone else (DEFAULT_LANGUAGE)."""
    try:
        await bot.set_my_commands(command_list(i18n, default_language, commands))
        for language in i18n.languages:
            await bot.set_my_commands(
                command_list(i18n, language, commands), language_code=language
            )
    except TelegramError as exc:
        log.warning("could not publish the command list: %s", type(exc).__name__)


async def publish_for_chats(
    bot: Bot,
    i18n: Translator,
    default_language: str,
    commands: list[tuple[str, str]],
    chat_ids: frozenset[int],
) -> None:
    """setMyCommands for these private chats only (the admins': their own commands too)."""
    for chat_id in sorted(chat_ids):
        scope = BotCommandScopeChat(chat_id)
        try:
            await bot.set_my_commands(command_list(i18n, default_language, commands), scope=scope)
            await bot.set_my_commands(
                command_list(i18n, "km", commands), scope=scope, language_code="km"
            )
        except TelegramError as exc:
            # An admin who never wrote to the bot has no chat yet: the next start tries again.
            log.warning("could not publish an admin's commands: %s", type(exc).__name__)
