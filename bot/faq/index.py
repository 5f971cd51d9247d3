"""Ranking FAQ entries for a typed question: TF-IDF similarity fused with a classifier.

Each entry is represented by each of its phrasings and by one document holding all of them
with the answer. Similarity mixes an entry's best phrasing (a close paraphrase) with its
document (the vocabulary of the topic); the classifier (bot/faq/model.py) weighs what tells
entries apart. Phrasings that moderators linked to an entry (learned) match on top, at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from bot.faq.features import analyse, analyse_one
from bot.faq.model import (
    Classifier,
    Floats,
    Ints,
    gather_ranges,
    spread,
    starts_of,
    weighted_count,
)

Bools = npt.NDArray[np.bool_]
_Key = TypeVar("_Key", bound=np.integer[Any])

PHRASING_WEIGHT = 0.6
DOCUMENT_WEIGHT = 0.4
# The fused score: similarity and the classifier's probability, see fuse().
MODEL_SHARE = 0.6
COVERAGE_POWER = 2.0
# N-grams found in more than this share of the documents say little and cost much.
MAX_DOCUMENT_SHARE = 0.25
# Features are hashed into this many buckets, then numbered in the order of their keys: every
# array per feature is as long as the features the catalogue has, not as the buckets.
FEATURE_BUCKETS = 1 << 21
# Above this many features, a table of all buckets numbers a question's features.
TABLE_LOOKUP_FEATURES = 1 << 17
# Up to this many phrasings and classes, the joint index numbers them in 16 bits.
SMALL_ROWS = int(np.iinfo(np.int16).max)
_MIX = np.uint64(0x9E3779B97F4A7C15)
OUT_OF_SCOPE = "_out_of_scope"
PHRASING_LIST_MIN = 200
PHRASING_LIST_SHARE = 0.01
DOCUMENT_LIST_MIN = 50
DOCUMENT_LIST_SHARE = 0.1
# A learned phrasing this similar to a question decides the entry.
LEARNED_MATCH = 0.8


@dataclass(frozen=True)
class EntryDocuments:
    """An entry's phrasings, and the rest of its text (its answers) for its document."""

    entry_id: str
    phrasings: tuple[str, ...]
    answer: str = ""


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float
    # What the score is made of: cosine similarity and the classifier's probability.
    similarity: float = -1.0
    probability: float = 0.0

    @property
    def evidence(self) -> float:
        """How much the question looks like this entry at all (the score without a split)."""
        return self.score if self.similarity < 0 else self.similarity


class _Postings:
    """An inverted index in flat arrays: for each feature, the documents holding it."""

    def __init__(self, rows: Ints, cols: Ints, weights: Floats, size: int, n_cols: int) -> None:
        """rows, cols and weights sorted by column."""
        self.size = size
        self.docs = rows.astype(np.int32)
        self.weights = weights.astype(np.float32)
        self.starts = starts_of(cols, n_cols)

    def similarities(self, cols: Ints, weights: Floats) -> Floats:
        if not len(cols):
            return np.zeros(self.size)
        index, origin = gather_ranges(self.starts[cols], self.starts[cols + 1])
        return weighted_count(self.docs[index], self.weights[index] * weights[origin], self.size)


