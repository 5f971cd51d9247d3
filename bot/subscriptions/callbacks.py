"""The subscription buttons' data: 'sub:<action>:<topic>', parsed here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.subscriptions import TOPICS

PREFIX = "sub"
# The topic of an unsubscribe button under an announcement to everyone who opted in.
EVERYTHING = "all"

Action = Literal["show", "on", "off", "stop", "done"]
ACTIONS: tuple[Action, ...] = ("show", "on", "off", "stop", "done")


@dataclass(frozen=True)
class SubscriptionButton:
    """show: open the toggles; on/off: toggle in place; stop: one-tap unsubscribe under an
    announcement (topic or 'all'); done: close the toggles."""

    action: Action
    topic: str = ""

    def pack(self) -> str:
        return f"{PREFIX}:{self.action}:{self.topic}"

    @classmethod
    def parse(cls, data: str | None) -> SubscriptionButton | None:
        prefix, _, rest = (data or "").partition(":")
        action_text, _, topic = rest.partition(":")
        if prefix != PREFIX:
            return None
        action = next((a for a in ACTIONS if a == action_text), None)
        if action is None:
            return None
        allowed = (*TOPICS, EVERYTHING) if action == "stop" else TOPICS
        if action in ("on", "off", "stop") and topic not in allowed:
            return None
        if action in ("show", "done") and topic:
            return None
        return cls(action, topic)
