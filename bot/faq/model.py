"""A multinomial logistic regression over the phrasings' features, trained with numpy at load.

Similarity finds the phrasing that looks most like a question; the classifier learns which
features tell entries apart ("why" against "what", a company's registration against this
bot's). Its weights live only where a feature occurs in an entry's phrasings (the support),
so a feature costs as many weights as entries that use it, not one per entry; training is
full-batch Adam on that support.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.floating[Any]]
Ints = npt.NDArray[np.signedinteger[Any]]

ITERATIONS = 60
# Features found in the phrasings of more than this share of the entries are left out.
MAX_SUPPORT_SHARE = 0.7
LEARNING_RATE = 0.5
L2 = 1e-4
# Training touches (feature occurrences x entries sharing the feature) values per step; above
# this many the classifier trains fewer steps, so that a huge catalogue still loads quickly.
WORK_BUDGET = 200_000_000


def weighted_count(index: Ints, weights: Floats, size: int) -> Floats:
    """The sum of the weights at each index: np.bincount, typed as the floats it returns."""
    return np.bincount(index, weights, size).astype(np.float64, copy=False)


def starts_of(sorted_cols: Ints, n_cols: int) -> npt.NDArray[np.int32]:
    """Where each column's run begins in an array sorted by column (and one past the end)."""
    starts = np.zeros(n_cols + 1, np.int32)
    np.cumsum(np.bincount(sorted_cols, minlength=n_cols), out=starts[1:])
    return starts