class _Joint:
    """The phrasings' and the documents' inverted indexes and the classifier's weights, in one:
    for each feature, the phrasings, documents and classes it weighs in, side by side.

    A typed question's few features are looked up once for all three, and every similarity
    and the classifier's sums counted in one call: each numpy call has a fixed cost that
    outweighs its work on one question, and runs side by side are read faster.
    """

    def __init__(self, parts: Sequence[tuple[Ints, Ints, Floats, int]], n_cols: int) -> None:
        """parts: (rows, cols, weights, how many rows) of each, sorted by column."""
        self.bounds = np.cumsum([0, *(size for *_, size in parts)]).tolist()
        lengths = [np.bincount(part[1], minlength=n_cols) for part in parts]
        self.starts = np.zeros(n_cols + 1, np.int32)
        np.cumsum(np.sum(lengths, axis=0, dtype=np.int64), out=self.starts[1:])
        small = self.bounds[-1] <= SMALL_ROWS
        self.docs: Ints = np.empty(int(self.starts[-1]), np.int16 if small else np.int32)
        # The classifier's weights are float64; the texts' float32 weights convert exactly,
        # and every product is the one it was. An untrained classifier has none.
        wide = any(part[2].dtype == np.float64 and len(part[2]) for part in parts)
        self.weights: Floats = np.empty(len(self.docs), np.float64 if wide else np.float32)
        # In each feature's block, a part's run comes after the runs of the parts before it.
        written = self.starts[:-1].astype(np.int64)
        for (rows, cols, weights, _), base, length in zip(
            parts, self.bounds[:-1], lengths, strict=True
        ):
            shift = written - (np.cumsum(length) - length)
            place = shift[cols]
            place += np.arange(len(cols))
            self.docs[place] = rows + base
            self.weights[place] = weights
            written += length

    def sums(self, cols: Ints, weights: Floats) -> list[Floats]:
        """Each part's sums of weights x the question's weights, for each of its rows."""
        if not len(cols):
            return self._parts(np.zeros(self.bounds[-1]))
        index, origin = gather_ranges(self.starts[cols], self.starts[cols + 1])
        products = self.weights[index] * weights[origin]
        return self._parts(weighted_count(self.docs[index], products, self.bounds[-1]))

    def sums_one(self, cols: Ints, weights: Floats) -> list[Floats]:
        """sums(), with the ranges spread in fewer passes (the same terms, in the same order)."""
        first = self.starts[cols]
        index, spread_weights = spread(first, self.starts[cols + 1] - first, weights)
        products = np.multiply(self.weights[index], spread_weights, out=spread_weights)
        return self._parts(weighted_count(self.docs[index], products, self.bounds[-1]))

    def _parts(self, sums: Floats) -> list[Floats]:
        return [sums[start:end] for start, end in itertools.pairwise(self.bounds)]


def fuse(
    similarity: Floats,
    probability: Floats,
    coverage: float,
    share: float | None = None,
    power: float | None = None,
) -> Floats:
    """The classifier's probability counts as far as the question is made of known features:
    in "register a motorbike" it is sure about "register", but "motorbike" is nowhere."""
    share = MODEL_SHARE if share is None else share
    power = COVERAGE_POWER if power is None else power
    fused: Floats = (1 - share) * similarity + share * probability * coverage**power
    return fused


def bucket(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    mixed: npt.NDArray[np.uint64] = keys * _MIX
    mixed >>= np.uint64(64 - FEATURE_BUCKETS.bit_length() + 1)
    return mixed


def _pairs(
    rows: npt.NDArray[np.integer[Any]], cols: npt.NDArray[np.integer[Any]], n_rows: int
) -> tuple[Ints, Ints, Ints]:
    """Each (row, feature) once, with how often it occurs; sorted by feature, then row."""
    n_rows = max(1, n_rows)
    pairs = cols.astype(np.int64)
    pairs *= n_rows
    pairs += rows
    pairs.sort()
    pairs, counts = _runs(pairs)
    features, texts = np.divmod(pairs, n_rows)
    return texts, features, counts


def _runs(
    ordered: npt.NDArray[_Key], weights: Ints | None = None
) -> tuple[npt.NDArray[_Key], Ints]:
    """The distinct values of a sorted array, and how many times (or how much weight) each."""
    if not len(ordered):
        return ordered, np.zeros(0, np.int64)
    first = np.empty(len(ordered), np.bool_)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    del first
    if weights is not None:
        return ordered[starts], np.add.reduceat(weights, starts)
    counts = np.empty_like(starts)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1])
    counts[-1] = len(ordered) - starts[-1]
    return ordered[starts], counts


def _tfidf(rows: Ints, cols: Ints, counts: Ints, idf: Floats, size: int) -> Floats:
    """L2-normalised TF-IDF; frequent features count in the norm before they are dropped."""
    weights: Floats = (1.0 + np.log(counts)) * idf[cols]
    norms = np.sqrt(weighted_count(rows, weights * weights, size))
    weights /= np.where(norms > 0, norms, 1.0)[rows]
    return weights


