"""The checker behind tests/test_glossary.py: locales/glossary.toml's rules over Fluent messages."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from fluent.syntax import FluentParser
from fluent.syntax.ast import (
    FunctionReference,
    Message,
    Pattern,
    Placeable,
    SelectExpression,
    TextElement,
    VariableReference,
)
from fluent.syntax.visitor import Visitor

# Stands for a placeable: not text, but it keeps the words either side of it apart.
PLACEHOLDER = "\ufffc"
KHMER_LETTER = re.compile(r"[\u1780-\u17ff]")
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"https?://\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_COMMAND = re.compile(r"(?<![\w/])/[a-z][a-z_]*")
_REFERENCE = re.compile(r"\b[A-Z]-[0-9]{6}\b")  # C-000001: a code people type back
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@dataclass(frozen=True)
class Violation:
    language: str
    key: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.language}/{self.key}: [{self.rule}] {self.detail}"


def load_rules(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def _matches(key: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(key, pattern) for pattern in patterns)


def text_of(pattern: Pattern | None) -> str:
    """The words a person reads: text elements, and the text of every select variant."""
    if pattern is None:
        return ""
    parts: list[str] = []
    for element in pattern.elements:
        if isinstance(element, TextElement):
            parts.append(element.value)
        elif isinstance(element, Placeable) and isinstance(element.expression, SelectExpression):
            variants = [text_of(variant.value) for variant in element.expression.variants]
            parts.append("\n".join(variants))
        else:
            parts.append(PLACEHOLDER)
    return "".join(parts)


def _prose(text: str) -> str:
    """Text without tags, addresses and commands: what the Latin and digit rules look at."""
    for pattern in (_TAG, _URL, _EMAIL, _COMMAND, _REFERENCE):
        text = pattern.sub(" ", text)
    return text


class _BareNumbers(Visitor):
    """Variables named in `names` that are not the argument of `function`."""

    def __init__(self, function: str, names: set[str]) -> None:
        super().__init__()
        self.function = function
        self.names = names
        self.bare: list[str] = []

    def visit_FunctionReference(self, node: FunctionReference) -> None:
        if node.id.name != self.function:
            self.generic_visit(node)

    def visit_SelectExpression(self, node: SelectExpression) -> None:
        for variant in node.variants:  # the selector chooses; it is not printed
            self.visit(variant)

    def visit_VariableReference(self, node: VariableReference) -> None:
        if node.id.name in self.names:
            self.bare.append(node.id.name)


def check_message(rules: dict[str, Any], language: str, message: Message) -> list[Violation]:
    key = message.id.name
    if _matches(key, rules.get("skip_keys", [])):
        return []
    text = text_of(message.value)
    found: list[Violation] = []

    def fail(rule: str, detail: str) -> None:
        found.append(Violation(language, key, rule, detail))

    button_rules = rules.get("buttons", {}).get(language)
    if button_rules:
        for detail in _unquoted_buttons(text, button_rules):
            fail("button-quotes", detail)
    if language != "km":
        return found

    for avoid in rules.get("avoid", []):
        if "keys" in avoid and not _matches(key, avoid["keys"]):
            continue
        if _matches(key, avoid.get("except_keys", [])):
            continue
        if avoid["form"] in text:
            fail("avoid", f"“{avoid['form']}” is a form to avoid; use {avoid['use']}")

    reader = rules.get("reader")
    if reader:
        for position in _find_all(text, reader["form"]):
            if text[:position].endswith("លោក"):
                continue
            if any(text.startswith(word, position) for word in reader["compounds"]):
                continue
            context = text[max(0, position - 6) : position + 12]
            fail("reader", f"address the reader as {reader['use']}, not a bare អ្នក: “{context}”")

    latin = rules.get("latin")
    if latin and not _matches(key, latin.get("skip_keys", [])):
        allowed = set(latin["allow"])
        for word in _LATIN_WORD.findall(_prose(text)):
            if word not in allowed:
                fail("latin", f"Latin word “{word}” in Khmer text (allowed: {sorted(allowed)})")

    digits = rules.get("digits")
    if digits:
        prose = _prose(text)
        for example in digits["allow"]:
            prose = prose.replace(example, " ")
        for run in re.findall(r"[0-9][0-9.,]*", prose):
            fail("digits", f"ASCII digits “{run}” in Khmer text: write Khmer digits (០–៩)")

    numbers = rules.get("numbers")
    if numbers:
        visitor = _BareNumbers(numbers["function"], set(numbers["variables"]))
        visitor.visit(message)
        for name in visitor.bare:
            call = f"{{ {numbers['function']}(${name}) }}"
            fail("numbers", f"${name} is a number or date: write {call}")

    for official in rules.get("officials", []):
        flat = _TAG.sub("", text)
        for position in _find_all(flat, official["name"]):
            if not flat[:position].rstrip().endswith(official["honorific"]):
                fail("officials", f"“{official['name']}” needs “{official['honorific']}” before it")
    return found


def _find_all(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def _unquoted_buttons(text: str, rules: dict[str, Any]) -> Iterator[str]:
    verbs = "|".join(re.escape(v) for v in rules["verbs"])
    boundary = r"\b" if not KHMER_LETTER.search(rules["verbs"][0]) else ""
    for match in re.finditer(rf"{boundary}(?:{verbs})[ \u00a0]*", text, flags=re.IGNORECASE):
        after = text[match.end() :]
        if not after or after.startswith(rules["quote"]):
            continue
        if any(_starts_with_word(after, word) for word in rules["allow_after"]):
            continue
        if not (after[0].isalpha() or KHMER_LETTER.match(after[0])):
            continue  # an emoji that is the button (✏️), or a placeable
        yield f"button name after “{match.group().strip()}” must be quoted: “{after[:20]}…”"


def _starts_with_word(text: str, word: str) -> bool:
    if KHMER_LETTER.search(word):
        return text.startswith(word)  # Khmer writes no spaces between words
    return re.match(rf"{re.escape(word)}\b", text, flags=re.IGNORECASE) is not None


def check_file(rules: dict[str, Any], language: str, path: Path) -> list[Violation]:
    resource = FluentParser(with_spans=False).parse(path.read_text(encoding="utf-8"))
    found: list[Violation] = []
    for entry in resource.body:
        if isinstance(entry, Message):
            found += check_message(rules, language, entry)
    return found


def check_source(rules: dict[str, Any], language: str, source: str) -> list[Violation]:
    """Check Fluent source given as text (the planted examples in the tests)."""
    resource = FluentParser(with_spans=False).parse(source)
    messages = [entry for entry in resource.body if isinstance(entry, Message)]
    assert messages, f"no message parsed from {source!r}"
    return [v for message in messages for v in check_message(rules, language, message)]
