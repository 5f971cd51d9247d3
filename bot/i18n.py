"""Fluent translations, looked up strictly: a missing key or a formatting error raises."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser
from fluent.syntax.ast import Junk, Message, Resource

from bot.config import LANGUAGES, DateRange
from bot.numerals import fluent_functions, format_date_range


class TranslationError(LookupError):
    """A message is missing, malformed, or failed to format."""


def locales_dir() -> Path:
    """Installed wheels carry the locales inside the package; a checkout has them at the top."""
    packaged = Path(__file__).resolve().parent / "locales"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "locales"


@dataclass(frozen=True)
class LocaleFile:
    language: str
    path: Path
    message_ids: frozenset[str]


def parse_locale_file(language: str, path: Path) -> tuple[LocaleFile, Resource]:
    text = path.read_text(encoding="utf-8")
    resource = FluentParser(with_spans=False).parse(text)
    junk = [entry for entry in resource.body if isinstance(entry, Junk)]
    if junk:
        snippet = (junk[0].content or "").strip().splitlines()[0][:80]
        raise TranslationError(f"{language}/{path.name}: cannot parse near {snippet!r}")
    ids = frozenset(e.id.name for e in resource.body if isinstance(e, Message))
    return LocaleFile(language, path, ids), resource


class Translator:
    """All locales' bundles; `get(lang, key, **args)` is the only way text reaches a person."""

    def __init__(self, root: Path | None = None, languages: Iterable[str] = LANGUAGES) -> None:
        self.root = root or locales_dir()
        self.bundles: dict[str, FluentBundle] = {}
        self.files: dict[str, list[LocaleFile]] = {}
        for language in languages:
            # Bidi isolation marks would end up inside Telegram messages and buttons.
            bundle = FluentBundle(
                [language], functions=fluent_functions(language), use_isolating=False
            )
            self.files[language] = []
            for path in sorted((self.root / language).glob("*.ftl")):
                # Parsed once, without source positions: start-up reads every file.
                locale_file, resource = parse_locale_file(language, path)
                self.files[language].append(locale_file)
                bundle.add_resource(resource)
            self.bundles[language] = bundle
        self.shared: dict[str, dict[str, object]] = {}
        self.configure()

    def configure(
        self,
        consultation_dates: DateRange | None = None,
        workshop_date: DateRange | None = None,
        article_url: str | None = None,
    ) -> None:
        """Settings every message may name; "none" selects the wording for an unset one."""
        for language in self.bundles:
            self.shared[language] = {
                "consultation_dates": _dates(consultation_dates, language),
                "workshop_date": _dates(workshop_date, language),
                # Goes inside href="…": quotes and ampersands must be escaped.
                "article_url": html.escape(article_url, quote=True) if article_url else "none",
            }

    @property
    def languages(self) -> list[str]:
        return list(self.bundles)

    def message_ids(self, language: str) -> frozenset[str]:
        return frozenset().union(*(f.message_ids for f in self.files[language]))

    def has(self, language: str, key: str) -> bool:
        return self.bundles[language].has_message(key)

    def get(self, language: str, key: str, /, **args: object) -> str:
        bundle = self.bundles.get(language)
        if bundle is None:
            raise TranslationError(f"unknown language {language!r}")
        if not bundle.has_message(key):
            raise TranslationError(f"{language}: no message {key!r}")
        message = bundle.get_message(key)
        if message.value is None:
            raise TranslationError(f"{language}: message {key!r} has no value")
        text, errors = bundle.format_pattern(message.value, {**self.shared[language], **args})
        if errors:
            raise TranslationError(f"{language}: {key}: {errors[0]}")
        return str(text)


def _dates(dates: DateRange | None, language: str) -> str:
    return "none" if dates is None else format_date_range(*dates, language)
