"""Submitting and deciding: each change, its audit record and its messages in one transaction."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import aiosqlite

from bot import safe_text
from bot.context import BotContext, BotData
from bot.contributions import cards
from storage import audit, outbox, registrations, submissions, users
from storage.db import Database
from storage.outbox import OutboxItem
from storage.submissions import Attachment, Submission

log = logging.getLogger(__name__)

CARD_HOOK = "submission-card"
COPY_HOOK = "submission-copy"
ANSWER_HOOK = "submission-answer"


@dataclass(frozen=True)
class Submitted:
    submission: Submission
    created: bool


async def registration_line(context: BotContext, user_id: int | None) -> str | None:
    """How the sender registered, for the moderators' card; None if they did not."""
    found = await registrations.get_by_user(context.db, user_id) if user_id else None
    if found is None or not found.active:
        return None
    answers = found.answers
    kind = context.t_in(context.settings.moderation_language, f"reg-kind-{answers.kind}")
    verified = " ✅" if found.status == "verified" else ""
    parts = [
        found.reference + verified,
        kind,
        answers.full_name,
        answers.organisation,
        answers.position,
    ]
    return " · ".join(p for p in parts if p)


async def submit(
    context: BotContext,
    *,
    kind: str,
    source_key: str,
    user_id: int,
    topic: str | None,
    text: str,
    attachments: list[Attachment],
    clear_draft: bool = False,
) -> Submitted:
    """Store the submission and queue its card, before the sender is told it arrived.

    One transaction holds the submission, its audit entry, its card and attachment copies
    (and, with clear_draft, the end of the sender's draft): a crash leaves all or nothing,
    and a replay finds the submission by source_key and queues nothing twice.
    """
    db = context.db
    chat_id = context.bot_data.moderation_chat_id
    async with db.transaction() as conn:
        submission_id, created = await submissions.create_in(
            conn,
            kind=kind,
            source_key=source_key,
            user_id=user_id,
            language=context.lang,
            topic=topic,
            text=text,
            attachments=attachments,
        )
        # Reads on the one connection see this transaction's rows.
        item = await submissions.get(db, submission_id)
        assert item is not None
        if created:
            await audit.record_in(
                conn,
                actor_id=user_id,
                actor_role="person",
                action="submit",
                subject=audit.subject("submission", submission_id),
                to_state="open",
                detail={"kind": kind, "files": len(attachments)},
            )
            if chat_id is not None:
                await _queue_card_in(conn, context, item, chat_id)
        if clear_draft:
            await submissions.delete_draft_in(conn, user_id)
    context.bot_data.outbox.wake()
    return Submitted(item, created)


async def _queue_card_in(
    conn: aiosqlite.Connection, context: BotContext, item: Submission, chat_id: int
) -> None:
    i18n, lang = context.bot_data.i18n, context.settings.moderation_language
    registration = await registration_line(context, item.user_id)
    await outbox.enqueue_in(
        conn,
        dedup_key=f"card:{item.id}",
        chat_id=chat_id,
        method="send_message",
        payload={
            "text": cards.card_text(i18n, lang, item, registration=registration),
            "reply_markup": cards.card_markup(i18n, lang, item).to_dict(),
        },
        on_sent=CARD_HOOK,
    )
    # Text that did not fit on the card follows it; remembered like copies, for erasure.
    for number, text in enumerate(cards.card_continuations(i18n, lang, item), start=2):
        await outbox.enqueue_in(
            conn,
            dedup_key=f"card:{item.id}:part:{number}",
            chat_id=chat_id,
            method="send_message",
            payload={"text": text},
            on_sent=COPY_HOOK,
        )
    for index, attachment in enumerate(item.attachments):
        await outbox.enqueue_in(
            conn,
            dedup_key=f"card:{item.id}:file:{index}",
            chat_id=chat_id,
            method="copy_message",
            payload={
                "from_chat_id": attachment.source_chat_id,
                "message_id": attachment.source_message_id,
                "caption": f"{item.ref} · {index + 1}/{len(item.attachments)}",
            },
            on_sent=COPY_HOOK,
        )


