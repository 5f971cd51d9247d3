"""The callback-data schema: what a keyboard packs, the handler's pattern and parse read back."""

from __future__ import annotations

import re

import pytest

from bot.callbacks import MAX_ID, CardButton, QueuePage, RegButton, VerifyRegistration


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
