"""Ranking FAQ entries for a typed question: character n-grams, TF-IDF, cosine.

Each entry is represented by each of its phrasings (question and alternatives,
in both languages) and by one document holding all of them with the answer. An
entry's score mixes its best phrasing with its whole document: the first
rewards a close paraphrase, the second the vocabulary of the topic.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.faq.normalize import normalize

NGRAM_SIZES = (2, 3, 4)
PHRASING_WEIGHT = 0.6
DOCUMENT_WEIGHT = 0.4
# N-grams found in more than this share of the documents say little and cost much.
MAX_DOCUMENT_SHARE = 0.25


@dataclass(frozen=True)
class EntryDocuments:
    entry_id: str
    phrasings: tuple[str, ...]
    document: str


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float


def features(text: str) -> Counter[str]:
    """Character n-grams of the normalised text, and its Latin words whole."""
    norm = normalize(text)
    grams: Counter[str] = Counter()
    for word in norm.split():
        padded = f" {word} "
        for n in NGRAM_SIZES:
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
        if word.isascii() and len(word) > 2:
            grams["w:" + word] += 2
    return grams


def _weigh(grams: Counter[str], idf: dict[str, float], unseen: float = 0.0) -> dict[str, float]:
    """L2-normalised TF-IDF; `unseen` is the weight of n-grams no entry has.

    Counting unseen n-grams in a query's norm matters: "register a motorbike"
    must score lower than "register", because "motorbike" is nowhere in the FAQ.
    """
    vector = {g: (1.0 + math.log(c)) * idf.get(g, unseen) for g, c in grams.items()}
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {g: w / norm for g, w in vector.items()}


class _Postings:
    """An inverted index in flat arrays: for each n-gram, the documents holding it.

    A query's cosine with every document is then one gather and one bincount,
    instead of a Python loop over every posting.
    """

    def __init__(self, vectors: list[dict[str, float]], vocabulary: dict[str, int]) -> None:
        self.size = len(vectors)
        per_gram: list[list[tuple[int, float]]] = [[] for _ in vocabulary]
        for doc_id, vector in enumerate(vectors):
            for gram, weight in vector.items():
                per_gram[vocabulary[gram]].append((doc_id, weight))
        lengths = [len(p) for p in per_gram]
        self.starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        self.docs = np.fromiter((d for p in per_gram for d, _ in p), np.int32, sum(lengths))
        self.weights = np.fromiter((w for p in per_gram for _, w in p), np.float32, sum(lengths))

    def similarities(self, query: list[tuple[int, float]]) -> npt.NDArray[np.float64]:
        if not query:
            return np.zeros(self.size)
        slices = [slice(self.starts[g], self.starts[g + 1]) for g, _ in query]
        docs = np.concatenate([self.docs[s] for s in slices])
        weights = np.concatenate(
            [self.weights[s] * w for (_, w), s in zip(query, slices, strict=True)]
        )
        return np.bincount(docs, weights=weights, minlength=self.size).astype(np.float64)


class FaqIndex:
    def __init__(self, entries: Iterable[EntryDocuments]) -> None:
        self.entries = list(entries)
        phrasing_grams: list[Counter[str]] = []
        owners: list[int] = []
        for index, entry in enumerate(self.entries):
            for phrasing in entry.phrasings:
                phrasing_grams.append(features(phrasing))
                owners.append(index)
        entry_grams = [features(e.document) for e in self.entries]
        df: Counter[str] = Counter()
        for grams in (*phrasing_grams, *entry_grams):
            df.update(grams.keys())
        total = len(phrasing_grams) + len(entry_grams)
        limit = max(3, int(total * MAX_DOCUMENT_SHARE))
        self.idf = {g: math.log((1 + total) / (1 + n)) + 1.0 for g, n in df.items()}
        self.unseen_idf = math.log(1 + total) + 1.0
        indexed = [g for g, n in df.items() if n <= limit]
        self.vocabulary = {g: i for i, g in enumerate(indexed)}
        self._phrasings = _Postings(
            [self._indexed(_weigh(g, self.idf)) for g in phrasing_grams], self.vocabulary
        )
        self._documents = _Postings(
            [self._indexed(_weigh(g, self.idf)) for g in entry_grams], self.vocabulary
        )
        # Phrasings are stored entry by entry, so each entry's best one is a reduceat.
        self._owner_starts = np.searchsorted(np.asarray(owners), np.arange(len(self.entries)))

    def _indexed(self, vector: dict[str, float]) -> dict[str, float]:
        return {g: w for g, w in vector.items() if g in self.vocabulary}

    def search(self, query: str, top: int = 5) -> list[Hit]:
        weighted = _weigh(features(query), self.idf, self.unseen_idf)
        vector = [(self.vocabulary[g], w) for g, w in weighted.items() if g in self.vocabulary]
        if not vector:
            return []
        by_phrasing = self._phrasings.similarities(vector)
        best_phrasing = np.maximum.reduceat(by_phrasing, self._owner_starts)
        scores = PHRASING_WEIGHT * best_phrasing + DOCUMENT_WEIGHT * self._documents.similarities(
            vector
        )
        count = min(top, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        ranked = sorted(best, key=lambda i: (-scores[i], self.entries[i].entry_id))
        return [Hit(self.entries[i].entry_id, float(scores[i])) for i in ranked if scores[i] > 0]
