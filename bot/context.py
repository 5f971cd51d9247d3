"""Typed bot data and callback context, instead of string keys into dictionaries."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from threading import Thread
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, filters

from bot.answers_given import AnswersGiven
from bot.config import Language, Settings
from bot.memory import give_back_freed_memory
from bot.telegram_bot import TelegramBot

if TYPE_CHECKING:
    from telegram import InlineKeyboardMarkup

    from bot.announcements.feeder import AnnouncementFeeder
    from bot.deeplinks import DeepLink
    from bot.faq.search import FaqSearch
    from bot.flood import FloodGuard
    from bot.i18n import Translator
    from bot.keyboards import MenuEntry
    from bot.outbox import OutboxSender
    from bot.telegram_calls import TelegramCalls
    from storage.db import Database
    from storage.users import User


AnswerScreen = tuple[str, "InlineKeyboardMarkup"]


class BotData:
    """What every handler needs; filled in once by build_application()."""

    settings: Settings
    db: Database
    i18n: Translator
    flood: FloodGuard
    menu: list[MenuEntry]
    deep_links: list[DeepLink]
    commands: list[tuple[str, str]]
    outbox: OutboxSender
    telegram_calls: TelegramCalls
    announcements: AnnouncementFeeder
    # The moderators' group: its id follows Telegram when the group becomes a supergroup.
    moderation_chat_id: int | None
    moderation_chats: filters.Chat

    def __init__(self) -> None:
        self._faq: Future[FaqSearch] = Future()
        # The sender of each update being handled, as recorded when it was claimed.
        self.seen_users: dict[int, User] = {}
        # FAQ answer screens already rendered: (language, entry, feedback?, alternative).
        self.answer_screens: dict[tuple[str, str, bool, str | None], AnswerScreen] = {}
        self.answers_given = AnswersGiven()

    @property
    def faq(self) -> FaqSearch:
        """The FAQ index; the first question before it is built waits for it."""
        return self._faq.result()

    @faq.setter
    def faq(self, value: FaqSearch) -> None:
        self._faq = Future()
        self._faq.set_result(value)

    def build_faq_in_background(self, build: Callable[[], FaqSearch]) -> None:
        """Build the FAQ index in a thread, so start-up does not wait for it."""
        future: Future[FaqSearch] = Future()

        def run() -> None:
            try:
                built = build()
                give_back_freed_memory()
                future.set_result(built)
            except BaseException as exc:
                future.set_exception(exc)

        self._faq = future
        Thread(target=run, name="faq-index", daemon=True).start()

    @property
    def can_hand_over(self) -> bool:
        """Unanswered questions can go to the team only when there is a moderators' group."""
        return self.moderation_chat_id is not None


class BotContext(CallbackContext[TelegramBot, dict[object, object], dict[object, object], BotData]):
    """The context every handler receives."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self._lang: Language | None = None

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def db(self) -> Database:
        return self.bot_data.db

    @property
    def lang(self) -> Language:
        """The person's language; set from storage by the user-tracking handler."""
        return self._lang or self.bot_data.settings.default_language

    @lang.setter
    def lang(self, value: Language) -> None:
        self._lang = value

    def t(self, key: str, /, **args: object) -> str:
        return self.bot_data.i18n.get(self.lang, key, **args)

    def t_in(self, language: str, key: str, /, **args: object) -> str:
        return self.bot_data.i18n.get(language, key, **args)
