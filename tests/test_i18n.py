"""Translations: both languages complete, every file clean, lookups strict."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser
from fluent.syntax.ast import Message, VariableReference
from fluent.syntax.visitor import Visitor

from bot.i18n import TranslationError, Translator, locales_dir

ROOT = Path(__file__).resolve().parent.parent
KHMER = re.compile(r"[\u1780-\u17FF]")
# Messages that are the same in both languages on purpose.
LANGUAGE_NEUTRAL = {"lang-name-km", "lang-name-en", "mod-queue-line", "mine-line", "mod-card-title"}


@pytest.fixture(scope="module")
def i18n() -> Translator:
    return Translator()


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: VariableReference) -> None:
        self.names.add(node.id.name)


@functools.cache
def _variables(language: str) -> dict[str, set[str]]:
    found = {}
    for path in (locales_dir() / language).glob("*.ftl"):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, Message):
                visitor = _Variables()
                visitor.visit(entry)
                found[entry.id.name] = visitor.names
    return found


def variables_of(language: str, key: str) -> set[str]:
    return _variables(language)[key]


def test_same_files_in_both_languages() -> None:
    en = sorted(p.name for p in (locales_dir() / "en").glob("*.ftl"))
    km = sorted(p.name for p in (locales_dir() / "km").glob("*.ftl"))
    assert en and en == km


def test_khmer_has_exactly_the_english_keys(i18n: Translator) -> None:
    en, km = i18n.message_ids("en"), i18n.message_ids("km")
    assert sorted(en - km) == [], "missing in km"
    assert sorted(km - en) == [], "missing in en"


def test_each_file_has_the_same_keys_as_its_twin(i18n: Translator) -> None:
    en = {f.path.name: f.message_ids for f in i18n.files["en"]}
    km = {f.path.name: f.message_ids for f in i18n.files["km"]}
    for name, ids in en.items():
        assert ids == km[name], name


def test_every_message_formats_without_errors(i18n: Translator) -> None:
    for language in i18n.languages:
        for key in i18n.message_ids(language):
            args = {name: "none" for name in variables_of(language, key)}
            assert i18n.get(language, key, **args).strip(), (language, key)


def test_khmer_text_is_written_in_khmer(i18n: Translator) -> None:
    latin_only = [
        key
        for key in i18n.message_ids("km") - LANGUAGE_NEUTRAL
        if not KHMER.search(i18n.get("km", key, **{v: "none" for v in variables_of("km", key)}))
    ]
    assert latin_only == []


def test_missing_key_raises(i18n: Translator) -> None:
    with pytest.raises(TranslationError, match="no message"):
        i18n.get("en", "no-such-key")


def test_missing_argument_raises(i18n: Translator) -> None:
    with pytest.raises(TranslationError):
        i18n.get("en", "text-too-long")


def test_unknown_language_raises(i18n: Translator) -> None:
    with pytest.raises(TranslationError):
        i18n.get("fr", "menu-title")


def test_junk_in_a_file_fails_loading(tmp_path: Path) -> None:
    for language in ("en", "km"):
        (tmp_path / language).mkdir()
        (tmp_path / language / "x.ftl").write_text(
            "good = fine\nbad line without equals\n", "utf-8"
        )
    with pytest.raises(TranslationError, match="cannot parse"):
        Translator(tmp_path)


def test_every_key_the_code_uses_exists(i18n: Translator) -> None:
    pattern = re.compile(
        r"""(?:\bt|t_in\([^,]+,|MenuEntry\([^,]+,)\s*\(?\s*["']([a-z][a-z0-9_-]+)["']"""
    )
    used = set()
    for path in (ROOT / "bot").rglob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    used = {key for key in used if "-" in key}
    assert used, "the scan found no keys: the pattern is broken"
    missing = sorted(used - i18n.message_ids("en"))
    assert missing == []


def test_every_contribution_topic_has_a_label(i18n: Translator) -> None:
    from bot.contributions.rules import TOPICS, topic_label_key

    for language in i18n.languages:
        for topic in TOPICS:
            assert i18n.get(language, topic_label_key(topic)).strip()
