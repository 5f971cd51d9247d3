"""Every kind of callback data as a small frozen dataclass: pack() for keyboards, parse() and
pattern() for handlers. Callback data is ASCII, at most 64 bytes, and never trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, Self

from bot.config import LANGUAGES
from storage.subscriptions import TOPICS

MAX_CALLBACK_BYTES = 64
# SQLite stores 64-bit signed integers; a larger id from callback data would overflow.
MAX_ID = 2**63 - 1


def parse_id(raw: str) -> int | None:
    """A positive id from callback data or a command; None when it cannot be one."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def checked(*parts: str | int) -> str:
    """The parts joined; refused when Telegram would refuse them."""
    data = ":".join(str(p) for p in parts)
    if not data.isascii() or len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data must be ASCII and at most 64 bytes: {data!r}")
    return data


def fields(data: str | None, prefix: str, count: int, *, exact: bool = True) -> list[str] | None:
    """The `count` fields after `prefix` (which ends in a colon); None for another kind.

    exact: exactly `count` fields, none of them empty, or None. Otherwise the kind checks each
    field itself (an id kept as pressed for the audit, say): up to `count` fields, the last
    keeping any colons, the missing ones empty.
    """
    if data is None or not data.startswith(prefix):
        return None
    rest = data[len(prefix) :]
    if exact:
        found = rest.split(":")
        return found if len(found) == count and all(found) else None
    found = rest.split(":", count - 1)
    return found + [""] * (count - len(found))


def prefix_pattern(prefix: str) -> re.Pattern[str]:
    """What a handler is registered with: every press that starts like its kind."""
    return re.compile("^" + re.escape(prefix))


@dataclass(frozen=True)
class ActionButton:
    """<prefix>:<action>[:<value>]: a feature's buttons, one action each.

    ACTIONS maps each action to the pattern its value must match in full ("" for none).
    """

    PREFIX: ClassVar[str]
    ACTIONS: ClassVar[Mapping[str, str]]
    action: str
    value: str = ""

    def __post_init__(self) -> None:
        if not self._allows(self.action, self.value):
            raise ValueError(f"no such {type(self).__name__}: {self.action!r} {self.value!r}")

    @classmethod
    def _allows(cls, action: str, value: str) -> bool:
        rule = cls.ACTIONS.get(action)
        return rule is not None and re.fullmatch(rule, value, re.ASCII) is not None

    def pack(self) -> str:
        return checked(self.PREFIX, self.action, *([self.value] if self.value else []))

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        found = fields(data, f"{cls.PREFIX}:", 2, exact=False)
        if found is None or not cls._allows(*found):
            return None
        return cls(*found)

    @classmethod
    def pattern(cls, action: str, value: str | None = None) -> str:
        """This action: with exactly this value when given ("" for none), else with any value
        its kind takes (parse() checks it)."""
        head = f"^{re.escape(cls.PREFIX)}:{re.escape(action)}"
        if value is None:
            return head + (":" if cls.ACTIONS[action] else "$")
        return head + (f":{re.escape(value)}$" if value else "$")

    @classmethod
    def any_action(cls) -> str:
        """Every button of the kind, forged ones too: the handler answers what parse() refuses."""
        return f"^{re.escape(cls.PREFIX)}:"


# The main menu's entries and Home; what each opens is registered in bot/app.py.
MENU_ENTRIES = ("home", "faq", "contribute", "register", "subs", "mydata", "lang")


@dataclass(frozen=True)
class MenuButton(ActionButton):
    """m:<entry>."""

    PREFIX: ClassVar[str] = "m"
    ACTIONS: ClassVar[Mapping[str, str]] = dict.fromkeys(MENU_ENTRIES, "")


@dataclass(frozen=True)
class LanguageButton(ActionButton):
    """lang:<language code>."""

    PREFIX: ClassVar[str] = "lang"
    ACTIONS: ClassVar[Mapping[str, str]] = dict.fromkeys(LANGUAGES, "")


@dataclass(frozen=True)
class ContributionButton(ActionButton):
    """ctb:<action>[:<topic>]: the contribution form, and My submissions after it."""

    PREFIX: ClassVar[str] = "ctb"
    ACTIONS: ClassVar[Mapping[str, str]] = {
        "topic": r"[a-z_]{1,32}",
        **dict.fromkeys(("done", "send", "more", "cancel", "mine"), ""),
    }


