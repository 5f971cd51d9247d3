"""build_application(): the one place that wires the bot and registers every handler in order."""

from __future__ import annotations

from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
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

from bot.announcements.feeder import AnnouncementFeeder
from bot.callbacks import (
    CONFIRMED,
    AnnounceButton,
    ContributionButton,
    FaqAnswer,
    FaqAskTeam,
    FaqCategory,
    FaqVote,
    LanguageButton,
    MenuButton,
    MyDataButton,
    ProfileButton,
    QueuePage,
    RegButton,
    SubscriptionButton,
    VerifyRegistration,
)
from bot.callbacks import CardButton as Card
from bot.config import Settings
from bot.context import BotContext, BotData
from bot.contributions import service
from bot.deeplinks import DeepLink
from bot.failures import RetryUpdate, retryable
from bot.faq.catalog import load_catalog
from bot.faq.search import FaqSearch
from bot.flood import FloodGuard
from bot.handlers import (
    admin,
    announcements,
    contributions,
    errors,
    fallback,
    faq,
    faq_learning,
    moderation,
    mydata,
    privacy,
    profile,
    registration,
    start,
    subscriptions,
    tracking,
    verification,
)
from bot.handlers.faq_views import DEEP_LINK_PREFIX
from bot.i18n import Translator
from bot.keyboards import MenuEntry
from bot.moderation import service as moderation_service
from bot.outbox import OutboxSender, SentHook
from bot.persistence import SQLitePersistence
from bot.registration import notify as registration_notify
from bot.sends import CountingRateLimiter
from bot.telegram_bot import TelegramBot
from bot.telegram_calls import TelegramCalls, TrackedRequest
from storage.db import Database


class BotApplication(Application[Any, BotContext, Any, Any, BotData, Any]):
    """python-telegram-bot's Application, with one addition: once the error handlers have seen
    a handler's network error, process_update raises RetryUpdate, so the processor learns that
    the update must be tried again (PTB itself swallows every error a handler raises)."""

    async def process_error(
        self,
        update: object | None,
        error: Exception,
        job: Any = None,
        coroutine: Any = None,
    ) -> bool:
        stopped = await super().process_error(update, error, job, coroutine)
        # Only errors of process_update itself: jobs and background tasks have no update to retry.
        if isinstance(update, Update) and job is None and coroutine is None and retryable(error):
            raise RetryUpdate(update.update_id) from error
        return stopped


# Handler groups: lower numbers run first, and every group sees every update.
GROUP_TRACK = -30
GROUP_FLOOD = -20
GROUP_SANITY = -10
GROUP_FEATURES = 0

PRIVATE = filters.ChatType.PRIVATE

# Messages the overall rate limiter lets through at once after a quiet moment.
OVERALL_BURST = 2


def menu_entries() -> list[MenuEntry]:
    """Main-menu entries of the features that exist, in menu order."""
    return [
        MenuEntry("faq", "menu-faq", "help-feature-faq"),
        MenuEntry("contribute", "menu-contribute", "help-feature-contribute"),
        MenuEntry("register", "menu-register", "help-feature-register"),
        MenuEntry("subs", "menu-subscriptions", "help-feature-subscriptions"),
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
        ("register", "cmd-register"),
        ("profile", "cmd-profile"),
        ("mydata", "cmd-mydata"),
        ("deleteme", "cmd-deleteme"),
        ("contribute", "cmd-contribute"),
        ("mysubmissions", "cmd-mysubmissions"),
        ("subscriptions", "cmd-subscriptions"),
        ("cancel", "cmd-cancel"),
    ]


def admin_commands() -> list[tuple[str, str]]:
    """What admins see in their command menu besides everyone's commands."""
    return [("announce", "cmd-announce"), ("stats", "cmd-stats"), ("export", "cmd-export")]


def sent_hooks() -> dict[str, SentHook]:
    """What features do once one of their outbox messages has gone out."""
    return {
        service.CARD_HOOK: service.card_sent,
        service.COPY_HOOK: service.copy_sent,
        registration_notify.CARD_SENT: registration_notify.card_sent,
    }


def card_button(
    kind: str | None, action: moderation.CardAction
) -> tuple[int, BaseHandler[Update, BotContext, object]]:
    """A button on a submission's card (any kind, for None): the gate first, then the action."""
    return (
        GROUP_FEATURES,
        CallbackQueryHandler(moderation.on_card(action), pattern=Card.pattern(kind)),
    )


