"""What the registration form, the summary, /profile and the moderators' card look like.

Views return text and a keyboard; everything a person wrote is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.callbacks import MenuButton, ProfileButton, RegButton, VerifyRegistration
from bot.context import BotContext
from bot.keyboards import home_row
from bot.registration import flow
from bot.registration.flow import QUESTIONS, Step
from bot.replies import escape
from storage.registrations import (
    INDIVIDUAL,
    INTERESTS,
    KINDS,
    MODES,
    Answers,
    Confirmed,
    Draft,
    Registration,
    Status,
)

# Callback data prefixes of the feature.

# A translation function: context.t, or one bound to another language.
Translate = Callable[..., str]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup
Screen = tuple[str, InlineKeyboardMarkup]

FIELD_LABELS = {
    Step.KIND: "reg-field-kind",
    Step.NAME: "reg-field-name",
    Step.ORGANISATION: "reg-field-organisation",
    Step.POSITION: "reg-field-position",
    Step.INTERESTS: "reg-field-interests",
    Step.MODES: "reg-field-modes",
    Step.EMAIL: "reg-field-email",
    Step.PHONE: "reg-field-phone",
}
PROMPTS = {
    Step.KIND: "reg-ask-kind",
    Step.NAME: "reg-ask-name",
    Step.ORGANISATION: "reg-ask-organisation",
    Step.POSITION: "reg-ask-position",
    Step.INTERESTS: "reg-ask-interests",
    Step.MODES: "reg-ask-modes",
    Step.EMAIL: "reg-ask-email",
    Step.PHONE: "reg-ask-phone",
}
STATUS_LABELS = {
    Status.CONFIRMED: "reg-status-confirmed",
    Status.VERIFIED: "reg-status-verified",
    Status.WITHDRAWN: "reg-status-withdrawn",
    Status.ERASED: "reg-status-erased",
}


def kind_label(t: Translate, code: str) -> str:
    return t(f"reg-kind-{code}")


def interest_label(t: Translate, code: str) -> str:
    return t(f"reg-interest-{code}")


def mode_label(t: Translate, code: str) -> str:
    return t(f"reg-mode-{code}")


def dynamic_keys() -> list[str]:
    """Message keys built from codes, for the translation tests."""
    return [
        *(f"reg-kind-{c}" for c in KINDS),
        *(f"reg-interest-{c}" for c in INTERESTS),
        *(f"reg-mode-{c}" for c in MODES),
        *FIELD_LABELS.values(),
        *PROMPTS.values(),
        *STATUS_LABELS.values(),
        *(f"reg-verify-{o}" for o in ("already", "stale", "inactive", "missing")),
        *(f"reg-card-{why}" for why in ("superseded", "withdrawn", "erased")),
    ]


def value_of(t: Translate, step: Step, answers: Answers) -> str:
    """One answer as the person reads it, escaped; a dash when there is none."""
    if step is Step.KIND:
        text = kind_label(t, answers.kind) if answers.kind else None
    elif step is Step.INTERESTS:
        text = ", ".join(interest_label(t, c) for c in answers.interests) or None
    elif step is Step.MODES:
        text = ", ".join(mode_label(t, c) for c in answers.modes) or None
    else:
        raw = {
            Step.NAME: answers.full_name,
            Step.ORGANISATION: answers.organisation,
            Step.POSITION: answers.position,
            Step.EMAIL: answers.email,
            Step.PHONE: answers.phone,
        }[step]
        text = escape(raw) if raw else None
    return text or t("reg-no-answer")


def details(t: Translate, answers: Answers) -> str:
    """Every answer on its own line, labelled."""
    return "\n".join(
        f"<b>{t(FIELD_LABELS[step])}:</b> {value_of(t, step, answers)}" for step in QUESTIONS
    )


# ----------------------------------------------------------------------------- the form


def notice(context: BotContext) -> Screen:
    """What will be stored and why, and the consent button."""
    text = context.t("reg-notice", version=flow.PRIVACY_NOTICE_VERSION)
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(context.t("reg-agree"), callback_data=RegButton("agree").pack())],
            [
                InlineKeyboardButton(
                    context.t("reg-cancel"), callback_data=RegButton("cancel").pack()
                )
            ],
        ]
    )
    return text, markup


def _nav_row(context: BotContext, step: Step, draft: Draft) -> list[InlineKeyboardButton]:
    row = []
    if flow.before(step, draft) is not None:
        row.append(
            InlineKeyboardButton(
                context.t("nav-back"), callback_data=RegButton("back", step).pack()
            )
        )
    row.append(
        InlineKeyboardButton(context.t("reg-cancel"), callback_data=RegButton("cancel").pack())
    )
    return row


def _choices(
    labels: list[tuple[str, str]], prefix: str, chosen: tuple[str, ...] | None, per_row: int
) -> list[list[InlineKeyboardButton]]:
    """One button per code; ticked ones (when chosen is given) carry what a press sets.

    A tick button says "tick" (1) or "untick" (0) rather than "toggle", so the same press
    delivered twice (a replay after a restart) cannot undo itself.
    """
    buttons = []
    for code, label in labels:
        data = RegButton(prefix, code).pack()
        if chosen is not None:
            ticked = code in chosen
            label = ("✅ " if ticked else "▫️ ") + label
            data = RegButton.ticking(prefix, code, not ticked).pack()
        buttons.append(InlineKeyboardButton(label, callback_data=data))
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def _question_keyboard(context: BotContext, step: Step, draft: Draft) -> Markup:
    t, answers = context.t, draft.answers
    if step is Step.PHONE:
        rows = [
            [KeyboardButton(t("reg-share-phone"), request_contact=True)],
            [KeyboardButton(t("reg-no-phone"))],
        ]
        if flow.before(step, draft) is not None:
            rows.append([KeyboardButton(t("nav-back"))])
        return ReplyKeyboardMarkup(
            rows, resize_keyboard=True, input_field_placeholder="+855 12 345 678"
        )
    keyboard: list[list[InlineKeyboardButton]] = []
    if step is Step.KIND:
        keyboard = _choices([(c, kind_label(t, c)) for c in KINDS], "kind", None, 1)
    elif step is Step.ORGANISATION and answers.kind == INDIVIDUAL:
        data = RegButton("skip", Step.ORGANISATION).pack()
        keyboard = [[InlineKeyboardButton(t("reg-no-organisation"), callback_data=data)]]
    elif step is Step.INTERESTS:
        labels = [(c, interest_label(t, c)) for c in INTERESTS]
        keyboard = _choices(labels, "int", answers.interests, 2)
        keyboard.append(
            [InlineKeyboardButton(t("reg-done"), callback_data=RegButton("done", step).pack())]
        )
    elif step is Step.MODES:
        keyboard = _choices([(c, mode_label(t, c)) for c in MODES], "mode", answers.modes, 1)
        keyboard.append(
            [InlineKeyboardButton(t("reg-done"), callback_data=RegButton("done", step).pack())]
        )
    keyboard.append(_nav_row(context, step, draft))
    return InlineKeyboardMarkup(keyboard)


def question(context: BotContext, step: Step, draft: Draft) -> tuple[str, Markup]:
    """One question, its progress, and (when changing it) the current answer."""
    number = QUESTIONS.index(step) + 1
    prompt = PROMPTS[step]
    if step is Step.ORGANISATION and draft.answers.kind == INDIVIDUAL:
        prompt = "reg-ask-organisation-individual"
    parts = [context.t("reg-progress", number=number, total=len(QUESTIONS)), context.t(prompt)]
    if draft.editing and step not in (Step.INTERESTS, Step.MODES):
        parts.append(context.t("reg-current", value=value_of(context.t, step, draft.answers)))
    return "\n".join(parts), _question_keyboard(context, step, draft)


def summary(context: BotContext, draft: Draft, registered: Registration | None) -> Screen:
    """Every answer, a button per field to change it, and Confirm."""
    if registered is not None and registered.active:
        intro = context.t("reg-summary-registered", reference=registered.reference)
    else:
        intro = context.t("reg-summary-new")
    text = f"{intro}\n\n{details(context.t, draft.answers)}\n\n{context.t('reg-summary-hint')}"
    buttons = [
        InlineKeyboardButton(
            "✏️ " + context.t(FIELD_LABELS[step]), callback_data=RegButton("change", step).pack()
        )
        for step in QUESTIONS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [InlineKeyboardButton(context.t("reg-confirm"), callback_data=RegButton("confirm").pack())]
    )
    rows.append(
        [InlineKeyboardButton(context.t("reg-cancel"), callback_data=RegButton("cancel").pack())]
    )
    return text, InlineKeyboardMarkup(rows)


def confirmation(context: BotContext, confirmed: Confirmed) -> str:
    """What the person reads once they confirmed: their reference and what happens next."""
    reference = confirmed.registration.reference
    if confirmed.outcome == "created":
        return context.t("reg-confirmed", reference=reference)
    if confirmed.outcome == "unchanged":
        return context.t("reg-unchanged", reference=reference)
    return context.t("reg-updated", reference=reference)


def already_registered(context: BotContext, registration: Registration) -> str:
    return context.t("reg-already-confirmed", reference=registration.reference)


# ----------------------------------------------------------------------------- /profile


def profile(context: BotContext, registration: Registration) -> Screen:
    """The stored registration, with a button per field to change it, and Withdraw."""
    status = context.t(STATUS_LABELS[registration.status])
    text = context.t("profile-title", reference=registration.reference, status=status)
    text += "\n\n" + details(context.t, registration.answers)
    text += "\n\n" + context.t("profile-hint")
    buttons = [
        InlineKeyboardButton(
            "✏️ " + context.t(FIELD_LABELS[step]), callback_data=RegButton("edit", step).pack()
        )
        for step in QUESTIONS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    withdraw = ProfileButton("withdraw").pack()
    rows.append([InlineKeyboardButton(context.t("profile-withdraw"), callback_data=withdraw)])
    rows.append(home_row(context))
    return text, InlineKeyboardMarkup(rows)


def not_registered(context: BotContext) -> Screen:
    register = InlineKeyboardButton(
        context.t("menu-register"), callback_data=MenuButton("register").pack()
    )
    return context.t("profile-none"), InlineKeyboardMarkup([[register], home_row(context)])


# ----------------------------------------------------------------------------- moderators


def card(t: Translate, registration: Registration, new: bool) -> Screen:
    """The moderators' card for one revision, with its Verify button."""
    title = "reg-card-new" if new else "reg-card-updated"
    text = card_text(t, registration, title)
    data = VerifyRegistration(registration.id, registration.revision).pack()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(t("reg-verify"), callback_data=data)]])
    return text, markup


def card_text(t: Translate, registration: Registration, title: str) -> str:
    language = t(f"lang-name-{registration.language}") if registration.language else "-"
    heading = t(title, reference=registration.reference, revision=registration.revision)
    return (
        f"{heading}\n\n{details(t, registration.answers)}\n"
        f"<b>{t('reg-card-language')}:</b> {language}"
    )


def verified_card(t: Translate, registration: Registration, moderator: str) -> str:
    text = card_text(t, registration, "reg-card-title")
    return text + "\n\n" + t("reg-card-verified", moderator=escape(moderator))
