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
from itertools import chain

import numpy as np
import numpy.typing as npt

from bot.faq.normalize import normalize_many

NGRAM_SIZES = (2, 3, 4)
_WORD_BIT = 1 << 62
_CONCEPT_BIT = 1 << 63
WORD_TAG = np.uint64(_WORD_BIT)
CONCEPT_TAG = np.uint64(_CONCEPT_BIT)
_MULTIPLIER = np.uint64(0x100000001B3)
_KHMER = re.compile(r"[\u1780-\u17ff]")

Keys = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
# Text indices: a build has fewer than 2**31 texts.
Rows = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Lexicon:
    concepts: tuple[str, ...]
    khmer: re.Pattern[str] | None
    khmer_forms: dict[str, int]
    latin_forms: dict[str, int]
    # Each word that is a Latin form or begins a Latin form of several words, as a whole word.
    latin: re.Pattern[str] | None
    # The Latin forms of several words, by their first word.
    by_opener: dict[str, tuple[str, ...]]

    def concept_ids(self, normalized: str) -> list[int]:
        return self.find(normalized)[1]

    def find(self, lines: str) -> tuple[list[int], list[int]]:
        """(where, concept) of every concept in a normalised text, or in several joined by
        newlines; a Latin form counts as whole words, and one form may start inside another."""
        where: list[int] = []
        found: list[int] = []
        if self.khmer is not None and _KHMER.search(lines):
            for match in self.khmer.finditer(lines):
                where.append(match.start())
                found.append(self.khmer_forms[match.group(0)])
        if self.latin is None:
            return where, found
        for match in self.latin.finditer(lines):
            word, start = match.group(0), match.start()
            concept = self.latin_forms.get(word)
            if concept is not None:
                where.append(start)
                found.append(concept)
            for form in self.by_opener.get(word, ()):
                end = start + len(form)
                if lines.startswith(form, start) and lines[end : end + 1] in ("", " ", "\n"):
                    where.append(start)
                    found.append(self.latin_forms[form])
        return where, found


def parse_lexicon(text: str) -> Lexicon:
    data = tomllib.loads(text)
    concepts = tuple(data)
    khmer: dict[str, int] = {}
    latin: dict[str, int] = {}
    named = [(index, str(form)) for index, name in enumerate(concepts) for form in data[name]]
    for (index, _), norm in zip(named, normalize_many([f for _, f in named]), strict=True):
        if norm:
            (khmer if _KHMER.search(norm) else latin).setdefault(norm, index)
    by_opener: dict[str, list[str]] = {}
    for form in latin:
        if " " in form:
            by_opener.setdefault(form.split()[0], []).append(form)
    words = sorted({f for f in latin if " " not in f} | set(by_opener))
    return Lexicon(
        concepts,
        re.compile(_trie_pattern(list(khmer))) if khmer else None,
        khmer,
        latin,
        re.compile(rf"(?<!\S)(?:{_trie_pattern(words)})(?!\S)") if words else None,
        {opener: tuple(forms) for opener, forms in by_opener.items()},
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


# A Latin word of three letters or more.
_LATIN_WORD = re.compile(r"(?<!\S)[!-~]{3,}(?!\S)")


def token_keys(normalized: Sequence[str], lexicon: Lexicon) -> tuple[Rows, Keys]:
    """(text index, key) of the words and concepts of normalised texts, each key twice (see
    the module doc)."""
    words = [_LATIN_WORD.findall(text) for text in normalized]
    keys = [zlib.crc32(w.encode()) | _WORD_BIT for w in chain.from_iterable(words)]
    lines = "\n".join(normalized)
    where, concepts = lexicon.find(lines)
    keys += [_CONCEPT_BIT | c for c in concepts]
    if len(normalized) == 1:
        rows = np.zeros(len(keys), np.int32)
    else:
        counts = np.fromiter(map(len, words), np.int64, len(words))
        lengths = np.fromiter((len(t) + 1 for t in normalized), np.int64, len(normalized))
        starts = np.cumsum(lengths) - lengths
        concept_rows = np.searchsorted(starts, np.asarray(where, np.int64), "right") - 1
        word_rows = np.repeat(np.arange(len(words), dtype=np.int32), counts)
        rows = np.concatenate([word_rows, concept_rows.astype(np.int32)])
    return np.concatenate([rows, rows]), np.array(keys * 2, np.uint64)


def ngram_keys(normalized: Sequence[str]) -> tuple[list[Rows], list[Keys]]:
    """(text index, key) of every n-gram inside a word padded with spaces, as in " word ",
    in parts (one per n-gram size) for the caller to join with its other features."""
    if not normalized:
        return [], []
    padded = "".join(f"\0 {t} " for t in normalized)
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 3 for t in normalized), np.int64, len(normalized))
    owner = np.repeat(np.arange(len(normalized), dtype=np.int32), lengths)
    separator = codes == 0
    space = codes == 32
    rows: list[Rows] = []
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
            key *= _MULTIPLIER
            key ^= codes[window]
        # An n-gram never holds a space inside: " ab", "ab " and "abc" but not "b c".
        bad |= all_space
        keep = np.logical_not(bad, out=bad)
        rows.append(owner[:count][keep])
        kept = key[keep]
        kept &= ~(WORD_TAG | CONCEPT_TAG)
        keys.append(kept)
    return rows, keys


