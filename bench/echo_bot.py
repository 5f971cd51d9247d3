"""The yardstick for bench/throughput.py: a bare python-telegram-bot echo bot.

Long polling through the framework's own Updater, one handler that answers each text with
itself. ECHO_RATE_LIMITER=1 adds AIORateLimiter with its defaults, as a typical bot would.
Run by bench/throughput.py; reads BOT_TOKEN and TELEGRAM_API_BASE_URL.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    builder = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .concurrent_updates(8)
    )
    if os.environ.get("ECHO_RATE_LIMITER") == "1":
        builder = builder.rate_limiter(AIORateLimiter())
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0.0, timeout=25)


if __name__ == "__main__":
    main()
