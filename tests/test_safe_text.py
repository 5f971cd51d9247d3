"""Cards and split messages always fit and parse, whatever the text (hypothesis, no network)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import safe_text
from bot.contributions import cards
from bot.i18n import Translator
from storage.submissions import Submission
from tests.fake_telegram import MAX_TEXT_LENGTH, parse_html, utf16_len
from tests.test_properties import LONG, PIECE, TEXT

I18N = Translator()
ANY = st.one_of(PIECE, TEXT, LONG)
MANY = settings(max_examples=200, deadline=None)


def _submission(text: str, status: str, reason: str | None) -> Submission:
    return Submission(
        id=7, ref="C-000007", kind="contribution", user_id=1, language="km", topic="health",
        text=text, status=status, claimed_by=9001, decided_by=9001, decided_at=0.0,
        reason=reason, card_chat_id=None, card_message_id=None, created_at=0.0,
    )  # fmt: skip


def _shown(html_text: str) -> str:
    """What Telegram shows; parse_html raises as Telegram refuses unparseable HTML."""
    text, _ = parse_html(html_text)
    assert utf16_len(text) <= MAX_TEXT_LENGTH
    assert safe_text.visible_len(html_text) == utf16_len(text)
    return text


@MANY
@given(
    text=ANY,
    status=st.sampled_from(["open", "claimed", "approved", "rejected", "answered"]),
    reason=st.one_of(st.none(), ANY.map(lambda r: r[:500])),
    registration=st.one_of(st.none(), PIECE),
    name=PIECE,
    lang=st.sampled_from(["en", "km"]),
)
@example(text="😀" * 3000, status="rejected", reason="&" * 500, registration="<b>", name="\u202e",
         lang="km")  # fmt: skip
def test_a_card_and_its_parts_fit_parse_and_carry_all_of_the_text(
    text: str, status: str, reason: str | None, registration: str | None, name: str, lang: str
) -> None:
    item = _submission(text, status, reason)
    first = cards.card_text(I18N, lang, item, registration=registration, actors={9001: name})
    shown = [_shown(first)] + [_shown(p) for p in cards.card_continuations(I18N, lang, item)]
    # Names and the registration line lose direction overrides; what people wrote keeps them.
    written = text + (reason or "")
    overrides = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    assert not any(c in shown[0] for c in overrides if c not in written)
    pieces = cards._pieces(safe_text.clean(text))
    assert "".join(pieces) == safe_text.clean(text)
    assert len(shown) == max(1, len(pieces))


@MANY
@given(raw=ANY, lang=st.sampled_from(["en", "km"]))
def test_a_split_answer_fits_parses_and_loses_nothing(raw: str, lang: str) -> None:
    parts = safe_text.split(
        I18N, lang, "notify-question-answer", "answer", raw, more_key="safety-part",
        ref="Q-000001",
    )  # fmt: skip
    shown = [_shown(p) for p in parts]
    if len(parts) == 1:
        return
    bodies = [shown[0].split("\n\n", 1)[1].removesuffix("…")]
    bodies += [s.split("\n\n", 1)[1] for s in shown[1:]]
    assert "".join(bodies).strip() == safe_text.clean(raw).strip()
