"""The FAQ index's build works on all texts at once: the same features as text by text, arrays
as long as the features seen, and learned phrasings that match even with words never seen."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from khmerspell import khnormal

from bot.faq.catalog import load_catalog
from bot.faq.features import analyse, analyse_one, default_lexicon
from bot.faq.index import (
    FEATURE_BUCKETS,
    LEARNED_MATCH,
    EntryDocuments,
    FaqIndex,
    Hit,
    _Joint,
    fuse,
)
from bot.faq.model import gather_ranges, gather_ranges_lean, starts_of, weighted_count
from bot.faq.normalize import canonical_khmer, normalize, normalize_many
from bot.faq.phrasings import load_phrasings
from bot.faq.search import FaqSearch, decide
from bot.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent

_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")


def one_by_one(text: str) -> str:
    """Normalisation as it was written before texts were batched: one text, step by step."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e]", "", text).casefold()
    text = re.sub("[០-៩]", lambda m: str(ord(m.group(0)) - ord("០")), text)
    for variant, canonical in (("\u17c1\u17b8", "\u17be"), ("\u17c1\u17b6", "\u17c4")):
        text = text.replace(variant, canonical)
    text = text.replace("\u17d2\u178a", "\u17d2\u178f")
    text = _KHMER_RUN.sub(lambda m: canonical_khmer(m.group(0)), text)
    text = re.sub(r"[\u17d4-\u17da\u17dc]", " ", text)
    text = re.sub(r"[^\w\u1780-\u17dd\u19e0-\u19ff]+", " ", text).replace("_", " ")
    text = re.sub(r"(?<=[\u1780-\u17dd]) +(?=[\u1780-\u17dd])", "", text)
    return " ".join(text.split())


def concepts_word_by_word(normalized: str) -> list[int]:
    """The lexicon's concepts as they were found before: Khmer forms, then each word."""
    lexicon = default_lexicon()
    found = []
    if lexicon.khmer is not None:
        found += [lexicon.khmer_forms[m.group(0)] for m in lexicon.khmer.finditer(normalized)]
    words = normalized.split()
    longest = max(len(form.split()) for form in lexicon.latin_forms)
    for i, word in enumerate(words):
        if word in lexicon.latin_forms:
            found.append(lexicon.latin_forms[word])
        for n in range(2, min(longest, len(words) - i) + 1):
            phrase = " ".join(words[i : i + n])
            if " " in phrase and phrase in lexicon.latin_forms:
                found.append(lexicon.latin_forms[phrase])
    return sorted(found)


def real_texts() -> list[str]:
    texts = [p for by_entry in load_phrasings().values() for ps in by_entry.values() for p in ps]
    for name in ("faq_dev_tune.jsonl", "faq_dev_test.jsonl"):
        lines = (ROOT / "bench" / name).read_text("utf-8").splitlines()
        texts += [json.loads(line)["query"] for line in lines if line.strip()]
    return texts


CHARACTERS = st.sampled_from(
    list("aZ_ 9é!ß\t\n\r\u00a0\u2028\u200b\u200dｆİ")
    + list("កខសរតដ\u17d2\u17c1\u17b8\u17b6\u17bb\u17c9\u17cb\u17d0\u17b7\u17d4\u17e0\u17e5\u17a5")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(CHARACTERS, max_size=12), max_size=6))
def test_normalising_many_texts_at_once_is_normalising_each_alone(texts: list[str]) -> None:
    assert normalize_many(texts) == [one_by_one(t) for t in texts]
    assert [normalize(t) for t in texts] == [one_by_one(t) for t in texts]


BASES = [chr(c) for c in [*range(0x1780, 0x17A3), *range(0x17A5, 0x17B4)]]
NOT_BASES = [chr(c) for c in [0x17A3, 0x17A4, *range(0x17B4, 0x1800), *range(0x19E0, 0x1A00)]]


def test_khnormal_leaves_syllables_of_one_or_two_characters_as_they_are() -> None:
    # Normalisation asks khnormal only about longer syllables that start with a base.
    short = BASES + [base + other for base in BASES for other in NOT_BASES]
    assert [khnormal(s) for s in short] == short


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(NOT_BASES), st.lists(st.sampled_from(NOT_BASES + BASES), max_size=6))
def test_khnormal_leaves_a_syllable_without_a_base_as_it_is(first: str, rest: list[str]) -> None:
    # Inside a syllable, a base after a coeng is a subscript, not a base.
    text = first + "".join(rest)
    for piece in re.findall(
        "[\u1780-\u17ff\u19e0-\u19ff]"
        "(?:[\u17a3\u17a4\u17b4-\u17ff\u19e0-\u19ff]|(?<=\u17d2)[\u1780-\u17a2\u17a5-\u17b3])*",
        text,
    ):
        if piece[0] in NOT_BASES:
            assert khnormal(piece) == piece


