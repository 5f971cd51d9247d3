"""Who may act for the moderators, and where: one check for every press and command.

Buttons are not permissions (callback data can be forged), and neither is a chat: an action
counts only when a configured moderator or admin takes it, as themselves, in the moderators'
group (or the supergroup it became). Every refusal is written to the audit log with its reason.
"""

from __future__ import annotations

from typing import Literal

from telegram import Update
from telegram.constants import ChatType

from bot.context import BotContext
from storage import audit

# Anonymous group admins act as this bot account: nobody can tell who they are.
ANONYMOUS_ADMIN_ID = 1087968824
# SQLite stores 64-bit signed integers; a larger id from callback data would overflow.
MAX_ID = 2**63 - 1

Role = Literal["moderator", "admin"]
Reason = Literal["anonymous", "not-a-moderator", "not-an-admin", "wrong-place", "missing-item"]


def parse_id(raw: str) -> int | None:
    """A positive id from callback data or a command; None when it cannot be one."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def in_moderators_chat(context: BotContext, chat_id: int | None) -> bool:
    """The configured moderators' chat, or the supergroup that chat itself became."""
    return chat_id is not None and chat_id in context.bot_data.moderation_chats.chat_ids


def refusal(update: Update, context: BotContext, role: Role = "moderator") -> Reason | None:
    """Why this update may not act for the moderators (or admins), or None when it may.

    Moderators act in the moderators' group; admins' own tools (announcements, statistics,
    exports of personal data) work only in their private chat with the bot.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.id == ANONYMOUS_ADMIN_ID:
        return "anonymous"
    if role == "admin":
        if not context.settings.is_admin(user.id):
            return "not-an-admin"
        return None if chat is not None and chat.type == ChatType.PRIVATE else "wrong-place"
    if not context.settings.is_moderator(user.id):
        return "not-a-moderator"
    if not in_moderators_chat(context, chat.id if chat is not None else None):
        return "wrong-place"
    return None


async def record_refusal(
    update: Update,
    context: BotContext,
    reason: Reason,
    *,
    action: str,
    subject: str,
    detail: dict[str, object] | None = None,
) -> None:
    """The audit entry of a refused action: who tried, what, on what, and why not."""
    user = update.effective_user
    role: audit.Role = "person"
    if user is not None and context.settings.is_moderator(user.id):
        role = "admin" if context.settings.is_admin(user.id) else "moderator"
    chat = update.effective_chat
    await audit.record(
        context.db,
        actor_id=user.id if user is not None else None,
        actor_role=role,
        action=action,
        subject=subject[:80],
        detail={"reason": reason, "chat": chat.id if chat else None, **(detail or {})},
    )


REFUSAL_KEYS: dict[Reason, str] = {
    "anonymous": "mod-anonymous",
    "not-a-moderator": "mod-not-allowed",
    "not-an-admin": "admin-not-allowed",
    "wrong-place": "mod-wrong-place",
    "missing-item": "mod-missing-item",
}
