"""Callback data: each kind packs to what its handler's pattern matches and parses back."""

from __future__ import annotations

from typing import Any

import pytest

from bot.callbacks import MAX_CALLBACK_BYTES as MAX_BYTES
from bot.callbacks import FaqAnswer, FaqAskTeam, FaqCategory, FaqLink, FaqVote

KINDS: list[Any] = [
    FaqCategory("strategy"),
    FaqAnswer("nais_lead"),
    FaqAnswer("nais_lead", suggested=True),
    FaqVote("nais_lead", helpful=True),
    FaqVote("nais_lead", helpful=False),
    FaqAskTeam(),
    FaqLink(42, "privacy"),
]


@pytest.mark.parametrize("kind", KINDS, ids=repr)
def test_each_kind_round_trips_as_short_ascii(kind: Any) -> None:
    data = kind.pack()
    assert data.isascii() and len(data.encode()) <= MAX_BYTES
    assert type(kind).parse(data) == kind


def test_the_wire_format_stays_what_the_tests_and_old_messages_carry() -> None:
    assert [k.pack() for k in KINDS] == [
        "faq:c:strategy",
        "faq:q:nais_lead",
        "faq:s:nais_lead",
        "faq:v:nais_lead:1",
        "faq:v:nais_lead:0",
        "faq:ask",
        "mod:lk:42:privacy",
    ]


def test_patterns_match_every_press_of_their_kind_and_no_other() -> None:
    assert FaqCategory.PATTERN.match("faq:c:x") and not FaqCategory.PATTERN.match("faq:q:x")
    assert FaqAnswer.PATTERN.match("faq:q:x") and FaqAnswer.PATTERN.match("faq:s:x")
    assert not FaqAnswer.PATTERN.match("faq:v:x:1")
    assert FaqVote.PATTERN.match("faq:v:anything") and not FaqVote.PATTERN.match("faq:vx")
    assert FaqAskTeam.PATTERN.match("faq:ask") and not FaqAskTeam.PATTERN.match("faq:ask:1")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (FaqCategory, "faq:c:"),
        (FaqCategory, "faq:c:a:b"),
        (FaqAnswer, "faq:q:"),
        (FaqAnswer, "faq:x:nais_lead"),
        (FaqVote, "faq:v:nais_lead:7"),
        (FaqVote, "faq:v:nais_lead:"),
        (FaqVote, "faq:v:nais_lead"),
        (FaqAskTeam, "faq:ask:"),
        (FaqLink, "mod:lk:x:privacy"),
        (FaqLink, "mod:lk:-1:privacy"),
        (FaqLink, "mod:lk:42"),
        (FaqCategory, None),
    ],
)
def test_malformed_data_parses_to_none(kind: Any, data: str | None) -> None:
    assert kind.parse(data) is None


def test_data_telegram_would_refuse_is_refused_when_packed() -> None:
    with pytest.raises(ValueError):
        FaqCategory("x" * MAX_BYTES).pack()
    with pytest.raises(ValueError):
        FaqAnswer("សួរ").pack()
