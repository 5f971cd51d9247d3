"""What the step-by-step forms (registration, announcements) share: each state also takes
what leaves the form or does not answer it, and the form's state is stored under its name."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.context import BotContext

StepHandler = BaseHandler[Update, BotContext, object]
StepT = TypeVar("StepT", bound=StrEnum)


def form(
    name: str,
    entry_points: list[StepHandler],
    states: dict[StepT, list[StepHandler]],
    also: Callable[[StepT], list[StepHandler]],
) -> ConversationHandler[BotContext]:
    """A persistent form; `also(step)` is tried after each state's own handlers."""
    every: dict[object, list[StepHandler]] = {}
    for step, step_handlers in states.items():
        every[step] = [*step_handlers, *also(step)]
    with warnings.catch_warnings():
        # Buttons are tracked per chat on purpose: every state checks the data it accepts.
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=every,
            fallbacks=[],
            name=name,
            persistent=True,
        )
