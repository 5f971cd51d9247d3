"""The moderators' group: claim, approve, reject, reply, ban; every action checked and audited."""

from __future__ import annotations

from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User

from bot.context import BotContext, BotData
from bot.contributions import cards, service
from bot.handlers import faq_learning
from bot.keyboards import cb
from bot.replies import acknowledge, escape
from storage import audit, outbox, submissions
from storage.submissions import Submission

# Telegram sends anonymous group admins' actions from this bot account.
ANONYMOUS_ADMIN_ID = 1087968824
QUEUE_PAGE = 10
MAX_REPLY_CHARS = 3500


def _t(context: BotContext, key: str, **args: object) -> str:
    return context.t_in(context.settings.moderation_language, key, **args)


def _role(context: BotContext, user_id: int) -> Literal["moderator", "admin"]:
    return "admin" if context.settings.is_admin(user_id) else "moderator"


def display_name(user: User) -> str:
    return f"@{user.username}" if user.username else user.full_name


async def _authorised(update: Update, context: BotContext, action: str, subject: str) -> bool:
    """Moderators and admins only, checked on every press and command; refusals are recorded."""
    user = update.effective_user
    if (
        user is not None
        and user.id != ANONYMOUS_ADMIN_ID
        and context.settings.is_moderator(user.id)
    ):
        return True
    actor = user.id if user is not None else 0
    async with context.db.transaction() as conn:
        await audit.record_in(
            conn, actor_id=actor, actor_role="person", action=f"refused:{action}",
            subject=subject,
        )  # fmt: skip
    anonymous = user is not None and user.id == ANONYMOUS_ADMIN_ID
    key = "mod-anonymous" if anonymous else "mod-not-allowed"
    if update.callback_query is not None:
        await acknowledge(update, _t(context, key), alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(_t(context, key))
    return False


def _parts(update: Update) -> list[str]:
    assert update.callback_query is not None
    return (update.callback_query.data or "").split(":")


async def _item_from_button(update: Update, context: BotContext) -> Submission | None:
    parts = _parts(update)
    if len(parts) < 3 or not parts[2].isdigit():
        return None
    return await submissions.get(context.db, int(parts[2]))


async def on_button(update: Update, context: BotContext) -> None:
    """Any button on a card: check who pressed it, then do what it says."""
    parts = _parts(update)
    action = parts[1] if len(parts) > 1 else "?"
    if not await _authorised(update, context, action, ":".join(parts[2:3]) or "?"):
        return
    chat = update.effective_chat
    if chat is None or chat.id not in context.bot_data.moderation_chats.chat_ids:
        # A card's buttons only mean something on the card, in the moderators' group.
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
        return
    item = await _item_from_button(update, context)
    if item is None:
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
        return
    handler = BUTTONS.get(action)
    if handler is None:
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
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
        await acknowledge(update, _t(context, "mod-unknown-item"), alert=True)
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
                    dedup=f"notify:{item.id}:{to}", reason=escape(reason or ""),
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
    item = await submissions.by_card(
        context.db, message.chat.id, message.reply_to_message.message_id
    )
    if item is None:
        return  # a reply to something else in the group: not ours
    if not await _authorised(update, context, "reply", f"submission:{item.id}"):
        return
    text = message.text or ""
    if not text.strip() or len(text) > MAX_REPLY_CHARS:
        await message.reply_text(_t(context, "mod-reply-invalid", limit=MAX_REPLY_CHARS))
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
                dedup=f"answer:{source_key}", answer=escape(text),
            )  # fmt: skip
    context.bot_data.outbox.wake()
    await message.reply_text(_t(context, "mod-reply-sent", ref=item.ref))


async def show_queue(update: Update, context: BotContext) -> None:
    """/queue or a page button: open items, oldest first."""
    if not await _authorised(update, context, "queue", "queue"):
        return
    page = 0
    if update.callback_query is not None:
        raw = _parts(update)[-1]
        page = int(raw) if raw.isdigit() else 0
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
    user_id: int | None = int(target) if target.isdigit() else None
    if user_id is None and target:
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
    """The group became a supergroup: follow it to its new id."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
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
