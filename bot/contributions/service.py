"""Submitting and deciding: each change, its audit record and its messages in one transaction."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

import aiosqlite

from bot import safe_text
from bot.context import BotContext, BotData
from bot.contributions import cards, rules
from bot.contributions.rules import Refusal
from storage import audit, bans, drafts, outbox, registrations, submissions, users
from storage.db import Database
from storage.outbox import OutboxItem
from storage.submissions import Attachment, Submission

log = logging.getLogger(__name__)

CARD_HOOK = "submission-card"
COPY_HOOK = "submission-copy"
ANSWER_HOOK = "submission-answer"


@dataclass(frozen=True)
class Content:
    """What is sent: a contribution (with its topic and files) or a question."""

    kind: str
    topic: str | None
    text: str
    attachments: list[Attachment]


@dataclass(frozen=True)
class Sent:
    """What came of Send: the reference (now or before), a refusal, or a draft gone missing."""

    ref: str | None = None
    refused: Refusal | None = None


async def refusal(context: BotContext, user_id: int) -> Refusal | None:
    """Why this person may not send now: banned, or over the rate; None if they may."""
    if await bans.is_banned(context.db, user_id):
        return Refusal("ctb-banned", {})
    settings = context.settings
    window = settings.submission_window_seconds
    if await submissions.recent_count(context.db, user_id, window) >= settings.submission_limit:
        oldest = await submissions.oldest_recent(context.db, user_id, window) or time.time()
        minutes = max(1, round((oldest + window - time.time()) / 60))
        return Refusal("ctb-rate-limited", {"limit": settings.submission_limit, "minutes": minutes})
    return None


async def send_draft(context: BotContext, user_id: int, source_key: str) -> Sent:
    """Send: the person's draft becomes a submission with its card, and the draft ends.

    Pressed again, or replayed after a crash, it was sent: the same reference again. A person
    who may not send (banned, over the rate) is refused, and the draft ends.
    """
    already = await submissions.by_source_key(context.db, source_key)
    if already is not None:
        return Sent(ref=already.ref)
    draft = await drafts.get_draft(context.db, user_id)
    if draft is None:
        return Sent()
    refused = await refusal(context, user_id)
    if refused is not None:
        await drafts.delete_draft(context.db, user_id)
        return Sent(refused=refused)
    content = Content("contribution", draft.topic, draft.text, draft.attachments)
    item = await submit(context, content, source_key=source_key, user_id=user_id, clear_draft=True)
    return Sent(ref=item.ref)


async def ask_team(context: BotContext, user_id: int, source_key: str, question: str) -> Sent:
    """A question the FAQ could not answer goes to the team (once, however often pressed)."""
    if await submissions.by_source_key(context.db, source_key) is None:
        refused = await refusal(context, user_id)
        if refused is not None:
            return Sent(refused=refused)
    content = Content("question", None, question[: rules.MAX_TEXT_CHARS], [])
    item = await submit(context, content, source_key=source_key, user_id=user_id)
    return Sent(ref=item.ref)


async def registration_line(context: BotContext, user_id: int | None) -> str | None:
    """How the sender registered, for the moderators' card; None if they did not."""
    found = await registrations.get_by_user(context.db, user_id) if user_id else None
    if found is None or not found.active:
        return None
    answers = found.answers
    kind = context.t_in(context.settings.moderation_language, f"reg-kind-{answers.kind}")
    verified = " ✅" if found.status == registrations.Status.VERIFIED else ""
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
    content: Content,
    *,
    source_key: str,
    user_id: int,
    clear_draft: bool = False,
) -> Submission:
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
            kind=content.kind,
            source_key=source_key,
            user_id=user_id,
            language=context.lang,
            topic=content.topic,
            text=content.text,
            attachments=content.attachments,
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
                to_state=submissions.Status.OPEN,
                detail={"kind": content.kind, "files": len(content.attachments)},
            )
            if chat_id is not None:
                await _queue_card_in(conn, context, item, chat_id)
        if clear_draft:
            await drafts.delete_draft_in(conn, user_id)
    return item


async def _queue_card_in(
    conn: aiosqlite.Connection, context: BotContext, item: Submission, chat_id: int
) -> None:
    i18n, lang = context.bot_data.i18n, context.settings.moderation_language
    registration = await registration_line(context, item.user_id)
    await outbox.enqueue_in(
        conn,
        dedup_key=outbox.submission_card_key(item.id),
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
            dedup_key=outbox.submission_part_key(item.id, number),
            chat_id=chat_id,
            method="send_message",
            payload={"text": text},
            on_sent=COPY_HOOK,
        )
    for index, attachment in enumerate(item.attachments):
        await outbox.enqueue_in(
            conn,
            dedup_key=outbox.submission_file_key(item.id, index),
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
    found = await _submission_of(data.db, item)
    if (
        found is None
        or outbox.is_plain_card_key(item.dedup_key)
        or reason.startswith(("forbidden", "gave up"))
    ):
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
                dedup_key=outbox.submission_plain_key(found.id, item.id, number),
                chat_id=item.chat_id,
                method="send_message",
                payload=payload,
                on_sent=CARD_HOOK if first else COPY_HOOK,
            )
    data.outbox.wake()


async def answer_not_delivered(data: BotData, item: OutboxItem, reason: str) -> None:
    """A moderator's answer can never reach the sender: the moderators are told, and why."""
    chat_id = data.moderation_chat_id
    found = await _submission_of(data.db, item)
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
    submission_id = outbox.submission_of(item.dedup_key)
    if message_id is not None and submission_id is not None:
        await submissions.add_group_message(
            db, submission_id, item.chat_id, int(message_id), is_card
        )


async def _submission_of(db: Database, item: OutboxItem) -> Submission | None:
    submission_id = outbox.submission_of(item.dedup_key)
    return await submissions.get(db, submission_id) if submission_id is not None else None


async def take_down_in(conn: aiosqlite.Connection, user_id: int) -> None:
    """The person erased their data: empty their cards in the group and delete the copies.

    Editing works at any age; deleting, for 48 hours. Accepted contributions stay on their
    card (without who sent them) and keep their attachments.
    """
    for message in await submissions.group_messages_of_user_in(conn, user_id):
        if message.is_card:
            method = "edit_message_text"
            text = cards.emptied_card(message.ref, message.text if message.kept else None)
            payload: dict[str, object] = {"message_id": message.message_id, "text": text}
        elif message.kept:
            continue
        else:
            method, payload = "delete_message", {"message_id": message.message_id}
        chat, key = message.chat_id, outbox.take_down_key(message.chat_id, message.message_id)
        await outbox.enqueue_in(conn, dedup_key=key, chat_id=chat, method=method, payload=payload)


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
        dedup_key=outbox.submission_card_edit_key(item.id, uuid.uuid4().hex),
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
            dedup_key=outbox.part_key(dedup, number),
            chat_id=item.user_id,
            method="send_message",
            payload={"text": text},
            on_sent=on_sent,
        )