def handlers(
    moderation_chats: filters.Chat,
) -> list[tuple[int, BaseHandler[Update, BotContext, object]]]:
    """Every handler, in the order they are tried."""
    moderators_group = moderation_chats & filters.ChatType.GROUPS
    return [
        (GROUP_TRACK, TypeHandler(Update, tracking.track_user)),
        (GROUP_FLOOD, TypeHandler(Update, tracking.guard_flood)),
        (GROUP_SANITY, TypeHandler(Update, tracking.guard_text)),
        # Registration first among the features: a command in the middle of the form is
        # answered by the form ("finish or /cancel"), not by another feature.
        (GROUP_FEATURES, registration.conversation()),
        (GROUP_FEATURES, announcements.conversation()),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(
                announcements.control, pattern=AnnounceButton.pattern("pause", "resume", "cancel")
            ),
        ),
        (GROUP_FEATURES, CommandHandler("stats", admin.show_stats, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("export", admin.export, filters=PRIVATE)),
        (
            GROUP_FEATURES,
            CommandHandler("subscriptions", subscriptions.show_toggles, filters=PRIVATE),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(subscriptions.show_toggles, pattern=MenuButton.pattern("subs")),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(subscriptions.on_button, pattern=SubscriptionButton.pattern()),
        ),
        (GROUP_FEATURES, CommandHandler("profile", profile.show_profile, filters=PRIVATE)),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(profile.show_profile, pattern=ProfileButton.pattern("show")),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(
                profile.ask_withdraw, pattern=ProfileButton.pattern("withdraw", "")
            ),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(
                profile.withdraw, pattern=ProfileButton.pattern("withdraw", CONFIRMED)
            ),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(verification.verify, pattern=VerifyRegistration.pattern()),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(registration.outside_button, pattern=RegButton.any_value()),
        ),
        (GROUP_FEATURES, CommandHandler("mydata", mydata.export, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("deleteme", mydata.ask_erase, filters=PRIVATE)),
        (GROUP_FEATURES, CallbackQueryHandler(mydata.export, pattern=MyDataButton.pattern("show"))),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(mydata.ask_erase, pattern=MyDataButton.pattern("delete")),
        ),
        (GROUP_FEATURES, CallbackQueryHandler(mydata.erase, pattern=MyDataButton.pattern("erase"))),
        (GROUP_FEATURES, CallbackQueryHandler(mydata.keep, pattern=MyDataButton.pattern("keep"))),
        (GROUP_FEATURES, CommandHandler("start", start.start, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("help", start.help_command, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("language", start.ask_language, filters=PRIVATE)),
        (GROUP_FEATURES, CommandHandler("privacy", privacy.privacy, filters=PRIVATE)),
        (GROUP_FEATURES, CallbackQueryHandler(start.home, pattern=MenuButton.pattern("home"))),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(start.ask_language, pattern=MenuButton.pattern("lang")),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(privacy.privacy, pattern=MenuButton.pattern("mydata")),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(start.set_language, pattern=LanguageButton.any_action()),
        ),
        # Moderators' group
        card_button("claim", moderation.claim),
        card_button("ok", moderation.approve),
        card_button("no", moderation.ask_reason),
        card_button("rr", moderation.reject_with_reason),
        card_button("card", moderation.back_to_card),
        card_button("reply", moderation.explain_reply),
        card_button("ban", moderation.ban_sender),
        # The FAQ-link buttons on a question's card pass the same gate.
        card_button("link", faq_learning.show_choices),
        card_button("lk", faq_learning.link),
        card_button(None, moderation.unknown_button),
        (GROUP_FEATURES, CallbackQueryHandler(moderation.show_queue, pattern=QueuePage.pattern())),
        (GROUP_FEATURES, CommandHandler("queue", moderation.show_queue, filters=moderators_group)),
        (
            GROUP_FEATURES,
            CommandHandler("reject", moderation.reject_command, filters=moderators_group),
        ),
        (
            GROUP_FEATURES,
            CommandHandler("unban", moderation.unban_command, filters=moderators_group),
        ),
        (
            GROUP_FEATURES,
            # Any reply, not only text: a moderator who answers with a photo is told to write.
            MessageHandler(
                moderators_group
                & filters.UpdateType.MESSAGE
                & filters.REPLY
                & ~filters.COMMAND
                & ~filters.StatusUpdate.ALL,
                moderation.relay_reply,
            ),
        ),
        # Only the moderators' own group: another group's migration changes nothing.
        (
            GROUP_FEATURES,
            MessageHandler(
                filters.StatusUpdate.MIGRATE & moderation_chats, moderation.group_migrated
            ),
        ),
        # Contributions and questions to the team
        (GROUP_FEATURES, contributions.conversation()),
        (
            GROUP_FEATURES,
            CommandHandler("mysubmissions", contributions.my_submissions, filters=PRIVATE),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(
                contributions.my_submissions, pattern=ContributionButton.pattern("mine")
            ),
        ),
        (
            GROUP_FEATURES,
            CallbackQueryHandler(contributions.hand_over_question, pattern=FaqAskTeam.PATTERN),
        ),
        (GROUP_FEATURES, CallbackQueryHandler(faq.browse, pattern=MenuButton.pattern("faq"))),
        (GROUP_FEATURES, CallbackQueryHandler(faq.open_category, pattern=FaqCategory.PATTERN)),
        (GROUP_FEATURES, CallbackQueryHandler(faq.open_answer, pattern=FaqAnswer.PATTERN)),
        (GROUP_FEATURES, CallbackQueryHandler(faq.vote, pattern=FaqVote.PATTERN)),
        (GROUP_FEATURES, InlineQueryHandler(faq.inline_query)),
        # After every form's own /cancel.
        (GROUP_FEATURES, CommandHandler("cancel", registration.nothing_to_cancel, PRIVATE)),
        (GROUP_FEATURES, MessageHandler(PRIVATE & filters.UpdateType.EDITED, fallback.edited)),
        (GROUP_FEATURES, MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, faq.ask)),
        (GROUP_FEATURES, MessageHandler(PRIVATE & filters.TEXT, fallback.unknown_message)),
        (
            GROUP_FEATURES,
            MessageHandler(PRIVATE & ~filters.StatusUpdate.ALL, fallback.unsupported_message),
        ),
        (
            GROUP_FEATURES,
            CommandHandler(
                ["start", "help", "contribute", "register"],
                fallback.private_only,
                filters=filters.ChatType.GROUPS & ~moderation_chats,
            ),
        ),
        (GROUP_FEATURES, CallbackQueryHandler(fallback.stale_button)),
    ]


