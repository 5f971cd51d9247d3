"""Registering to take part: consent first, then one question at a time, then a summary.

Nothing of the form is stored before consent is recorded. After it, each answer goes into a
draft (storage/registrations.py) and the question reached is the persisted conversation
state, so a restart, even a SIGKILL, resumes at the same question. /cancel deletes the draft.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import MenuButton, RegButton
from bot.context import BotContext
from bot.handlers import subscriptions
from bot.handlers.forms import StepHandler, form
from bot.keyboards import home_keyboard
from bot.registration import fields, flow, notify, views
from bot.registration.fields import FieldError
from bot.registration.flow import PRIVACY_NOTICE_VERSION, Step
from bot.replies import acknowledge, escape, show
from storage import consent, personal_data, registrations
from storage.registrations import INDIVIDUAL, INTERESTS, KINDS, MODES, Answers, Draft

END = ConversationHandler.END
PRIVATE = filters.ChatType.PRIVATE
NEW = filters.UpdateType.MESSAGE
TEXT = NEW & filters.TEXT & ~filters.COMMAND

State = Step | int | None


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _arg(update: Update) -> str:
    """The last part of the pressed button's data: what it chooses."""
    assert update.callback_query is not None
    pressed = RegButton.parse(update.callback_query.data or "")
    return pressed.last if pressed is not None else ""


# ----------------------------------------------------------------------------- consent


async def start(update: Update, context: BotContext) -> State:
    """/register or the menu entry: what will be stored and why, and the consent button."""
    if await _other_form_open(update, context):
        return END
    await acknowledge(update)
    await show(update, *views.notice(context))
    return Step.CONSENT


async def agree(update: Update, context: BotContext) -> State:
    """I agree: record the consent, open the form, ask the first question."""
    user_id = _user_id(update)
    registered = await registrations.get_by_user(context.db, user_id)
    active = registered if registered is not None and registered.active else None
    answers = active.answers if active is not None else Answers()
    async with context.db.transaction() as conn:
        given = await consent.give_in(conn, user_id, consent.REGISTRATION, PRIVACY_NOTICE_VERSION)
        draft = await registrations.open_draft_in(
            conn, user_id, given.id, answers, editing=active is not None
        )
    await acknowledge(update, context.t("reg-consent-recorded"))
    return await _ask(update, context, Step.SUMMARY if active else Step.KIND, draft)


async def edit_field(update: Update, context: BotContext) -> State:
    """A change button on /profile: the registration opens as a form at that question."""
    step = flow.question(_arg(update))
    chat = update.effective_chat
    if step is None or chat is None or chat.type != "private":
        return await _refuse(update, context)
    if await _other_form_open(update, context):
        return END
    user_id = _user_id(update)
    registered = await registrations.get_by_user(context.db, user_id)
    if registered is None or not registered.active:
        await acknowledge(update, context.t("reg-error-form-closed"), alert=True)
        return END
    given = await consent.active(context.db, user_id, consent.REGISTRATION, PRIVACY_NOTICE_VERSION)
    if given is None:
        # The privacy notice changed since they agreed: ask again first.
        return await start(update, context)
    async with context.db.transaction() as conn:
        draft = await registrations.open_draft_in(
            conn, user_id, given.id, registered.answers, editing=True
        )
    await acknowledge(update)
    return await _ask(update, context, step, draft)


# ----------------------------------------------------------------------------- questions


async def choose_kind(update: Update, context: BotContext) -> State:
    """A kind button: who they are."""
    code = _arg(update)
    if code not in KINDS:
        return await _refuse(update, context)
    await acknowledge(update)
    return await _answer(update, context, Step.KIND, kind=code)


# The questions answered by typing a line: how each answer is checked, and where it is kept.
TYPED: dict[Step, tuple[Callable[[str], str], str]] = {
    Step.NAME: (fields.clean_name, "full_name"),
    Step.ORGANISATION: (fields.clean_organisation, "organisation"),
    Step.POSITION: (fields.clean_position, "position"),
    Step.EMAIL: (fields.clean_email, "email"),
}


async def type_answer(update: Update, context: BotContext, step: Step) -> State:
    """The name, organisation, position or e-mail, typed: checked first, stored if it fits."""
    clean, attribute = TYPED[step]
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        value = clean(message.text)
    except FieldError as error:
        await message.reply_text(_explain(context, error))
        return None
    return await _answer(update, context, step, **{attribute: value})


def _typed(step: Step) -> StepHandler:
    return MessageHandler(TEXT, functools.partial(type_answer, step=step))


async def skip_organisation(update: Update, context: BotContext) -> State:
    """I have none: an individual expert without an organisation."""
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    if draft.answers.kind != INDIVIDUAL:
        return await _refuse(update, context)
    await acknowledge(update)
    return await _answer(update, context, Step.ORGANISATION, organisation=None)


