"""One spelling for every way a question can be typed, in Khmer or in English.

Khmer words are written without spaces and with several code-point orders that
look the same; people add zero-width spaces, Khmer digits and punctuation.
Everything here maps those variants onto one form before matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from khmerspell import khnormal

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e"), None)
_KHMER_DIGITS = {ord("០") + i: ord("0") + i for i in range(10)}
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e]")
_HAS_KHMER_DIGIT = re.compile("[០-៩]")
# Split vowels typed in two parts, and coeng-da, which people use for coeng-ta.
_SPELLING = [
    ("\u17c1\u17b8", "\u17be"),  # េ + ី → ើ
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា → ោ
    ("\u17d2\u178a", "\u17d2\u178f"),  # ្ដ → ្ត
]
_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
_NOT_WORD = re.compile(r"[^\w\u1780-\u17dd\u19e0-\u19ff]+")
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


_ASCII_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    if text.isascii():
        # The same result as below for plain ASCII, without the Khmer steps.
        return " ".join(_ASCII_NOT_WORD.sub(" ", text.lower()).split())
    text = unicodedata.normalize("NFKC", text)
    # str.translate looks up every character: only when there is something to translate.
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    text = text.casefold()
    if _HAS_KHMER_DIGIT.search(text):
        text = text.translate(_KHMER_DIGITS)
    for variant, canonical in _SPELLING:
        text = text.replace(variant, canonical)
    text = _KHMER_RUN.sub(lambda m: canonical_khmer(m.group(0)), text)
    text = _KHMER_PUNCT.sub(" ", text)
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    text = _SPACE_BETWEEN_KHMER.sub("", text)
    return " ".join(text.split())


def is_khmer(text: str) -> bool:
    khmer = sum(1 for c in text if "\u1780" <= c <= "\u17ff")
    letters = sum(1 for c in text if c.isalpha())
    return letters > 0 and khmer * 2 >= letters
