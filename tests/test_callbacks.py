"""The callback-data schema: what a keyboard packs, the handler's pattern and parse read back."""

from __future__ import annotations

import re

import pytest

from bot.callbacks import (
    CONFIRMED,
    MAX_ID,
    ActionButton,
    CardButton,
    ContributionButton,
    LanguageButton,
    MenuButton,
    MyDataButton,
    ProfileButton,
    QueuePage,
    RegButton,
    VerifyRegistration,
)


def test_each_kind_reads_back_what_it_packs_and_its_pattern_matches() -> None:
    card = CardButton.of("lk", 42, "entry-7")
    assert CardButton.parse(card.pack()) == card
    assert card.item_id == 42 and re.match(CardButton.pattern("lk"), card.pack())
    assert not re.match(CardButton.pattern("link"), card.pack())
    assert QueuePage.parse(QueuePage(3).pack()) == QueuePage(3)
    verify = VerifyRegistration(12, 2)
    assert VerifyRegistration.parse(verify.pack()) == verify
    assert re.match(VerifyRegistration.pattern(), verify.pack())
    tick = RegButton.ticking("int", "health", True)
    assert tick.pack() == "reg:int:health:1" and RegButton.parse(tick.pack()) == tick
    assert RegButton.parse("reg:int:health:1") is not None
    assert re.match(RegButton.pattern("done", "modes"), RegButton("done", "modes").pack())
    assert not re.match(RegButton.pattern("done", "modes"), "reg:done:modes:x")


def test_forged_ids_are_refused_and_data_never_exceeds_64_bytes() -> None:
    for forged in ("0", "-1", str(MAX_ID + 1), "١٢", "", "1e3"):
        assert CardButton.parse(f"mod:ok:{forged}") is not None
        assert CardButton.parse(f"mod:ok:{forged}").item_id is None  # type: ignore[union-attr]
    assert CardButton.parse(f"mod:ok:{MAX_ID}").item_id == MAX_ID  # type: ignore[union-attr]
    assert QueuePage.parse("modq:x") is None and VerifyRegistration.parse("reg:verify:1") is None
    assert RegButton.parse("reg:int:health:2").ticked is None  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        CardButton.of("lk", 1, "x" * 60).pack()
    with pytest.raises(ValueError):
        RegButton("kind", "ខ").pack()


# The wire format of buttons already on people's screens: each must still parse and match.
OLD_BUTTONS = [
    (MenuButton("home"), "m:home"),
    (MenuButton("contribute"), "m:contribute"),
    (LanguageButton("km"), "lang:km"),
    (ContributionButton("topic", "health"), "ctb:topic:health"),
    (ContributionButton("send"), "ctb:send"),
    (ContributionButton("mine"), "ctb:mine"),
    (MyDataButton("show"), "my:show"),
    (MyDataButton.erase(29_000_000), "my:erase:29000000"),
    (MyDataButton("keep"), "my:keep"),
    (ProfileButton("show"), "prof:show"),
    (ProfileButton("withdraw"), "prof:withdraw"),
    (ProfileButton("withdraw", CONFIRMED), "prof:withdraw:yes"),
]


@pytest.mark.parametrize(("kind", "wire"), OLD_BUTTONS, ids=lambda k: str(k))
def test_menu_language_contribution_mydata_and_profile_buttons_keep_their_wire_format(
    kind: ActionButton, wire: str
) -> None:
    assert kind.pack() == wire
    assert type(kind).parse(wire) == kind
    assert re.match(type(kind).pattern(kind.action, kind.value), wire)


def test_card_buttons_keep_their_wire_format() -> None:
    assert CardButton.of("rr", 7, "off_topic").pack() == "mod:rr:7:off_topic"
    assert CardButton.of("claim", 7).pack() == "mod:claim:7"


def test_action_patterns_match_their_own_button_only() -> None:
    assert re.match(ProfileButton.pattern("withdraw", ""), "prof:withdraw")
    assert not re.match(ProfileButton.pattern("withdraw", ""), "prof:withdraw:yes")
    assert not re.match(ProfileButton.pattern("withdraw", CONFIRMED), "prof:withdraw")
    assert re.match(MyDataButton.pattern("erase"), "my:erase:1")
    assert not re.match(MyDataButton.pattern("keep"), "my:keep:1")
    assert not re.match(MenuButton.pattern("faq"), "m:faqs")
    assert re.match(ContributionButton.pattern("topic"), "ctb:topic:x")
    assert re.match(LanguageButton.any_action(), "lang:fr")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (MenuButton, "m:nowhere"),
        (MenuButton, "m:home:1"),
        (MenuButton, "mx:home"),
        (LanguageButton, "lang:fr"),
        (LanguageButton, "lang:x:en"),
        (LanguageButton, None),
        (ContributionButton, "ctb:topic"),
        (ContributionButton, "ctb:topic:Health!"),
        (ContributionButton, "ctb:send:now"),
        (ContributionButton, "ctb:erase"),
        (MyDataButton, "my:erase"),
        (MyDataButton, "my:erase:12x"),
        (MyDataButton, "my:erase:١٢"),
        (MyDataButton, "my:erase:" + "9" * 13),
        (MyDataButton, "my:show:1"),
        (ProfileButton, "prof:withdraw:no"),
        (ProfileButton, "prof:show:yes"),
    ],
)
def test_forged_action_buttons_parse_to_none(kind: type[ActionButton], data: str | None) -> None:
    assert kind.parse(data) is None


def test_an_action_button_that_does_not_exist_cannot_be_packed() -> None:
    with pytest.raises(ValueError):
        MenuButton("nowhere")
    with pytest.raises(ValueError):
        MyDataButton("erase", "soon")
