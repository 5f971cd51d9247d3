"""The FAQ's entries, their order and categories (catalog.toml); their text lives in locales/.

How people ask each entry (the matcher's phrasings) lives in bot/faq/phrasings/.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from bot.i18n import Translator
from bot.telegram_html import html_problems

_ID = re.compile(r"^[a-z][a-z0-9_]{1,23}$")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Category:
    id: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    categories: tuple[Category, ...]
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def entry_ids(self) -> list[str]:
        return [e for c in self.categories for e in c.entries]

    def category_of(self, entry_id: str) -> Category | None:
        return next((c for c in self.categories if entry_id in c.entries), None)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def has(self, entry_id: str) -> bool:
        return any(entry_id in c.entries for c in self.categories)


def load_catalog(text: str | None = None) -> Catalog:
    if text is None:
        text = (resources.files("bot.faq") / "catalog.toml").read_text("utf-8")
    data = tomllib.loads(text)
    categories = tuple(
        Category(str(c["id"]), tuple(str(e) for e in c["entries"])) for c in data["category"]
    )
    related = {str(k): tuple(str(x) for x in v) for k, v in data.get("related", {}).items()}
    return Catalog(categories, related)


@dataclass(frozen=True)
class EntryText:
    question: str
    answer: str


def answer_args(obr_url: str | None, contact_email: str | None) -> dict[str, object]:
    """Contact details come from configuration; "none" selects the wording without them."""
    return {"obr_url": obr_url or "none", "contact_email": contact_email or "none"}


def entry_text(
    i18n: Translator, language: str, entry_id: str, args: dict[str, object]
) -> EntryText:
    return EntryText(
        question=i18n.get(language, f"faq-{entry_id}-q", **args),
        answer=i18n.get(language, f"faq-{entry_id}-a", **args),
    )


def plain(html_text: str) -> str:
    return _TAG.sub("", html_text)


# Telegram's limits leave room for the buttons' labels and the answer's heading.
MAX_QUESTION_CHARS = 80
MAX_ANSWER_CHARS = 3500


def check(catalog: Catalog, i18n: Translator) -> list[str]:
    """Everything wrong with the content, one line each; empty when it is fine."""
    problems: list[str] = []
    ids = catalog.entry_ids
    problems += [f"duplicate entry id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    problems += [f"entry id {i!r} is not short lowercase ASCII" for i in ids if not _ID.match(i)]
    cat_ids = [c.id for c in catalog.categories]
    problems += [
        f"category id {c!r} is not short lowercase ASCII" for c in cat_ids if not _ID.match(c)
    ]
    problems += [
        f"duplicate category id {c!r}" for c in sorted({c for c in cat_ids if cat_ids.count(c) > 1})
    ]
    for source, targets in catalog.related.items():
        for target in (source, *targets):
            if not catalog.has(target):
                problems.append(f"related: unknown entry {target!r}")
    for language in i18n.languages:
        for category in catalog.categories:
            key = f"faq-cat-{category.id}"
            if not i18n.has(language, key):
                problems.append(f"{language}: missing {key}")
        for entry_id in ids:
            problems += _check_entry(i18n, language, entry_id)
    return problems


def _check_entry(i18n: Translator, language: str, entry_id: str) -> list[str]:
    problems = []
    for suffix in ("q", "a"):
        if not i18n.has(language, f"faq-{entry_id}-{suffix}"):
            problems.append(f"{language}: {entry_id}: missing faq-{entry_id}-{suffix}")
    if problems:
        return problems
    for args in (answer_args(None, None), answer_args("https://example.org", "team@example.org")):
        try:
            text = entry_text(i18n, language, entry_id, args)
        except LookupError as exc:
            return [f"{language}: {entry_id}: {exc}"]
        if not text.question.strip() or not plain(text.answer).strip():
            problems.append(f"{language}: {entry_id}: empty question or answer")
        if len(text.question) > MAX_QUESTION_CHARS:
            problems.append(
                f"{language}: {entry_id}: question over {MAX_QUESTION_CHARS} characters"
            )
        if len(text.answer) > MAX_ANSWER_CHARS:
            problems.append(f"{language}: {entry_id}: answer over {MAX_ANSWER_CHARS} characters")
        for problem in html_problems(text.answer) + html_problems(text.question):
            problems.append(f"{language}: {entry_id}: {problem}")
    return sorted(set(problems))
