"""A fake Telegram Bot API server for end-to-end tests.

The server speaks real HTTP on 127.0.0.1, so python-telegram-bot talks to it exactly as it
talks to api.telegram.org::

    with FakeTelegram() as fake:
        app = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .build()
        )
        dara = fake.user(1001, first_name="Dara", language_code="km")
        mark = fake.mark()
        dara.send("/start")
        reply = fake.wait_for_message(dara.id, after=mark)   # or: await fake.await_message(...)

The server runs in a daemon thread with its own event loop, so it serves a bot running in a
subprocess as well as a bot running in the pytest event loop. Every public method is
thread-safe. Blocking ``wait_*`` helpers must not be called from the event loop the bot runs
in; use the ``await_*`` twins there.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import itertools
import json
import math
import re
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import TracebackType
from typing import Any, Final, TypeVar

from aiohttp import web
from aiohttp.web_request import FileField

JSON = dict[str, Any]
T = TypeVar("T")

MAX_TEXT_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_DOWNLOAD_SIZE: Final = 20 * 1024 * 1024
MAX_UPLOAD_SIZE: Final = 50 * 1024 * 1024
MAX_ALBUM_SIZE: Final = 10
MAX_INLINE_RESULTS: Final = 50
GROUP_ANONYMOUS_BOT_ID: Final = 1087968824
FAULT_KINDS: Final = frozenset({"429", "500", "502", "502-accepted", "timeout", "stall"})
UNPARSEABLE_KINDS: Final = frozenset({"message_without_date", "poll_without_field"})
SEND_METHODS: Final = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendvoice",
        "sendmediagroup",
        "copymessage",
        "forwardmessage",
    }
)

_GROUP_ANONYMOUS_BOT: Final[JSON] = {
    "id": GROUP_ANONYMOUS_BOT_ID,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
_SERVICE_USER: Final[JSON] = {"id": 777000, "is_bot": False, "first_name": "Telegram"}

_NOT_FOUND: Final[JSON] = {"ok": False, "error_code": 404, "description": "Not Found"}
_UNAUTHORIZED: Final[JSON] = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_FAULT_BODIES: Final[dict[int, JSON]] = {
    500: {"ok": False, "error_code": 500, "description": "Internal Server Error"},
    502: {"ok": False, "error_code": 502, "description": "Bad Gateway"},
}

QUERY_TOO_OLD: Final = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_SUPERSEDED: Final = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_WEBHOOK_ACTIVE: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)

_API_PATH: Final = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]*)")
_FILE_PATH: Final = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")
_COMMAND_ENTITY: Final = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_BOT_COMMAND: Final = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE: Final = re.compile(r"[a-z]{2}")

# Parameters whose form value is a plain string; every other form value is JSON-encoded
# by python-telegram-bot (numbers, booleans, keyboards, media lists, ...).
# fmt: off
_STRING_PARAMS: Final = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "inline_query_id", "url", "file_id",
    "action", "title", "description", "query", "secret_token", "language_code",
    "inline_message_id", "business_connection_id", "message_effect_id", "next_offset",
    "switch_pm_text", "switch_pm_parameter", "document", "photo", "voice", "video", "audio",
    "animation", "sticker", "thumbnail", "certificate", "ip_address", "emoji", "phone_number",
    "first_name", "last_name", "vcard", "custom_title",
})
_BUTTON_ACTIONS: Final = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)
_CHAT_ACTIONS: Final = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
# fmt: on
_MEDIA_KINDS: Final = ("photo", "document", "video", "audio", "voice", "sticker")
_CONTENT_KEYS: Final = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    *_MEDIA_KINDS,
    "contact",
)
_FILE_FOLDERS: Final = {
    "photo": ("photos", ".jpg"),
    "document": ("documents", ".bin"),
    "video": ("videos", ".mp4"),
    "audio": ("music", ".mp3"),
    "voice": ("voice", ".oga"),
    "sticker": ("stickers", ".webp"),
}


class ApiError(Exception):
    """A Bot API error answer; raised by method implementations, turned into a response."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def _forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def _migrated_error(new_chat_id: int) -> ApiError:
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


def _clone(value: T) -> T:
    """A deep copy of JSON-shaped data (dicts, lists, scalars), several times faster than
    copy.deepcopy; anything else falls back to it."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [_clone(v) for v in value]  # type: ignore[return-value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return copy.deepcopy(value)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


# --------------------------------------------------------------------------- HTML parse mode

_HTML_SPACES: Final = " \t\r\n\v\f\0"
# fmt: off
_ALLOWED_TAGS: Final = frozenset({
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "tg-emoji", "code", "pre", "blockquote",
})
# fmt: on
_SIMPLE_TAG_ENTITIES: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_HTML_ENTITY: Final = re.compile(
    r"&(?:(?P<named>lt|gt|amp|quot)|#(?P<dec>[0-9]{1,7})|#[xX](?P<hex>[0-9a-fA-F]{1,6}));"
)
_NAMED_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_PLAIN_TEXT: Final = re.compile(r"[^&<]+")


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    match = _HTML_ENTITY.match(text, pos)
    if match is None:
        return None
    if match["named"]:
        return _NAMED_ENTITIES[match["named"]], match.end()
    code = int(match["dec"]) if match["dec"] else int(match["hex"], 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _tag_argument(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return None


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    out_index: int


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> JSON:
        return {"type": self.type, "offset": self.offset, "length": self.length, **self.extra}


class _HtmlParser:
    """Port of TDLib's parse_html: same acceptance rules and error wording.

    One deliberate difference: a bare "&" is rejected (TDLib keeps it literally), because
    the Bot API documentation requires it to be escaped and the bot should do so.
    """

    def __init__(self, source: str) -> None:
        self._source = source
        self._text = source + "\0"  # TDLib scans a NUL-terminated string; keep its lookahead
        self._end = len(source)
        self._pos = 0
        self._out: list[str] = []
        self._utf16 = 0
        self._open: list[_OpenTag] = []
        self._entities: list[_Entity] = []

    def parse(self) -> tuple[str, list[JSON]]:
        while self._pos < self._end:
            char = self._text[self._pos]
            if char == "&":
                self._read_entity()
            elif char == "<":
                self._read_tag()
            else:
                # Plain text up to the next "&" or "<", appended at once.
                plain = _PLAIN_TEXT.match(self._text, self._pos, self._end)
                assert plain is not None
                self._append(plain.group())
                self._pos = plain.end()
        if self._open:
            name = self._open[-1].name
            raise self._error(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self._entities, key=lambda e: (e.offset, -e.length))
        return "".join(self._out), [entity.to_json() for entity in entities]

    def _error(self, detail: str) -> ApiError:
        return _bad_request(f"can't parse entities: {detail}")

    def _byte_offset(self, pos: int) -> int:
        return len(self._source[:pos].encode("utf-8", errors="surrogatepass"))

    def _char(self) -> str:
        return self._text[self._pos]

    def _at_end(self) -> bool:
        return self._pos >= self._end

    def _append(self, text: str) -> None:
        self._out.append(text)
        self._utf16 += utf16_len(text)

    def _skip_spaces(self) -> None:
        while not self._at_end() and self._char() in _HTML_SPACES:
            self._pos += 1

    def _skip_name(self, stops: str) -> None:
        while self._char() not in _HTML_SPACES and self._char() not in stops:
            self._pos += 1

    def _read_entity(self) -> None:
        decoded = _decode_html_entity(self._text, self._pos)
        if decoded is None:
            offset = self._byte_offset(self._pos)
            raise self._error(
                f'Character "&" is reserved and must be escaped as "&amp;" at byte offset {offset}'
            )
        char, self._pos = decoded
        self._append(char)

    def _read_tag(self) -> None:
        begin = self._pos
        self._pos += 1
        if self._char() == "/":
            self._read_end_tag(begin)
        else:
            self._read_start_tag(begin)

    def _read_start_tag(self, begin: int) -> None:
        at = f"at byte offset {self._byte_offset(begin)}"
        self._skip_name(">")
        if self._at_end():
            raise self._error(f"Unclosed start tag {at}")
        name = self._text[begin + 1 : self._pos].lower()
        if name not in _ALLOWED_TAGS:
            raise self._error(f'Unsupported start tag "{name}" {at}')
        argument = self._read_attributes(name, at)
        if name == "span" and argument != "spoiler":
            raise self._error(f'Tag "span" must have class "tg-spoiler" {at}')
        self._pos += 1
        self._open.append(_OpenTag(name, argument, self._utf16, len(self._out)))

    def _read_attributes(self, tag: str, at: str) -> str:
        argument = ""
        while self._char() != ">":
            self._skip_spaces()
            if self._char() == ">":
                break
            start = self._pos
            self._skip_name("=>")
            attribute = self._text[start : self._pos]
            if not attribute:
                raise self._error(f'Empty attribute name in the tag "{tag}" {at}')
            self._skip_spaces()
            if self._char() != "=":
                if tag == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise self._error(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" {at}'
                )
            self._pos += 1
            self._skip_spaces()
            if self._at_end():
                raise self._error(f'Unclosed start tag "{tag}" {at}')
            value = self._read_attribute_value()
            if self._at_end():
                raise self._error(f"Unclosed start tag {at}")
            argument = _tag_argument(tag, attribute, value) or argument
        return argument

    def _read_attribute_value(self) -> str:
        quote = self._char()
        if quote not in "'\"":
            return self._read_name_token()
        self._pos += 1
        parts: list[str] = []
        while not self._at_end() and self._char() != quote:
            decoded = _decode_html_entity(self._text, self._pos) if self._char() == "&" else None
            if decoded is None:
                parts.append(self._char())
                self._pos += 1
            else:
                parts.append(decoded[0])
                self._pos = decoded[1]
        if self._char() == quote:
            self._pos += 1
        return "".join(parts)

    def _read_name_token(self) -> str:
        start = self._pos
        while (self._char().isascii() and self._char().isalnum()) or self._char() in ".-":
            self._pos += 1
        if self._char() not in _HTML_SPACES and self._char() != ">":
            offset = self._byte_offset(start)
            raise self._error(f"Unexpected end of name token at byte offset {offset}")
        return self._text[start : self._pos].lower()

    def _read_end_tag(self, begin: int) -> None:
        at = f"at byte offset {self._byte_offset(begin)}"
        if not self._open:
            raise self._error(f"Unexpected end tag {at}")
        self._pos += 1
        start = self._pos
        self._skip_name(">")
        end_name = self._text[start : self._pos].lower()
        self._skip_spaces()
        if self._char() != ">":
            raise self._error(f"Unclosed end tag {at}")
        expected = self._open[-1].name
        if end_name and end_name != expected:
            raise self._error(
                f'Unmatched end tag {at}, expected "</{expected}>", found "</{end_name}>"'
            )
        self._pos += 1
        self._close(self._open.pop())

    def _close(self, tag: _OpenTag) -> None:
        length = self._utf16 - tag.utf16_offset
        if length == 0:
            return
        entity = self._entity_for(tag, length)
        if entity is not None:
            self._entities.append(entity)

    def _entity_for(self, tag: _OpenTag, length: int) -> _Entity | None:
        offset = tag.utf16_offset
        if tag.name in _SIMPLE_TAG_ENTITIES:
            return _Entity(_SIMPLE_TAG_ENTITIES[tag.name], offset, length)
        if tag.name == "a":
            url = tag.argument or "".join(self._out[tag.out_index :])
            return _Entity("text_link", offset, length, {"url": url})
        if tag.name == "code":
            language = {"language": tag.argument} if tag.argument else {}
            return _Entity("code", offset, length, language)
        if tag.name == "pre":
            return self._pre_entity(offset, length)
        if tag.name == "tg-emoji":
            emoji_id = {"custom_emoji_id": tag.argument}
            return _Entity("custom_emoji", offset, length, emoji_id) if tag.argument else None
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        return _Entity(kind, offset, length)

    def _pre_entity(self, offset: int, length: int) -> _Entity:
        inner = self._entities[-1] if self._entities else None
        if inner and inner.type == "code" and (inner.offset, inner.length) == (offset, length):
            self._entities.pop()
            return _Entity("pre", offset, length, inner.extra)
        return _Entity("pre", offset, length)


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Plain text and entities of an HTML-formatted text, or ApiError like Telegram's."""
    return _HtmlParser(text).parse()


