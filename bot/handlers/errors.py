"""What happens when a handler fails: a short apology, a log line without personal data.

Whether the update is tried again is not decided here: the Application raises
bot.failures.RetryUpdate to the processor once the error handlers have run.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden

from bot.context import BotContext
from bot.failures import retryable
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
    if retryable(error):
        # No apology: the update is tried again, and answered then.
        log.warning("update %s: %s; it will be retried", update.update_id, type(error).__name__)
        return
    log.error("update %s failed: %s", update.update_id, type(error).__name__, exc_info=error)
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        try:
            await recall_language(update, context)
            await chat.send_message(context.t("error-generic"))
        except Exception as exc:
            log.warning("could not apologise: %s", type(exc).__name__)
