"""How people ask each entry: the matcher's training data, in data files, not Fluent.

bot/faq/phrasings/<set>.toml holds, per entry, a list of phrasings: `en` in English, `km` in
Khmer script, `rom` in romanized Khmer. Nobody reads them in the bot; the content team edits
them and `python -m bot faq check` validates them.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources

PHRASING_SETS = ("en", "km", "rom")

# set -> entry id -> phrasings
Phrasings = dict[str, dict[str, list[str]]]
HEADERS = {
    "en": "FAQ phrasings in English: how people ask, one string each.",
    "km": "FAQ phrasings in Khmer script: how people ask, one string each.",
    "rom": "FAQ phrasings in romanized Khmer (Khmer typed in Latin letters, as people chat).",
}
_FOOTER = "Training data for the matcher, never shown to anyone; `python -m bot faq check`."
_KHMER = re.compile(r"[\u1780-\u17ff]")


def phrasing_set(text: str, language: str) -> str:
    """Khmer script is km; Latin letters from a Khmer reader are romanized Khmer."""
    if _KHMER.search(text):
        return "km"
    return "rom" if language == "km" else "en"


def parse(text: str, source: str) -> dict[str, list[str]]:
    data = tomllib.loads(text)
    parsed: dict[str, list[str]] = {}
    for entry_id, value in data.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{source}: {entry_id} must be a list of strings")
        parsed[entry_id] = [v.strip() for v in value]
    return parsed


def load_phrasings() -> Phrasings:
    folder = resources.files("bot.faq") / "phrasings"
    return {
        name: parse((folder / f"{name}.toml").read_text("utf-8"), f"phrasings/{name}.toml")
        for name in PHRASING_SETS
    }


def load_out_of_scope() -> list[str]:
    """Questions the FAQ does not answer: the classifier learns them as one more class."""
    text = (resources.files("bot.faq") / "phrasings" / "out_of_scope.toml").read_text("utf-8")
    return parse(text, "phrasings/out_of_scope.toml").get("out_of_scope", [])


def add_learned(phrasings: Phrasings, learned: Iterable[tuple[str, str, str]]) -> int:
    """(entry id, phrasing, reader's language) added to their sets; returns how many were new."""
    added = 0
    for entry_id, text, language in learned:
        entry = phrasings[phrasing_set(text, language)].setdefault(entry_id, [])
        if text not in entry:
            entry.append(text)
            added += 1
    return added


def dump(by_entry: Mapping[str, Iterable[str]], header: str = "") -> str:
    """The data files' format: `entry_id = ["phrasing", ...]`, one phrasing a line."""
    lines = [f"# {line}" for line in [*header.splitlines(), _FOOTER] if header]
    if lines:
        lines.append("")
    for entry_id, phrasings in by_entry.items():
        lines.append(f"{entry_id} = [")
        lines += [f"    {json.dumps(p, ensure_ascii=False)}," for p in phrasings]
        lines.append("]")
    return "\n".join(lines) + "\n"


def for_entry(phrasings: Phrasings, entry_id: str) -> list[str]:
    return [p for name in PHRASING_SETS for p in phrasings.get(name, {}).get(entry_id, [])]
