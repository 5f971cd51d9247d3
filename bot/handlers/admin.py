"""/stats and /export: the admins' figures, chart and CSV files, in a private chat only."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from telegram import Update

from bot.admin import chart, csv_export, views
from bot.context import BotContext
from bot.handlers.faq_views import text_of
from bot.moderation import gate
from bot.numbers import localized
from storage import audit, exports, stats

log = logging.getLogger(__name__)
CHART_DAYS = 30


async def show_stats(update: Update, context: BotContext) -> None:
    """/stats: the figures in the admin's language, and the 30-day chart."""
    if not await gate.authorise(update, context, "stats", "stats", role="admin"):
        return
    chat = update.effective_chat
    assert chat is not None
    i18n, lang = context.bot_data.i18n, context.lang
    figures = await stats.figures(context.db)

    def question(entry_id: str) -> str:
        has = context.bot_data.faq.catalog.has(entry_id)
        return text_of(context, entry_id).question if has else entry_id

    text = views.figures_text(context.t, lambda key: i18n.has(lang, key), lang, figures, question)
    await chat.send_message(text)
    series = await stats.per_day(context.db, CHART_DAYS)
    # Drawing takes a moment of CPU: off the event loop, so others are answered meanwhile.
    png = await asyncio.to_thread(chart.render, series)
    await chat.send_photo(png, caption=context.t("stats-chart-caption"))


async def export(update: Update, context: BotContext) -> None:
    """/export [registrations|submissions|subscriptions]: CSV files, each one audited."""
    user = update.effective_user
    if not await gate.authorise(update, context, "export", "export", role="admin"):
        return
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None and user is not None
    wanted = [a.lower() for a in context.args or []]
    if any(kind not in exports.KINDS for kind in wanted):
        await message.reply_text(context.t("export-usage"))
        return
    with tempfile.TemporaryDirectory() as folder:
        for kind in wanted or exports.KINDS:
            path = Path(folder) / f"{kind}.csv"
            count = await csv_export.write(context.db, kind, path)
            await audit.record(
                context.db,
                actor_id=user.id,
                actor_role="admin",
                action="export",
                subject=f"export:{kind}",
                detail={"rows": count},
            )
            with path.open("rb") as handle:
                await chat.send_document(
                    handle,
                    filename=path.name,
                    caption=context.t(
                        "export-caption", kind=kind, rows=localized(count, context.lang)
                    ),
                )