@dataclass(frozen=True)
class MyDataButton(ActionButton):
    """my:<action>[:<minute>]: /mydata and /deleteme. Erase carries the minute it was offered,
    so an old button asks again."""

    PREFIX: ClassVar[str] = "my"
    ACTIONS: ClassVar[Mapping[str, str]] = {
        "erase": r"\d{1,12}",
        **dict.fromkeys(("show", "delete", "keep"), ""),
    }

    @classmethod
    def erase(cls, minute: int) -> MyDataButton:
        return cls("erase", str(minute))

    @property
    def minute(self) -> int | None:
        return int(self.value) if self.value else None


# Withdraw asks first; its confirmation carries "yes".
CONFIRMED = "yes"


@dataclass(frozen=True)
class ProfileButton(ActionButton):
    """prof:show, prof:withdraw, prof:withdraw:yes."""

    PREFIX: ClassVar[str] = "prof"
    ACTIONS: ClassVar[Mapping[str, str]] = {"show": "", "withdraw": f"({CONFIRMED})?"}


@dataclass(frozen=True)
class CardButton:
    """A button on a submission's card: mod:<action>:<submission id>[:<argument>].

    The id is kept as written (for the audit of a refusal) and checked by `item_id`.
    """

    PREFIX: ClassVar[str] = "mod"
    action: str
    item: str
    argument: str = ""

    @classmethod
    def of(cls, action: str, item_id: int, argument: str = "") -> CardButton:
        return cls(action, str(item_id), argument)

    def pack(self) -> str:
        parts: list[str | int] = [self.PREFIX, self.action, self.item]
        return checked(*parts, self.argument) if self.argument else checked(*parts)

    @classmethod
    def parse(cls, data: str | None) -> CardButton | None:
        found = fields(data, f"{cls.PREFIX}:", 3, exact=False)
        return cls(found[0] or "?", found[1], found[2]) if found else None

    @property
    def item_id(self) -> int | None:
        return parse_id(self.item)

    @property
    def subject(self) -> str:
        """What a refusal names: the id as pressed, short."""
        return self.item[:40] or "?"

    @classmethod
    def pattern(cls, action: str | None = None) -> str:
        return f"^{cls.PREFIX}:{re.escape(action)}:" if action else f"^{cls.PREFIX}:"


@dataclass(frozen=True)
class QueuePage:
    """A page of the moderators' queue: modq:<page>."""

    PREFIX: ClassVar[str] = "modq"
    page: int

    def pack(self) -> str:
        return checked(self.PREFIX, self.page)

    @classmethod
    def parse(cls, data: str | None) -> QueuePage | None:
        found = fields(data, f"{cls.PREFIX}:", 1)
        page = parse_id(found[0]) if found else None
        return cls(page) if page is not None else None

    @classmethod
    def pattern(cls) -> str:
        return f"^{cls.PREFIX}:"


@dataclass(frozen=True)
class VerifyRegistration:
    """Verify on a registration's card: reg:verify:<registration id>:<revision>."""

    PREFIX: ClassVar[str] = "reg:verify"
    registration_id: int
    revision: int
    _SHAPE: ClassVar[re.Pattern[str]] = re.compile(r"^reg:verify:(\d{1,12}):(\d{1,6})$", re.ASCII)

    def pack(self) -> str:
        return checked(self.PREFIX, self.registration_id, self.revision)

    @classmethod
    def parse(cls, data: str | None) -> VerifyRegistration | None:
        match = cls._SHAPE.match(data or "")
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    @classmethod
    def pattern(cls) -> str:
        return f"^{cls.PREFIX}:"


