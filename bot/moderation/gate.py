"""Who may act for the moderators, and where: one gate for every press and command.

Buttons are not permissions (callback data can be forged), and neither is a chat: an action
counts only when a configured moderator or admin takes it, as themselves, in the moderators'
group (or the supergroup it became); admins' own tools only in their private chat. Every
refusal is written to the audit log here, with its reason, and the presser is told why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from telegram import Update, User
from telegram.constants import ChatType

from bot.config import Settings
from bot.context import BotContext
from bot.replies import acknowledge
from storage import audit

# Anonymous group admins act as this bot account: nobody can tell who they are.
ANONYMOUS_ADMIN_ID = 1087968824

Role = Literal["moderator", "admin"]
Reason = Literal["anonymous", "not-a-moderator", "not-an-admin", "wrong-place", "missing-item"]

REFUSAL_KEYS: dict[Reason, str] = {
    "anonymous": "mod-anonymous",
    "not-a-moderator": "mod-not-allowed",
    "not-an-admin": "admin-not-allowed",
    "wrong-place": "mod-wrong-place",
    "missing-item": "mod-missing-item",
}


@dataclass(frozen=True)
class Actor:
    """The moderator acting, and the name their card shows (unescaped: the card escapes it)."""

    id: int
    name: str


def display_name(user: User) -> str:
    return f"@{user.username}" if user.username else user.full_name


def acting(update: Update) -> Actor:
    """Who acts in an update that passed the gate."""
    user = update.effective_user
    assert user is not None
    return Actor(user.id, display_name(user))


def group_text(context: BotContext, key: str, **args: object) -> str:
    """A text for the moderators' group, in its configured language."""
    return context.t_in(context.settings.moderation_language, key, **args)


def group_t(context: BotContext) -> Callable[..., str]:
    """group_text bound to this context, for views that take a translate function."""

    def t(key: str, **args: object) -> str:
        return group_text(context, key, **args)

    return t


def actor_role(settings: Settings, user_id: int | None) -> audit.Role:
    """How the audit log names who acted."""
    if user_id is None or not settings.is_moderator(user_id):
        return "person"
    return "admin" if settings.is_admin(user_id) else "moderator"


def in_moderators_chat(context: BotContext, chat_id: int | None) -> bool:
    """The configured moderators' chat, or the supergroup that chat itself became."""
    return chat_id is not None and chat_id in context.bot_data.moderation_chats.chat_ids


def refusal(update: Update, context: BotContext, role: Role = "moderator") -> Reason | None:
    """Why this update may not act for the moderators (or admins), or None when it may."""
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


async def authorise(
    update: Update,
    context: BotContext,
    action: str,
    subject: str,
    *,
    role: Role = "moderator",
    audit_as: str | None = None,
    detail: dict[str, object] | None = None,
    refusal_key: str | None = None,
) -> bool:
    """May this update take `action` on `subject`? A refusal is audited and explained.

    The audit entry is `refused:<action>` unless `audit_as` names it otherwise; the presser
    reads `refusal_key` (in their own language) or the reason's own text.
    """
    reason = refusal(update, context, role)
    if reason is None:
        return True
    await refuse(
        update, context, reason, action, subject,
        audit_as=audit_as, detail=detail, refusal_key=refusal_key,
    )  # fmt: skip
    return False


async def refuse(
    update: Update,
    context: BotContext,
    reason: Reason,
    action: str,
    subject: str,
    *,
    audit_as: str | None = None,
    detail: dict[str, object] | None = None,
    refusal_key: str | None = None,
) -> None:
    """Record a refused action (who tried, what, on what, why not) and tell the presser."""
    user, chat = update.effective_user, update.effective_chat
    await audit.record(
        context.db,
        actor_id=user.id if user is not None else None,
        actor_role=actor_role(context.settings, user.id if user is not None else None),
        action=audit_as or f"refused:{action}",
        subject=subject[:80],
        detail={"reason": reason, "chat": chat.id if chat else None, **(detail or {})},
    )
    key = refusal_key or REFUSAL_KEYS[reason]
    # In a private chat, or for a refusal with its own text, the presser's own language.
    private = chat is not None and chat.type == ChatType.PRIVATE
    text = context.t(key) if private or refusal_key else group_text(context, key)
    if update.callback_query is not None:
        await acknowledge(update, text, alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