def _numbered(
    buckets: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """The distinct buckets, sorted; each bucket's place among them (np.unique with
    return_inverse, without sorting); and the table of every bucket's place (-1: none)."""
    seen = np.zeros(FEATURE_BUCKETS, np.bool_)
    seen[buckets] = True
    vocabulary = np.flatnonzero(seen)
    del seen
    place = np.full(FEATURE_BUCKETS, -1, np.int32)
    place[vocabulary] = np.arange(len(vocabulary), dtype=np.int32)
    return vocabulary.astype(np.uint64), place[buckets], place


def _columns(
    vocabulary: npt.NDArray[np.uint64], keys: npt.NDArray[np.uint64]
) -> tuple[Ints, Bools]:
    """Each key's column (its place in the sorted vocabulary), and whether it is there at all."""
    if not len(vocabulary):
        return np.zeros(len(keys), np.int64), np.zeros(len(keys), np.bool_)
    cols = np.minimum(np.searchsorted(vocabulary, keys), len(vocabulary) - 1)
    return cols, vocabulary[cols] == keys


@dataclass(frozen=True)
class _Vector:
    # The question's features (hashed keys, sorted), their columns where the index has them.
    keys: npt.NDArray[np.uint64]
    cols: Ints
    weights: Floats
    # The features the index holds (seen, and not too frequent to say anything).
    useful: Bools

    @property
    def indexed(self) -> tuple[Ints, Floats]:
        return self.cols[self.useful], self.weights[self.useful]


_EMPTY = _Vector(np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.bool_))


