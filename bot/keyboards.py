"""Keyboard builders and the callback data they carry.

Callback data is ASCII, at most 64 bytes, and never trusted: handlers check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import LANGUAGES
from bot.context import BotContext

MAX_CALLBACK_BYTES = 64

# Callback data prefixes, one per feature.
MENU = "m"
LANG = "lang"


def cb(*parts: str | int) -> str:
    data = ":".join(str(p) for p in parts)
    if not data.isascii() or len(data) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data must be ASCII and at most 64 bytes: {data!r}")
    return data


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
        InlineKeyboardButton(context.t(f"lang-name-{lang}"), callback_data=cb(LANG, lang))
        for lang in LANGUAGES
    ]


def main_menu(context: BotContext, entries: Sequence[MenuEntry]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(context, entry.label, cb(MENU, entry.key))] for entry in entries]
    )


def home_row(context: BotContext, back: str | None = None) -> list[InlineKeyboardButton]:
    row = []
    if back is not None:
        row.append(button(context, "nav-back", back))
    row.append(button(context, "nav-home", cb(MENU, "home")))
    return row


def home_keyboard(context: BotContext, back: str | None = None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([home_row(context, back)])
