"""The moderators' group: claim, approve, reject, reply, ban; every action checked and audited."""

from __future__ import annotations

import re
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User

from bot import access
from bot.context import BotContext, BotData
from bot.contributions import cards, service
from bot.handlers import faq_learning
from bot.keyboards import cb
from bot.replies import acknowledge, escape
from storage import audit, outbox, submissions
from storage.submissions import Submission

QUEUE_PAGE = 10
_REF = re.compile(rf"\b(?:{'|'.join(submissions.PREFIX.values())})-[0-9]{{6,}}\b")


def _t(context: BotContext, key: str, **args: object) -> str:
    return context.t_in(context.settings.moderation_language, key, **args)


def _role(context: BotContext, user_id: int) -> Literal["moderator", "admin"]:
    return "admin" if context.settings.is_admin(user_id) else "moderator"


def display_name(user: User) -> str:
    """Unescaped: the card escapes it and removes direction overrides."""
    return f"@{user.username}" if user.username else user.full_name


async def _authorised(
    update: Update,
    context: BotContext,
    action: str,
    subject: str,
    role: access.Role = "moderator",
) -> bool:
    """Moderators (or admins) only, each in their place; refusals are recorded."""
    reason = access.refusal(update, context, role)
    if reason is None:
        return True
    await _refuse(update, context, reason, action, subject)
    return False


async def authorised_admin(update: Update, context: BotContext, action: str, subject: str) -> bool:
    """The same gate for the admins' own tools (announcements, statistics, exports)."""
    return await _authorised(update, context, action, subject, role="admin")


