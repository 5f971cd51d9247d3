"""The order of the registration form's questions, and where Back and an answer lead."""

from __future__ import annotations

from enum import StrEnum

from storage.registrations import INDIVIDUAL, Answers, Draft

# The version of the privacy notice people agree to (reg-notice in the locales). Change it
# whenever that text changes what is stored, why, or who sees it.
PRIVACY_NOTICE_VERSION = "2026-11"
# The form's conversation name: its stored state, and what housekeeping drops unfinished.
FORM = "registration"


class Step(StrEnum):
    """Conversation states; stored as their string values, so they survive a restart."""

    CONSENT = "consent"
    KIND = "kind"
    NAME = "name"
    ORGANISATION = "organisation"
    POSITION = "position"
    INTERESTS = "interests"
    MODES = "modes"
    EMAIL = "email"
    PHONE = "phone"
    SUMMARY = "summary"


QUESTIONS = (
    Step.KIND,
    Step.NAME,
    Step.ORGANISATION,
    Step.POSITION,
    Step.INTERESTS,
    Step.MODES,
    Step.EMAIL,
    Step.PHONE,
)
# Questions answered by typing (or, for the phone, sharing a contact).
TEXT_QUESTIONS = (Step.NAME, Step.ORGANISATION, Step.POSITION, Step.EMAIL, Step.PHONE)


def question(value: str) -> Step | None:
    """A question named in callback data, or None if it names none."""
    try:
        step = Step(value)
    except ValueError:
        return None
    return step if step in QUESTIONS else None


def is_answered(step: Step, answers: Answers) -> bool:
    """Whether a required question has an acceptable answer (the phone is optional)."""
    if step is Step.KIND:
        return answers.kind is not None
    if step is Step.NAME:
        return answers.full_name is not None
    if step is Step.ORGANISATION:
        return answers.organisation is not None or answers.kind == INDIVIDUAL
    if step is Step.POSITION:
        return answers.position is not None
    if step is Step.INTERESTS:
        return bool(answers.interests)
    if step is Step.MODES:
        return bool(answers.modes)
    if step is Step.EMAIL:
        return answers.email is not None
    return True


def missing(answers: Answers) -> Step | None:
    """The first question still to answer, or None when the form is complete."""
    return next((step for step in QUESTIONS if not is_answered(step, answers)), None)


def after(step: Step, draft: Draft) -> Step:
    """Where an answer leads: the next question, or back to the summary when changing one."""
    if draft.editing:
        return missing(draft.answers) or Step.SUMMARY
    position = QUESTIONS.index(step)
    return QUESTIONS[position + 1] if position + 1 < len(QUESTIONS) else Step.SUMMARY


def before(step: Step, draft: Draft) -> Step | None:
    """Where Back leads: the previous question, or the summary when changing one."""
    if draft.editing:
        return Step.SUMMARY
    position = QUESTIONS.index(step)
    return QUESTIONS[position - 1] if position > 0 else None
