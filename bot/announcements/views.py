"""What announcements look like: to each recipient, in the preview, in the progress message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.announcements.service import Preview, Progress, local_time
from bot.callbacks import EVERYTHING, AnnounceButton, SubscriptionButton
from bot.i18n import Translator
from bot.numbers import localized
from storage.announcements import Announcement, Audience, Status
from storage.registrations import KINDS, MODES
from storage.subscriptions import TOPICS

Translate = Callable[..., str]


def unsubscribe_markup(t: Translate, audience: Audience) -> InlineKeyboardMarkup:
    """The one-tap unsubscribe that ends every announcement."""
    topic = audience.topic
    name = t("sub-everything") if topic is None else t(f"sub-topic-{topic}")
    data = SubscriptionButton("stop", topic or EVERYTHING).pack()
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("ann-unsubscribe", topic=name), callback_data=data)]]
    )


def message_for(
    i18n: Translator, announcement: Announcement, language: str
) -> tuple[str, dict[str, Any]]:
    """The outbox method and payload that carry the announcement to one recipient."""
    assert announcement.audience is not None

    def t(key: str, /, **args: object) -> str:
        return i18n.get(language, key, **args)

    markup = unsubscribe_markup(t, announcement.audience).to_dict()
    text = announcement.text(language)
    if announcement.media_message_id is not None:
        return "copy_message", {
            "from_chat_id": announcement.admin_chat_id,
            "message_id": announcement.media_message_id,
            "caption": text,
            "reply_markup": markup,
        }
    return "send_message", {"text": text, "reply_markup": markup}


def audience_name(t: Translate, audience: Audience) -> str:
    if audience.kind == "topic":
        return t("ann-audience-topic", topic=t(f"sub-topic-{audience.values[0]}"))
    if audience.kind == "all":
        return t("ann-audience-all")
    if audience.kind == "mode":
        return t("ann-audience-mode", event=t(f"reg-mode-{audience.values[0]}"))
    kinds = ", ".join(t(f"reg-kind-{k}") for k in audience.values)
    return t("ann-audience-kinds", kinds=kinds)


def audience_markup(t: Translate, announcement_id: int) -> InlineKeyboardMarkup:
    def button(label: str, code: str) -> list[InlineKeyboardButton]:
        data = AnnounceButton("aud", announcement_id, code).pack()
        return [InlineKeyboardButton(label, callback_data=data)]

    rows = [
        button(t("ann-audience-topic", topic=t(f"sub-topic-{x}")), f"topic:{x}") for x in TOPICS
    ]
    rows.append(button(t("ann-audience-all"), "all"))
    rows += [
        button(t("ann-audience-mode", event=t(f"reg-mode-{m}")), f"mode:{m}") for m in MODES[:2]
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t("ann-audience-choose-kinds"),
                callback_data=AnnounceButton("kind", announcement_id).pack(),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def kinds_markup(
    t: Translate, announcement_id: int, chosen: tuple[str, ...]
) -> InlineKeyboardMarkup:
    rows = []
    for kind in KINDS:
        mark = "☑️" if kind in chosen else "⬜"
        picked = tuple(k for k in KINDS if (k in chosen) != (k == kind))
        # The button carries the whole new choice: pressing it twice is harmless.
        code = "kinds:" + ",".join(picked) if picked else "kinds:"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark} {t(f'reg-kind-{kind}')}",
                    callback_data=AnnounceButton("kind", announcement_id, _short(code)).pack(),
                )
            ]
        )
    if chosen:
        done = AnnounceButton("aud", announcement_id, _short("kinds:" + ",".join(chosen))).pack()
        rows.append([InlineKeyboardButton(t("ann-kinds-done"), callback_data=done)])
    return InlineKeyboardMarkup(rows)


# Kind codes in callback data by their position: all seven fit in 64 bytes.
def _short(code: str) -> str:
    kind, _, rest = code.partition(":")
    return kind + ":" + "".join(str(KINDS.index(k)) for k in rest.split(",") if k)


def expand(code: str) -> str:
    """The audience code a kinds button carries, written out (see _short)."""
    kind, _, rest = code.partition(":")
    if kind != "kinds":
        return code
    if not rest.isdigit():
        return "kinds:"
    return "kinds:" + ",".join(KINDS[int(d)] for d in rest if int(d) < len(KINDS))


def when_markup(t: Translate, announcement_id: int) -> InlineKeyboardMarkup:
    data = AnnounceButton("now", announcement_id).pack()
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("ann-send-now"), callback_data=data)]])


def skip_markup(t: Translate, announcement_id: int) -> InlineKeyboardMarkup:
    data = AnnounceButton("skip", announcement_id).pack()
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("ann-no-attachment"), callback_data=data)]]
    )


def preview_summary(t: Translate, lang: str, preview: Preview) -> str:
    found = preview.announcement
    assert found.audience is not None
    when = t("ann-when-now") if found.send_at is None else local_time(found.send_at)
    return t(
        "ann-preview-summary",
        audience=audience_name(t, found.audience),
        km=localized(preview.counts["km"], lang),
        en=localized(preview.counts["en"], lang),
        total=localized(preview.total, lang),
        when=when,
    )


def confirm_markup(t: Translate, announcement_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("ann-confirm"), callback_data=AnnounceButton("ok", announcement_id).pack()
                ),
                InlineKeyboardButton(
                    t("ann-discard"), callback_data=AnnounceButton("no", announcement_id).pack()
                ),
            ]
        ]
    )


def progress_text(t: Translate, lang: str, progress: Progress, status: str, rate: float) -> str:
    eta = progress.eta_seconds(rate) if status == Status.SENDING else 0
    counts = _counts(progress, lang, "sent", "failed", "blocked", "remaining", "total")
    eta_text = localized(f"{eta // 60}:{eta % 60:02d}", lang)
    return t("ann-progress", status=t(f"ann-status-{status}"), eta=eta_text, **counts)


def _counts(progress: Progress, lang: str, *names: str) -> dict[str, str]:
    """These figures of the progress, written in the language's digits."""
    return {name: localized(getattr(progress, name), lang) for name in names}


def progress_markup(t: Translate, announcement_id: int, status: str) -> InlineKeyboardMarkup | None:
    if status not in (Status.SENDING, Status.PAUSED):
        return None
    toggle: Literal["resume", "pause"] = "resume" if status == Status.PAUSED else "pause"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(f"ann-{toggle}"), callback_data=AnnounceButton(toggle, announcement_id).pack()
                ),
                InlineKeyboardButton(
                    t("ann-cancel"), callback_data=AnnounceButton("cancel", announcement_id).pack()
                ),
            ]
        ]
    )


def report_text(
    t: Translate, lang: str, announcement_id: int, progress: Progress, status: str
) -> str:
    counts = _counts(progress, lang, "sent", "failed", "blocked", "cancelled", "total")
    number = localized(announcement_id, lang)
    return t("ann-report", id=number, status=t(f"ann-status-{status}"), **counts)


def scheduled_markup(t: Translate, announcement_id: int) -> InlineKeyboardMarkup:
    data = AnnounceButton("cancel", announcement_id).pack()
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("ann-cancel"), callback_data=data)]])
