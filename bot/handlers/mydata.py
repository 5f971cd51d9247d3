"""/mydata and /deleteme: people see everything the bot stores about them, and erase it.

What is stored and how it is erased is decided per aggregate in storage/personal_data.py;
this module only shows it and asks before erasing.
"""

from __future__ import annotations

import json
import time
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import MyDataButton
from bot.context import BotContext
from bot.contributions import service as contributions
from bot.keyboards import home_keyboard
from bot.registration import notify, views
from bot.replies import acknowledge, escape, show
from storage import audit, personal_data, registrations
from storage.personal_data import Remaining
from storage.registrations import Answers

EXPORT_FILE_NAME = "my-data.json"
MAX_MESSAGE_CHARS = 4096
# A delete button older than this asks again: nobody erases everything by a stray old tap.
ERASE_CONFIRM_MINUTES = 60


def data_buttons(context: BotContext) -> list[InlineKeyboardButton]:
    """Show my data / Delete my data, for the privacy screen."""
    return [
        InlineKeyboardButton(
            context.t("mydata-show-button"), callback_data=MyDataButton("show").pack()
        ),
        InlineKeyboardButton(
            context.t("mydata-delete-button"), callback_data=MyDataButton("delete").pack()
        ),
    ]


async def export(update: Update, context: BotContext) -> None:
    """/mydata or its button: everything stored, as messages and as my-data.json."""
    assert update.effective_user is not None and update.effective_chat is not None
    await acknowledge(update)
    document = await personal_data.export(context.db, update.effective_user.id)
    chat = update.effective_chat
    for part in split(readable(context, document)):
        await chat.send_message(part)
    payload = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    await chat.send_document(
        document=payload,
        filename=EXPORT_FILE_NAME,
        caption=context.t("mydata-file-caption"),
    )


async def ask_erase(update: Update, context: BotContext) -> None:
    """/deleteme or its button: what will be deleted and what stays, and a button to be sure."""
    await acknowledge(update)
    minute = int(time.time() // 60)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.t("mydata-erase-yes"), callback_data=MyDataButton.erase(minute).pack()
                )
            ],
            [
                InlineKeyboardButton(
                    context.t("mydata-keep"), callback_data=MyDataButton("keep").pack()
                )
            ],
        ]
    )
    await show(update, context.t("mydata-erase-confirm"), markup)


async def erase(update: Update, context: BotContext) -> None:
    """Yes, delete: erase everything personal, then say exactly what remains."""
    assert update.callback_query is not None and update.effective_user is not None
    pressed = MyDataButton.parse(update.callback_query.data)
    offered = pressed.minute if pressed is not None and pressed.action == "erase" else None
    now_minute = int(time.time() // 60)
    if offered is None or not 0 <= now_minute - offered <= ERASE_CONFIRM_MINUTES:
        await acknowledge(update, context.t("mydata-erase-expired"), alert=True)
        return
    user_id = update.effective_user.id
    registered = await registrations.get_by_user(context.db, user_id)
    async with context.db.transaction() as conn:
        if registered is not None:
            await notify.retire_cards_in(conn, context, registered, "erased")
        await contributions.take_down_in(conn, user_id)
        remaining = await personal_data.erase_in(conn, user_id)
        await audit.record_in(
            conn,
            actor_id=None,
            actor_role="person",
            action="personal_data.erased",
            subject=registered.subject if registered is not None else "person",
            from_state=registered.status if registered is not None else None,
            to_state=registrations.Status.ERASED if registered is not None else None,
            detail={"kept": [r.code for r in remaining]},
        )
    await acknowledge(update)
    await show(update, erased_text(context, remaining), home_keyboard(context))


async def keep(update: Update, context: BotContext) -> None:
    """No, keep my data."""
    await acknowledge(update)
    await show(update, context.t("mydata-kept"), home_keyboard(context))


# ----------------------------------------------------------------------------- text


def erased_text(context: BotContext, remaining: list[Remaining]) -> str:
    """What was deleted and, line by line, exactly what remains."""
    lines = [context.t(f"mydata-remains-{r.code}", **r.args) for r in remaining]
    lines += [context.t("mydata-remains-anonymous"), context.t("mydata-remains-chat")]
    bullets = "\n".join(f"• {line}" for line in lines)
    return f"{context.t('mydata-erased')}\n\n{context.t('mydata-remains-title')}\n{bullets}"


def _when(iso: str | None) -> str:
    return "-" if not iso else iso.replace("T", " ")[:16] + " UTC"


def _registration(context: BotContext, found: dict[str, Any]) -> str:
    status = context.t(views.STATUS_LABELS.get(found["status"], "reg-status-erased"))
    heading = context.t("mydata-registration", reference=found["reference"], status=status)
    if found["status"] not in registrations.ACTIVE:
        return heading
    answers = Answers(
        kind=found["kind"],
        full_name=found["full_name"],
        organisation=found["organisation"],
        position=found["position"],
        interests=tuple(found["interests"]),
        modes=tuple(found["participation"]),
        email=found["email"],
        phone=found["phone"],
    )
    return f"{heading}\n{views.details(context.t, answers)}"


def readable(context: BotContext, document: dict[str, Any]) -> str:
    """The export as the person reads it: every part, in their language, escaped."""
    t = context.t
    sections = [t("mydata-title"), t("mydata-telegram-id", id=str(document["telegram_user_id"]))]
    user = document.get("user")
    if user:
        language = t(f"lang-name-{user['language']}") if user["language"] else t("mydata-no-choice")
        sections.append(
            t(
                "mydata-user",
                language=language,
                first=_when(user["first_seen"]),
                last=_when(user["last_seen"]),
            )
        )
    if document.get("registration"):
        sections.append(_registration(context, document["registration"]))
    if document.get("registration_draft"):
        draft = document["registration_draft"]
        sections.append(t("mydata-draft", started=_when(draft["started_at"])))
    for given in document.get("consents") or []:
        key = "mydata-consent-withdrawn" if given["withdrawn_at"] else "mydata-consent"
        sections.append(
            t(
                key,
                version=given["privacy_notice_version"],
                given=_when(given["given_at"]),
                withdrawn=_when(given["withdrawn_at"]),
            )
        )
    if document.get("messages_to_you"):
        sections.append(t("mydata-messages", count=len(document["messages_to_you"])))
    if document.get("subscriptions"):
        chosen = [s["topic"] for s in document["subscriptions"] if s["subscribed"]]
        topics = ", ".join(t(f"sub-topic-{topic}") for topic in chosen) or t("sub-none")
        sections.append(t("mydata-subscriptions", topics=topics))
    if document.get("announcements_addressed_to_you"):
        count = document["announcements_addressed_to_you"]
        sections.append(t("mydata-announcements", count=count))
    if document.get("audit_log"):
        sections.append(t("mydata-audit", count=len(document["audit_log"])))
    known = {"format", "generated_at", "telegram_user_id", "user", "registration"}
    known |= {"registration_draft", "consents", "open_forms", "messages_to_you", "audit_log"}
    known |= {"subscriptions", "announcements_addressed_to_you"}
    for name, value in document.items():
        if name not in known and value:
            count = len(value) if isinstance(value, list) else 1
            sections.append(t("mydata-other", name=escape(name), count=count))
    sections.append(t("mydata-footer", file=EXPORT_FILE_NAME))
    return "\n\n".join(sections)


def split(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Messages under Telegram's limit, cut between lines (tags never span lines here)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]
