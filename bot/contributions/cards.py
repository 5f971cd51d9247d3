"""The moderators' card for a submission, and the messages its sender receives."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.contributions.rules import topic_label_key
from bot.i18n import Translator
from bot.keyboards import cb
from bot.replies import escape
from storage.submissions import Submission

MOD = "mod"
# Reasons a moderator can pick when rejecting; "other" is typed with /reject.
REJECT_REASONS = ("off_topic", "duplicate", "inappropriate", "unclear")
CARD_TEXT_LIMIT = 3000


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def card_text(
    i18n: Translator,
    lang: str,
    item: Submission,
    *,
    registration: str | None,
    actors: dict[int, str] | None = None,
) -> str:
    """Everything the sender wrote is escaped: `<b>`, `<3` and `&` arrive literally."""
    names = actors or {}
    t = i18n.get
    lines = [
        t(lang, "mod-card-title", ref=item.ref, kind=t(lang, f"mod-kind-{item.kind}")),
        t(lang, "mod-card-topic", topic=t(lang, topic_label_key(item.topic))) if item.topic else "",
        t(lang, "mod-card-language", language=t(lang, f"lang-name-{item.language}")),
        t(lang, "mod-card-registered", who=escape(registration))
        if registration
        else t(lang, "mod-card-not-registered"),
        t(lang, "mod-card-received", when=_when(item.created_at)),
        t(lang, "mod-card-status", status=status_line(i18n, lang, item, names)),
    ]
    body = escape(item.text[:CARD_TEXT_LIMIT]) if item.text else t(lang, "mod-card-no-text")
    if len(item.text) > CARD_TEXT_LIMIT:
        body += "…"
    text = "\n".join(line for line in lines if line) + "\n\n" + body
    if item.attachments:
        text += "\n\n" + t(lang, "mod-card-attachments", count=len(item.attachments))
    return text


def status_line(i18n: Translator, lang: str, item: Submission, names: dict[int, str]) -> str:
    def who(user_id: int | None) -> str:
        return escape(names.get(user_id or 0, str(user_id)))

    key = f"mod-status-{item.status}"
    args: dict[str, object] = {"who": who(item.decided_by), "when": _when(item.decided_at)}
    if item.status == "claimed":
        args["who"] = who(item.claimed_by)
    if item.status == "rejected":
        args["reason"] = escape(item.reason or "")
    return i18n.get(lang, key, **args)


def card_markup(i18n: Translator, lang: str, item: Submission) -> InlineKeyboardMarkup:
    def b(key: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(i18n.get(lang, key), callback_data=cb(MOD, action, item.id))

    if item.status in ("open", "claimed"):
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
                i18n.get(lang, f"mod-reason-{reason}"), callback_data=cb(MOD, "rr", item.id, reason)
            )
        ]
        for reason in REJECT_REASONS
    ]
    rows.append(
        [
            InlineKeyboardButton(
                i18n.get(lang, "mod-btn-back"), callback_data=cb(MOD, "card", item.id)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
