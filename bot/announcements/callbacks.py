"""The announcement buttons' data: 'an:<action>:<id>[:<value>]', parsed here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PREFIX = "an"

# skip: no attachment; aud: an audience chosen (value: its code); kind: toggle a kind;
# now: send now; ok/no: confirm or drop the preview; pause/resume/cancel: on the progress message.
Action = Literal["skip", "aud", "kind", "now", "ok", "no", "pause", "resume", "cancel"]
ACTIONS: frozenset[str] = frozenset(
    ("skip", "aud", "kind", "now", "ok", "no", "pause", "resume", "cancel")
)
MAX_BYTES = 64


@dataclass(frozen=True)
class AnnounceButton:
    action: Action
    announcement_id: int
    value: str = ""

    def pack(self) -> str:
        data = f"{PREFIX}:{self.action}:{self.announcement_id}"
        if self.value:
            data += f":{self.value}"
        if not data.isascii() or len(data) > MAX_BYTES:
            raise ValueError(f"callback data too long or not ASCII: {data!r}")
        return data

    @classmethod
    def parse(cls, data: str | None) -> AnnounceButton | None:
        parts = (data or "").split(":", 3)
        if len(parts) < 3 or parts[0] != PREFIX or parts[1] not in ACTIONS:
            return None
        if not parts[2].isdigit() or len(parts[2]) > 12:
            return None
        value = parts[3] if len(parts) == 4 else ""
        if not value.isascii():
            return None
        return cls(parts[1], int(parts[2]), value)  # type: ignore[arg-type]
