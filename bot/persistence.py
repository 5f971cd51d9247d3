"""Conversation states in SQLite, so a half-finished form survives a restart.

Only conversations are kept here: everything else the bot remembers lives in
its own tables under storage/, where it can be exported and deleted.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage import conversations
from storage.conversations import ConversationWrite
from storage.db import Database

_NOTHING = PersistenceInput(bot_data=False, chat_data=False, user_data=False, callback_data=False)


class SQLitePersistence(BasePersistence[Any, Any, Any]):
    """Conversation states are held back until the update that produced them is finished.

    The inbox processor takes a chat's pending states and commits them in the same
    transaction that marks the update done (see bot/processor.py).
    """

    def __init__(self, db: Database) -> None:
        super().__init__(store_data=_NOTHING, update_interval=60)
        self.db = db
        self._pending: dict[tuple[str, tuple[int | str, ...]], object | None] = {}

    def take(self, chat_id: int | None) -> list[ConversationWrite]:
        """The pending states of one chat's conversations, removed from the buffer."""
        taken = [
            (name, key, state)
            for (name, key), state in self._pending.items()
            if key and key[0] == chat_id
        ]
        for name, key, _ in taken:
            del self._pending[(name, key)]
        return taken

    def take_all(self) -> list[ConversationWrite]:
        taken = [(name, key, state) for (name, key), state in self._pending.items()]
        self._pending.clear()
        return taken

    async def get_conversations(self, name: str) -> ConversationDict:
        return await conversations.load_all(self.db, name)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        self._pending[(name, tuple(key))] = new_state

    async def get_user_data(self) -> dict[int, Any]:
        return {}

    async def get_chat_data(self) -> dict[int, Any]:
        return {}

    async def get_bot_data(self) -> Any:
        return None

    async def get_callback_data(self) -> None:
        return None

    async def _nothing_to_store(self, *_: object, **__: object) -> None:
        """user_data, chat_data, bot_data and callback data are not kept (store_data says
        so); python-telegram-bot still requires each of these methods."""

    update_user_data = update_chat_data = update_bot_data = update_callback_data = _nothing_to_store
    drop_chat_data = drop_user_data = _nothing_to_store
    refresh_user_data = refresh_chat_data = refresh_bot_data = _nothing_to_store

    async def flush(self) -> None:
        # At shutdown every update still running has finished: its states can go.
        await conversations.save(self.db, self.take_all())
