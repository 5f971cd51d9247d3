"""What people see of their subscriptions: toggles, edited in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import MenuButton, SubscriptionButton
from storage.subscriptions import TOPICS

Translate = Callable[..., str]


def toggles(
    t: Translate, chosen: set[str], *, intro_key: str = "sub-intro"
) -> tuple[str, InlineKeyboardMarkup]:
    """The topics with a tick on those chosen; pressing one flips it."""
    rows = []
    for topic in TOPICS:
        on = topic in chosen
        mark = "☑️" if on else "⬜"
        action: Literal["off", "on"] = "off" if on else "on"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark} {t(f'sub-topic-{topic}')}",
                    callback_data=SubscriptionButton(action, topic).pack(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(t("sub-done"), callback_data=SubscriptionButton("done").pack()),
            InlineKeyboardButton(t("nav-home"), callback_data=MenuButton("home").pack()),
        ]
    )
    return t(intro_key), InlineKeyboardMarkup(rows)


def summary(t: Translate, chosen: set[str]) -> str:
    if not chosen:
        return t("sub-none")
    names = "\n".join(f"• {t(f'sub-topic-{topic}')}" for topic in TOPICS if topic in chosen)
    return t("sub-saved") + "\n" + names


def reopen_markup(t: Translate) -> InlineKeyboardMarkup:
    """Under an announcement after its unsubscribe: the way back to the choices."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("sub-manage"), callback_data=SubscriptionButton("show").pack())]]
    )
