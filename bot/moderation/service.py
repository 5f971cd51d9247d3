"""Each moderator action as one use case: validate, one transaction, audit, queue what must
be sent, and return what happened. Handlers read the update and show the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import aiosqlite

from bot.context import BotContext, BotData
from bot.contributions import service as contributions
from bot.faq.normalize import normalize
from bot.moderation.gate import Actor, actor_role
from bot.registration import notify
from storage import audit, bans, outbox, registrations, submissions, users
from storage import faq as faq_store
from storage.registrations import Registration
from storage.submissions import OPEN_STATES, Status, Submission

# What a moderator's decision button moves an item to.
Decided = Literal[Status.CLAIMED, Status.APPROVED, Status.REJECTED]


@dataclass(frozen=True)
class Decision:
    """Whether the item moved; `item` is how it stands now (moved, or as another left it)."""

    moved: bool
    item: Submission


async def decide(
    context: BotContext,
    actor: Actor,
    item: Submission,
    *,
    to: Decided,
    reason: str | None = None,
) -> Decision:
    """Claim, approve or reject: move the item, audit it, update its card, tell its sender.

    All in one transaction; the conditional update makes the first of two racing
    moderators win, and the second is told who did what.
    """
    allowed_from = (Status.OPEN,) if to == Status.CLAIMED else OPEN_STATES
    async with context.db.transaction() as conn:
        previous = await submissions.transition_in(
            conn, item.id, allowed_from=allowed_from, to=to, actor_id=actor.id, reason=reason
        )
        if previous is not None:
            await _audit_in(conn, context, actor, to, item, previous, to)
            moved = await _reload(context, item.id)
            await contributions.queue_card_update(conn, context, moved, {actor.id: actor.name})
            if to != Status.CLAIMED:
                await contributions.queue_sender_message(
                    conn, context, moved, f"notify-{moved.kind}-{to}",
                    dedup=outbox.submission_notice_key(item.id, to),
                    long_text=("reason", reason or ""),
                )  # fmt: skip
    if previous is None:
        return Decision(False, await submissions.get(context.db, item.id) or item)
    return Decision(True, moved)


async def answer_with_faq(
    context: BotContext, actor: Actor, item: Submission, entry_id: str, answer: str
) -> Decision:
    """A question answered with an FAQ entry: moved, audited, learned as a phrasing of that
    entry, its card updated and `answer` (in the sender's language) queued to the sender."""
    async with context.db.transaction() as conn:
        previous = await submissions.transition_in(
            conn, item.id, allowed_from=OPEN_STATES, to=Status.ANSWERED, actor_id=actor.id
        )
        if previous is not None:
            await audit.record_in(
                conn, actor_id=actor.id, actor_role=actor_role(context.settings, actor.id),
                action="faq-link", subject=f"submission:{item.id}", from_state=previous,
                to_state=Status.ANSWERED, detail={"entry": entry_id},
            )  # fmt: skip
            await faq_store.learn_in(conn, entry_id, item.text, normalize(item.text), item.language)
            moved = await _reload(context, item.id)
            await contributions.queue_card_update(conn, context, moved, {actor.id: actor.name})
            if moved.user_id is not None:
                await outbox.enqueue_in(
                    conn, dedup_key=outbox.faq_link_key(item.id), chat_id=moved.user_id,
                    method="send_message", payload={"text": answer},
                )  # fmt: skip
    if previous is None:
        return Decision(False, await submissions.get(context.db, item.id) or item)
    # The matcher uses the new phrasing at once; at start it is read back from faq_learned.
    context.bot_data.faq.learn(entry_id, item.text)
    return Decision(True, moved)


Relayed = Literal["sent", "empty", "rejected"]


async def relay_reply(
    context: BotContext, actor: Actor, item: Submission, source_key: str, text: str
) -> Relayed:
    """A moderator's reply to a card: relay it to the sender and mark the item answered."""
    if not text.strip():
        return "empty"
    if item.status == Status.REJECTED:
        return "rejected"
    async with context.db.transaction() as conn:
        if await submissions.add_reply_in(conn, item.id, source_key, actor.id, text):
            previous = await submissions.transition_in(
                conn, item.id, allowed_from=(*OPEN_STATES, Status.APPROVED, Status.ANSWERED),
                to=Status.ANSWERED, actor_id=actor.id,
            )  # fmt: skip
            await _audit_in(conn, context, actor, "reply", item, previous, Status.ANSWERED)
            moved = await _reload(context, item.id)
            await contributions.queue_card_update(conn, context, moved, {actor.id: actor.name})
            await contributions.queue_sender_message(
                conn, context, moved, f"notify-{moved.kind}-answer",
                dedup=outbox.submission_answer_key(item.id, source_key), long_text=("answer", text),
                on_sent=contributions.ANSWER_HOOK,
            )  # fmt: skip
    return "sent"


Banned = Literal["banned", "already", "cannot"]


async def ban_sender(context: BotContext, actor: Actor, item: Submission) -> Banned:
    """Refuse the sender's further submissions (never a moderator's)."""
    if item.user_id is None or context.settings.is_moderator(item.user_id):
        return "cannot"
    async with context.db.transaction() as conn:
        banned = await bans.ban_in(conn, item.user_id, actor.id, item.ref)
        if banned:
            await audit.record_in(
                conn, actor_id=actor.id, actor_role=actor_role(context.settings, actor.id),
                action="ban", subject=f"user:{item.user_id}", to_state="banned",
                detail={"ref": item.ref},
            )  # fmt: skip
    return "banned" if banned else "already"


async def unban(context: BotContext, actor: Actor, user_id: int) -> bool:
    """The sender may send again; False when they were not banned."""
    async with context.db.transaction() as conn:
        lifted = await bans.unban_in(conn, user_id)
        if lifted:
            await audit.record_in(
                conn, actor_id=actor.id, actor_role=actor_role(context.settings, actor.id),
                action="unban", subject=f"user:{user_id}", from_state="banned",
            )  # fmt: skip
    return lifted


async def verify_registration(
    context: BotContext, actor: Actor, registration_id: int, revision: int
) -> tuple[str, Registration | None]:
    """Mark that version of a registration verified and tell the person, in their language.

    Returns the outcome (verified, already, stale, inactive, missing) and the registration.
    """
    registered = await registrations.get(context.db, registration_id)
    person = None
    if registered is not None and registered.user_id is not None:
        person = await users.get(context.db, registered.user_id)
    language = (
        (person.language if person else None)
        or (registered.language if registered else None)
        or context.settings.default_language
    )
    async with context.db.transaction() as conn:
        outcome, found = await registrations.verify_in(conn, registration_id, revision, actor.id)
        if outcome == "verified" and found is not None:
            await notify.verified_in(conn, context, found, actor.id, language)
    return outcome, found


async def follow_migration(data: BotData, old_id: int, new_id: int) -> None:
    """Cards, queue and commands move to the new id; messages still owed go there too."""
    data.moderation_chats.add_chat_ids(new_id)
    if data.moderation_chat_id == old_id:
        data.moderation_chat_id = new_id
    await outbox.set_state(data.db, f"migrated:{old_id}", str(new_id))
    await outbox.move_chat(data.db, old_id, new_id)


async def restore_migration(data: BotData) -> None:
    """At start: a group that migrated while the bot was running before is followed again."""
    old_id = data.moderation_chat_id
    if old_id is None:
        return
    new_id = await outbox.get_state(data.db, f"migrated:{old_id}")
    if new_id is not None:
        data.moderation_chats.add_chat_ids(int(new_id))
        data.moderation_chat_id = int(new_id)


async def _audit_in(
    conn: aiosqlite.Connection,
    context: BotContext,
    actor: Actor,
    action: str,
    item: Submission,
    previous: str | None,
    to: str,
) -> None:
    await audit.record_in(
        conn,
        actor_id=actor.id, actor_role=actor_role(context.settings, actor.id), action=action,
        subject=f"submission:{item.id}", from_state=previous, to_state=to,
    )  # fmt: skip


async def _reload(context: BotContext, submission_id: int) -> Submission:
    item = await submissions.get(context.db, submission_id)
    assert item is not None
    return item