async def toggle_interest(update: Update, context: BotContext) -> State:
    """An area of interest: tick or untick it."""
    return await _toggle(update, context, Step.INTERESTS, INTERESTS)


async def toggle_mode(update: Update, context: BotContext) -> State:
    """A way to take part: tick or untick it."""
    return await _toggle(update, context, Step.MODES, MODES)


async def finish_choices(update: Update, context: BotContext) -> State:
    """Done under the interests or the ways to take part: at least one, then move on."""
    step = Step(_arg(update))
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    if not flow.is_answered(step, draft.answers):
        await acknowledge(update, context.t("reg-error-choose-one"), alert=True)
        return None
    await acknowledge(update)
    return await _ask(update, context, flow.after(step, draft), draft)


async def type_phone(update: Update, context: BotContext) -> State:
    """A phone number typed, or the No-phone or Back word of the keyboard."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if _is_label(context, message.text, "reg-no-phone"):
        return await _leave_phone(update, context, None, "reg-phone-skipped")
    if _is_label(context, message.text, "nav-back"):
        return await _back_from_phone(update, context)
    try:
        phone = fields.clean_phone(message.text)
    except FieldError as error:
        await message.reply_text(_explain(context, error))
        return None
    return await _leave_phone(update, context, phone, "reg-phone-saved")


async def share_phone(update: Update, context: BotContext) -> State:
    """The share-contact button: the number of the person's own Telegram account."""
    message = update.effective_message
    assert message is not None and message.contact is not None
    if message.contact.user_id != _user_id(update):
        await message.reply_text(context.t("reg-error-contact-not-yours"))
        return None
    try:
        phone = fields.clean_shared_phone(message.contact.phone_number)
    except FieldError as error:
        await message.reply_text(_explain(context, error))
        return None
    return await _leave_phone(update, context, phone, "reg-phone-saved")


async def back(update: Update, context: BotContext) -> State:
    """Back: the previous question, or the summary when changing one answer."""
    step = Step(_arg(update))
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    target = flow.before(step, draft)
    if target is None:
        return await _refuse(update, context)
    await acknowledge(update)
    return await _ask(update, context, target, draft)


# ----------------------------------------------------------------------------- summary


async def change(update: Update, context: BotContext) -> State:
    """A change button on the summary: that question again, then back to the summary."""
    step = flow.question(_arg(update))
    if step is None:
        return await _refuse(update, context)
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    draft = await registrations.save_draft(context.db, draft.user_id, draft.answers, True)
    if draft is None:
        return await _expired(update, context)
    await acknowledge(update)
    return await _ask(update, context, step, draft)


async def confirm(update: Update, context: BotContext) -> State:
    """Confirm: store the registration, queue the moderators' card, give the reference."""
    user_id = _user_id(update)
    draft = await registrations.get_draft(context.db, user_id)
    if draft is not None and (step := flow.missing(draft.answers)) is not None:
        await acknowledge(update)
        return await _ask(update, context, step, draft)
    async with context.db.transaction() as conn:
        confirmed = await registrations.confirm_in(conn, user_id, context.lang)
        if confirmed is not None:
            await notify.confirmed_in(conn, context, confirmed, user_id)
    await acknowledge(update)
    if confirmed is None:
        # Confirmed already (the same press delivered again after a restart).
        registered = await registrations.get_by_user(context.db, user_id)
        if registered is None or not registered.active:
            return await _expired(update, context)
        await show(update, views.already_registered(context, registered), home_keyboard(context))
        return END
    if draft is not None and not draft.editing:
        # Asked once, when they first register: nothing is ticked unless they tick it. It
        # goes below the summary, which becomes the confirmation in place.
        await subscriptions.offer(update, context)
    await show(update, views.confirmation(context, confirmed), home_keyboard(context))
    return END


# ----------------------------------------------------------------------------- leaving, misfits


async def cancel(update: Update, context: BotContext, step: Step) -> State:
    """/cancel or Cancel: forget the unfinished form and leave."""
    user_id = _user_id(update)
    async with context.db.transaction() as conn:
        draft = await registrations.delete_draft_in(conn, user_id)
        if draft is not None:
            await consent.release_unused_in(conn, draft.consent_id)
    registered = await registrations.get_by_user(context.db, user_id)
    if registered is not None and registered.active:
        text = context.t("reg-cancelled-registered", reference=registered.reference)
    else:
        text = context.t("reg-cancelled")
    await acknowledge(update)
    chat = update.effective_chat
    if step is Step.PHONE and chat is not None:
        await chat.send_message(text, reply_markup=ReplyKeyboardRemove())
    else:
        await show(update, text, home_keyboard(context))
    return END


async def repeat(update: Update, context: BotContext, step: Step) -> State:
    """/register during the form: the current question again."""
    return await _again(update, context, step, "reg-continue")