async def card_refused(data: BotData, item: OutboxItem, reason: str) -> None:
    """Telegram refused a card for good: send it again as plain text that fits, and say so.

    Our cards are built to fit, but a card queued by an older version, or a limit Telegram
    tightens, must still not leave a submission that no moderator sees.
    """
    submission_id = int(item.dedup_key.split(":")[1])
    found = await submissions.get(data.db, submission_id)
    if found is None or ":plain" in item.dedup_key or reason.startswith(("forbidden", "gave up")):
        return
    log.warning("card of submission %s refused by Telegram; sent again as plain text", found.id)
    text = str(item.payload.get("text") or found.ref)
    pieces = safe_text.chunks(safe_text.plain_text(text), safe_text.TEXT_LIMIT - 100, 4000)
    lang = data.settings.moderation_language
    async with data.db.transaction() as conn:
        await outbox.enqueue_in(
            conn,
            dedup_key=f"card-refused:{found.id}:{item.id}",
            chat_id=item.chat_id,
            method="send_message",
            payload={"text": data.i18n.get(lang, "safety-card-refused", ref=found.ref)},
        )
        for number, piece in enumerate(pieces, start=1):
            first = number == 1
            payload: dict[str, object] = {"text": piece, "parse_mode": None}
            if first and "reply_markup" in item.payload:
                payload["reply_markup"] = item.payload["reply_markup"]
            if not first:
                payload["text"] = f"{found.ref} · {number}/{len(pieces)}\n\n{piece}"
            await outbox.enqueue_in(
                conn,
                dedup_key=f"card:{found.id}:plain:{item.id}:{number}",
                chat_id=item.chat_id,
                method="send_message",
                payload=payload,
                on_sent=CARD_HOOK if first else COPY_HOOK,
            )
    data.outbox.wake()


async def answer_not_delivered(data: BotData, item: OutboxItem, reason: str) -> None:
    """A moderator's answer can never reach the sender: the moderators are told, and why."""
    chat_id = data.moderation_chat_id
    found = await submissions.get(data.db, int(item.dedup_key.split(":")[1]))
    if chat_id is None or found is None:
        return
    lang = data.settings.moderation_language
    why = "blocked" if reason.startswith("forbidden") else "failed"
    async with data.db.transaction() as conn:
        await outbox.enqueue_in(
            conn,
            dedup_key=f"answer-failed:{item.id}",
            chat_id=chat_id,
            method="send_message",
            payload={"text": data.i18n.get(lang, f"mod-answer-{why}", ref=found.ref)},
        )
    data.outbox.wake()


async def card_sent(db: Database, item: OutboxItem, message: object) -> None:
    """Outbox hook: remember which group message is the card of which submission."""
    await _remember(db, item, message, is_card=True)


async def copy_sent(db: Database, item: OutboxItem, message: object) -> None:
    """Outbox hook: remember the copies of attachments, to take them down on erasure."""
    await _remember(db, item, message, is_card=False)


async def _remember(db: Database, item: OutboxItem, message: object, *, is_card: bool) -> None:
    # copyMessage answers with a MessageId, sendMessage with a Message: both have message_id.
    message_id = getattr(message, "message_id", None)
    submission_id = int(item.dedup_key.split(":")[1])
    if message_id is not None:
        await submissions.add_group_message(
            db, submission_id, item.chat_id, int(message_id), is_card
        )


async def queue_card_update(
    conn: aiosqlite.Connection, context: BotContext, item: Submission, names: dict[int, str]
) -> None:
    """Edit the card to show the decision, who and when."""
    if item.card_chat_id is None or item.card_message_id is None:
        return
    i18n, lang = context.bot_data.i18n, context.settings.moderation_language
    registration = await registration_line(context, item.user_id)
    await outbox.enqueue_in(
        conn,
        dedup_key=f"card-edit:{item.id}:{uuid.uuid4().hex}",
        chat_id=item.card_chat_id,
        method="edit_message_text",
        payload={
            "message_id": item.card_message_id,
            "text": cards.card_text(i18n, lang, item, registration=registration, actors=names),
            "reply_markup": cards.card_markup(i18n, lang, item).to_dict(),
        },
    )


async def queue_sender_message(
    conn: aiosqlite.Connection,
    context: BotContext,
    item: Submission,
    text_key: str,
    *,
    dedup: str,
    long_text: tuple[str, str] | None = None,
    on_sent: str | None = None,
    **args: object,
) -> None:
    """A message to the sender, in their language (their current choice, if they made one).

    long_text is (slot, raw text): text of any length, escaped and put in after formatting,
    in as many messages as it needs.
    """
    if item.user_id is None:
        return
    user = await users.get(context.db, item.user_id)
    language = user.language if user and user.language else item.language
    if long_text is None:
        texts = [context.t_in(language, text_key, ref=item.ref, **args)]
    else:
        slot, raw = long_text
        texts = safe_text.split(
            context.bot_data.i18n, language, text_key, slot, raw, more_key="safety-part",
            ref=item.ref, **args,
        )  # fmt: skip
    for number, text in enumerate(texts, start=1):
        await outbox.enqueue_in(
            conn,
            dedup_key=dedup if number == 1 else f"{dedup}:part:{number}",
            chat_id=item.user_id,
            method="send_message",
            payload={"text": text},
            on_sent=on_sent,
        )