# --------------------------------------------------------------------------- text & markup


@dataclass(frozen=True)
class _Formatted:
    text: str
    entities: list[JSON]


def _trim(text: str, entities: list[JSON]) -> _Formatted:
    """Telegram strips surrounding whitespace; entities are shifted and clipped to match."""
    left_stripped = text.lstrip()
    lead = utf16_len(text) - utf16_len(left_stripped)
    body = left_stripped.rstrip()
    size = utf16_len(body)
    kept: list[JSON] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return _Formatted(body, kept)


def _format(text: Any, parse_mode: Any, entities: Any) -> _Formatted:
    raw = "" if text is None else str(text)
    if isinstance(entities, list) and entities:
        return _trim(raw, [e for e in entities if isinstance(e, dict)])
    mode = str(parse_mode or "").lower()
    if mode == "html":
        return _trim(*parse_html(raw))
    if mode not in ("", "markdown", "markdownv2"):
        raise _bad_request("unsupported parse_mode")
    return _trim(raw, [])


def _message_text(params: JSON) -> _Formatted:
    formatted = _format(params.get("text"), params.get("parse_mode"), params.get("entities"))
    if not formatted.text:
        raise _bad_request("message text is empty")
    if utf16_len(formatted.text) > MAX_TEXT_LENGTH:
        raise _bad_request("message is too long")
    return formatted


def _caption_content(caption: Any, parse_mode: Any, entities: Any) -> JSON:
    if caption is None or caption == "":
        return {}
    formatted = _format(caption, parse_mode, entities)
    if utf16_len(formatted.text) > MAX_CAPTION_LENGTH:
        raise _bad_request("message caption is too long")
    content: JSON = {"caption": formatted.text} if formatted.text else {}
    if formatted.entities:
        content["caption_entities"] = formatted.entities
    return content


def _validate_inline_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise _bad_request(prefix + "InlineKeyboardButton should be an Object")
    if "text" not in button:
        raise _bad_request(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _bad_request(prefix + 'Field "text" must be of type String')
    actions = [name for name in _BUTTON_ACTIONS if button.get(name) not in (None, "")]
    if not actions:
        raise _bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _bad_request(prefix + "exactly one of the optional fields must be used")
    if actions == ["callback_data"]:
        _validate_callback_data(button["callback_data"])


def _validate_callback_data(data: Any) -> None:
    if not isinstance(data, str):
        raise _bad_request(
            'can\'t parse inline keyboard button: Field "callback_data" must be of type String'
        )
    if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
        raise _bad_request("BUTTON_DATA_INVALID")


def _validate_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _validate_inline_button(button)


def _validate_reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request(
            'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, str) and not isinstance(
                button.get("text") if isinstance(button, dict) else None, str
            ):
                raise _bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )


def _validate_reply_markup(markup: Any, *, inline_only: bool) -> JSON | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
        return markup
    if inline_only:
        raise _bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _validate_reply_keyboard(markup["keyboard"])
    elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _inline_markup(markup: JSON | None) -> JSON | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


def _callback_data_of(message: JSON) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def _command_entities(text: str) -> list[JSON]:
    match = _COMMAND_ENTITY.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


def _validate_command(item: Any) -> JSON:
    if not isinstance(item, dict):
        raise _bad_request("can't parse BotCommand: BotCommand should be an Object")
    command, description = item.get("command"), item.get("description")
    if not isinstance(command, str) or not _BOT_COMMAND.fullmatch(command):
        raise _bad_request("BOT_COMMAND_INVALID")
    if not isinstance(description, str) or not description.strip() or len(description) > 256:
        raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return {"command": command, "description": description}


def _scope_key(scope: Any) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


_DEFAULT_SCOPE: Final = _scope_key(None)


# fmt: off
_MEMBER_FIELDS: Final[dict[str, JSON]] = {
    "creator": {"is_anonymous": False},
    "administrator": {
        "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
        "can_delete_messages": True, "can_manage_video_chats": True,
        "can_restrict_members": True, "can_promote_members": False, "can_change_info": True,
        "can_invite_users": True, "can_post_stories": False, "can_edit_stories": False,
        "can_delete_stories": False, "can_pin_messages": True,
    },
    "restricted": {
        "is_member": True, "until_date": 0, "can_change_info": False, "can_invite_users": False,
        "can_pin_messages": False, "can_send_messages": False, "can_send_polls": False,
        "can_send_other_messages": False, "can_add_web_page_previews": False,
        "can_manage_topics": False, "can_send_audios": False, "can_send_documents": False,
        "can_send_photos": False, "can_send_videos": False, "can_send_video_notes": False,
        "can_send_voice_notes": False,
    },
    "kicked": {"until_date": 0},
}
# fmt: on


def _chat_member(status: str, user: JSON) -> JSON:
    return {"status": status, "user": user, **_MEMBER_FIELDS.get(status, {})}


# --------------------------------------------------------------------------- request params


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content_type: str
    data: bytes


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _form_value(name: str, value: str | bytes | bytearray | FileField) -> Any:
    if isinstance(value, FileField):
        return UploadedFile(value.filename, value.content_type, value.file.read())
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", errors="replace")
    return _coerce(name, value)


async def _read_params(request: web.Request) -> JSON:
    params: JSON = {name: _coerce(name, value) for name, value in request.query.items()}
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text())
        except ValueError:
            raise _bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise _bad_request("can't parse JSON object")
        params.update({name: _coerce(name, value) for name, value in body.items()})
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        params.update({name: _form_value(name, value) for name, value in form.items()})
    return params


def _int_param(params: JSON, name: str, missing: str) -> int:
    value = params.get(name)
    if value is None or value == "":
        raise _bad_request(missing)
    if isinstance(value, bool):
        raise _bad_request(f'field "{name}" must be of type Integer')
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad_request(f'field "{name}" must be of type Integer') from None


def _optional_int(params: JSON, name: str) -> int | None:
    return None if params.get(name) is None else _int_param(params, name, "")


def _now() -> int:
    return int(time.time())


def _dumps(value: Any) -> str:
    # ASCII escapes, as Telegram sends: text with lone surrogates stays valid JSON.
    return json.dumps(value, ensure_ascii=True)


