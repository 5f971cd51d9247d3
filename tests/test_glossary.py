"""The glossary (locales/GLOSSARY.md, rules in locales/glossary.toml) holds for every message.

Each rule is first shown catching a planted slip, so that a rule which stopped working fails
here instead of letting the real files pass; then every file in locales/ is checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import locales_dir
from tests.glossary import check_file, check_source, load_rules

RULES = load_rules(locales_dir() / "glossary.toml")

# One slip per rule: (rule, language, Fluent source). Each must be caught, naming its key.
SLIPS = [
    ("avoid", "km", "ctb-x = សូមផ្ញើមតិយោបល់របស់លោកអ្នក។"),  # contribution ≠ comment
    ("avoid", "km", "mod-x = ពិនិត្យដោយអ្នកសម្របសម្រួល។"),  # moderator is not facilitator
    ("avoid", "km", "mod-btn-x = 🙋 ទទួលយក"),  # Claim looks like Accept
    ("avoid", "km", "notify-x = ធាតុចូលរបស់លោកអ្នកត្រូវបានអនុម័ត។"),  # Approve is the moderators'
    ("avoid", "km", "mod-status-x = បើក"),  # "open" is not a status
    ("avoid", "km", "help-x = បូតនេះអាចឆ្លើយសំណួរ។"),  # the bot is ខ្ញុំ
    ("avoid", "km", "faq-x = យើងនឹងបញ្ជូនវាទៅក្រុមការងារ។"),  # the bot is ខ្ញុំ
    ("reader", "km", "x = តើអ្នកចង់ធ្វើអ្វី?"),  # the reader is លោកអ្នក
    ("latin", "km", "x = សូមមើល FAQ។"),  # Latin leftover
    ("latin", "km", "x = លេខសម្គាល់ (user id)។"),  # Latin leftover
    ("digits", "km", "x = សហគ្រាសជាង ៤២ ០០០ (42,000)។"),  # English figures in Khmer text
    ("button-quotes", "km", "x = ផ្ញើបន្ថែម ឬចុច រួចរាល់។"),  # reads as "finish pressing"
    ("button-quotes", "en", "x = Send more, or press Done."),
    ("numbers", "km", "x = ឯកសារ { $count }"),  # run-time number without Khmer digits
    ("officials", "km", "x = ឧបនាយករដ្ឋមន្ត្រី ហ៊ុន ម៉ានី បានមានប្រសាសន៍។"),  # no honorific
    ("avoid", "km", "x = ឯកឧត្តម ហ៊ុន ម៉ានី បានថ្លែងថា"),  # an official's speech is មានប្រសាសន៍
]

# What each rule must let through (the common near-misses), in the same form.
ALLOWED = [
    ("km", "x = សូមចុច «រួចរាល់» ឬចុចប៊ូតុងខាងក្រោម ឬចុច ✏️ ដើម្បីកែ។"),
    ("km", "x = លោកអ្នក អ្នកជំនាញ អ្នកផ្ញើ អ្នកត្រួតពិនិត្យ។"),
    ("km", "x = ប្រើ /mydata ឬ name@example.com ឬ https://example.org/a1 AI MPTC UN-ESCAP OBR"),
    ("km", "x = ឧទាហរណ៍ 012 345 678 ឬ /reject C-000001"),
    ("km", "x = { NUM($count) } { $ref } { $count -> \n [one] មួយ\n *[other] { NUM($count) }\n}"),
    ("km", "x = <b>ឯកឧត្តម កែវ សុធី</b> និង <b>លោកស្រី Tiziana Bonapace</b>"),
    ("km", "faq-x-alt = FAQ 42 តើអ្នកជានរណា"),  # training data, not read by anyone
    ("km", "mod-x = ✅ អនុម័ត"),  # the moderators' Approve
    ("en", "x = Press “Done”, or press the button, or press ✏️."),
]


@pytest.mark.parametrize(("rule", "language", "source"), SLIPS)
def test_each_rule_catches_its_slip(rule: str, language: str, source: str) -> None:
    found = check_source(RULES, language, source)
    key = source.partition(" =")[0]
    assert any(v.rule == rule and v.key == key for v in found), (rule, source, found)
    assert all(str(v).startswith(f"{language}/{key}: [") for v in found)


@pytest.mark.parametrize(("language", "source"), ALLOWED)
def test_the_rules_let_good_text_through(language: str, source: str) -> None:
    assert check_source(RULES, language, source) == []


def test_every_rule_has_a_planted_slip() -> None:
    assert {rule for rule, _, _ in SLIPS} == {
        "avoid", "reader", "latin", "digits", "button-quotes", "numbers", "officials"
    }  # fmt: skip


@pytest.mark.parametrize("language", ["km", "en"])
def test_the_locales_follow_the_glossary(language: str) -> None:
    files = sorted((locales_dir() / language).glob("*.ftl"))
    assert files
    found = [str(v) for path in files for v in check_file(RULES, language, path)]
    assert found == [], "\n".join(found)


def test_the_glossary_document_names_every_avoided_form() -> None:
    document = (locales_dir() / "GLOSSARY.md").read_text(encoding="utf-8")
    missing = [a["form"] for a in RULES["avoid"] if a["form"] not in document]
    assert missing == []


def test_the_rules_file_sits_next_to_the_glossary() -> None:
    assert Path(locales_dir() / "glossary.toml").is_file()
