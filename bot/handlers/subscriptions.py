"""/subscriptions, the menu entry and the buttons: topics on and off, edited in place."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import EVERYTHING, SubscriptionButton
from bot.context import BotContext
from bot.keyboards import home_keyboard
from bot.replies import acknowledge, show
from bot.subscriptions import service, views
from storage import subscriptions


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def show_toggles(update: Update, context: BotContext) -> None:
    """/subscriptions or the menu entry: the topics, ticked where chosen."""
    await acknowledge(update)
    chosen = await subscriptions.topics_of(context.db, _user_id(update))
    await show(update, *views.toggles(context.t, chosen))


async def offer(update: Update, context: BotContext) -> None:
    """Asked once, after registering: the same toggles, none ticked unless chosen before."""
    chat = update.effective_chat
    if chat is None:
        return
    chosen = await subscriptions.topics_of(context.db, _user_id(update))
    text, markup = views.toggles(context.t, chosen, intro_key="sub-offer")
    await chat.send_message(text, reply_markup=markup)


async def on_button(update: Update, context: BotContext) -> None:
    """A subscription button: toggle, stop from an announcement, or close."""
    button = SubscriptionButton.parse(update.callback_query.data if update.callback_query else None)
    if button is None:
        await acknowledge(update, context.t("callback-expired"), alert=True)
        return
    user_id = _user_id(update)
    if button.action == "show":
        await show_toggles(update, context)
        return
    if button.action == "done":
        await acknowledge(update)
        chosen = await subscriptions.topics_of(context.db, user_id)
        await show(update, views.summary(context.t, chosen), home_keyboard(context))
        return
    if button.action == "stop":
        topic = None if button.topic == EVERYTHING else button.topic
        await service.stop(context.db, user_id, topic, context.lang)
        name = context.t("sub-everything") if topic is None else context.t(f"sub-topic-{topic}")
        await acknowledge(update, context.t("sub-stopped", topic=name), alert=True)
        query = update.callback_query
        assert query is not None
        # The announcement stays; its button goes, with a way back to the choices.
        await query.edit_message_reply_markup(views.reopen_markup(context.t))
        return
    chosen = await service.choose(
        context.db, user_id, button.topic, button.action == "on", context.lang
    )
    await acknowledge(update)
    await show(update, *views.toggles(context.t, chosen))
