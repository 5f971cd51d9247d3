"""Every kind of callback data: one small frozen dataclass each, with pack() and parse().

Telegram carries at most 64 bytes of callback data and hands back whatever a client sends, so
keyboards are built with pack() and handlers read with parse(), which returns None for anything
malformed: the handler then says the button has expired. Ids stay ASCII (a Khmer letter is three
bytes). Handlers are registered with each kind's PATTERN, a prefix: a press that carries the
prefix but not a valid rest still reaches its handler, which refuses it in the person's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

MAX_BYTES = 64
SEPARATOR = ":"


def checked(*parts: str | int) -> str:
    """The parts joined; refused when Telegram would refuse them."""
    data = SEPARATOR.join(str(p) for p in parts)
    if not data.isascii() or len(data) > MAX_BYTES:
        raise ValueError(f"callback data must be ASCII and at most {MAX_BYTES} bytes: {data!r}")
    return data


def fields(data: str | None, prefix: str, count: int) -> list[str] | None:
    """The `count` non-empty fields after `prefix`, or None when the data has another shape."""
    if data is None or not data.startswith(prefix):
        return None
    rest = data[len(prefix) :].split(SEPARATOR)
    return rest if len(rest) == count and all(rest) else None


def prefix_pattern(prefix: str) -> re.Pattern[str]:
    """What a handler is registered with: every press that starts like its kind."""
    return re.compile("^" + re.escape(prefix))


def parse_id(text: str) -> int | None:
    """A row id as written by pack(): digits only, no sign, no spaces."""
    return int(text) if text.isascii() and text.isdigit() else None


# --- FAQ

FAQ = "faq"


@dataclass(frozen=True)
class FaqCategory:
    """A category button: its questions."""

    category_id: str

    PREFIX: ClassVar[str] = "faq:c:"
    PATTERN: ClassVar[re.Pattern[str]] = prefix_pattern(PREFIX)

    def pack(self) -> str:
        return checked(FAQ, "c", self.category_id)

    @classmethod
    def parse(cls, data: str | None) -> FaqCategory | None:
        found = fields(data, cls.PREFIX, 1)
        return cls(found[0]) if found else None


@dataclass(frozen=True)
class FaqAnswer:
    """A question button; one chosen among suggestions to a typed question asks for a vote."""

    entry_id: str
    suggested: bool = False

    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^faq:[qs]:")

    def pack(self) -> str:
        return checked(FAQ, "s" if self.suggested else "q", self.entry_id)

    @classmethod
    def parse(cls, data: str | None) -> FaqAnswer | None:
        for suggested, prefix in ((False, "faq:q:"), (True, "faq:s:")):
            found = fields(data, prefix, 1)
            if found:
                return cls(found[0], suggested)
        return None


@dataclass(frozen=True)
class FaqVote:
    """👍 or 👎 under an answer."""

    entry_id: str
    helpful: bool

    PREFIX: ClassVar[str] = "faq:v:"
    PATTERN: ClassVar[re.Pattern[str]] = prefix_pattern(PREFIX)

    def pack(self) -> str:
        return checked(FAQ, "v", self.entry_id, int(self.helpful))

    @classmethod
    def parse(cls, data: str | None) -> FaqVote | None:
        found = fields(data, cls.PREFIX, 2)
        if found is None or found[1] not in ("0", "1"):
            return None
        return cls(found[0], found[1] == "1")


@dataclass(frozen=True)
class FaqAskTeam:
    """The FAQ found nothing: send the question to the team."""

    DATA: ClassVar[str] = "faq:ask"
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^faq:ask$")

    def pack(self) -> str:
        return checked(self.DATA)

    @classmethod
    def parse(cls, data: str | None) -> FaqAskTeam | None:
        return cls() if data == cls.DATA else None


@dataclass(frozen=True)
class FaqLink:
    """On a question's card in the moderators' group: answer it with this entry.

    It shares the moderation buttons' prefix, so the moderation router checks who pressed it.
    """

    submission_id: int
    entry_id: str

    PREFIX: ClassVar[str] = "mod:lk:"

    def pack(self) -> str:
        return checked("mod", "lk", self.submission_id, self.entry_id)

    @classmethod
    def parse(cls, data: str | None) -> FaqLink | None:
        found = fields(data, cls.PREFIX, 2)
        submission_id = parse_id(found[0]) if found else None
        if found is None or submission_id is None:
            return None
        return cls(submission_id, found[1])
