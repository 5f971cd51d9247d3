"""Text to sparse features, many texts at once: character n-grams, Latin words, concepts.

Features are 64-bit keys: n-grams are hashed from their code points with numpy, so indexing
a thousand entries costs array operations rather than a Python loop per n-gram. Latin words
and lexicon concepts (the same concept named in Khmer, English or romanized Khmer) count
twice: a whole word says more than one of its n-grams.
"""

from __future__ import annotations

import re
import tomllib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from bot.faq.normalize import normalize

NGRAM_SIZES = (2, 3, 4)
WORD_TAG = np.uint64(1 << 62)
CONCEPT_TAG = np.uint64(1 << 63)
_MULTIPLIER = np.uint64(0x100000001B3)
_KHMER = re.compile(r"[\u1780-\u17ff]")

Keys = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Lexicon:
    concepts: tuple[str, ...]
    khmer: re.Pattern[str] | None
    khmer_forms: dict[str, int]
    latin_forms: dict[str, int]
    # The first words of Latin forms of several words, and how many words those have at most.
    openers: frozenset[str]
    longest: int

    def concept_ids(self, normalized: str) -> list[int]:
        found = []
        if self.khmer is not None and _KHMER.search(normalized):
            found += [self.khmer_forms[m.group(0)] for m in self.khmer.finditer(normalized)]
        words = normalized.split()
        forms = self.latin_forms
        for i, word in enumerate(words):
            concept = forms.get(word)
            if concept is not None:
                found.append(concept)
            if word in self.openers:
                for n in range(2, min(self.longest, len(words) - i) + 1):
                    concept = forms.get(" ".join(words[i : i + n]))
                    if concept is not None:
                        found.append(concept)
        return found


def parse_lexicon(text: str) -> Lexicon:
    data = tomllib.loads(text)
    concepts = tuple(data)
    khmer: dict[str, int] = {}
    latin: dict[str, int] = {}
    for index, name in enumerate(concepts):
        for form in data[name]:
            norm = normalize(str(form))
            if norm:
                (khmer if _KHMER.search(norm) else latin).setdefault(norm, index)

    return Lexicon(
        concepts,
        re.compile(_trie_pattern(list(khmer))) if khmer else None,
        khmer,
        latin,
        frozenset(f.split()[0] for f in latin if " " in f),
        max((len(f.split()) for f in latin), default=0),
    )


def _trie_pattern(forms: list[str]) -> str:
    """One regular expression for many strings, factored by common prefixes: much faster
    than an alternation of them all. Where one form is a prefix of another, the longer wins."""
    trie: dict[str, dict[str, object]] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})  # type: ignore[assignment]
        node[""] = {}

    def pattern(node: dict[str, dict[str, object]]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in node.items() if c]  # type: ignore[arg-type]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


@cache
def default_lexicon() -> Lexicon:
    return parse_lexicon((resources.files("bot.faq") / "lexicon.toml").read_text("utf-8"))


def _word_key(word: str) -> int:
    return zlib.crc32(word.encode()) | (1 << 62)


def token_keys(normalized: str, lexicon: Lexicon) -> list[int]:
    """Words and concepts of one normalised text, each key twice (see the module doc)."""
    keys = [_word_key(w) for w in normalized.split() if w.isascii() and len(w) > 2]
    keys += [(1 << 63) | c for c in lexicon.concept_ids(normalized)]
    return keys + keys


def ngram_keys(normalized: Sequence[str]) -> tuple[Ints, Keys]:
    """(text index, key) of every n-gram inside a word padded with spaces, as in " word "."""
    if not normalized:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    padded = "".join(f"\0 {t} " for t in normalized)
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 3 for t in normalized), np.int64, len(normalized))
    owner = np.repeat(np.arange(len(normalized), dtype=np.int64), lengths)
    separator = codes == 0
    space = codes == 32
    rows: list[Ints] = []
    keys: list[Keys] = []
    for n in NGRAM_SIZES:
        count = len(codes) - n + 1
        if count <= 0:
            continue
        bad = separator[:count].copy()
        key = np.full(count, np.uint64(n))
        all_space = space[:count].copy()
        for k in range(n):
            window = slice(k, k + count)
            bad |= separator[window]
            if 0 < k < n - 1:
                bad |= space[window]
            all_space &= space[window]
            key = key * _MULTIPLIER ^ codes[window]
        # An n-gram never holds a space inside: " ab", "ab " and "abc" but not "b c".
        keep = ~(bad | all_space)
        rows.append(owner[:count][keep])
        keys.append(key[keep] & ~(WORD_TAG | CONCEPT_TAG))
    return np.concatenate(rows), np.concatenate(keys)


# Greetings and courtesy say nothing about what is asked, and in a long question with
# context they outweigh the question itself.
_COURTESY_WORDS = (
    "good morning|good afternoon|good evening|hello|hi|dear|greetings|thank you|thanks|please"
    "|sous dey|sousdey|suasdey|suosdey|jomreap suor|chumreap suor|chom reap sour|orkun|arkun|akun"
)
_COURTESY = re.compile(rf"(?<!\S)(?:{_COURTESY_WORDS})(?!\S)|ជម្រាបសួរ|សួស្តី|សួស្ដី|អរគុណ|សូមជួយប្រាប់ផង")


def _without_courtesy(normalized: str) -> str:
    stripped = " ".join(_COURTESY.sub(" ", normalized).split())
    return stripped or normalized


def analyse(texts: Sequence[str], lexicon: Lexicon | None = None) -> tuple[Ints, Keys]:
    """(text index, feature key) for every feature occurrence in the texts."""
    lexicon = lexicon or default_lexicon()
    normalized = [_without_courtesy(normalize(t)) for t in texts]
    rows, keys = ngram_keys(normalized)
    token_rows: list[int] = []
    tokens: list[int] = []
    for index, text in enumerate(normalized):
        found = token_keys(text, lexicon)
        tokens += found
        token_rows += [index] * len(found)
    return (
        np.concatenate([rows, np.asarray(token_rows, np.int64)]),
        np.concatenate([keys, np.asarray(tokens, np.uint64)]),
    )
