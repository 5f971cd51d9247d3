"""Keyboard builders shared by the features; their callback data comes from bot/callbacks.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import LanguageButton, MenuButton
from bot.config import LANGUAGES
from bot.context import BotContext


@dataclass(frozen=True)
class MenuEntry:
    """A main-menu entry; only features that exist add one."""

    key: str
    label: str
    help_line: str


def button(context: BotContext, label_key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(context.t(label_key), callback_data=data)


def language_row(context: BotContext) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            context.t(f"lang-name-{lang}"), callback_data=LanguageButton(lang).pack()
        )
        for lang in LANGUAGES
    ]


def main_menu(context: BotContext, entries: Sequence[MenuEntry]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(context, entry.label, MenuButton(entry.key).pack())] for entry in entries]
    )


def home_row(context: BotContext, back: str | None = None) -> list[InlineKeyboardButton]:
    row = []
    if back is not None:
        row.append(button(context, "nav-back", back))
    row.append(button(context, "nav-home", MenuButton("home").pack()))
    return row


def home_keyboard(context: BotContext, back: str | None = None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([home_row(context, back)])
