"""Moderators verify registrations with the button on each card in the moderators' group.

The button is not a permission: every press passes the moderation gate (who and where), and
refusals are written to the audit log there.
"""

from __future__ import annotations

from telegram import Update

from bot import safe_text
from bot.callbacks import VerifyRegistration
from bot.context import BotContext
from bot.moderation import gate, service
from bot.registration import views
from bot.replies import acknowledge, show
from storage import audit, registrations


async def verify(update: Update, context: BotContext) -> None:
    """Verify on a card: check who pressed, mark that version verified, tell the person."""
    assert update.callback_query is not None
    pressed = VerifyRegistration.parse(update.callback_query.data or "")
    if pressed is None:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    allowed = await gate.authorise(
        update, context, "registration.verify",
        audit.subject(registrations.AGGREGATE, pressed.registration_id),
        audit_as="registration.verify_refused", detail={"revision": pressed.revision},
        refusal_key="reg-verify-refused",
    )  # fmt: skip
    if not allowed:
        return
    outcome, found = await service.verify_registration(
        context, gate.acting(update), pressed.registration_id, pressed.revision
    )
    if outcome != "verified" or found is None:
        await acknowledge(update, context.t(f"reg-verify-{outcome}"), alert=True)
        return
    await acknowledge(update, context.t("reg-verify-done"))
    assert update.effective_user is not None
    moderator = safe_text.plain_name(update.effective_user.full_name)
    await show(update, views.verified_card(gate.group_t(context), found, moderator))
