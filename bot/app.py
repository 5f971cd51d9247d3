"""build_application(): the one place that wires the bot and registers every handler in order."""

from __future__ import annotations

from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.context import BotContext, BotData
from bot.deeplinks import DeepLink
from bot.faq.catalog import load_catalog
from bot.faq.search import FaqSearch
from bot.faq.views import DEEP_LINK_PREFIX, FAQ
from bot.flood import FloodGuard
from bot.handlers import errors, fallback, faq, privacy, start, tracking
from bot.i18n import Translator
from bot.keyboards import LANG, MENU, MenuEntry
from bot.outbox import OutboxSender, SentHook
from bot.persistence import SQLitePersistence
from storage.db import Database

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]

# Handler groups: lower numbers run first, and every group sees every update.
GROUP_TRACK = -30
GROUP_FLOOD = -20
GROUP_SANITY = -10
GROUP_FEATURES = 0

# A person may send this many updates in this many seconds before being asked to slow down.
FLOOD_LIMIT = 20
FLOOD_WINDOW_SECONDS = 10.0

PRIVATE = filters.ChatType.PRIVATE


def menu_entries() -> list[MenuEntry]:
    """Main-menu entries of the features that exist, in menu order."""
    return [
        MenuEntry("faq", "menu-faq", "help-feature-faq"),
        MenuEntry("mydata", "menu-mydata", "help-feature-mydata"),
        MenuEntry("lang", "menu-language", "help-feature-language"),
    ]


def public_commands() -> list[tuple[str, str]]:
    """Commands and the keys of their descriptions, in the order Telegram lists them."""
    return [
        ("start", "cmd-start"),
        ("help", "cmd-help"),
        ("language", "cmd-language"),
        ("privacy", "cmd-privacy"),
    ]


def sent_hooks() -> dict[str, SentHook]:
    """What features do once one of their outbox messages has gone out."""
    return {}


def handlers() -> list[tuple[int, BaseHandler[Update, BotContext, object]]]:
    """Every handler, in the order they are tried."""
    return [
        (GROUP_TRACK, TypeHandler(Update, tracking.track_user)),
        (GROUP_FLOOD, TypeHandler(Update, tracking.guard_flood)),
        (GROUP_SANITY, TypeHandler(Update, tracking.guard_text)),
        (GROUP_FEATURES, CommandHandler("start", start.start, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("help", start.help_command, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("language", start.ask_language, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("privacy", privacy.privacy, filters=PRIVATE)),
        (GROUP_FEATURES, CallbackQueryHandler(start.home, pattern=f"^{MENU}:home$")),
        (GROUP_FEATURES, CallbackQueryHandler(start.ask_language, pattern=f"^{MENU}:lang$")),
        (GROUP_FEATURES, CallbackQueryHandler(privacy.privacy, pattern=f"^{MENU}:mydata$")),
        (GROUP_FEATURES, CallbackQueryHandler(start.set_language, pattern=f"^{LANG}:")),
        (GROUP_FEATURES, CallbackQueryHandler(faq.browse, pattern=f"^{MENU}:faq$")),
        (GROUP_FEATURES, CallbackQueryHandler(faq.open_category, pattern=f"^{FAQ}:c:")),
        (GROUP_FEATURES, CallbackQueryHandler(faq.open_answer, pattern=f"^{FAQ}:[qs]:")),
        (GROUP_FEATURES, CallbackQueryHandler(faq.vote, pattern=f"^{FAQ}:v:")),
        (GROUP_FEATURES, InlineQueryHandler(faq.inline_query)),
        (GROUP_FEATURES, MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, faq.ask)),
        (GROUP_FEATURES, MessageHandler(PRIVATE & filters.TEXT, fallback.unknown_message)),
        (
            GROUP_FEATURES,
            MessageHandler(PRIVATE & ~filters.StatusUpdate.ALL, fallback.unsupported_message),
        ),
        (GROUP_FEATURES, CallbackQueryHandler(fallback.stale_button)),
    ]


def build_application(
    settings: Settings, db: Database, translator: Translator | None = None
) -> BotApplication:
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    app = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(max_retries=3))
        .persistence(SQLitePersistence(db))
        .context_types(context_types)
        .updater(None)
        .build()
    )
    data = app.bot_data
    assert isinstance(data, BotData)
    data.settings = settings
    data.db = db
    data.i18n = translator or Translator()
    data.flood = FloodGuard(FLOOD_LIMIT, FLOOD_WINDOW_SECONDS)
    data.menu = menu_entries()
    data.deep_links = [DeepLink(DEEP_LINK_PREFIX, faq.open_from_link)]
    data.faq = FaqSearch(load_catalog(), data.i18n)
    data.outbox = OutboxSender(app.bot, db, sent_hooks())
    data.commands = public_commands()
    for group, handler in handlers():
        app.add_handler(handler, group=group)
    app.add_error_handler(errors.on_error)
    return app