def test_the_real_texts_normalise_as_one_by_one_and_find_the_same_concepts() -> None:
    texts = real_texts()
    normalized = normalize_many(texts)
    assert normalized == [one_by_one(t) for t in texts]
    lexicon = default_lexicon()
    assert [sorted(lexicon.concept_ids(n)) for n in normalized] == [
        concepts_word_by_word(n) for n in normalized
    ]


def test_analysing_texts_together_finds_what_each_has_alone() -> None:
    texts = [*real_texts()[::7], "", "Good morning, thank you", "ជម្រាបសួរ", "a\nb national ai"]
    rows, keys = analyse(texts)
    for index, text in enumerate(texts):
        alone_rows, alone_keys = analyse([text])
        assert (alone_rows == 0).all()
        assert sorted(alone_keys.tolist()) == sorted(keys[rows == index].tolist()), text


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4)), max_size=8))
def test_gathering_ranges_lists_every_index_of_every_range(ranges: list[tuple[int, int]]) -> None:
    starts = np.array([s for s, _ in ranges], np.int64)
    ends = np.array([s + n for s, n in ranges], np.int64)
    for gather in (gather_ranges, gather_ranges_lean):
        index, origin = gather(starts, ends)
        assert index.tolist() == [j for s, n in ranges for j in range(s, s + n)]
        assert origin.tolist() == [i for i, (_, n) in enumerate(ranges) for _ in range(n)]


def test_the_index_holds_arrays_as_long_as_the_features_it_has_seen() -> None:
    index = FaqIndex(
        [
            EntryDocuments("reg", ("how to register", "sign up in the bot"), "register online"),
            EntryDocuments("lead", ("who leads the strategy",), "the ministry leads it"),
        ],
        ["the weather tomorrow"],
    )
    features = len(index.vocabulary)
    assert 0 < features < 1000
    assert len(index.idf) == len(index.indexed) == features
    arrays = [
        value
        for holder in (index, index._postings, index.model)
        for value in vars(holder).values()
        if isinstance(value, np.ndarray)
    ]
    assert max(len(a) for a in arrays) < FEATURE_BUCKETS // 100
    assert sum(a.nbytes for a in arrays) < 100_000
    assert index.search("how do I register")[0].entry_id == "reg"


def test_a_learned_phrasing_of_words_never_seen_matches_the_next_time() -> None:
    index = FaqIndex(
        [
            EntryDocuments("reg", ("how to register",), "register online"),
            EntryDocuments("lead", ("who leads the strategy",), "the ministry leads it"),
        ]
    )
    question = "zorblax quindle frumption"
    assert all(hit.score < 0.1 for hit in index.search(question))
    index.learn("lead", question)
    hits = index.search(question)
    assert hits[0].entry_id == "lead" and hits[0].score >= LEARNED_MATCH
    index.learn("reg", "wibbly sign thing")
    assert index.search(question)[0].entry_id == "lead"
    assert index.search("wibbly sign thing")[0].entry_id == "reg"


def test_an_index_of_nothing_finds_nothing() -> None:
    index = FaqIndex([])
    assert index.search("how to register") == []
    assert index.rank("") == ([], 0.0)


def test_a_large_vocabulary_numbers_features_by_table_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = [
        EntryDocuments("reg", ("how to register", "sign up in the bot"), "register online"),
        EntryDocuments("lead", ("who leads the strategy",), "the ministry leads it"),
    ]
    questions = ["how do I register", "who leads it", "weather tomorrow", "", "ចុះឈ្មោះ"]
    searched = FaqIndex(entries)
    monkeypatch.setattr("bot.faq.index.TABLE_LOOKUP_FEATURES", 0)
    tabled = FaqIndex(entries)
    assert searched._place is None and tabled._place is not None
    for question in questions:
        assert tabled.search(question) == searched.search(question)


def bench_questions() -> list[str]:
    questions = []
    for name in ("faq_dev_tune.jsonl", "faq_dev_test.jsonl", "faq_eval.jsonl"):
        lines = (ROOT / "bench" / name).read_text("utf-8").splitlines()
        questions += [json.loads(line)["query"] for line in lines if line.strip()]
    return questions


def typo(text: str) -> str:
    """The text with two neighbouring characters swapped in every word of four or more."""
    return " ".join(w[:1] + w[2] + w[1] + w[3:] if len(w) > 3 else w for w in text.split(" "))


def questions_of_every_kind() -> list[str]:
    questions = bench_questions()
    khmer = [q for q in questions if _KHMER_RUN.search(q)]
    assert len(khmer) > 100
    return [
        *questions,
        *(q.replace(" ", "") for q in khmer),
        *(typo(q) for q in questions[::3]),
        *("\u200b".join(q.split(" ")) for q in khmer[::5]),
        ("who leads the AI strategy? " * 40)[:1000],
        ("តើនរណាដឹកនាំយុទ្ធសាស្ត្រ AI ជាតិ ? " * 40)[:1000],
        " ".join(questions)[:1000],
        *["", " ", "\n\t ", "?!", "😀🎉", "😀 😀", "a", "ai", "AI strategy", "ជម្រាបសួរ", "៣"],
    ]