async def _refuse(
    update: Update, context: BotContext, reason: access.Reason, action: str, subject: str
) -> None:
    await access.record_refusal(
        update, context, reason, action=f"refused:{action}", subject=subject
    )
    key = access.REFUSAL_KEYS[reason]
    chat = update.effective_chat
    # In a private chat the refusal is in the person's own language.
    text = context.t(key) if chat is not None and chat.type == "private" else _t(context, key)
    if update.callback_query is not None:
        await acknowledge(update, text, alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


def _parts(update: Update) -> list[str]:
    assert update.callback_query is not None
    return (update.callback_query.data or "").split(":")


async def on_button(update: Update, context: BotContext) -> None:
    """Any button on a card: check who pressed it and where, then do what it says."""
    parts = _parts(update)
    action = parts[1] if len(parts) > 1 else "?"
    subject = ":".join(parts[2:3])[:40] or "?"
    if not await _authorised(update, context, action, subject):
        return
    item_id = access.parse_id(parts[2]) if len(parts) > 2 else None
    item = await submissions.get(context.db, item_id) if item_id is not None else None
    handler = BUTTONS.get(action)
    if item is None or handler is None:
        await _refuse(update, context, "missing-item", action, subject)
        return
    await handler(update, context, item)


async def claim(update: Update, context: BotContext, item: Submission) -> None:
    """Claim: this moderator is handling it."""
    await _move(update, context, item, allowed_from=("open",), to="claimed", reason=None)


async def approve(update: Update, context: BotContext, item: Submission) -> None:
    """Approve: close it and tell the sender."""
    await _move(update, context, item, allowed_from=("open", "claimed"), to="approved", reason=None)


async def ask_reason(update: Update, context: BotContext, item: Submission) -> None:
    """Reject: first choose a reason (or type one with /reject)."""
    if item.status not in ("open", "claimed"):
        await acknowledge(update, _already(context, item), alert=True)
        return
    await acknowledge(update, _t(context, "mod-reject-how", ref=item.ref))
    query = update.callback_query
    assert query is not None
    i18n, lang = context.bot_data.i18n, context.settings.moderation_language
    await query.edit_message_reply_markup(cards.reasons_markup(i18n, lang, item))


async def reject_with_reason(update: Update, context: BotContext, item: Submission) -> None:
    """A reason button: reject with it."""
    reason_key = _parts(update)[-1]
    if reason_key not in cards.REJECT_REASONS:
        await _refuse(update, context, "missing-item", "rr", f"submission:{item.id}")
        return
    reason = context.t_in(item.language, f"mod-reason-{reason_key}")
    await _move(
        update, context, item, allowed_from=("open", "claimed"), to="rejected", reason=reason
    )


async def back_to_card(update: Update, context: BotContext, item: Submission) -> None:
    """Back from the reasons to the card's own buttons."""
    await acknowledge(update)
    query = update.callback_query
    assert query is not None
    i18n, lang = context.bot_data.i18n, context.settings.moderation_language
    await query.edit_message_reply_markup(cards.card_markup(i18n, lang, item))


async def explain_reply(update: Update, context: BotContext, item: Submission) -> None:
    """Reply: answers are written as a Telegram reply to the card."""
    await acknowledge(update, _t(context, "mod-reply-how", ref=item.ref), alert=True)


async def ban_sender(update: Update, context: BotContext, item: Submission) -> None:
    """Ban: refuse the sender's further submissions."""
    user = update.effective_user
    assert user is not None
    if item.user_id is None or context.settings.is_moderator(item.user_id):
        await acknowledge(update, _t(context, "mod-cannot-ban"), alert=True)
        return
    async with context.db.transaction() as conn:
        banned = await submissions.ban_in(conn, item.user_id, user.id, item.ref)
        if banned:
            await audit.record_in(
                conn, actor_id=user.id, actor_role=_role(context, user.id), action="ban",
                subject=f"user:{item.user_id}", to_state="banned", detail={"ref": item.ref},
            )  # fmt: skip
    key = "mod-banned" if banned else "mod-already-banned"
    await acknowledge(update, _t(context, key, ref=item.ref), alert=True)
    chat = update.effective_chat
    if banned and chat is not None:
        await chat.send_message(
            _t(context, key, ref=item.ref) + " " + _t(context, "mod-unban-how", ref=item.ref)
        )


async def _decide(
    context: BotContext,
    user: User,
    item: Submission,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    reason: str | None,
) -> tuple[bool, str]:
    """Move the item, audit it, update its card and tell its sender.

    Returns whether it moved and what to tell the moderator.

    All in one transaction; the conditional update makes the first of two racing
    moderators win, and the second is told who did what.
    """
    async with context.db.transaction() as conn:
        previous = await submissions.transition_in(
            conn, item.id, allowed_from=allowed_from, to=to, actor_id=user.id, reason=reason
        )
        if previous is not None:
            await audit.record_in(
                conn, actor_id=user.id, actor_role=_role(context, user.id), action=to,
                subject=f"submission:{item.id}", from_state=previous, to_state=to,
            )  # fmt: skip
            moved = await _reload_in(context, item.id)
            await service.queue_card_update(conn, context, moved, {user.id: display_name(user)})
            if to in ("approved", "rejected"):
                await service.queue_sender_message(
                    conn, context, moved, f"notify-{moved.kind}-{to}",
                    dedup=f"notify:{item.id}:{to}", long_text=("reason", reason or ""),
                )  # fmt: skip
    if previous is None:
        current = await submissions.get(context.db, item.id)
        return False, _already(context, current or item)
    context.bot_data.outbox.wake()
    return True, _t(context, f"mod-done-{to}", ref=item.ref)


async def _move(
    update: Update,
    context: BotContext,
    item: Submission,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    reason: str | None,
) -> None:
    assert update.effective_user is not None
    moved, answer = await _decide(
        context, update.effective_user, item, allowed_from=allowed_from, to=to, reason=reason
    )
    # A refusal must be read; a confirmation can pass as a toast.
    await acknowledge(update, answer, alert=not moved)


async def _reload_in(context: BotContext, submission_id: int) -> Submission:
    item = await submissions.get(context.db, submission_id)
    assert item is not None
    return item


def _already(context: BotContext, item: Submission) -> str:
    if item.status == "claimed":
        return _t(context, "mod-already-claimed", ref=item.ref, who=str(item.claimed_by))
    return _t(
        context, "mod-already-decided", ref=item.ref,
        status=_t(context, f"mod-state-{item.status}"), who=str(item.decided_by),
    )  # fmt: skip


async def relay_reply(update: Update, context: BotContext) -> None:
    """A moderator's Telegram reply to a card: relay it to the sender, mark it answered."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    item = await _replied_item(context, message.reply_to_message)
    if item is None:
        return  # a reply to something else in the group: not ours
    if not await _authorised(update, context, "reply", f"submission:{item.id}"):
        return
    # Any text Telegram let the moderator send is relayed: split if it does not fit in one.
    text = message.text or ""
    if not text.strip():
        await message.reply_text(_t(context, "mod-reply-empty"))
        return
    if item.status == "rejected":
        await message.reply_text(_already(context, item))
        return
    user = message.from_user
    assert user is not None
    source_key = f"reply:{message.chat.id}:{message.message_id}"
    async with context.db.transaction() as conn:
        added = await submissions.add_reply_in(conn, item.id, source_key, user.id, text)
        if added:
            previous = await submissions.transition_in(
                conn, item.id, allowed_from=("open", "claimed", "approved", "answered"),
                to="answered", actor_id=user.id,
            )  # fmt: skip
            await audit.record_in(
                conn, actor_id=user.id, actor_role=_role(context, user.id), action="reply",
                subject=f"submission:{item.id}", from_state=previous, to_state="answered",
            )  # fmt: skip
            moved = await _reload_in(context, item.id)
            await service.queue_card_update(conn, context, moved, {user.id: display_name(user)})
            await service.queue_sender_message(
                conn, context, moved, f"notify-{moved.kind}-answer",
                dedup=f"answer:{item.id}:{source_key}", long_text=("answer", text),
                on_sent=service.ANSWER_HOOK,
            )  # fmt: skip
    context.bot_data.outbox.wake()
    await message.reply_text(_t(context, "mod-reply-sent", ref=item.ref))


async def _replied_item(context: BotContext, card: Message) -> Submission | None:
    """The submission whose card (or part of it, or attachment) the moderator replied to.

    The recorded card is found by its message id. A copy that was never recorded (Telegram
    took it but answered 502, so it was sent again), a continuation or an attachment is
    found by the reference its first line names.
    """
    item = await submissions.by_card(context.db, card.chat.id, card.message_id)
    if item is not None:
        return item
    if card.from_user is None or card.from_user.id != context.bot.id:
        return None
    first_line = (card.text or card.caption or "").split("\n", 1)[0]
    found = _REF.search(first_line)
    return await submissions.by_ref(context.db, found.group(0)) if found else None


async def show_queue(update: Update, context: BotContext) -> None:
    """/queue or a page button: open items, oldest first."""
    if not await _authorised(update, context, "queue", "queue"):
        return
    page = 0
    if update.callback_query is not None:
        # Pages beyond the queue are simply empty; beyond SQLite's integers they are refused.
        page = access.parse_id(_parts(update)[-1]) or 0
        page = page if page * QUEUE_PAGE <= access.MAX_ID else 0
        await acknowledge(update)
    items, total = await submissions.open_items(context.db, page * QUEUE_PAGE, QUEUE_PAGE)
    if total == 0:
        text = _t(context, "mod-queue-empty")
    else:
        lines = [
            _t(context, "mod-queue-line", ref=i.ref, kind=_t(context, f"mod-kind-{i.kind}"),
               status=_t(context, f"mod-state-{i.status}"),
               preview=escape(" ".join(i.text.split())[:60]))
            for i in items
        ]  # fmt: skip
        pages = (total + QUEUE_PAGE - 1) // QUEUE_PAGE
        text = _t(context, "mod-queue-title", total=total, page=page + 1, pages=pages)
        text += "\n\n" + "\n".join(lines)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=cb("modq", page - 1)))
    if (page + 1) * QUEUE_PAGE < total:
        nav.append(InlineKeyboardButton("▶", callback_data=cb("modq", page + 1)))
    markup = InlineKeyboardMarkup([nav]) if nav else None
    if update.callback_query is not None and update.callback_query.message is not None:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(text, reply_markup=markup)


async def reject_command(update: Update, context: BotContext) -> None:
    """/reject <ref> <reason>: reject with a reason in the moderator's own words."""
    message = update.effective_message
    assert message is not None
    if not await _authorised(update, context, "reject", " ".join(context.args or [])[:40]):
        return
    args = context.args or []
    item = await submissions.by_ref(context.db, args[0]) if args else None
    reason = " ".join(args[1:]).strip()
    if item is None or not reason or len(reason) > 500:
        await message.reply_text(_t(context, "mod-reject-usage"))
        return
    assert update.effective_user is not None
    _, answer = await _decide(
        context, update.effective_user, item, allowed_from=("open", "claimed"), to="rejected",
        reason=reason,
    )  # fmt: skip
    await message.reply_text(answer)


async def unban_command(update: Update, context: BotContext) -> None:
    """/unban <ref or user id>: the sender may send again."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if not await _authorised(update, context, "unban", " ".join(context.args or [])[:40]):
        return
    target = (context.args or [""])[0]
    user_id = access.parse_id(target)
    if user_id is None and target and not target.isdigit():
        item = await submissions.by_ref(context.db, target)
        user_id = item.user_id if item else None
    if user_id is None:
        await message.reply_text(_t(context, "mod-unban-usage"))
        return
    async with context.db.transaction() as conn:
        lifted = await submissions.unban_in(conn, user_id)
        if lifted:
            await audit.record_in(
                conn, actor_id=user.id, actor_role=_role(context, user.id), action="unban",
                subject=f"user:{user_id}", from_state="banned",
            )  # fmt: skip
    await message.reply_text(_t(context, "mod-unbanned" if lifted else "mod-not-banned"))


async def group_migrated(update: Update, context: BotContext) -> None:
    """The moderators' group became a supergroup: follow it to its new id.

    Any other group that migrates changes nothing (the handler's filter says so too).
    """
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    if not access.in_moderators_chat(context, message.chat.id):
        return
    await follow_migration(context.bot_data, message.chat.id, message.migrate_to_chat_id)


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


BUTTONS = {
    "claim": claim,
    "ok": approve,
    "no": ask_reason,
    "rr": reject_with_reason,
    "card": back_to_card,
    "reply": explain_reply,
    "ban": ban_sender,
    "link": faq_learning.show_choices,
    "lk": faq_learning.link,
}
