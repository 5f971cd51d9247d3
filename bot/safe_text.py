"""Text that always fits and always parses: Telegram's counting, Fluent's limits, clean Unicode.

Telegram counts lengths in UTF-16 code units of the text as shown (after HTML is parsed);
fluent.runtime refuses any placeable value over 2,500 characters. Long text a person wrote
therefore never goes through a placeable: messages are formatted with a short slot, and the
escaped text is put in its place afterwards (`fill`), split across messages when it would not
fit in one (`split`).
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.i18n import Translator

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ELLIPSIS = "…"

# Lone surrogates cannot be encoded: they arrive from JSON escapes like "\ud800".
_SURROGATES = re.compile("[\ud800-\udfff]")
# Direction overrides and isolates can make a name read backwards to a moderator.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean(text: str) -> str:
    """Undecodable text (lone surrogates) replaced by U+FFFD, so it can be stored and sent."""
    return _SURROGATES.sub("\ufffd", text)


def clean_json(value: Any) -> Any:
    """Every string in a decoded JSON value cleaned, keys included."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_json(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    return value


def escape(text: str) -> str:
    """Anything not written by us goes out escaped and clean: messages are sent as HTML."""
    return html.escape(clean(text), quote=False)


def plain_name(text: str) -> str:
    """A name without direction overrides, which could make it read backwards; not escaped."""
    return _BIDI_CONTROLS.sub("", clean(text))


def shown_name(text: str) -> str:
    """A name or a file name as moderators see it: escaped, without direction overrides."""
    return escape(plain_name(text))


def visible_len(html_text: str) -> int:
    """UTF-16 length of our own HTML once Telegram has parsed it (tags gone, entities one)."""
    return utf16_len(_ENTITY.sub("&", _TAG.sub("", html_text)))


_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def number(lang: str, value: int) -> str:
    """A number as written in the language's prose: Khmer digits in Khmer."""
    return str(value).translate(_KHMER_DIGITS) if lang == "km" else str(value)


def plain_text(html_text: str) -> str:
    """Our own HTML as the reader sees it: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def clip(raw: str, budget: int) -> str:
    """At most `budget` UTF-16 units of raw text, ending in an ellipsis when it was cut."""
    if utf16_len(raw) <= budget:
        return raw
    return _take(raw, budget - 1)[0] + ELLIPSIS


def _take(raw: str, budget: int) -> tuple[str, str]:
    """The longest head of raw within budget units (cut at a space if one is near), and the rest."""
    used = 0
    end = 0
    for end, char in enumerate(raw):  # noqa: B007 - end is used after the loop
        used += _units(char)
        if used > budget:
            break
    else:
        return raw, ""
    cut = end
    space = max(raw.rfind(" ", 0, cut), raw.rfind("\n", 0, cut))
    if space > cut * 3 // 4:
        cut = space + 1
    return raw[:cut], raw[cut:]


def chunks(raw: str, first_budget: int, budget: int) -> list[str]:
    """Raw text cut into pieces: the first within first_budget units, the others within budget."""
    head, rest = _take(raw, max(first_budget, 1))
    pieces = [head]
    while rest:
        piece, rest = _take(rest, budget)
        pieces.append(piece)
    return pieces


SLOT = "\x00slot\x00"


def fill(template: str, value_html: str) -> str:
    """Put escaped text where a message formatted with `SLOT` holds its place."""
    return template.replace(SLOT, value_html, 1)


def split(
    i18n: Translator,
    lang: str,
    key: str,
    slot: str,
    raw: str,
    *,
    more_key: str,
    **args: object,
) -> list[str]:
    """`key` with raw text (escaped) in its `slot`, as one message or several that each fit.

    Later messages start with `more_key` (given `part` and `parts`), so each is understood
    on its own.
    """
    limit = TEXT_LIMIT
    template = i18n.get(lang, key, **{slot: SLOT}, **args)
    room = limit - visible_len(template.replace(SLOT, ""))
    if utf16_len(raw) <= room:
        return [fill(template, escape(raw))]
    # Leave room in every header for part numbers of any size.
    more = i18n.get(lang, more_key, part="999", parts="999", **args)
    pieces = chunks(raw, room - 1, limit - visible_len(more) - 2)
    total = len(pieces)
    out = [fill(template, escape(pieces[0]) + ELLIPSIS)]
    for index, piece in enumerate(pieces[1:], start=2):
        header = i18n.get(
            lang, more_key, part=number(lang, index), parts=number(lang, total), **args
        )
        out.append(header + "\n\n" + escape(piece))
    return out