class FaqIndex:
    def __init__(self, entries: Iterable[EntryDocuments], out_of_scope: Sequence[str] = ()) -> None:
        self.entries = list(entries)
        self._position = {e.entry_id: i for i, e in enumerate(self.entries)}
        # Questions the FAQ does not answer are one more class, after the entries.
        self.classes = list(self.entries)
        if out_of_scope:
            self.classes.append(EntryDocuments(OUT_OF_SCOPE, tuple(out_of_scope)))
        self._build()
        self._learned_owner: list[int] = []
        self._learned_vectors: list[_Vector] = []
        self._learned: _Postings | None = None
        self._learned_vocabulary = np.zeros(0, np.uint64)

    def _build(self) -> None:
        size = len(self.classes)
        owners = np.repeat(
            np.arange(size, dtype=np.int64), [len(e.phrasings) for e in self.classes]
        )
        n_phrasings = len(owners)
        # Each class's phrasings, then its answers, which its document holds with them: the
        # class never decreases from one text to the next, so features sorted by text are
        # sorted by class too, and one sort serves phrasings and documents.
        per_class = np.array([len(e.phrasings) + 1 for e in self.classes], np.int64)
        text_class = np.repeat(np.arange(size, dtype=np.int64), per_class)
        is_answer = np.zeros(len(text_class), np.bool_)
        is_answer[np.cumsum(per_class) - 1] = True
        phrasing = np.cumsum(~is_answer) - 1
        rows, keys = analyse([t for e in self.classes for t in (*e.phrasings, e.answer)])
        # The features seen, sorted: a feature's column is its place in this array.
        self.vocabulary, cols, place = _numbered(bucket(keys))
        n_cols = len(self.vocabulary)
        # A question's features are found in the vocabulary by binary search; in a large one
        # that costs more than the rest of the question, and the table of places (8 MiB, a
        # fraction of such an index) finds them at once.
        self._place = place if n_cols > TABLE_LOOKUP_FEATURES else None
        del place
        t_rows, t_cols, t_counts = _pairs(rows, cols, len(text_class))
        del rows, cols, keys
        in_phrasing = ~is_answer[t_rows]
        p_rows, p_cols = phrasing[t_rows[in_phrasing]], t_cols[in_phrasing]
        p_counts = t_counts[in_phrasing]
        classes = max(1, size)
        d_pairs, d_counts = _runs(t_cols * classes + text_class[t_rows], t_counts)
        d_rows, d_cols = d_pairs % classes, d_pairs // classes
        del t_rows, t_cols, t_counts, in_phrasing, d_pairs
        total = n_phrasings + size
        df = np.bincount(p_cols, minlength=n_cols) + np.bincount(d_cols, minlength=n_cols)
        self.idf = (np.log((1 + total) / (1 + df)) + 1.0).astype(np.float32)
        self.unseen_idf = math.log(1 + total) + 1.0
        self.indexed = df <= max(3, int(total * MAX_DOCUMENT_SHARE))
        p_weights = _tfidf(p_rows, p_cols, p_counts, self.idf, n_phrasings)
        d_weights = _tfidf(d_rows, d_cols, d_counts, self.idf, size)
        keep = self.indexed[p_cols]
        p_rows, p_cols, p_weights = p_rows[keep], p_cols[keep], p_weights[keep]
        # Likewise for documents, once there are many entries.
        in_documents = np.bincount(d_cols, minlength=n_cols)
        doc_limit = max(DOCUMENT_LIST_MIN, int(DOCUMENT_LIST_SHARE * size))
        keep = self.indexed[d_cols] & (in_documents[d_cols] <= doc_limit)
        # A feature in very many phrasings adds little to finding the closest one and makes
        # every question that has it walk a long list: it counts in documents and model only.
        in_phrasings = np.bincount(p_cols, minlength=n_cols)
        limit = max(PHRASING_LIST_MIN, int(PHRASING_LIST_SHARE * n_phrasings))
        short = in_phrasings[p_cols] <= limit
        self._owner_starts = np.searchsorted(owners, np.arange(size))
        self._reduce_starts = np.minimum(self._owner_starts, max(0, n_phrasings - 1))
        self._has_phrasings = np.bincount(owners, minlength=size) > 0
        self.model = Classifier(p_rows, p_cols, p_weights, owners, size, n_cols)
        # Stored as float32, as they always were: the same scores.
        p_weights, d_weights = p_weights.astype(np.float32), d_weights.astype(np.float32)
        self._postings = _Joint(
            [
                (p_rows[short], p_cols[short], p_weights[short], n_phrasings),
                (d_rows[keep], d_cols[keep], d_weights[keep], size),
                self.model.hand_over(),
            ],
            n_cols,
        )

    def _vector(self, text: str) -> _Vector:
        """The question's TF-IDF vector; unseen features count in its norm.

        "register a motorbike" must score lower than "register": "motorbike" is nowhere in
        the FAQ, and the question is about something else.
        """
        _, keys = analyse([text])
        if not len(keys):
            return _EMPTY
        found, counts = np.unique(bucket(keys), return_counts=True)
        return self._weighted(found, counts)

    def _question(self, text: str) -> _Vector:
        """_vector(text), in fewer numpy calls: a typed question has few features, and the
        fixed cost of each call outweighs the work on them."""
        buckets = bucket(analyse_one(text))
        if not len(buckets):
            return _EMPTY
        buckets.sort()
        return self._weighted(*_runs(buckets))

    def _weighted(self, found: npt.NDArray[np.uint64], counts: Ints) -> _Vector:
        """The vector of a question's distinct features (sorted) and their counts."""
        if self._place is None:
            cols, known = _columns(self.vocabulary, found)
        else:
            places = self._place[found.astype(np.intp)]
            cols, known = np.maximum(places, 0).astype(np.int64), places >= 0
        if len(self.vocabulary):
            idf = np.where(known, self.idf[cols], self.unseen_idf)
            useful = known & self.indexed[cols]
        else:
            idf, useful = np.full(len(found), self.unseen_idf), known
        weights = (1.0 + np.log(counts)) * idf
        weights /= np.sqrt((weights * weights).sum())
        return _Vector(found, cols, weights, useful)

    def learn(self, entry_id: str, text: str) -> None:
        """A phrasing a moderator linked to an entry: matched from the next question on."""
        if entry_id not in self._position:
            return
        self._learned_owner.append(self._position[entry_id])
        # All its features, seen or not: the next identical question must match it fully.
        self._learned_vectors.append(self._vector(text))
        vectors = self._learned_vectors
        rows = np.repeat(np.arange(len(vectors), dtype=np.int64), [len(v.keys) for v in vectors])
        self._learned_vocabulary, inverse = np.unique(
            np.concatenate([v.keys for v in vectors]), return_inverse=True
        )
        cols = inverse.astype(np.int64, copy=False).ravel()
        order = np.argsort(cols, kind="stable")
        weights = np.concatenate([v.weights for v in vectors])
        self._learned = _Postings(
            rows[order], cols[order], weights[order], len(vectors), len(self._learned_vocabulary)
        )

    def _similarities(
        self, cols: Ints, weights: Floats, without: int | None = None
    ) -> tuple[Floats, Floats]:
        """Each entry's best phrasing (phrasing `without` left out), and its document."""
        by_phrasing, documents, _ = self._postings.sums(cols, weights)
        if without is not None:
            by_phrasing[without] = 0.0
        return self._best_phrasings(by_phrasing), documents

    def _best_phrasings(self, by_phrasing: Floats) -> Floats:
        """Each class's best phrasing."""
        if not len(by_phrasing):
            return np.zeros(len(self.classes))
        best: Floats = np.where(
            self._has_phrasings, np.maximum.reduceat(by_phrasing, self._reduce_starts), 0.0
        )
        return best

    def leave_one_out(self, entry_id: str, position: int) -> tuple[Floats, Floats]:
        """How similar each entry's best phrasing and document are to one of this entry's
        phrasings, that phrasing left out of the phrasings."""
        index = self._position[entry_id]
        text = self.entries[index].phrasings[position]
        cols, weights = self._vector(text).indexed
        return self._similarities(cols, weights, int(self._owner_starts[index]) + position)

    def components(self, text: str) -> tuple[Floats, Floats, float]:
        """Similarity and probability of every class (the entries, then out of scope if
        given), and how much of the question is made of features the index knows."""
        return self._components(self._vector(text))

    def _components(self, vector: _Vector, one: bool = False) -> tuple[Floats, Floats, float]:
        """one: by the single question's path (the same figures, see _question())."""
        size = len(self.classes)
        cols, weights = vector.indexed
        if not len(cols):
            return np.zeros(size), np.zeros(size), 0.0
        coverage = float((weights * weights).sum())
        sums = self._postings.sums_one if one else self._postings.sums
        by_phrasing, documents, by_class = sums(cols, weights)
        best = self._best_phrasings(by_phrasing)
        similarity: Floats = PHRASING_WEIGHT * best + DOCUMENT_WEIGHT * documents
        return similarity, self.model.probabilities(by_class), coverage

    def scores(self, text: str) -> tuple[Floats, Floats, Floats]:
        """Fused score, similarity and probability of every entry."""
        vector = self._question(text)
        similarity, probability, coverage = self._components(vector, one=True)
        fused = fuse(similarity, probability, coverage)
        if self._learned is not None:
            cols, found = _columns(self._learned_vocabulary, vector.keys)
            learned = self._learned.similarities(cols[found], vector.weights[found])
            closest = int(np.argmax(learned))
            if learned[closest] >= LEARNED_MATCH:
                entry = self._learned_owner[closest]
                fused[entry] = max(fused[entry], float(learned[closest]))
                similarity[entry] = max(similarity[entry], float(learned[closest]))
        return fused, similarity, probability

    def rank(self, query: str, top: int = 5) -> tuple[list[Hit], float]:
        """The best entries, and the score of "out of scope" (0 without such phrasings)."""
        fused, similarity, probability = self.scores(query)
        rejection = 0.0
        if len(self.classes) > len(self.entries):
            rejection = float(fused[-1])
            fused, similarity, probability = fused[:-1], similarity[:-1], probability[:-1]
        if not fused.any():
            return [], rejection
        count = min(top, len(fused))
        best = np.argpartition(-fused, count - 1)[:count].tolist()
        # Python floats: reading numpy's one by one costs more than converting them all.
        scores, similarities = fused.tolist(), similarity.tolist()
        probabilities = probability.tolist()
        ranked = sorted(best, key=lambda i: (-scores[i], self.entries[i].entry_id))
        hits = [
            Hit(self.entries[i].entry_id, scores[i], similarities[i], probabilities[i])
            for i in ranked
            if scores[i] > 0
        ]
        return hits, rejection

    def search(self, query: str, top: int = 5) -> list[Hit]:
        return self.rank(query, top)[0]
