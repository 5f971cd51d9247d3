"""The moderators' group: claim, approve, reject, reply, ban. Each handler reads the press or
command, passes the gate (bot/moderation/gate.py), calls the service and shows the result."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.callbacks import MAX_ID, CardButton, QueuePage, parse_id
from bot.context import BotContext
from bot.contributions import cards
from bot.moderation import gate, service
from bot.moderation.gate import group_text as _t
from bot.replies import acknowledge, escape
from storage import submissions
from storage.submissions import OPEN_STATES, Status, Submission

QUEUE_PAGE = 10
_REF = re.compile(rf"\b(?:{'|'.join(submissions.PREFIX.values())})-[0-9]{{6,}}\b")

CardAction = Callable[[Update, BotContext, Submission], Awaitable[None]]


def on_card(action: CardAction) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A card button's handler: the gate first, then the submission the button names."""

    async def pressed(update: Update, context: BotContext) -> None:
        assert update.callback_query is not None
        button = CardButton.parse(update.callback_query.data or "")
        assert button is not None  # the handler's pattern guarantees the prefix
        if not await gate.authorise(update, context, button.action, button.subject):
            return
        item_id = button.item_id
        item = await submissions.get(context.db, item_id) if item_id is not None else None
        if item is None:
            await gate.refuse(update, context, "missing-item", button.action, button.subject)
            return
        await action(update, context, item)

    pressed.__doc__ = action.__doc__
    return pressed


async def unknown_button(update: Update, context: BotContext, item: Submission) -> None:
    """A card button this version does not know: refused like a missing item."""
    del item
    assert update.callback_query is not None
    button = CardButton.parse(update.callback_query.data or "")
    assert button is not None
    await gate.refuse(update, context, "missing-item", button.action, button.subject)


async def claim(update: Update, context: BotContext, item: Submission) -> None:
    """Claim: this moderator is handling it."""
    await _show_decision(
        update, context, await service.decide(context, gate.acting(update), item, to=Status.CLAIMED)
    )


async def approve(update: Update, context: BotContext, item: Submission) -> None:
    """Approve: close it and tell the sender."""
    await _show_decision(
        update,
        context,
        await service.decide(context, gate.acting(update), item, to=Status.APPROVED),
    )


async def ask_reason(update: Update, context: BotContext, item: Submission) -> None:
    """Reject: first choose a reason (or type one with /reject)."""
    if item.status not in OPEN_STATES:
        await acknowledge(update, _already(context, item), alert=True)
        return
    await acknowledge(update, _t(context, "mod-reject-how", ref=item.ref))
    await _show_markup(update, context, cards.reasons_markup, item)


async def reject_with_reason(update: Update, context: BotContext, item: Submission) -> None:
    """A reason button: reject with it."""
    assert update.callback_query is not None
    button = CardButton.parse(update.callback_query.data or "")
    reason_key = button.argument if button else ""
    if reason_key not in cards.REJECT_REASONS:
        await gate.refuse(update, context, "missing-item", "rr", f"submission:{item.id}")
        return
    reason = context.t_in(item.language, f"mod-reason-{reason_key}")
    decision = await service.decide(
        context, gate.acting(update), item, to=Status.REJECTED, reason=reason
    )
    await _show_decision(update, context, decision)


async def back_to_card(update: Update, context: BotContext, item: Submission) -> None:
    """Back from the reasons to the card's own buttons."""
    await acknowledge(update)
    await _show_markup(update, context, cards.card_markup, item)


async def explain_reply(update: Update, context: BotContext, item: Submission) -> None:
    """Reply: answers are written as a Telegram reply to the card."""
    await acknowledge(update, _t(context, "mod-reply-how", ref=item.ref), alert=True)


async def ban_sender(update: Update, context: BotContext, item: Submission) -> None:
    """Ban: refuse the sender's further submissions."""
    outcome = await service.ban_sender(context, gate.acting(update), item)
    if outcome == "cannot":
        await acknowledge(update, _t(context, "mod-cannot-ban"), alert=True)
        return
    key = "mod-banned" if outcome == "banned" else "mod-already-banned"
    await acknowledge(update, _t(context, key, ref=item.ref), alert=True)
    chat = update.effective_chat
    if outcome == "banned" and chat is not None:
        await chat.send_message(
            _t(context, key, ref=item.ref) + " " + _t(context, "mod-unban-how", ref=item.ref)
        )