def rate_limiter(group_per_minute: int, per_second: int = 30) -> CountingRateLimiter:
    """Telegram's limits: about 30 messages a second overall, 20 a minute to one group.

    Neither is a plain bucket of the limit's size: 20 per 60 s would let a burst of 20 through
    and then 20 more within the same minute, and 30 per second lets 59 through in the first
    second. A group gets one message every 60/group_per_minute s. Overall, a bucket of 2 that
    drains at per_second - 4 a second lets a lone reply go at once and never puts more than
    per_second - 2 into any one-second window (a margin of two for network jitter).
    """
    return CountingRateLimiter(
        overall_max_rate=OVERALL_BURST,
        overall_time_period=OVERALL_BURST / (per_second - OVERALL_BURST - 2),
        group_max_rate=1,
        group_time_period=60 / group_per_minute,
        max_retries=3,
    )


def build_application(
    settings: Settings, db: Database, translator: Translator | None = None
) -> BotApplication:
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    calls = TelegramCalls()
    limiter = rate_limiter(settings.group_messages_per_minute, settings.messages_per_second)
    bot = TelegramBot(
        settings.bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        rate_limiter=limiter,
        request=TrackedRequest(calls, connection_pool_size=256),
        get_updates_request=TrackedRequest(calls, connection_pool_size=1),
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .persistence(SQLitePersistence(db))
        .context_types(context_types)
        .updater(None)
        # Nothing is scheduled through python-telegram-bot: housekeeping, the outbox and
        # announcements run their own loops, so no APScheduler is started.
        .job_queue(None)
        .application_class(BotApplication)
        .build()
    )
    assert isinstance(app, BotApplication)
    data = app.bot_data
    assert isinstance(data, BotData)
    data.settings = settings
    data.db = db
    data.telegram_calls = calls
    data.i18n = translator or Translator()
    data.i18n.configure(settings.consultation_dates, settings.workshop_date, settings.article_url)
    data.flood = FloodGuard(settings.flood_limit, settings.flood_window_seconds)
    data.menu = menu_entries()
    data.deep_links = [DeepLink(DEEP_LINK_PREFIX, faq.open_from_link)]
    catalog = load_catalog()
    data.build_faq_in_background(lambda: FaqSearch(catalog, data.i18n))
    data.outbox = OutboxSender(
        app.bot,
        db,
        sent_hooks(),
        on_migrated=lambda old, new: moderation_service.follow_migration(data, old, new),
        group_interval=60 / settings.group_messages_per_minute,
        # Announcements go at their configured rate, below the overall limit: replies first.
        bulk_per_second=min(settings.announce_rate, settings.messages_per_second),
        refused_hooks={
            service.CARD_HOOK: lambda item, reason: service.card_refused(data, item, reason),
            service.ANSWER_HOOK: lambda item, r: service.answer_not_delivered(data, item, r),
        },
    )
    data.announcements = AnnouncementFeeder(
        app.bot,
        db,
        data.i18n,
        rate=settings.announce_rate,
        progress_seconds=settings.announce_progress_seconds,
        default_language=settings.default_language,
        wake_outbox=data.outbox.wake,
        recent_sends=limiter.recent,
    )
    data.commands = public_commands()
    data.moderation_chat_id = settings.moderation_chat_id
    data.moderation_chats = filters.Chat(
        chat_id=[settings.moderation_chat_id] if settings.moderation_chat_id else []
    )
    for group, handler in handlers(data.moderation_chats):
        app.add_handler(handler, group=group)
    app.add_error_handler(errors.on_error)
    return app
