"""The moderators' card for a submission, and the messages its sender receives."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import safe_text
from bot.callbacks import CardButton
from bot.contributions.rules import topic_label_key
from bot.i18n import Translator
from bot.safe_text import escape, number, shown_name
from storage.submissions import OPEN_STATES, Status, Submission

# Reasons a moderator can pick when rejecting; "other" is typed with /reject.
REJECT_REASONS = ("off_topic", "duplicate", "inappropriate", "unclear")
# The card's share of the sender's text, in Telegram's units; the rest follows in parts.
# It leaves room for the longest header (a decision with a 500-character reason).
CARD_BODY_UNITS = 3000
PART_UNITS = 3800


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _pieces(text: str) -> list[str]:
    """The sender's text as the card and its continuations carry it (the same cut every time)."""
    return safe_text.chunks(text, CARD_BODY_UNITS, PART_UNITS) if text else []


def card_text(
    i18n: Translator,
    lang: str,
    item: Submission,
    *,
    registration: str | None,
    actors: dict[int, str] | None = None,
) -> str:
    """The card's first message. Everything the sender wrote is escaped: `<b>`, `<3` and `&`
    arrive literally; what does not fit follows in `card_continuations`."""
    names = actors or {}
    t = i18n.get
    lines = [
        t(lang, "mod-card-title", ref=item.ref, kind=t(lang, f"mod-kind-{item.kind}")),
        t(lang, "mod-card-topic", topic=t(lang, topic_label_key(item.topic))) if item.topic else "",
        t(lang, "mod-card-language", language=t(lang, f"lang-name-{item.language}")),
        safe_text.fill(t(lang, "mod-card-registered", who=safe_text.SLOT), shown_name(registration))
        if registration
        else t(lang, "mod-card-not-registered"),
        t(lang, "mod-card-received", when=_when(item.created_at)),
        safe_text.fill(
            t(lang, "mod-card-status", status=safe_text.SLOT), status_line(i18n, lang, item, names)
        ),
    ]
    header = "\n".join(line for line in lines if line) + "\n\n"
    tail = ""
    if item.attachments:
        tail = "\n\n" + t(lang, "mod-card-attachments", count=len(item.attachments))
    pieces = _pieces(item.text)
    if not pieces:
        return header + t(lang, "mod-card-no-text") + tail
    room = safe_text.TEXT_LIMIT - safe_text.visible_len(header + tail)
    body = pieces[0] + (safe_text.ELLIPSIS if len(pieces) > 1 else "")
    # A long decision line can leave less room than when the card was first sent.
    return header + escape(safe_text.clip(body, room)) + tail


def emptied_card(ref: str, kept_text: str | None) -> str:
    """A card after its sender erased their data: the reference, and an accepted text."""
    if kept_text is None:
        return f"🗑 {ref}"
    # The card showed how the sender registered; the record keeps only what was said.
    return f"✅ {ref}\n\n{html.escape(kept_text[:3000], quote=False)}"


def card_continuations(i18n: Translator, lang: str, item: Submission) -> list[str]:
    """What of the sender's text did not fit on the card, each part naming the reference."""
    pieces = _pieces(item.text)
    total = len(pieces)
    return [
        i18n.get(lang, "safety-part", ref=item.ref, part=number(lang, n), parts=number(lang, total))
        + "\n\n"
        + escape(piece)
        for n, piece in enumerate(pieces[1:], start=2)
    ]


def status_line(i18n: Translator, lang: str, item: Submission, names: dict[int, str]) -> str:
    def who(user_id: int | None) -> str:
        return shown_name(names.get(user_id or 0, str(user_id)))

    key = f"mod-status-{item.status}"
    args: dict[str, object] = {"who": who(item.decided_by), "when": _when(item.decided_at)}
    if item.status == Status.CLAIMED:
        args["who"] = who(item.claimed_by)
    if item.status == Status.REJECTED:
        # A reason can be long: it goes in after formatting.
        return safe_text.fill(
            i18n.get(lang, key, reason=safe_text.SLOT, **args), escape(item.reason or "")
        )
    return i18n.get(lang, key, **args)


def card_markup(i18n: Translator, lang: str, item: Submission) -> InlineKeyboardMarkup:
    def b(key: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            i18n.get(lang, key), callback_data=CardButton.of(action, item.id).pack()
        )

    if item.status in OPEN_STATES:
        rows = [
            [b("mod-btn-claim", "claim"), b("mod-btn-approve", "ok"), b("mod-btn-reject", "no")],
            [b("mod-btn-reply", "reply"), b("mod-btn-ban", "ban")],
        ]
        if item.kind == "question":
            rows.append([b("faqlearn-btn-link", "link")])
    else:
        rows = [[b("mod-btn-reply", "reply"), b("mod-btn-ban", "ban")]]
    return InlineKeyboardMarkup(rows)


def reasons_markup(i18n: Translator, lang: str, item: Submission) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                i18n.get(lang, f"mod-reason-{reason}"),
                callback_data=CardButton.of("rr", item.id, reason).pack(),
            )
        ]
        for reason in REJECT_REASONS
    ]
    rows.append(
        [
            InlineKeyboardButton(
                i18n.get(lang, "mod-btn-back"), callback_data=CardButton.of("card", item.id).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
