"""One spelling for every way a question can be typed, in Khmer or in English.

Khmer words are written without spaces and with several code-point orders that
look the same; people add zero-width spaces, Khmer digits and punctuation.
Everything here maps those variants onto one form before matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from khmerspell import khnormal

# Regular expressions rather than str.translate, which looks up every character of the text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e]+")
_KHMER_DIGIT = re.compile("[០-៩]")
# Split vowels typed in two parts, and coeng-da, which people use for coeng-ta.
_SPELLING = [
    ("\u17c1\u17b8", "\u17be"),  # េ + ី → ើ
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា → ោ
    ("\u17d2\u178a", "\u17d2\u178f"),  # ្ដ → ្ត
]
_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
_SPACE_BETWEEN_KHMER = re.compile(r"(?<=[\u1780-\u17dd]) +(?=[\u1780-\u17dd])")
_KHMER_PUNCT = re.compile(r"[\u17d4-\u17da\u17dc]")
# khnormal reorders within a syllable, and a syllable starts at a base consonant or
# independent vowel that no coeng joins to the one before: each can be normalised alone.
_SYLLABLE_START = re.compile(r"(?<![\u17d2\u200d])(?=[\u1780-\u17a2\u17a5-\u17b3])")


@lru_cache(maxsize=1 << 16)
def _syllable(text: str) -> str:
    return str(khnormal(text))


def canonical_khmer(run: str) -> str:
    """khnormal(run), syllable by syllable: the same result, about twenty times faster."""
    return "".join(_syllable(s) for s in _SYLLABLE_START.split(run) if s)


# A syllable as _SYLLABLE_START cuts a Khmer run, of three characters or more: a base (a
# consonant or independent vowel no coeng joins to the one before), then every following
# character that starts no syllable. khnormal leaves a shorter syllable, or one that starts
# with anything but a base, as it is (tests/test_faq_index.py checks it).
_REORDERABLE = re.compile(
    "(?<!\u17d2)[\u1780-\u17a2\u17a5-\u17b3]"
    "(?:[\u17a3\u17a4\u17b4-\u17ff\u19e0-\u19ff]|(?<=\u17d2)[\u1780-\u17a2\u17a5-\u17b3]){2,}"
)


def _canonical_syllables(text: str) -> str:
    """canonical_khmer() of every Khmer run in the text. Typed Khmer is nearly always
    canonical already: each distinct syllable is checked once, and only a text that has one
    to change is rewritten."""
    changed = {}
    for piece in set(_REORDERABLE.findall(text)):
        canonical = _syllable(piece)
        if canonical != piece:
            changed[piece] = canonical
    if not changed:
        return text
    return _REORDERABLE.sub(lambda m: changed.get(m.group(0), m.group(0)), text)


# Texts are normalised many at once, one per line: no step below makes or removes a newline.
_ASCII_NOT_WORD = re.compile(r"[^a-z0-9\n]+")
_NOT_WORD_LINES = re.compile(r"[^\w\n\u1780-\u17dd\u19e0-\u19ff]+")


def normalize(text: str) -> str:
    return normalize_many([text])[0]


def normalize_many(texts: Sequence[str]) -> list[str]:
    """normalize() of each text: each step runs once over all of them, not once per text."""
    if not texts:
        return []
    lines = "\n".join(t.replace("\n", " ") for t in texts)
    return [" ".join(line.split()) for line in _normalize_lines(lines).split("\n")]


def _normalize_lines(text: str) -> str:
    if text.isascii():
        # The same result as below for plain ASCII, without the Khmer steps.
        return _ASCII_NOT_WORD.sub(" ", text.lower())
    if not unicodedata.is_normalized("NFKC", text):
        # Only the lines that need it: normalising a whole batch costs far more than checking.
        text = "\n".join(
            line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)
            for line in text.split("\n")
        )
    text = _INVISIBLE.sub("", text).casefold()
    text = _KHMER_DIGIT.sub(lambda m: chr(ord(m.group(0)) - ord("០") + ord("0")), text)
    for variant, canonical in _SPELLING:
        text = text.replace(variant, canonical)
    text = _canonical_syllables(text)
    text = _KHMER_PUNCT.sub(" ", text)
    text = _NOT_WORD_LINES.sub(" ", text).replace("_", " ")
    return _SPACE_BETWEEN_KHMER.sub("", text)


def is_khmer(text: str) -> bool:
    khmer = sum(1 for c in text if "\u1780" <= c <= "\u17ff")
    letters = sum(1 for c in text if c.isalpha())
    return letters > 0 and khmer * 2 >= letters
