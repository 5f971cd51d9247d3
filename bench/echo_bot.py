"""The yardstick for bench/throughput.py: a bare python-telegram-bot echo bot.

Long polling through the framework's own Updater, one handler that answers each text with
itself. ECHO_RATE_LIMITER=1 adds AIORateLimiter with its defaults, as a typical bot would.
ECHO_ANSWER_FILE names a sendMessage call's parameters as JSON (the bot's answer: text, HTML,
buttons): then every text is answered with that message instead, so the yardstick sends what
the bot sends. Run by bench/throughput.py; reads BOT_TOKEN and TELEGRAM_API_BASE_URL.
"""

from __future__ import annotations

import json
import os
from typing import Any

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

ANSWER: dict[str, Any] = {}


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    if not ANSWER:
        await message.reply_text(message.text)
        return
    await message.reply_text(
        ANSWER["text"],
        parse_mode=ANSWER.get("parse_mode"),
        reply_markup=InlineKeyboardMarkup.de_json(ANSWER.get("reply_markup"), context.bot),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


def main() -> None:
    if os.environ.get("ECHO_ANSWER_FILE"):
        with open(os.environ["ECHO_ANSWER_FILE"], encoding="utf-8") as answer:
            ANSWER.update(json.load(answer))
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