async def wrong_input(update: Update, context: BotContext, step: Step) -> State:
    """A photo, sticker, file, or text where a button is expected: explain, ask again."""
    if step is Step.CONSENT:
        key = "reg-consent-needed"
    elif step in flow.TEXT_QUESTIONS:
        key = "reg-error-not-text"
    else:
        key = "reg-error-use-buttons"
    return await _again(update, context, step, key)


async def command_mid_form(update: Update, context: BotContext) -> State:
    """Another command during the form: say how to go on or stop, and stay."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.t("reg-error-command"))
    return None


async def edited_answer(update: Update, context: BotContext) -> State:
    """An answer edited after sending: it does not change what was stored."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.t("reg-error-edited"))
    return None


async def stale_button(update: Update, context: BotContext) -> State:
    """A button of an earlier question, another feature's button, or forged data."""
    assert update.callback_query is not None
    ours = RegButton.parse(update.callback_query.data) is not None
    key = "reg-error-old-button" if ours else "reg-error-finish-first"
    await acknowledge(update, context.t(key), alert=True)
    return None


# ----------------------------------------------------------------------------- outside the form


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """/cancel with no form open."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.t("reg-nothing-to-cancel"))


async def outside_button(update: Update, context: BotContext) -> None:
    """A form button after the form ended: Confirm pressed twice, or an old question."""
    registered = await registrations.get_by_user(context.db, _user_id(update))
    if _arg(update) == "confirm" and registered is not None and registered.active:
        text = context.t("reg-already-confirmed-short", reference=registered.reference)
    else:
        text = context.t("reg-error-form-closed")
    await acknowledge(update, text, alert=True)


# ----------------------------------------------------------------------------- helpers


async def _ask(
    update: Update, context: BotContext, step: Step, draft: Draft, preface: str | None = None
) -> Step:
    """Show a question (or the summary) and wait for its answer."""
    markup: views.Markup
    if step is Step.SUMMARY:
        registered = await registrations.get_by_user(context.db, draft.user_id)
        text, markup = views.summary(context, draft, registered)
    else:
        text, markup = views.question(context, step, draft)
    if preface:
        text = f"{preface}\n\n{text}"
    chat = update.effective_chat
    if update.callback_query is None or preface or isinstance(markup, ReplyKeyboardMarkup):
        # A keyboard under the input field can only come with a new message.
        assert chat is not None
        await chat.send_message(text, reply_markup=markup)
    else:
        assert not isinstance(markup, ReplyKeyboardMarkup)
        await show(update, text, markup)
    return step


async def _again(update: Update, context: BotContext, step: Step, preface_key: str) -> State:
    """Explain, then show the current question again."""
    await acknowledge(update)
    if step is Step.CONSENT:
        text, markup = views.notice(context)
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(f"{context.t(preface_key)}\n\n{text}", reply_markup=markup)
        return None
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    return await _ask(update, context, step, draft, preface=context.t(preface_key))


async def _answer(update: Update, context: BotContext, step: Step, **changes: object) -> State:
    """Store one answer in the draft and move on."""
    user_id = _user_id(update)
    draft = await registrations.get_draft(context.db, user_id)
    if draft is None:
        return await _expired(update, context)
    saved = await registrations.save_draft(context.db, user_id, draft.answers.replace(**changes))
    if saved is None:
        return await _expired(update, context)
    return await _ask(update, context, flow.after(step, saved), saved)


async def _toggle(
    update: Update, context: BotContext, step: Step, vocabulary: tuple[str, ...]
) -> State:
    """Tick or untick one choice, as the button says, and show the ticks."""
    assert update.callback_query is not None
    pressed = RegButton.parse(update.callback_query.data or "")
    tick = pressed.ticked if pressed is not None else None
    if pressed is None or pressed.value not in vocabulary or tick is None:
        return await _refuse(update, context)
    code = pressed.value
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    attribute = "interests" if step is Step.INTERESTS else "modes"
    chosen = set(getattr(draft.answers, attribute))
    chosen = chosen | {code} if tick else chosen - {code}
    answers = draft.answers.replace(**{attribute: registrations.in_order(list(chosen), vocabulary)})
    saved = await registrations.save_draft(context.db, draft.user_id, answers)
    if saved is None:
        return await _expired(update, context)
    text, markup = views.question(context, step, saved)
    assert isinstance(markup, InlineKeyboardMarkup)
    await acknowledge(update)
    await show(update, text, markup)
    return None


async def _leave_phone(
    update: Update, context: BotContext, phone: str | None, note_key: str
) -> State:
    """The phone question is answered: take its keyboard away, store, move on."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(context.t(note_key), reply_markup=ReplyKeyboardRemove())
    return await _answer(update, context, Step.PHONE, phone=phone)