async def _show_markup(
    update: Update,
    context: BotContext,
    markup: Callable[..., InlineKeyboardMarkup],
    item: Submission,
) -> None:
    query = update.callback_query
    assert query is not None
    i18n, lang = context.bot_data.i18n, context.settings.moderation_language
    await query.edit_message_reply_markup(markup(i18n, lang, item))


async def _show_decision(update: Update, context: BotContext, decision: service.Decision) -> None:
    # A refusal must be read; a confirmation can pass as a toast.
    await acknowledge(update, _decision_text(context, decision), alert=not decision.moved)


def _decision_text(context: BotContext, decision: service.Decision) -> str:
    item = decision.item
    if not decision.moved:
        return _already(context, item)
    return _t(context, f"mod-done-{item.status}", ref=item.ref)


def _already(context: BotContext, item: Submission) -> str:
    if item.status == Status.CLAIMED:
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
    if not await gate.authorise(update, context, "reply", f"submission:{item.id}"):
        return
    # Any text Telegram let the moderator send is relayed: split if it does not fit in one.
    source_key = f"reply:{message.chat.id}:{message.message_id}"
    outcome = await service.relay_reply(
        context, gate.acting(update), item, source_key, message.text or ""
    )
    if outcome == "empty":
        await message.reply_text(_t(context, "mod-reply-empty"))
    elif outcome == "rejected":
        await message.reply_text(_already(context, item))
    else:
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
    if not await gate.authorise(update, context, "queue", "queue"):
        return
    page = 0
    if update.callback_query is not None:
        # Pages beyond the queue are simply empty; beyond SQLite's integers they are refused.
        pressed = QueuePage.parse(update.callback_query.data or "")
        page = pressed.page if pressed is not None else 0
        page = page if page * QUEUE_PAGE <= MAX_ID else 0
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
        nav.append(InlineKeyboardButton("◀", callback_data=QueuePage(page - 1).pack()))
    if (page + 1) * QUEUE_PAGE < total:
        nav.append(InlineKeyboardButton("▶", callback_data=QueuePage(page + 1).pack()))
    markup = InlineKeyboardMarkup([nav]) if nav else None
    if update.callback_query is not None and update.callback_query.message is not None:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(text, reply_markup=markup)


async def reject_command(update: Update, context: BotContext) -> None:
    """/reject <ref> <reason>: reject with a reason in the moderator's own words."""
    message = update.effective_message
    assert message is not None
    if not await gate.authorise(update, context, "reject", " ".join(context.args or [])[:40]):
        return
    args = context.args or []
    item = await submissions.by_ref(context.db, args[0]) if args else None
    reason = " ".join(args[1:]).strip()
    if item is None or not reason or len(reason) > 500:
        await message.reply_text(_t(context, "mod-reject-usage"))
        return
    decision = await service.decide(
        context, gate.acting(update), item, to=Status.REJECTED, reason=reason
    )
    await message.reply_text(_decision_text(context, decision))


async def unban_command(update: Update, context: BotContext) -> None:
    """/unban <ref or user id>: the sender may send again."""
    message = update.effective_message
    assert message is not None
    if not await gate.authorise(update, context, "unban", " ".join(context.args or [])[:40]):
        return
    target = (context.args or [""])[0]
    user_id = parse_id(target)
    if user_id is None and target and not target.isdigit():
        item = await submissions.by_ref(context.db, target)
        user_id = item.user_id if item else None
    if user_id is None:
        await message.reply_text(_t(context, "mod-unban-usage"))
        return
    lifted = await service.unban(context, gate.acting(update), user_id)
    await message.reply_text(_t(context, "mod-unbanned" if lifted else "mod-not-banned"))


async def group_migrated(update: Update, context: BotContext) -> None:
    """The moderators' group became a supergroup: follow it to its new id.

    Any other group that migrates changes nothing (the handler's filter says so too).
    """
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    if not gate.in_moderators_chat(context, message.chat.id):
        return
    await service.follow_migration(context.bot_data, message.chat.id, message.migrate_to_chat_id)