@dataclass(frozen=True)
class RegButton:
    """A button of the registration form: reg:<action>[:<value>[:<tick>]].

    A tick button says "tick" (1) or "untick" (0) rather than "toggle", so the same press
    delivered twice (a replay after a restart) cannot undo itself.
    """

    PREFIX: ClassVar[str] = "reg"
    action: str
    value: str = ""
    tick: str = ""

    @classmethod
    def ticking(cls, action: str, value: str, tick: bool) -> RegButton:
        return cls(action, value, "1" if tick else "0")

    def pack(self) -> str:
        parts = [p for p in (self.value, self.tick) if p]
        return checked(self.PREFIX, self.action, *parts)

    @classmethod
    def parse(cls, data: str | None) -> RegButton | None:
        found = fields(data, f"{cls.PREFIX}:", 3, exact=False)
        return cls(*found) if found else None

    @property
    def ticked(self) -> bool | None:
        """What a tick button sets; None when the press carries no valid tick."""
        return {"1": True, "0": False}.get(self.tick)

    @property
    def last(self) -> str:
        """The last field as pressed: what a one-choice button chooses."""
        return self.tick or self.value or self.action

    @classmethod
    def pattern(cls, action: str, value: str | None = None) -> str:
        """Exactly this button (with this value, when given)."""
        tail = f":{re.escape(value)}" if value is not None else ""
        return f"^{cls.PREFIX}:{re.escape(action)}{tail}$"

    @classmethod
    def any_value(cls, action: str | None = None) -> str:
        """This action with any value; every registration button, for None."""
        return f"^{cls.PREFIX}:{re.escape(action)}:" if action else f"^{cls.PREFIX}:"


# The topic of an unsubscribe button under an announcement to everyone who opted in.
EVERYTHING = "all"

SubscriptionAction = Literal["show", "on", "off", "stop", "done"]
SUBSCRIPTION_ACTIONS: tuple[SubscriptionAction, ...] = ("show", "on", "off", "stop", "done")


@dataclass(frozen=True)
class SubscriptionButton:
    """sub:<action>:<topic>. show: open the toggles; on/off: toggle in place; stop: one-tap
    unsubscribe under an announcement (topic or 'all'); done: close the toggles."""

    PREFIX: ClassVar[str] = "sub"
    action: SubscriptionAction
    topic: str = ""

    def pack(self) -> str:
        return checked(self.PREFIX, self.action, self.topic)

    @classmethod
    def parse(cls, data: str | None) -> SubscriptionButton | None:
        found = fields(data, f"{cls.PREFIX}:", 2, exact=False)
        if found is None:
            return None
        action_text, topic = found
        action = next((a for a in SUBSCRIPTION_ACTIONS if a == action_text), None)
        if action is None:
            return None
        allowed = (*TOPICS, EVERYTHING) if action == "stop" else TOPICS
        if action in ("on", "off", "stop") and topic not in allowed:
            return None
        if action in ("show", "done") and topic:
            return None
        return cls(action, topic)

    @classmethod
    def pattern(cls) -> str:
        return f"^{cls.PREFIX}:"


# skip: no attachment; aud: an audience chosen (value: its code); kind: toggle a kind;
# now: send now; ok/no: confirm or drop the preview; pause/resume/cancel: on the progress message.
AnnounceAction = Literal["skip", "aud", "kind", "now", "ok", "no", "pause", "resume", "cancel"]
ANNOUNCE_ACTIONS: frozenset[str] = frozenset(
    ("skip", "aud", "kind", "now", "ok", "no", "pause", "resume", "cancel")
)


@dataclass(frozen=True)
class AnnounceButton:
    """an:<action>:<announcement id>[:<value>]."""

    PREFIX: ClassVar[str] = "an"
    action: AnnounceAction
    announcement_id: int
    value: str = ""

    def pack(self) -> str:
        parts = [self.value] if self.value else []
        return checked(self.PREFIX, self.action, self.announcement_id, *parts)

    @classmethod
    def parse(cls, data: str | None) -> AnnounceButton | None:
        found = fields(data, f"{cls.PREFIX}:", 3, exact=False)
        if found is None or found[0] not in ANNOUNCE_ACTIONS:
            return None
        action, item, value = found
        if not item.isascii() or not item.isdigit() or len(item) > 12 or not value.isascii():
            return None
        return cls(action, int(item), value)  # type: ignore[arg-type]

    @classmethod
    def pattern(cls, *actions: str) -> str:
        """Any of these actions (or any action, for none)."""
        return f"^{cls.PREFIX}:({'|'.join(actions)}):" if actions else f"^{cls.PREFIX}:"


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