def gather_ranges(starts: Ints, ends: Ints) -> tuple[Ints, Ints]:
    """Every index in [starts[i], ends[i]) and the i it came from, without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    origin = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) - offsets[origin] + starts[origin], origin


def spread(first: Ints, lengths: Ints, values: Floats) -> tuple[Ints, Floats]:
    """gather_ranges() for a question's few ranges, in fewer passes: every index of the
    ranges that begin at first, and the value of the range each comes from."""
    ends = lengths.cumsum()
    # A range's indices are their places in the result, shifted by where the range begins.
    index = (first - ends + lengths).repeat(lengths)
    index += np.arange(len(index))
    return index, values.repeat(lengths)


def gather_ranges_lean(starts: Ints, ends: Ints) -> tuple[Ints, Ints]:
    """gather_ranges() with no other array of the result's size than the two it returns:
    more steps, for training's millions of indices rather than a question's few."""
    lengths = ends - starts
    total = int(lengths.sum())
    origin = np.repeat(np.arange(len(starts), dtype=np.int64), lengths)
    if not total:
        return np.zeros(0, np.int64), origin
    # Each index is the one before plus one, except where a range begins: a cumulative sum.
    nonempty = lengths > 0
    begins, stops = starts[nonempty], ends[nonempty]
    index = np.ones(total, np.int64)
    jumps = begins.astype(np.int64)
    jumps[1:] -= stops[:-1] - 1
    index[np.cumsum(lengths[nonempty]) - lengths[nonempty]] = jumps
    np.cumsum(index, out=index)
    return index, origin


class Classifier:
    def __init__(
        self,
        rows: Ints,
        cols: Ints,
        values: Floats,
        labels: Ints,
        n_classes: int,
        n_features: int,
    ) -> None:
        """rows, cols and values sorted by column, then row; rows grouped by label."""
        self.n_classes = n_classes
        self.bias = np.zeros(n_classes)
        cells = cols * n_classes + labels[rows]
        first = np.ones(len(cells), bool)
        first[1:] = cells[1:] != cells[:-1]
        # A feature most entries share tells them apart little and costs the most to train.
        shared_by = np.bincount(cols[first], minlength=n_features)
        specific = shared_by <= max(2, int(MAX_SUPPORT_SHARE * n_classes))
        # Each step touches every occurrence of a feature once per entry that uses it.
        expanded = int((np.bincount(cols, minlength=n_features) * shared_by)[specific].sum())
        self.iterations = min(ITERATIONS, WORK_BUDGET // (expanded * 4)) if expanded else 0
        if not self.iterations:
            # Untrained, the classifier says nothing (probabilities() is uniform).
            self.support_class = np.zeros(0, np.int32)
            self.feature_starts = np.zeros(n_features + 1, np.int32)
            self.weights = np.zeros(0)
            return
        keep = specific[cols]
        rows, cols, values, cells = rows[keep], cols[keep], values[keep], cells[keep]
        support = cells[first[keep]]
        del cells
        self.support_class = (support % n_classes).astype(np.int32)
        support_feature = support // n_classes
        self.feature_starts = starts_of(support_feature, n_features)
        self.weights = np.zeros(len(support))
        self._train(rows, cols, values, labels, support_feature)

    def _train(
        self, rows: Ints, cols: Ints, values: Floats, labels: Ints, support_feature: Ints
    ) -> None:
        """Full-batch Adam over (weight, occurrence of its feature) pairs, grouped by weight.

        The pairs are laid out once, as three arrays, and every step reuses one buffer.
        """
        occurrences = starts_of(cols, len(self.feature_starts) - 1)
        first = occurrences[support_feature].astype(np.int64)
        lengths = occurrences[support_feature + 1] - first
        occurrence, owner = gather_ranges_lean(first, first + lengths)
        n_rows = int(rows.max()) + 1
        k = self.n_classes
        # Pair e: weight owner[e] times the value of occurrence[e], added to logit cell[e];
        # the pairs of one weight are consecutive.
        cell = rows[occurrence]
        cell *= k
        cell += self.support_class[owner]
        x = np.asarray(values, np.float64)[occurrence]
        del occurrence
        # Every weight has at least one pair: where each weight's pairs begin.
        bounds = np.zeros(len(lengths), np.int64)
        np.cumsum(lengths[:-1], out=bounds[1:])
        buffer = np.empty(len(x))
        target = np.zeros((n_rows, k))
        target[np.arange(n_rows), labels[:n_rows]] = 1.0
        moments: list[Floats] = [np.zeros_like(self.weights), np.zeros_like(self.weights)]
        bias_moments: list[Floats] = [np.zeros(k), np.zeros(k)]
        for step in range(1, self.iterations + 1):
            # One buffer for every step (mode="clip": np.take buffers `out` otherwise).
            np.take(self.weights, owner, out=buffer, mode="clip")
            buffer *= x
            logits = weighted_count(cell, buffer, n_rows * k)
            gradient = _softmax(logits.reshape(n_rows, k) + self.bias) - target
            gradient /= n_rows
            np.take(gradient.ravel(), cell, out=buffer, mode="clip")
            buffer *= x
            grad_w: Floats = np.add.reduceat(buffer, bounds)
            grad_w += L2 * self.weights
            self.weights -= _adam(grad_w, moments, step)
            self.bias -= _adam(gradient.sum(axis=0), bias_moments, step)

    def hand_over(self) -> tuple[Ints, Ints, Floats, int]:
        """The weights as (class, feature, weight, how many classes), sorted by feature, for
        the FAQ index to sum a question's with its other lookups (see probabilities()); the
        classifier keeps only its bias."""
        lengths = np.diff(self.feature_starts)
        features = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        support = (self.support_class, features, self.weights, self.n_classes)
        self.support_class = np.zeros(0, np.int32)
        self.feature_starts = np.zeros(1, np.int32)
        self.weights = np.zeros(0)
        return support

    def probabilities(self, sums: Floats) -> Floats:
        """Each class's probability, from the sums of a question's feature values x the
        class's weights of the features."""
        if self.iterations == 0:
            return np.full(self.n_classes, 1.0 / max(1, self.n_classes))
        result: Floats = _softmax((self.bias + sums)[None, :])[0]
        return result


def _softmax(logits: Floats) -> Floats:
    shifted: Floats = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: Floats = shifted / shifted.sum(axis=1, keepdims=True)
    return result


def _adam(gradient: Floats, moments: list[Floats], step: int) -> Floats:
    beta1, beta2 = 0.9, 0.999
    moments[0] = beta1 * moments[0] + (1 - beta1) * gradient
    moments[1] = beta2 * moments[1] + (1 - beta2) * gradient * gradient
    first = moments[0] / (1 - beta1**step)
    second = moments[1] / (1 - beta2**step)
    update: Floats = LEARNING_RATE * first / (np.sqrt(second) + 1e-8)
    return update
