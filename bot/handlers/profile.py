"""/profile: what a registered person gave, with buttons to change any of it or withdraw.

The change buttons (reg:edit:<field>) open the registration form at that question; they are
entry points of the conversation in bot/handlers/registration.py.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import CONFIRMED, ProfileButton
from bot.context import BotContext
from bot.keyboards import home_keyboard
from bot.registration import notify, views
from bot.replies import acknowledge, show
from storage import audit, consent, registrations


async def show_profile(update: Update, context: BotContext) -> None:
    """/profile: the stored registration, or how to register."""
    assert update.effective_user is not None
    await acknowledge(update)
    registered = await registrations.get_by_user(context.db, update.effective_user.id)
    if registered is None or not registered.active:
        await show(update, *views.not_registered(context))
        return
    await show(update, *views.profile(context, registered))


async def ask_withdraw(update: Update, context: BotContext) -> None:
    """Withdraw: say what it means and ask to be sure."""
    assert update.effective_user is not None
    registered = await registrations.get_by_user(context.db, update.effective_user.id)
    if registered is None or not registered.active:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    await acknowledge(update)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.t("profile-withdraw-yes"),
                    callback_data=ProfileButton("withdraw", CONFIRMED).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    context.t("profile-keep"), callback_data=ProfileButton("show").pack()
                )
            ],
        ]
    )
    text = context.t("profile-withdraw-confirm", reference=registered.reference)
    await show(update, text, markup)


async def withdraw(update: Update, context: BotContext) -> None:
    """Yes, withdraw: delete the details, end the consent, retire the moderators' cards."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    async with context.db.transaction() as conn:
        withdrawn = await registrations.withdraw_in(conn, user_id)
        if withdrawn is not None:
            await consent.withdraw_in(conn, user_id, consent.REGISTRATION)
            await notify.retire_cards_in(conn, context, withdrawn, "withdrawn")
            await audit.record_in(
                conn,
                actor_id=user_id,
                actor_role="person",
                action="registration.withdrawn",
                subject=withdrawn.subject,
                from_state=withdrawn.status,
                to_state=registrations.Status.WITHDRAWN,
            )
    if withdrawn is None:
        # Pressed twice, or after /deleteme: there is nothing left to withdraw.
        await acknowledge(update, context.t("profile-nothing-to-withdraw"), alert=True)
        return
    await acknowledge(update)
    text = context.t("profile-withdrawn", reference=withdrawn.reference)
    await show(update, text, home_keyboard(context))