def _json_response(status: int, body: JSON) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


def _summary(message: JSON) -> str:
    body = message.get("text") or message.get("caption") or ""
    kinds = [kind for kind in _MEDIA_KINDS if kind in message]
    label = f"[{'/'.join(kinds)}] " if kinds else ""
    body = body if len(body) <= 80 else body[:77] + "..."
    return f"{label}{body!r}"


# --------------------------------------------------------------------------- records


@dataclass
class RecordedRequest:
    """One API call the fake received.

    ``delivered`` means the call reached the Bot API logic (it may still have been refused
    with a 4xx); injected faults and requests whose client went away are not delivered,
    except a "502-accepted" fault, which is delivered and then answered 502.
    ``status`` stays None while the call is in flight and when the client disconnected.
    """

    seq: int
    method: str
    params: JSON
    timestamp: float
    status: int | None = None
    response: JSON | None = None
    fault: str | None = None
    stalled: bool = False
    delivered: bool = False
    disconnected: bool = False


@dataclass
class _SentRecord:
    versions: list[JSON]
    version_seqs: list[int]
    deleted_seq: int | None = None

    @property
    def current(self) -> JSON:
        return self.versions[-1]

    @property
    def seq(self) -> int:
        return self.version_seqs[0]


@dataclass
class _QueryRecord:
    update: JSON
    answer: JSON | None = None


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_size: int
    file_name: str | None = None
    mime_type: str | None = None
    data: bytes | None = None

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        pattern = f"fake telegram file {self.file_id}\n".encode()
        return (pattern * (self.file_size // len(pattern) + 1))[: self.file_size]

    def document(self) -> JSON:
        document: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document


@dataclass
class _Fault:
    kind: str
    retry_after: int


@dataclass
class _RateLimit:
    per_minute: int
    sent_at: deque[float] = field(default_factory=deque)


class _Pulse:
    """Loop-confined broadcast: every waiter wakes at the next fire()."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float | None) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


# --------------------------------------------------------------------------- Bot API state


class _World:
    """Chats, messages, updates and the Bot API methods; guarded by FakeTelegram's lock."""

    def __init__(self, bot_user: JSON, clock: Callable[[], float]) -> None:
        self.bot_user = bot_user
        self._clock = clock
        self.last_seq = 0
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, JSON] = {}
        self.contacted: set[int] = set()
        self.blocked: set[int] = set()
        self.left_chats: set[int] = set()
        self.migrated: dict[int, int] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.deleted: set[tuple[int, int]] = set()
        self.sent: list[_SentRecord] = []
        self.sent_index: dict[tuple[int, int], _SentRecord] = {}
        self.files: dict[str, _StoredFile] = {}
        self.files_by_path: dict[str, _StoredFile] = {}
        self.pending: list[JSON] = []
        self.replays: list[JSON] = []
        self.all_updates: dict[int, JSON] = {}
        self.callback_queries: dict[str, _QueryRecord] = {}
        self.inline_queries: dict[str, _QueryRecord] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.reply_keyboards: dict[int, JSON] = {}
        self.rate_limits: dict[int, _RateLimit] = {}
        self.webhook_url = ""
        self._next_message_id: dict[int, int] = defaultdict(lambda: 1)
        self._next_update_id = 1
        self._file_counter = itertools.count(1)
        self._query_counter = itertools.count(1)
        self._album_counter = itertools.count(1)
        self._methods: dict[str, Callable[[JSON], Any]] = {
            "getme": self._get_me,
            "logout": self._ok,
            "close": self._ok,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagecaption": self._edit_message_caption,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "answerinlinequery": self._answer_inline_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "senddocument": functools.partial(self._send_file, "document"),
            "sendphoto": functools.partial(self._send_file, "photo"),
            "sendvoice": functools.partial(self._send_file, "voice"),
            "sendmediagroup": self._send_media_group,
            "copymessage": self._copy_message,
            "forwardmessage": self._forward_message,
            "getchat": self._get_chat,
            "getfile": self._get_file,
            "sendchataction": self._send_chat_action,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "getchatmember": self._get_chat_member,
            "getchatadministrators": self._get_chat_administrators,
            "leavechat": self._leave_chat,
        }

    def next_seq(self) -> int:
        self.last_seq += 1
        return self.last_seq

    def call(self, method: str, params: JSON) -> Any:
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        return _clone(handler(params))

    # ----------------------------------------------------------------- chats

    def _parse_chat_id(self, raw: Any) -> int:
        if raw is None or raw == "":
            raise _bad_request("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat in self.chats.values():
                if str(chat.get("username", "")).lower() == raw[1:].lower():
                    return int(chat["id"])
            raise _bad_request("chat not found")
        if isinstance(raw, bool):
            raise _bad_request("chat not found")
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise _bad_request("chat not found") from None

    def lookup_chat(self, raw: Any) -> JSON:
        """A chat the bot knows, for reading; sending has stricter rules."""
        chat_id = self._parse_chat_id(raw)
        if chat_id in self.migrated:
            raise _migrated_error(self.migrated[chat_id])
        chat = self.chats.get(chat_id)
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def chat_for_send(self, raw: Any) -> JSON:
        chat_id = self._parse_chat_id(raw)
        if chat_id in self.migrated:
            raise _migrated_error(self.migrated[chat_id])
        if chat_id > 0:
            return self._private_chat_for_send(chat_id)
        chat = self.chats.get(chat_id)
        if chat is None:
            raise _bad_request("chat not found")
        if chat_id in self.left_chats:
            raise _forbidden(f"bot is not a member of the {chat['type']} chat")
        return chat

    def _private_chat_for_send(self, user_id: int) -> JSON:
        if user_id in self.blocked:
            raise _forbidden("bot was blocked by the user")
        if user_id not in self.contacted:
            raise _forbidden("bot can't initiate conversation with a user")
        return self.chats[user_id]

    def _message_key(self, chat: JSON, params: JSON) -> tuple[int, int]:
        message_id = _int_param(params, "message_id", "message identifier is not specified")
        return int(chat["id"]), message_id

    def _live_message(self, key: tuple[int, int]) -> JSON | None:
        return None if key in self.deleted else self.messages.get(key)

    # ----------------------------------------------------------------- messages

    def _new_message(self, chat: JSON, sender: JSON, content: JSON) -> JSON:
        chat_id = int(chat["id"])
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] += 1
        message: JSON = {
            "message_id": message_id,
            "from": _clone(sender),
            "chat": _clone(chat),
            "date": _now(),
            **_clone(content),
        }
        self.messages[(chat_id, message_id)] = message
        return message

    def _reply_target(self, chat_id: int, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id, lenient = reply.get("message_id"), reply.get("allow_sending_without_reply")
        else:
            message_id = params.get("reply_to_message_id")
            lenient = params.get("allow_sending_without_reply")
        if message_id is None:
            return None
        target = self._live_message((chat_id, int(message_id)))
        if target is None and not lenient:
            raise _bad_request("message to be replied not found")
        return _as_reply(target) if target else None

    def _check_rate(self, chat_id: int, count: int) -> None:
        limit = self.rate_limits.get(chat_id)
        if limit is None:
            return
        now = self._clock()
        while limit.sent_at and limit.sent_at[0] <= now - 60:
            limit.sent_at.popleft()
        if len(limit.sent_at) + count > limit.per_minute:
            oldest = limit.sent_at[0] if limit.sent_at else now
            retry_after = max(1, math.ceil(oldest + 60 - now))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        limit.sent_at.extend([now] * count)

    def _deliver(self, params: JSON, contents: list[JSON]) -> list[JSON]:
        """Common tail of every send method: target checks, then the messages appear."""
        markup = _validate_reply_markup(params.get("reply_markup"), inline_only=False)
        chat = self.chat_for_send(params.get("chat_id"))
        chat_id = int(chat["id"])
        reply_to = self._reply_target(chat_id, params)
        self._check_rate(chat_id, len(contents))
        inline = _inline_markup(markup)
        if markup is not None and inline is None:
            self.reply_keyboards[chat_id] = markup
        return [self._record_sent(chat, content, reply_to, inline) for content in contents]

    def _record_sent(
        self, chat: JSON, content: JSON, reply_to: JSON | None, markup: JSON | None
    ) -> JSON:
        message = self._new_message(chat, self.bot_user, content)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None:
            message["reply_markup"] = markup
        record = _SentRecord([message], [self.next_seq()])
        self.sent.append(record)
        self.sent_index[(int(chat["id"]), int(message["message_id"]))] = record
        return message

    def _send_message(self, params: JSON) -> JSON:
        formatted = _message_text(params)
        content: JSON = {"text": formatted.text}
        if formatted.entities:
            content["entities"] = formatted.entities
        return self._deliver(params, [content])[0]

    def _send_file(self, kind: str, params: JSON) -> JSON:
        caption = _caption_content(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        stored = self._resolve_file(params.get(kind), params, kind)
        content = {**self._media_content(kind, stored, params), **caption}
        return self._deliver(params, [content])[0]

    def _send_media_group(self, params: JSON) -> list[JSON]:
        media = params.get("media")
        if not isinstance(media, list) or not media:
            raise _bad_request('parameter "media" is required')
        if len(media) > MAX_ALBUM_SIZE:
            raise _bad_request("too much messages to send as an album")
        album_id = str(10_000_000_000_000 + next(self._album_counter))
        contents = [
            {**self._album_item(item, params), "media_group_id": album_id} for item in media
        ]
        return self._deliver(params, contents)

    def _album_item(self, item: Any, params: JSON) -> JSON:
        if not isinstance(item, dict):
            raise _bad_request("can't parse InputMedia: InputMedia should be an Object")
        kind = item.get("type")
        if kind not in ("photo", "document", "video", "audio"):
            raise _bad_request("can't parse InputMedia: unsupported media type")
        caption = _caption_content(
            item.get("caption"), item.get("parse_mode"), item.get("caption_entities")
        )
        stored = self._resolve_file(item.get("media"), params, kind)
        return {**self._media_content(kind, stored, item), **caption}

    def _copy_content(self, params: JSON, missing: str) -> JSON:
        source_chat = self.lookup_chat(params.get("from_chat_id"))
        source = self._live_message(self._message_key(source_chat, params))
        if source is None:
            raise _bad_request(missing)
        return source

    def _copy_message(self, params: JSON) -> JSON:
        source = self._copy_content(params, "message to copy not found")
        content: JSON = {key: source[key] for key in _CONTENT_KEYS if key in source}
        if "caption" in params and "text" not in source:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(
                _caption_content(
                    params["caption"], params.get("parse_mode"), params.get("caption_entities")
                )
            )
        message = self._deliver(params, [content])[0]
        return {"message_id": message["message_id"]}

    def _forward_message(self, params: JSON) -> JSON:
        source = self._copy_content(params, "message to forward not found")
        content: JSON = {key: source[key] for key in _CONTENT_KEYS if key in source}
        if "sender_chat" in source:
            origin: JSON = {"type": "chat", "sender_chat": source["sender_chat"]}
        else:
            origin = {"type": "user", "sender_user": source["from"]}
        content["forward_origin"] = {**origin, "date": source["date"]}
        return self._deliver({**params, "reply_markup": None}, [content])[0]

    # ----------------------------------------------------------------- files

    def _store_file(
        self,
        kind: str,
        size: int,
        *,
        name: str | None = None,
        mime: str | None = None,
        data: bytes | None = None,
    ) -> _StoredFile:
        number = next(self._file_counter)
        folder, default_ext = _FILE_FOLDERS.get(kind, _FILE_FOLDERS["document"])
        suffix = PurePosixPath(name).suffix if name else ""
        stored = _StoredFile(
            file_id=f"fake-{kind}-{number:05d}",
            file_unique_id=f"uniq{number:05d}",
            file_path=f"{folder}/file_{number}{suffix or default_ext}",
            file_size=size,
            file_name=name,
            mime_type=mime,
            data=data,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def _resolve_file(self, value: Any, params: JSON, kind: str) -> _StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
            if value is None:
                raise _bad_request("can't parse InputMedia: media not found")
        if value is None:
            raise _bad_request(f"there is no {kind} in the request")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad_request("file must be non-empty")
            return self._store_file(
                kind,
                len(value.data),
                name=value.filename,
                mime=value.content_type,
                data=value.data,
            )
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._store_file(kind, 4096, name=value.rsplit("/", 1)[-1] or None)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        raise _bad_request("wrong file identifier/HTTP URL specified")

    def _photo_sizes(self, largest: _StoredFile) -> list[JSON]:
        sizes: list[JSON] = []
        for width, divisor in ((90, 40), (320, 8)):
            thumb = self._store_file("photo", max(1, largest.file_size // divisor))
            sizes.append({**thumb.document(), "width": width, "height": width * 3 // 4})
        return [*sizes, {**largest.document(), "width": 1280, "height": 960}]

    def _media_content(self, kind: str, stored: _StoredFile, params: JSON) -> JSON:
        if kind == "photo":
            return {"photo": self._photo_sizes(stored)}
        media = stored.document()
        if kind in ("voice", "audio", "video"):
            media["duration"] = int(params.get("duration") or 1)
        if kind == "voice":
            media.setdefault("mime_type", "audio/ogg")
        if kind == "video":
            media.update(
                width=int(params.get("width") or 640), height=int(params.get("height") or 360)
            )
        return {kind: media}

    def file_by_path(self, path: str) -> _StoredFile | None:
        return self.files_by_path.get(path)

    def _get_file(self, params: JSON) -> JSON:
        stored = self.files.get(str(params.get("file_id", "")))
        if stored is None:
            raise _bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_SIZE:
            raise _bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    # ----------------------------------------------------------------- edits & deletes

    def _edit_target(self, params: JSON) -> _SentRecord:
        if params.get("inline_message_id") is not None:
            raise _bad_request("MESSAGE_ID_INVALID")
        chat = self.chat_for_send(params.get("chat_id"))
        key = self._message_key(chat, params)
        record = self.sent_index.get(key)
        if record is None or key in self.deleted:
            if self._live_message(key) is not None:
                raise _bad_request("message can't be edited")
            raise _bad_request("message to edit not found")
        return record

    def _apply_edit(self, record: _SentRecord, changes: JSON, markup: JSON | None) -> JSON:
        current = record.current
        skipped = {*changes, "reply_markup", "edit_date"}
        edited = {key: value for key, value in current.items() if key not in skipped}
        edited.update({key: value for key, value in changes.items() if value})
        if markup is not None:
            edited["reply_markup"] = markup
        unchanged = {k: v for k, v in current.items() if k != "edit_date"}
        if edited == unchanged:
            raise _bad_request(NOT_MODIFIED)
        edited["edit_date"] = _now()
        record.versions.append(edited)
        record.version_seqs.append(self.next_seq())
        self.messages[(int(edited["chat"]["id"]), int(edited["message_id"]))] = edited
        return edited

    def _edit_message_text(self, params: JSON) -> JSON:
        formatted = _message_text(params)
        markup = _validate_reply_markup(params.get("reply_markup"), inline_only=True)
        record = self._edit_target(params)
        if "text" not in record.current:
            raise _bad_request("there is no text in the message to edit")
        return self._apply_edit(
            record, {"text": formatted.text, "entities": formatted.entities}, markup
        )

    def _edit_message_caption(self, params: JSON) -> JSON:
        caption = _caption_content(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
        )
        markup = _validate_reply_markup(params.get("reply_markup"), inline_only=True)
        record = self._edit_target(params)
        if not any(kind in record.current for kind in _MEDIA_KINDS):
            raise _bad_request("there is no caption in the message to edit")
        changes = {"caption": caption.get("caption"), "caption_entities": None, **caption}
        return self._apply_edit(record, changes, markup)

    def _edit_message_reply_markup(self, params: JSON) -> JSON:
        markup = _validate_reply_markup(params.get("reply_markup"), inline_only=True)
        return self._apply_edit(self._edit_target(params), {}, markup)

    def _delete_message(self, params: JSON) -> bool:
        chat = self.lookup_chat(params.get("chat_id"))
        key = self._message_key(chat, params)
        if self._live_message(key) is None:
            raise _bad_request("message to delete not found")
        self.deleted.add(key)
        record = self.sent_index.get(key)
        if record is not None:
            record.deleted_seq = self.next_seq()
        return True

    # ----------------------------------------------------------------- queries

    def _answer_callback_query(self, params: JSON) -> bool:
        record = self.callback_queries.get(str(params.get("callback_query_id", "")))
        if record is None or record.answer is not None:
            raise _bad_request(QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        record.answer = {
            "text": text,
            "show_alert": bool(params.get("show_alert", False)),
            "url": params.get("url"),
            "cache_time": params.get("cache_time", 0),
        }
        return True

    def _answer_inline_query(self, params: JSON) -> bool:
        record = self.inline_queries.get(str(params.get("inline_query_id", "")))
        if record is None or record.answer is not None:
            raise _bad_request(QUERY_TOO_OLD)
        results = params.get("results")
        if not isinstance(results, list):
            raise _bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise _bad_request("RESULTS_TOO_MUCH")
        ids = [result.get("id") if isinstance(result, dict) else None for result in results]
        if None in ids:
            raise _bad_request("can't parse InlineQueryResult: Can't find field \"id\"")
        if len(set(ids)) != len(ids):
            raise _bad_request("RESULT_ID_DUPLICATE")
        record.answer = {
            "results": results,
            "cache_time": params.get("cache_time", 300),
            "is_personal": bool(params.get("is_personal", False)),
            "next_offset": params.get("next_offset", ""),
        }
        return True

    # ----------------------------------------------------------------- bot settings

    def _ok(self, params: JSON) -> bool:
        return True

    def _get_me(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.pending.clear()
            self.replays.clear()
        return True

    def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending) + len(self.replays),
        }

    def _commands_key(self, params: JSON) -> tuple[str, str]:
        language = str(params.get("language_code") or "")
        if language and not _LANGUAGE_CODE.fullmatch(language):
            raise _bad_request("LANG_CODE_INVALID")
        return _scope_key(params.get("scope")), language

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request('parameter "commands" is required')
        if len(commands) > 100:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH")
        validated = [_validate_command(item) for item in commands]
        key = self._commands_key(params)
        if validated:
            self.commands[key] = validated
        else:
            self.commands.pop(key, None)
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_chat_menu_button(self, params: JSON) -> bool:
        chat_id = params.get("chat_id")
        key = None if chat_id is None else int(self.lookup_chat(chat_id)["id"])
        self.menu_buttons[key] = params.get("menu_button") or {"type": "default"}
        return True

    def _get_chat_menu_button(self, params: JSON) -> JSON:
        chat_id = params.get("chat_id")
        key = None if chat_id is None else int(self.lookup_chat(chat_id)["id"])
        return self.menu_buttons.get(key, {"type": "default"})

    # ----------------------------------------------------------------- chat info

    def _get_chat(self, params: JSON) -> JSON:
        chat = self.lookup_chat(params.get("chat_id"))
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    def _send_chat_action(self, params: JSON) -> bool:
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        self.chat_for_send(params.get("chat_id"))
        return True

    def member_json(self, chat: JSON, user_id: int) -> JSON:
        user = self.bot_user if user_id == self.bot_user["id"] else self.users.get(user_id)
        if user is None:
            raise _bad_request("user not found")
        chat_id = int(chat["id"])
        if chat["type"] == "private":
            status = "member"
        elif user_id == self.bot_user["id"]:
            default = "left" if chat_id in self.left_chats else "member"
            status = self.member_status.get((chat_id, user_id), default)
        else:
            status = self.member_status.get((chat_id, user_id), "left")
        return _chat_member(status, user)

    def _get_chat_member(self, params: JSON) -> JSON:
        chat = self.lookup_chat(params.get("chat_id"))
        return self.member_json(chat, _int_param(params, "user_id", "user not found"))

    def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat = self.lookup_chat(params.get("chat_id"))
        if chat["type"] == "private":
            raise _bad_request("there are no administrators in the private chat")
        return [
            self.member_json(chat, user_id)
            for (chat_id, user_id), status in self.member_status.items()
            if chat_id == chat["id"] and status in ("creator", "administrator")
        ]

    def _leave_chat(self, params: JSON) -> bool:
        chat = self.lookup_chat(params.get("chat_id"))
        if chat["type"] == "private":
            raise _bad_request("chat member status can't be changed in private chats")
        self.left_chats.add(int(chat["id"]))
        return True

    # ----------------------------------------------------------------- updates

    def queue(self, payloads: Iterable[JSON]) -> list[JSON]:
        queued: list[JSON] = []
        for payload in payloads:
            update = {"update_id": self._next_update_id, **_clone(payload)}
            self._next_update_id += 1
            self.pending.append(update)
            self.all_updates[update["update_id"]] = update
            queued.append(_clone(update))
        return queued

    def confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def take_updates(self, limit: int) -> list[JSON]:
        replays, self.replays = self.replays[:limit], self.replays[limit:]
        return _clone([*replays, *self.pending[: limit - len(replays)]])

    def inject_duplicate(self, update_id: int) -> None:
        if update_id not in self.all_updates:
            raise ValueError(f"update {update_id} was never queued")
        self.replays.append(_clone(self.all_updates[update_id]))

    # ----------------------------------------------------------------- playing users

    def add_user(self, user: JSON) -> None:
        user_id = int(user["id"])
        self.users[user_id] = user
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        chat.update({k: user[k] for k in ("last_name", "username") if k in user})
        self.chats[user_id] = chat

    def add_group(self, chat_id: int, title: str) -> None:
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        self.chats[chat_id] = {"id": chat_id, "type": kind, "title": title}

    def require_user(self, user_id: int) -> JSON:
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; create it with fake.user()")
        return self.users[user_id]

    def require_chat(self, chat_id: int) -> JSON:
        if chat_id in self.migrated:
            raise ValueError(f"chat {chat_id} was migrated to {self.migrated[chat_id]}")
        if chat_id not in self.chats:
            raise ValueError(f"unknown chat {chat_id}")
        return self.chats[chat_id]

    def post(
        self,
        sender: JSON,
        chat_id: int,
        content: JSON,
        reply_to: JSON | None = None,
        sender_chat: JSON | None = None,
    ) -> JSON:
        """A message from a user (or anonymous admin) arrives in a chat; returns the update."""
        chat = self.require_chat(chat_id)
        message = self._new_message(chat, sender, content)
        if sender_chat is not None:
            message["sender_chat"] = sender_chat
        if reply_to is not None:
            message["reply_to_message"] = self._user_reply_target(chat_id, reply_to)
        self._note_presence(chat, int(sender["id"]))
        return self.queue([{"message": message}])[0]

    def post_album(self, sender: JSON, chat_id: int, contents: list[JSON]) -> list[JSON]:
        chat = self.require_chat(chat_id)
        album_id = str(20_000_000_000_000 + next(self._album_counter))
        messages = [
            self._new_message(chat, sender, {**content, "media_group_id": album_id})
            for content in contents
        ]
        self._note_presence(chat, int(sender["id"]))
        return self.queue({"message": message} for message in messages)

    def _note_presence(self, chat: JSON, user_id: int) -> None:
        if chat["type"] == "private":
            self.contacted.add(user_id)
        elif user_id in self.users:
            self.member_status.setdefault((int(chat["id"]), user_id), "member")

    def _user_reply_target(self, chat_id: int, reply_to: JSON) -> JSON:
        target = self._live_message((chat_id, int(reply_to["message_id"])))
        if target is None:
            raise ValueError(f"message {reply_to['message_id']} is not in chat {chat_id}")
        return _as_reply(target)

    def user_file(
        self,
        kind: str,
        size: int,
        *,
        name: str | None = None,
        mime: str | None = None,
        data: bytes | None = None,
        extra: JSON | None = None,
    ) -> JSON:
        """Media content of a message a user sends."""
        stored = self._store_file(kind, size, name=name, mime=mime, data=data)
        if kind == "photo":
            return {"photo": self._photo_sizes(stored)}
        return {kind: {**stored.document(), **(extra or {})}}

    def press(self, user_id: int, chat_id: int, message_id: int, data: str, *, strict: bool) -> str:
        user = self.require_user(user_id)
        key = (chat_id, message_id)
        if strict:
            self._check_button(key, data)
        message = self._live_message(key)
        shown = (
            _clone(message)
            if message
            else {
                "chat": self.require_chat(chat_id),
                "message_id": message_id,
                "date": 0,
            }
        )
        query_id = str(4_000_000_000 + next(self._query_counter))
        callback = {
            "id": query_id,
            "from": user,
            "message": shown,
            "chat_instance": str(-abs(chat_id) * 7919),
            "data": data,
        }
        update = self.queue([{"callback_query": callback}])[0]
        self.callback_queries[query_id] = _QueryRecord(update)
        return query_id

    def _check_button(self, key: tuple[int, int], data: str) -> None:
        record = self.sent_index.get(key)
        if record is None or key in self.deleted:
            raise ValueError(f"message {key[1]} in chat {key[0]} is not a live bot message")
        available = _callback_data_of(record.current)
        if data not in available:
            raise ValueError(
                f"no button with callback_data {data!r} on message {key[1]}; "
                f"buttons carry {available!r}"
            )

    def inline_query(self, user_id: int, query: str) -> str:
        user = self.require_user(user_id)
        query_id = str(8_000_000_000 + next(self._query_counter))
        inline = {"id": query_id, "from": user, "query": query, "offset": "", "chat_type": "sender"}
        update = self.queue([{"inline_query": inline}])[0]
        self.inline_queries[query_id] = _QueryRecord(update)
        return query_id

    def migrate(self, old_id: int, new_id: int, *, notify: bool) -> None:
        old_chat = self.require_chat(old_id)
        old_chat["type"] = "group"
        new_chat = {"id": new_id, "type": "supergroup", "title": old_chat.get("title", "")}
        self.chats[new_id] = new_chat
        for (chat_id, user_id), status in list(self.member_status.items()):
            if chat_id == old_id:
                self.member_status[(new_id, user_id)] = status
        if notify:
            old_note = self._new_message(old_chat, _SERVICE_USER, {"migrate_to_chat_id": new_id})
            new_note = self._new_message(
                new_chat,
                _GROUP_ANONYMOUS_BOT,
                {"migrate_from_chat_id": old_id, "sender_chat": new_chat},
            )
            self.queue([{"message": old_note}, {"message": new_note}])
        self.migrated[old_id] = new_id


def _as_reply(message: JSON) -> JSON:
    """Telegram nests only one level of reply_to_message."""
    reply = _clone(message)
    reply.pop("reply_to_message", None)
    return reply


# --------------------------------------------------------------------------- test-facing API


def _user_id(user: FakeUser | int) -> int:
    return user.id if isinstance(user, FakeUser) else int(user)


class FakeUser:
    """A Telegram user who talks to the bot in their private chat."""

    def __init__(self, fake: FakeTelegram, user_id: int) -> None:
        self._fake = fake
        self.id = user_id

    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def data(self) -> JSON:
        """The User object as Telegram sends it."""
        return self._fake._read(lambda world: _clone(world.require_user(self.id)))

    def _post(self, content: JSON, reply_to: JSON | None = None) -> JSON:
        return self._fake._act(
            lambda world: world.post(world.require_user(self.id), self.id, content, reply_to)
        )

    def _post_file(self, kind: str, caption: str | None, **file: Any) -> JSON:
        def action(world: _World) -> JSON:
            content = world.user_file(kind, **file)
            if caption:
                content["caption"] = caption
            return world.post(world.require_user(self.id), self.id, content)

        return self._fake._act(action)

    def send(self, text: str, reply_to: JSON | None = None) -> JSON:
        """A text message; leading /commands carry a bot_command entity. Returns the update."""
        content: JSON = {"text": text}
        if entities := _command_entities(text):
            content["entities"] = entities
        return self._post(content, reply_to)

    def edit(self, sent: JSON, text: str) -> JSON:
        """The user edits a message they sent (the update `send` returned): an edited_message."""
        original = sent.get("message", sent)
        edited = {**_clone(original), "text": text, "edit_date": _now()}
        edited.pop("entities", None)
        return self._fake._act(lambda world: world.queue([{"edited_message": edited}])[0])

    def press(self, message: JSON, data: str) -> str:
        """Tap a button of a bot message (its current state); returns the callback query id."""
        return self._fake._act(
            lambda world: world.press(
                self.id, int(message["chat"]["id"]), int(message["message_id"]), data, strict=True
            )
        )

    def press_raw(self, message_id: int, data: str) -> str:
        """A callback query with arbitrary (forged) data for a message in this private chat."""
        return self._fake._act(
            lambda world: world.press(self.id, self.id, message_id, data, strict=False)
        )

    def send_document(
        self,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        file_size: int | None = None,
        caption: str | None = None,
        *,
        content: bytes | None = None,
    ) -> JSON:
        size = file_size if file_size is not None else len(content) if content else 1024
        return self._post_file(
            "document", caption, size=size, name=file_name, mime=mime_type, data=content
        )

    def send_photo(self, file_size: int = 60_000, caption: str | None = None) -> JSON:
        return self._post_file("photo", caption, size=file_size)

    def send_voice(self, duration: int = 3, file_size: int = 12_000) -> JSON:
        extra = {"duration": duration, "mime_type": "audio/ogg"}
        return self._post_file("voice", None, size=file_size, extra=extra)

    def send_album(self, items: list[str | JSON], caption: str | None = None) -> list[JSON]:
        """Several messages sharing one media_group_id, queued together.

        Items are "photo" / "document" or dicts like {"type": "document", "file_name": ...,
        "mime_type": ..., "file_size": ...}. The caption goes on the first item, as in Telegram.
        """

        def action(world: _World) -> list[JSON]:
            contents = [_album_content(world, item) for item in items]
            if caption and contents:
                contents[0]["caption"] = caption
            return world.post_album(world.require_user(self.id), self.id, contents)

        return self._fake._act(action)

    def share_contact(self, phone_number: str) -> JSON:
        def action(world: _World) -> JSON:
            user = world.require_user(self.id)
            contact = {
                "phone_number": phone_number,
                "first_name": user["first_name"],
                "user_id": self.id,
            }
            return world.post(user, self.id, {"contact": contact})

        return self._fake._act(action)

    def send_sticker(self, emoji: str = "👍") -> JSON:
        extra = {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._post_file("sticker", None, size=18_000, extra=extra)

    def inline_query(self, query: str) -> str:
        """An inline_query update; returns its id (see FakeTelegram.inline_answer)."""
        return self._fake._act(lambda world: world.inline_query(self.id, query))

    def block(self) -> None:
        self._fake.block(self.id)

    def unblock(self) -> None:
        self._fake.unblock(self.id)


def _album_content(world: _World, item: str | JSON) -> JSON:
    spec: JSON = {"type": item} if isinstance(item, str) else dict(item)
    kind = spec.get("type", "photo")
    if kind == "photo":
        return world.user_file("photo", int(spec.get("file_size", 60_000)))
    return world.user_file(
        "document",
        int(spec.get("file_size", 1024)),
        name=spec.get("file_name", "document.pdf"),
        mime=spec.get("mime_type", "application/pdf"),
    )


class FakeGroup:
    """A group chat the bot is a member of."""

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self._fake = fake
        self.id = chat_id

    @property
    def chat_id(self) -> int:
        return self.id

    def send(self, from_user: FakeUser | int, text: str, reply_to: JSON | None = None) -> JSON:
        content: JSON = {"text": text}
        if entities := _command_entities(text):
            content["entities"] = entities
        user_id = _user_id(from_user)
        return self._fake._act(
            lambda world: world.post(world.require_user(user_id), self.id, content, reply_to)
        )

    def send_as_anonymous_admin(self, text: str) -> JSON:
        content: JSON = {"text": text}
        if entities := _command_entities(text):
            content["entities"] = entities
        return self._fake._act(
            lambda world: world.post(
                _GROUP_ANONYMOUS_BOT,
                self.id,
                content,
                sender_chat=_clone(world.require_chat(self.id)),
            )
        )

    def press(self, from_user: FakeUser | int, message: JSON, data: str) -> str:
        user_id = _user_id(from_user)
        return self._fake._act(
            lambda world: world.press(
                user_id, self.id, int(message["message_id"]), data, strict=True
            )
        )

    def press_raw(self, from_user: FakeUser | int, message_id: int, data: str) -> str:
        """A press with any data on a group message: an old client, or forged data."""
        user_id = _user_id(from_user)
        return self._fake._act(
            lambda world: world.press(user_id, self.id, message_id, data, strict=False)
        )

    def set_member_status(self, user: FakeUser | int, status: str) -> None:
        """What getChatMember answers: creator, administrator, member, restricted, left..."""
        if status not in ("member", "left", *_MEMBER_FIELDS):
            raise ValueError(f"unknown chat member status {status!r}")
        key = (self.id, _user_id(user))
        self._fake._act(lambda world: world.member_status.__setitem__(key, status))


class FakeTelegram:
    """Fake Telegram Bot API server. See the module docstring for an example."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "cambodia_ai_test_bot",
        bot_id: int = 123456,
        *,
        bot_first_name: str = "Cambodia AI Strategy",
        clock: Callable[[], float] = time.monotonic,
        timeout_hold: float = 60.0,
    ) -> None:
        self.token = token
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._timeout_hold = timeout_hold
        self._cond = threading.Condition(threading.RLock())
        self._world = _World(self.bot_user, clock)
        self._requests: list[RecordedRequest] = []
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._downloads: list[str] = []
        self._poll_generation = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._closing = False
        self._updates_pulse = _Pulse()
        self._release_pulse = _Pulse()
        self._stop_pulse = _Pulse()

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegram:
        """Listen on 127.0.0.1 (free port); returns once requests are accepted."""
        if self._thread is not None:
            raise RuntimeError("a FakeTelegram can only be started once")
        self._thread = threading.Thread(target=self._serve, name="fake-telegram", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake Telegram server did not start within 10s")
        if self._startup_error is not None:
            raise RuntimeError("fake Telegram server failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving; held ("timeout") and stalled requests are cut short."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None or not thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._start_site())
        except BaseException as error:
            self._startup_error = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _start_site(self) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_SIZE)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # handler_cancellation: a client that disconnects cancels its handler, which is how
        # a stalled request learns that it never reached "Telegram".
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(runner, sock).start()
        self._port = int(sock.getsockname()[1])
        self._runner = runner

    async def _shutdown(self) -> None:
        self._closing = True
        for pulse in (self._updates_pulse, self._release_pulse, self._stop_pulse):
            pulse.fire()
        if self._runner is not None:
            await self._runner.cleanup()

    def _fire(self, pulse: _Pulse) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(pulse.fire)

    # ----------------------------------------------------------------- state access

    def _act(self, action: Callable[[_World], T]) -> T:
        """Mutate the world as a test, then wake long polls and waiters."""
        with self._cond:
            result = action(self._world)
            self._cond.notify_all()
        self._fire(self._updates_pulse)
        return result

    def _read(self, probe: Callable[[_World], T]) -> T:
        with self._cond:
            return probe(self._world)

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        api = _API_PATH.fullmatch(request.path)
        if api is not None:
            return await self._handle_api(request, api["token"], api["method"])
        download = _FILE_PATH.fullmatch(request.path)
        if download is not None:
            return self._serve_file(download["token"], download["path"])
        return _json_response(404, _NOT_FOUND)

    async def _handle_api(self, request: web.Request, token: str, method: str) -> web.Response:
        try:
            params = await _read_params(request)
        except ApiError as error:
            return self._finish(self._record(method, {}), error.status, error.body())
        record = self._record(method, params)
        try:
            return await self._process(record, token, params)
        except asyncio.CancelledError:
            self._update(record, disconnected=True)
            raise

    async def _process(self, record: RecordedRequest, token: str, params: JSON) -> web.Response:
        if token != self.token:
            return self._finish(record, 401, _UNAUTHORIZED)
        fault = self._take_fault(record.method)
        if fault is not None and fault.kind == "502-accepted":
            return await self._accept_then_fail(record, params)
        if fault is not None:
            response = await self._apply_fault(record, fault)
            if response is not None:
                return response
        try:
            result = await self._call(record.method, params)
        except ApiError as error:
            return self._finish(record, error.status, error.body(), delivered=True)
        return self._finish(record, 200, {"ok": True, "result": result}, delivered=True)

    async def _call(self, method: str, params: JSON) -> Any:
        if method.lower() == "getupdates":
            return await self._get_updates(params)
        with self._cond:
            try:
                return self._world.call(method, params)
            finally:
                self._cond.notify_all()

    def _serve_file(self, token: str, path: str) -> web.Response:
        if token != self.token:
            return _json_response(401, _UNAUTHORIZED)
        with self._cond:
            stored = self._world.file_by_path(path)
            if stored is not None:
                self._downloads.append(path)
        if stored is None:
            return _json_response(404, _NOT_FOUND)
        return web.Response(body=stored.content(), content_type="application/octet-stream")

    def _record(self, method: str, params: JSON) -> RecordedRequest:
        with self._cond:
            record = RecordedRequest(self._world.next_seq(), method, params, time.time())
            self._requests.append(record)
            self._cond.notify_all()
        return record

    def _update(self, record: RecordedRequest, **changes: Any) -> None:
        with self._cond:
            for name, value in changes.items():
                setattr(record, name, value)
            self._cond.notify_all()

    def _finish(
        self, record: RecordedRequest, status: int, body: JSON, *, delivered: bool = False
    ) -> web.Response:
        self._update(record, status=status, response=body, delivered=delivered)
        return _json_response(status, body)

    # ----------------------------------------------------------------- getUpdates

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = _optional_int(params, "offset")
        limit = min(max(_optional_int(params, "limit") or 100, 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._world.webhook_url:
                raise ApiError(409, _WEBHOOK_ACTIVE)
            self._world.confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()
        self._updates_pulse.fire()  # the older long poll, if any, now answers 409
        while True:
            with self._cond:
                if generation != self._poll_generation:
                    raise ApiError(409, _SUPERSEDED)
                batch = self._world.take_updates(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                return batch
            await self._updates_pulse.wait(remaining)

    # ----------------------------------------------------------------- faults

    def _take_fault(self, method: str) -> _Fault | None:
        with self._cond:
            queue = self._faults.get(method.lower())
            return queue.popleft() if queue else None

    async def _apply_fault(self, record: RecordedRequest, fault: _Fault) -> web.Response | None:
        """The faulty answer, or None when a released stall should proceed normally."""
        self._update(record, fault=fault.kind)
        if fault.kind == "429":
            error = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
            return self._finish(record, 429, error.body())
        if fault.kind in ("500", "502"):
            status = int(fault.kind)
            return self._finish(record, status, _FAULT_BODIES[status])
        if fault.kind == "timeout":
            await self._stop_pulse.wait(self._timeout_hold)
            return self._finish(record, 502, _FAULT_BODIES[502])
        self._update(record, stalled=True)
        await self._release_pulse.wait(None)
        return self._finish(record, 502, _FAULT_BODIES[502]) if self._closing else None

    async def _accept_then_fail(self, record: RecordedRequest, params: JSON) -> web.Response:
        """The call takes effect (a message is stored and visible), yet the client gets 502:
        a proxy that failed after Telegram had already accepted it."""
        self._update(record, fault="502-accepted")
        try:
            await self._call(record.method, params)
        except ApiError as error:
            return self._finish(record, error.status, error.body(), delivered=True)
        return self._finish(record, 502, _FAULT_BODIES[502], delivered=True)

    def fail_next(self, method: str, kind: str, count: int = 1, retry_after: int = 3) -> None:
        """Make the next `count` calls of `method` fail.

        kind: "429" (RetryAfter), "500", "502", "502-accepted" (processed normally, so a message
        sent is stored and visible, but the client is answered 502), "timeout" (held past any
        client timeout, not processed) or "stall" (held until release_stalled(); processed
        normally afterwards, never processed if the client disconnects first).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._cond:
            self._faults[method.lower()].extend(_Fault(kind, retry_after) for _ in range(count))

    def release_stalled(self) -> None:
        """Let every currently stalled request proceed."""
        self._fire(self._release_pulse)

    def rate_limit_group(self, chat_id: int, per_minute: int = 20) -> None:
        """Answer 429 once the bot sends more than per_minute messages within 60s to chat_id."""
        self._act(lambda world: world.rate_limits.__setitem__(chat_id, _RateLimit(per_minute)))

    # ----------------------------------------------------------------- playing users

    def user(
        self,
        user_id: int,
        first_name: str = "Dara",
        language_code: str | None = "km",
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        user.update({key: value for key, value in optional.items() if value})
        self._act(lambda world: world.add_user(user))
        return FakeUser(self, user_id)

    def group(self, chat_id: int = -100123, title: str = "Moderators") -> FakeGroup:
        """A group the bot is in; -100... ids are supergroups, other negative ids basic groups."""
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        self._act(lambda world: world.add_group(chat_id, title))
        return FakeGroup(self, chat_id)

    def block(self, user_id: int) -> None:
        self._act(lambda world: world.blocked.add(user_id))

    def unblock(self, user_id: int) -> None:
        self._act(lambda world: world.blocked.discard(user_id))

    def migrate_group(self, old_id: int, new_id: int, *, notify: bool = True) -> FakeGroup:
        """Upgrade a group; sends to old_id then fail with migrate_to_chat_id=new_id.

        With notify, the migrate_to_chat_id / migrate_from_chat_id service messages are queued.
        """
        self._act(lambda world: world.migrate(old_id, new_id, notify=notify))
        return FakeGroup(self, new_id)

    def queue_unparseable(self, user: FakeUser | int, kind: str = "message_without_date") -> JSON:
        """Queue an update python-telegram-bot cannot parse; returns it.

        kind: "message_without_date" (a private message from `user` lacking its required
        date) or "poll_without_field" (a poll lacking a field newer Bot API versions require).
        Both carry the user's name and a text, so a log that prints updates would show them.
        """
        if kind not in UNPARSEABLE_KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of {sorted(UNPARSEABLE_KINDS)}")

        def action(world: _World) -> JSON:
            sender = world.require_user(_user_id(user))
            if kind == "poll_without_field":
                payload: JSON = {
                    "poll": {
                        "id": f"poll-{world.next_seq()}",
                        "question": f"poll by {sender['first_name']}",
                        "options": [{"text": "yes", "voter_count": 0}],
                        "total_voter_count": 0,
                        "is_closed": False,
                        "is_anonymous": True,
                        "type": "regular",
                        "allows_multiple_answers": False,
                    }
                }
            else:
                chat = world.require_chat(int(sender["id"]))
                message = world._new_message(chat, sender, {"text": f"from {sender['first_name']}"})
                message.pop("date", None)
                payload = {"message": message}
            return world.queue([payload])[0]

        return self._act(action)

    def inject_duplicate(self, update_id: int) -> None:
        """Deliver an already queued update again, with the same update_id, whatever the offset."""
        self._act(lambda world: world.inject_duplicate(update_id))

    # ----------------------------------------------------------------- observing

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._cond:
            return _clone(self._requests)

    def calls(self, method: str) -> list[RecordedRequest]:
        """Recorded requests of one method (case-insensitive)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    def send_peaks(self, window: float = 1.0) -> tuple[int, dict[int, int]]:
        """The most sends Telegram took in any ``window`` seconds: overall, and per chat.

        Counts delivered calls of the methods that put a message in a chat, as Telegram's
        limits do (about 30 a second overall, one a second to a private chat).
        """
        with self._cond:
            sends = [
                (r.timestamp, str(r.params.get("chat_id")))
                for r in self._requests
                if r.delivered and r.status == 200 and r.method.lower() in SEND_METHODS
            ]
        sends.sort()

        def peak(times: list[float]) -> int:
            best, start = 0, 0
            for end, at in enumerate(times):
                while times[start] <= at - window:
                    start += 1
                best = max(best, end - start + 1)
            return best

        by_chat: dict[str, list[float]] = defaultdict(list)
        for at, chat in sends:
            by_chat[chat].append(at)
        per_chat = {
            int(chat): peak(times) for chat, times in by_chat.items() if chat.lstrip("-").isdigit()
        }
        return peak([at for at, _ in sends]), per_chat

    def sent_messages(
        self, chat_id: int | None = None, *, include_deleted: bool = False
    ) -> list[JSON]:
        """Current state (after edits) of messages the bot sent, oldest first."""
        return self._read(
            lambda world: [
                _clone(record.current)
                for record in world.sent
                if (chat_id is None or record.current["chat"]["id"] == chat_id)
                and (include_deleted or record.deleted_seq is None)
            ]
        )

    def deleted_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Bot messages that were deleted (last state before deletion)."""
        return self._read(
            lambda world: [
                _clone(record.current)
                for record in world.sent
                if (chat_id is None or record.current["chat"]["id"] == chat_id)
                and record.deleted_seq is not None
            ]
        )

    def last_message(self, chat_id: int) -> JSON:
        messages = self.sent_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}\n{self._sent_report()}")
        return messages[-1]

    def edit_history(self, chat_id: int, message_id: int) -> list[JSON]:
        """Every version of a bot message, the original first and the current one last."""

        def probe(world: _World) -> list[JSON]:
            record = world.sent_index.get((chat_id, message_id))
            if record is None:
                raise KeyError(f"the bot sent no message {message_id} to chat {chat_id}")
            return _clone(record.versions)

        return self._read(probe)

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot (plus injected duplicates)."""
        return self._read(lambda world: _clone([*world.replays, *world.pending]))

    @property
    def commands(self) -> dict[str, list[JSON]]:
        """setMyCommands for the default scope, keyed by language_code ("" = no language)."""
        return self._read(
            lambda world: {
                language: _clone(commands)
                for (scope, language), commands in world.commands.items()
                if scope == _DEFAULT_SCOPE
            }
        )

    def commands_for(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        key = (_scope_key(scope), language_code)
        return self._read(lambda world: _clone(world.commands.get(key, [])))

    @property
    def menu_buttons(self) -> dict[int | None, JSON]:
        """setChatMenuButton calls, keyed by chat id (None = default for all chats)."""
        return self._read(lambda world: _clone(world.menu_buttons))

    def reply_keyboard(self, chat_id: int) -> JSON | None:
        """Last non-inline reply_markup (keyboard / remove_keyboard / force_reply) sent."""
        return self._read(lambda world: _clone(world.reply_keyboards.get(chat_id)))

    def chat_member_status(self, chat_id: int, user_id: int) -> str:
        return self._read(
            lambda world: str(world.member_json(world.chats[chat_id], user_id)["status"])
        )

    @property
    def callback_answers(self) -> dict[str, JSON]:
        return self._read(
            lambda world: {
                query_id: _clone(record.answer)
                for query_id, record in world.callback_queries.items()
                if record.answer is not None
            }
        )

    @property
    def downloads(self) -> list[str]:
        """file_paths the bot downloaded from base_file_url."""
        with self._cond:
            return list(self._downloads)

    # ----------------------------------------------------------------- waiting

    # The async waiters take `timeout` like their blocking twins, hence the ASYNC109 noqa's.

    def mark(self) -> int:
        """A point in time; pass it as `after` to wait only for later events."""
        return self._read(lambda world: world.last_seq)

    def _wait(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:
        deadline = time.monotonic() + timeout
        with self._cond:
            while (found := probe()) is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_report(what, timeout))
                self._cond.wait(remaining)
            return found

    async def _await(self, probe: Callable[[], T | None], seconds: float, what: str) -> T:
        deadline = time.monotonic() + seconds
        while True:
            with self._cond:
                found = probe()
                if found is not None:
                    return found
                if time.monotonic() >= deadline:
                    raise AssertionError(self._timeout_report(what, seconds))
            await asyncio.sleep(0.01)

    def _timeout_report(self, what: str, timeout: float) -> str:
        return f"timed out after {timeout}s waiting for {what}\n{self._sent_report()}"

    def _sent_report(self) -> str:
        with self._cond:
            sent = [
                f"  chat={r.current['chat']['id']} id={r.current['message_id']}"
                f"{' (deleted)' if r.deleted_seq else ''} {_summary(r.current)}"
                for r in self._world.sent
            ]
            failed = [
                f"  {r.method} -> {r.status} {(r.response or {}).get('description', '')}"
                for r in self._requests
                if r.status is not None and r.status >= 400
            ]
        report = "the bot sent:\n" + ("\n".join(sent) if sent else "  (nothing)")
        if failed:
            report += "\nfailed API calls:\n" + "\n".join(failed[-20:])
        return report

    def _message_probe(
        self, predicate: Callable[[JSON], bool], after: int | None
    ) -> Callable[[], JSON | None]:
        def probe() -> JSON | None:
            for record in self._world.sent:
                if after is not None and record.seq <= after:
                    continue
                message = _clone(record.current)
                if predicate(message):
                    return message
            return None

        return probe

    def wait_for(
        self, predicate: Callable[[JSON], bool], timeout: float = 10.0, *, after: int | None = None
    ) -> JSON:
        """Block until a bot message (sent after `after`) satisfies predicate; returns it."""
        return self._wait(self._message_probe(predicate, after), timeout, "a matching message")

    async def await_for(
        self,
        predicate: Callable[[JSON], bool],
        timeout: float = 10.0,  # noqa: ASYNC109
        *,
        after: int | None = None,
    ) -> JSON:
        """Async twin of wait_for: polls, never blocks the calling event loop."""
        return await self._await(
            self._message_probe(predicate, after), timeout, "a matching message"
        )

    @staticmethod
    def _message_filter(chat_id: int, text_contains: str | None) -> Callable[[JSON], bool]:
        def matches(message: JSON) -> bool:
            if message["chat"]["id"] != chat_id:
                return False
            body = message.get("text") or message.get("caption") or ""
            return text_contains is None or text_contains in body

        return matches

    def wait_for_message(
        self,
        chat_id: int,
        text_contains: str | None = None,
        *,
        after: int | None = None,
        timeout: float = 10.0,
    ) -> JSON:
        """First bot message to chat_id after `after` (any time if None) containing the text."""
        what = f"a message to chat {chat_id} containing {text_contains!r}"
        probe = self._message_probe(self._message_filter(chat_id, text_contains), after)
        return self._wait(probe, timeout, what)

    async def await_message(
        self,
        chat_id: int,
        text_contains: str | None = None,
        *,
        after: int | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> JSON:
        what = f"a message to chat {chat_id} containing {text_contains!r}"
        probe = self._message_probe(self._message_filter(chat_id, text_contains), after)
        return await self._await(probe, timeout, what)

    def _edit_probe(
        self, chat_id: int, message_id: int, after: int | None
    ) -> Callable[[], JSON | None]:
        def probe() -> JSON | None:
            record = self._world.sent_index.get((chat_id, message_id))
            if record is None:
                return None
            for version, seq in zip(record.versions[1:], record.version_seqs[1:], strict=True):
                if after is None or seq > after:
                    return _clone(version)
            return None

        return probe

    def wait_for_edit(
        self, chat_id: int, message_id: int, *, after: int | None = None, timeout: float = 10.0
    ) -> JSON:
        """The message as it was right after its first edit following `after`."""
        what = f"an edit of message {message_id} in chat {chat_id}"
        return self._wait(self._edit_probe(chat_id, message_id, after), timeout, what)

    async def await_edit(
        self,
        chat_id: int,
        message_id: int,
        *,
        after: int | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> JSON:
        what = f"an edit of message {message_id} in chat {chat_id}"
        return await self._await(self._edit_probe(chat_id, message_id, after), timeout, what)

    def _answer_probe(self, kind: str, query_id: str) -> Callable[[], JSON | None]:
        def probe() -> JSON | None:
            queries = (
                self._world.callback_queries if kind == "callback" else self._world.inline_queries
            )
            record = queries.get(query_id)
            return _clone(record.answer) if record and record.answer else None

        return probe

    def callback_answer(self, query_id: str, timeout: float = 10.0) -> JSON:
        """The bot's answerCallbackQuery: {"text", "show_alert", "url", "cache_time"}."""
        what = f"answerCallbackQuery for {query_id}"
        return self._wait(self._answer_probe("callback", query_id), timeout, what)

    async def await_callback_answer(
        self,
        query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> JSON:
        what = f"answerCallbackQuery for {query_id}"
        return await self._await(self._answer_probe("callback", query_id), timeout, what)

    def inline_answer(self, query_id: str, timeout: float = 10.0) -> JSON:
        """The bot's answerInlineQuery: {"results", "cache_time", "is_personal", ...}."""
        what = f"answerInlineQuery for {query_id}"
        return self._wait(self._answer_probe("inline", query_id), timeout, what)

    async def await_inline_answer(
        self,
        query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> JSON:
        what = f"answerInlineQuery for {query_id}"
        return await self._await(self._answer_probe("inline", query_id), timeout, what)

    def _request_probe(
        self, check: Callable[[RecordedRequest], bool]
    ) -> Callable[[], RecordedRequest | None]:
        def probe() -> RecordedRequest | None:
            found = next((r for r in self._requests if check(r)), None)
            return _clone(found) if found else None

        return probe

    @staticmethod
    def _in_flight_stall(record: RecordedRequest) -> bool:
        return record.stalled and record.status is None and not record.disconnected

    def wait_stalled(self, timeout: float = 10.0) -> RecordedRequest:
        """Block until a "stall" fault is holding a request open; returns that request."""
        probe = self._request_probe(self._in_flight_stall)
        return self._wait(probe, timeout, "a stalled request")

    async def await_stalled(self, timeout: float = 10.0) -> RecordedRequest:  # noqa: ASYNC109
        probe = self._request_probe(self._in_flight_stall)
        return await self._await(probe, timeout, "a stalled request")

    def _finished_call(self, method: str, after: int | None) -> Callable[[RecordedRequest], bool]:
        def check(record: RecordedRequest) -> bool:
            return (
                record.method.lower() == method.lower()
                and record.status is not None
                and (after is None or record.seq > after)
            )

        return check

    def wait_for_request(
        self, method: str, *, after: int | None = None, timeout: float = 10.0
    ) -> RecordedRequest:
        """First answered call of `method` received after `after`."""
        probe = self._request_probe(self._finished_call(method, after))
        return self._wait(probe, timeout, f"a {method} call")

    async def await_request(
        self,
        method: str,
        *,
        after: int | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> RecordedRequest:
        probe = self._request_probe(self._finished_call(method, after))
        return await self._await(probe, timeout, f"a {method} call")