def reference(index: FaqIndex, question: str, top: int = 5) -> tuple[list[Hit], float]:
    """rank() as the batched path scores a question: features by analyse(), np.unique and a
    lookup by gather_ranges(); entries ranked by sorting all of them."""
    similarity, probability, coverage = index.components(question)
    fused = fuse(similarity, probability, coverage)
    rejection = float(fused[-1])
    ids = [e.entry_id for e in index.entries]
    order = sorted(range(len(ids)), key=lambda i: (-fused[i], ids[i]))[:top]
    hits = [
        Hit(ids[i], float(fused[i]), float(similarity[i]), float(probability[i]))
        for i in order
        if fused[i] > 0
    ]
    return hits, rejection


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    return FaqSearch(load_catalog(), Translator())


def test_a_typed_question_scores_exactly_as_by_the_batched_path(search: FaqSearch) -> None:
    index = search.index
    questions = questions_of_every_kind()
    for question in questions:
        assert sorted(analyse_one(question).tolist()) == sorted(analyse([question])[1].tolist())
        fast, batched = index._question(question), index._vector(question)
        for got, want in zip(vars(fast).values(), vars(batched).values(), strict=True):
            assert got.dtype == want.dtype and np.array_equal(got, want), question
        similarity, probability, coverage = index.components(question)
        scores = index.scores(question)
        want = (fuse(similarity, probability, coverage), similarity, probability)
        for got, expected in zip(scores, want, strict=True):
            assert got.dtype == expected.dtype and np.array_equal(got, expected), question


def test_a_typed_question_is_decided_as_by_the_batched_path(search: FaqSearch) -> None:
    answered = 0
    for question in questions_of_every_kind():
        hits, rejection = reference(search.index, question)
        assert search.index.rank(question) == (hits, rejection), question
        decision = search.decide(question)
        assert decision == decide(hits, rejection=rejection), question
        answered += decision.answered
    assert answered > 500


@pytest.mark.parametrize(
    ("setting", "rows", "weights"),
    [
        ("bot.faq.index.SMALL_ROWS", np.int32, np.float64),
        ("bot.faq.model.WORK_BUDGET", np.int16, np.float32),
    ],
)
def test_an_index_of_many_rows_or_no_classifier_scores_as_by_the_batched_path(
    monkeypatch: pytest.MonkeyPatch, setting: str, rows: type, weights: type
) -> None:
    """Rows numbered in 32 bits, as in a large catalogue; float32 weights, as with a
    classifier too large to train."""
    entries = [
        EntryDocuments("reg", ("how to register", "sign up in the bot"), "register online"),
        EntryDocuments("lead", ("who leads the strategy",), "the ministry leads it"),
    ]
    usual = FaqIndex(entries, ["the weather tomorrow"])
    assert (usual._postings.docs.dtype, usual._postings.weights.dtype) == (np.int16, np.float64)
    monkeypatch.setattr(setting, 0)
    index = FaqIndex(entries, ["the weather tomorrow"])
    assert (index._postings.docs.dtype, index._postings.weights.dtype) == (rows, weights)
    for question in ["how do I register", "who leads it", "weather tomorrow", "", "ចុះឈ្មោះ"]:
        assert index.rank(question) == reference(index, question)
        similarity, probability, coverage = index.components(question)
        want = (fuse(similarity, probability, coverage), similarity, probability)
        for got, expected in zip(index.scores(question), want, strict=True):
            assert np.array_equal(got, expected)
        if rows is np.int32:
            assert index.rank(question) == usual.rank(question)


def random_part(
    rng: np.random.Generator, size: int, n_cols: int, count: int, dtype: type
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.floating[Any]], int]:
    """An inverted index's (rows, cols, weights, size): each (row, col) once, by column."""
    cells = np.unique(rng.integers(0, size * n_cols, count))
    cols, rows = np.divmod(cells, size)
    return rows, cols, rng.random(len(cells)).astype(dtype), size


@pytest.mark.parametrize("seed", range(6))
def test_the_joint_index_sums_each_part_as_its_own_index_would(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_cols = 50
    parts = [
        random_part(rng, 40, n_cols, 600, np.float32),
        random_part(rng, 7, n_cols, 150, np.float32),
        # The classifier's float64 weights, or none when it is not trained.
        random_part(rng, 7, n_cols, 0 if seed % 2 else 100, np.float64),
    ]
    joint = _Joint(parts, n_cols)
    for _ in range(20):
        cols = np.unique(rng.integers(0, n_cols, rng.integers(0, 30)))
        weights = rng.random(len(cols))
        want = []
        for rows, part_cols, part_weights, size in parts:
            starts = starts_of(part_cols, n_cols)
            index, origin = gather_ranges(starts[cols], starts[cols + 1])
            products = part_weights[index] * weights[origin]
            want.append(weighted_count(rows[index], products, size))
        for got in (joint.sums(cols, weights), joint.sums_one(cols, weights)):
            assert len(got) == len(want)
            for part, expected in zip(got, want, strict=True):
                assert part.dtype == expected.dtype and np.array_equal(part, expected)
