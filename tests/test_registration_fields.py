"""The registration form's answers: limits, tidying, e-mail and phone forms, the question order."""

from __future__ import annotations

import pytest

from bot.handlers.mydata import split
from bot.i18n import Translator
from bot.registration import fields, flow, views
from bot.registration.fields import FieldError
from bot.registration.flow import Step
from storage.registrations import Answers, Draft


def error_key(clean: object, text: str) -> str:
    assert callable(clean)
    with pytest.raises(FieldError) as caught:
        clean(text)
    return caught.value.key


def test_names_are_tidied_and_limited() -> None:
    assert fields.clean_name("  Sok\u200b   Chantha \n") == "Sok Chantha"
    assert fields.clean_name("សុខ ចាន់ថា") == "សុខ ចាន់ថា"
    assert error_key(fields.clean_name, "x" * 500) == "reg-error-too-long"
    assert error_key(fields.clean_name, "A") == "reg-error-too-short"
    assert error_key(fields.clean_name, "   ") == "reg-error-too-short"
    assert error_key(fields.clean_name, "12345") == "reg-error-letters"
    assert error_key(fields.clean_name, "Sok\x00Chantha") == "reg-error-characters"
    with pytest.raises(FieldError) as caught:
        fields.clean_name("y" * 500)
    assert caught.value.values == {"length": 500, "limit": fields.NAME_LIMITS[1]}
    assert fields.clean_organisation("Royal University of Phnom Penh")
    assert error_key(fields.clean_position, "p" * 101) == "reg-error-too-long"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("chantha@example.org", "chantha@example.org"),
        ("  Chantha.Sok+ai@Mail.Example.COM ", "Chantha.Sok+ai@mail.example.com"),
        ("mailto:a@b.kh", "a@b.kh"),
    ],
)
def test_email_addresses_that_are_accepted(typed: str, stored: str) -> None:
    assert fields.clean_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["chantha", "chantha@", "@example.org", "a@b", "a b@example.org", "a..b@example.org",
     "a@-example.org", "សុខ@example.org", "a@example.o"],
)  # fmt: skip
def test_email_addresses_that_are_refused(typed: str) -> None:
    assert error_key(fields.clean_email, typed) == "reg-error-email"


def test_an_overlong_email_is_too_long_not_malformed() -> None:
    assert error_key(fields.clean_email, "a" * 300 + "@example.org") == "reg-error-too-long"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("012 345 678", "+85512345678"),
        ("012-345-6789", "+855123456789"),
        ("023 123 456", "+85523123456"),
        ("+855 12 345 678", "+85512345678"),
        ("+855 (0)12 345 678", "+85512345678"),
        ("855 12 345 678", "+85512345678"),
        ("00855 12 345 678", "+85512345678"),
        ("០១២ ៣៤៥ ៦៧៨", "+85512345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_cambodian_and_international(typed: str, stored: str) -> None:
    assert fields.clean_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "call me", "+855 12", "+855 12 345 678 999", "0812", "+1 234", "1" * 60]
)
def test_phone_numbers_that_are_refused(typed: str) -> None:
    assert error_key(fields.clean_phone, typed) == "reg-error-phone"


def test_a_shared_contact_number_gets_its_plus() -> None:
    assert fields.clean_shared_phone("85512345678") == "+85512345678"
    assert fields.clean_shared_phone("+447911123456") == "+447911123456"


def test_the_question_order_back_and_changing_one_answer() -> None:
    fresh = Draft(1, 1, Answers(), editing=False)
    assert flow.after(Step.KIND, fresh) is Step.NAME
    assert flow.after(Step.PHONE, fresh) is Step.SUMMARY
    assert flow.before(Step.KIND, fresh) is None
    assert flow.before(Step.EMAIL, fresh) is Step.MODES
    complete = Answers(
        kind="company", full_name="A B", organisation="Org", position="P",
        interests=("health",), modes=("june_workshop",), email="a@b.kh",
    )  # fmt: skip
    assert flow.missing(complete) is None
    assert flow.missing(complete.replace(organisation=None)) is Step.ORGANISATION
    assert flow.missing(complete.replace(kind="expert", organisation=None)) is None
    editing = Draft(1, 1, complete, editing=True)
    assert flow.after(Step.NAME, editing) is Step.SUMMARY
    assert flow.before(Step.NAME, editing) is Step.SUMMARY
    # Changing "individual expert" to a company asks for the organisation it now needs.
    switched = Draft(1, 1, complete.replace(organisation=None), editing=True)
    assert flow.after(Step.KIND, switched) is Step.ORGANISATION
    assert flow.question("email") is Step.EMAIL
    assert flow.question("summary") is None and flow.question("zzz") is None


def test_every_label_built_from_a_code_exists_in_both_languages() -> None:
    i18n = Translator()
    for language in i18n.languages:
        missing = [key for key in views.dynamic_keys() if not i18n.has(language, key)]
        assert missing == [], language


def test_long_exports_are_split_between_lines_under_the_limit() -> None:
    lines = [f"<b>line {i}</b> " + "ក" * 50 for i in range(200)]
    parts = split("\n".join(lines), limit=1000)
    assert len(parts) > 1
    assert all(len(p) <= 1000 for p in parts)
    assert "\n".join(parts) == "\n".join(lines)
    assert split("short") == ["short"]
    assert [len(p) for p in split("x" * 2500, limit=1000)] == [1000, 1000, 500]