# Greetings and courtesy say nothing about what is asked, and in a long question with
# context they outweigh the question itself.
_COURTESY_WORDS = (
    "good morning|good afternoon|good evening|hello|hi|dear|greetings|thank you|thanks|please"
    "|sous dey|sousdey|suasdey|suosdey|jomreap suor|chumreap suor|chom reap sour|orkun|arkun|akun"
)
_COURTESY = re.compile(rf"(?<!\S)(?:{_COURTESY_WORDS})(?!\S)|ជម្រាបសួរ|សួស្តី|សួស្ដី|អរគុណ|សូមជួយប្រាប់ផង")


def _without_courtesy(normalized: Sequence[str]) -> list[str]:
    stripped = _COURTESY.sub(" ", "\n".join(normalized)).split("\n") if normalized else []
    return [
        n if s == n else " ".join(s.split()) or n for s, n in zip(stripped, normalized, strict=True)
    ]


def analyse(texts: Sequence[str], lexicon: Lexicon | None = None) -> tuple[Rows, Keys]:
    """(text index, feature key) for every feature occurrence in the texts."""
    lexicon = lexicon or default_lexicon()
    normalized = _without_courtesy(normalize_many(texts))
    rows, keys = ngram_keys(normalized)
    token_rows, tokens = token_keys(normalized, lexicon)
    return np.concatenate([*rows, token_rows]), np.concatenate([*keys, tokens])


def analyse_one(text: str, lexicon: Lexicon | None = None) -> Keys:
    """The feature keys of analyse([text]), in another order: for a typed question, where the
    fixed cost of each numpy call outweighs the work, fewer calls than for a batch."""
    lexicon = lexicon or default_lexicon()
    normalized = _without_courtesy(normalize_many([text]))[0]
    words = _LATIN_WORD.findall(normalized)
    tokens = [zlib.crc32(w.encode()) | _WORD_BIT for w in words]
    tokens += [_CONCEPT_BIT | c for c in lexicon.find(normalized)[1]]
    return np.concatenate([_ngrams_of_one(normalized), np.array(tokens * 2, np.uint64)])


# _ngrams_of_one(): each size's first key, one row per size; the first row of sizes longer
# than k characters.
_SIZE_ROWS = np.array(NGRAM_SIZES, np.uint64)[:, None]
_LONGER = [sum(n <= k for n in NGRAM_SIZES) for k in range(max(NGRAM_SIZES))]


def _ngrams_of_one(normalized: str) -> Keys:
    """ngram_keys() of one text, every size hashed at once: one row of keys per size."""
    # Spaces after " text " let every size start everywhere; a window that reaches them has
    # a space inside, and is left out like any other.
    codes = np.frombuffer(f" {normalized}   ".encode("utf-32-le"), np.uint32).astype(np.uint64)
    count = len(codes) - 3
    key = np.empty((len(NGRAM_SIZES), count), np.uint64)
    key[:] = _SIZE_ROWS
    for k, first in enumerate(_LONGER):
        longer = key[first:]
        longer *= _MULTIPLIER
        longer ^= codes[k : k + count]
    kept = key[_whole_ngrams(codes == 32, count)]
    kept &= ~(WORD_TAG | CONCEPT_TAG)
    return kept


def _whole_ngrams(space: npt.NDArray[np.bool_], count: int) -> npt.NDArray[np.bool_]:
    """Which windows of 2, 3 and 4 characters ngram_keys() keeps: no space inside, and not
    all spaces (only a window of 2 can be all spaces without one inside)."""
    keep = np.empty((3, count), np.bool_)
    second, third = space[1 : 1 + count], space[2 : 2 + count]
    np.logical_not(space[:count] & second, out=keep[0])
    np.logical_not(second, out=keep[1])
    np.logical_not(second | third, out=keep[2])
    return keep