async def _back_from_phone(update: Update, context: BotContext) -> State:
    message = update.effective_message
    assert message is not None
    draft = await registrations.get_draft(context.db, _user_id(update))
    if draft is None:
        return await _expired(update, context)
    target = flow.before(Step.PHONE, draft) or Step.SUMMARY
    await message.reply_text(context.t("reg-going-back"), reply_markup=ReplyKeyboardRemove())
    return await _ask(update, context, target, draft)


async def _other_form_open(update: Update, context: BotContext) -> bool:
    """Another feature's form is open: one form at a time, so nothing is answered twice."""
    others = [
        n for n in await personal_data.open_forms(context.db, _user_id(update)) if n != flow.FORM
    ]
    if not others:
        return False
    await acknowledge(update, context.t("reg-other-form-open"), alert=True)
    if update.callback_query is None and update.effective_message is not None:
        await update.effective_message.reply_text(context.t("reg-other-form-open"))
    return True


def _is_label(context: BotContext, text: str, key: str) -> bool:
    """Whether text is a keyboard button's label, in either language."""
    labels = {context.t_in(language, key) for language in context.bot_data.i18n.languages}
    return text.strip() in labels


def _explain(context: BotContext, error: FieldError) -> str:
    values = {k: escape(v) if isinstance(v, str) else v for k, v in error.values.items()}
    return context.t(error.key, **values)


async def _refuse(update: Update, context: BotContext) -> State:
    """Forged or outdated button data: say so, change nothing."""
    await acknowledge(update, context.t("callback-expired"), alert=True)
    return None


async def _expired(update: Update, context: BotContext) -> State:
    """The draft is gone (deleted elsewhere): end the conversation cleanly."""
    await acknowledge(update)
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(context.t("reg-expired"), reply_markup=ReplyKeyboardRemove())
    return END


# ----------------------------------------------------------------------------- wiring


def _also(step: Step) -> list[StepHandler]:
    """What every state takes besides its answer: leaving, a command, what does not fit."""
    return [
        CommandHandler("cancel", functools.partial(cancel, step=step)),
        CallbackQueryHandler(
            functools.partial(cancel, step=step), pattern=RegButton.pattern("cancel")
        ),
        CommandHandler("register", functools.partial(repeat, step=step)),
        MessageHandler(NEW & filters.COMMAND, command_mid_form),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited_answer),
        CallbackQueryHandler(stale_button),
        MessageHandler(NEW, functools.partial(wrong_input, step=step)),
    ]


def _back(step: Step) -> StepHandler:
    return CallbackQueryHandler(back, pattern=RegButton.pattern("back", step))


def conversation() -> ConversationHandler[BotContext]:
    """The registration form: entry points, one state per question, persisted by name."""
    states: dict[Step, list[StepHandler]] = {
        Step.CONSENT: [CallbackQueryHandler(agree, pattern=RegButton.pattern("agree"))],
        Step.KIND: [
            CallbackQueryHandler(choose_kind, pattern=RegButton.any_value("kind")),
            _back(Step.KIND),
        ],
        Step.NAME: [_typed(Step.NAME), _back(Step.NAME)],
        Step.ORGANISATION: [
            _typed(Step.ORGANISATION),
            CallbackQueryHandler(
                skip_organisation, pattern=RegButton.pattern("skip", Step.ORGANISATION)
            ),
            _back(Step.ORGANISATION),
        ],
        Step.POSITION: [_typed(Step.POSITION), _back(Step.POSITION)],
        Step.INTERESTS: [
            CallbackQueryHandler(toggle_interest, pattern=RegButton.any_value("int")),
            CallbackQueryHandler(finish_choices, pattern=RegButton.pattern("done", Step.INTERESTS)),
            _back(Step.INTERESTS),
        ],
        Step.MODES: [
            CallbackQueryHandler(toggle_mode, pattern=RegButton.any_value("mode")),
            CallbackQueryHandler(finish_choices, pattern=RegButton.pattern("done", Step.MODES)),
            _back(Step.MODES),
        ],
        Step.EMAIL: [_typed(Step.EMAIL), _back(Step.EMAIL)],
        Step.PHONE: [
            MessageHandler(NEW & filters.CONTACT, share_phone),
            MessageHandler(TEXT, type_phone),
        ],
        Step.SUMMARY: [
            CallbackQueryHandler(change, pattern=RegButton.any_value("change")),
            CallbackQueryHandler(confirm, pattern=RegButton.pattern("confirm")),
        ],
    }
    entry_points: list[StepHandler] = [
        CommandHandler("register", start, filters=PRIVATE),
        CallbackQueryHandler(start, pattern=MenuButton.pattern("register")),
        CallbackQueryHandler(edit_field, pattern=RegButton.any_value("edit")),
    ]
    return form(flow.FORM, entry_points, states, _also)
