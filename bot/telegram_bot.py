"""The bot's ExtBot: a reply the bot never looks at again is not read back.

For every message it sends or edits, python-telegram-bot turns Telegram's answer (the whole
message: its text, entities and keyboard) back into a Message. The bot's answers to questions
and the screens it shows while someone browses are never looked at again, and reading them
back cost about a sixth of all the CPU a FAQ answer takes. These two calls send the same
request, through the same defaults, rate limiter and errors, and keep only the message's id.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, ReplyParameters
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram.ext import ExtBot

# Keyboards converted to JSON, kept by the keyboard object (see _keyboard_json).
KEYBOARDS_KEPT = 512


class TelegramBot(ExtBot[int]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keyboards: dict[int, tuple[InlineKeyboardMarkup, dict[str, Any]]] = {}

    async def send_unread(
        self,
        chat_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        *,
        quote: int | None = None,
    ) -> int:
        """sendMessage with the bot's defaults (HTML, no link previews); quote: the message
        it answers. Returns the sent message's id."""
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": DEFAULT_NONE,
            "link_preview_options": DEFAULT_NONE,
            "reply_markup": self._keyboard_json(reply_markup),
        }
        if quote is not None:
            data["reply_parameters"] = ReplyParameters(quote, allow_sending_without_reply=True)
        result = await self._post("sendMessage", data)
        return int(result["message_id"])

    async def edit_unread(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """editMessageText with the bot's defaults."""
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": DEFAULT_NONE,
            "link_preview_options": DEFAULT_NONE,
            "reply_markup": self._keyboard_json(reply_markup),
        }
        await self._post("editMessageText", data)

    def _keyboard_json(self, markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
        """The keyboard as Telegram reads it. An answer's keyboard is the same (frozen) object
        every time it is shown (faq_views keeps each rendered answer), and turning its seven
        buttons into JSON cost as much as a tenth of the answer's CPU: each is turned once."""
        if markup is None:
            return None
        kept = self._keyboards.get(id(markup))
        if kept is not None and kept[0] is markup:
            return kept[1]
        converted = markup.to_dict()
        if len(self._keyboards) >= KEYBOARDS_KEPT:
            # The oldest goes; holding the object keeps its id from being reused meanwhile.
            del self._keyboards[next(iter(self._keyboards))]
        self._keyboards[id(markup)] = (markup, converted)
        return converted
