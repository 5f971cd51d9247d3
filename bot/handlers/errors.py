"""What happens when a handler fails: a short apology, a log line without personal data."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import BotContext
from bot.handlers.tracking import recall_language
from storage import users

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update: %s", type(error).__name__, exc_info=error)
        return
    if isinstance(error, Forbidden) and update.effective_user is not None:
        # The person blocked the bot: stop writing to them until they write again.
        await users.mark_blocked(context.db, update.effective_user.id)
        return
    # BadRequest is a NetworkError in python-telegram-bot, but retrying it changes nothing;
    # neither does retrying text that cannot be encoded (PTB reports it as a NetworkError).
    if (
        isinstance(error, NetworkError | TimedOut | RetryAfter)
        and not isinstance(error, BadRequest)
        and not _undecodable(error)
    ):
        log.warning("update %s: %s; it will be retried", update.update_id, type(error).__name__)
        context.bot_data.retry_updates.add(update.update_id)
        return
    log.error("update %s failed: %s", update.update_id, type(error).__name__, exc_info=error)
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        try:
            await recall_language(update, context)
            await chat.send_message(context.t("error-generic"))
        except Exception as exc:
            log.warning("could not apologise: %s", type(exc).__name__)


def _undecodable(error: BaseException) -> bool:
    return isinstance(error.__cause__, UnicodeError) or "UnicodeEncodeError" in str(error)
