"""FAQ matching: normalisation of Khmer and English, ranking, decisions, content checks, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.faq.catalog import Catalog, Category, check, load_catalog
from bot.faq.index import EntryDocuments, FaqIndex, Hit
from bot.faq.normalize import is_khmer, normalize
from bot.faq.search import FaqSearch, Outcome, decide
from bot.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    return FaqSearch(load_catalog(), Translator())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ស្រ្ត", "ស្ត្រ"),  # coeng-ro before or after another coeng
        ("ស្ដី", "ស្តី"),  # coeng-da for coeng-ta
        ("\u1785\u17c1\u17b8\u1798", "\u1785\u17be\u1798"),  # split vowel typed in two parts
        ("យុទ្ធ\u200bសាស្ត្រ", "យុទ្ធសាស្ត្រ"),  # zero-width space
        ("យុទ្ធ សាស្ត្រ ជាតិ", "យុទ្ធសាស្ត្រជាតិ"),  # spaces between Khmer words
        ("ឆ្នាំ២០២៨។", "ឆ្នាំ2028"),  # Khmer digits, khan
        ("What IS  the OBR??", "what is the obr"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("soft\u00adhyphen", "softhyphen"),
    ],
)
def test_variants_normalise_to_one_form(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_khmer_detection() -> None:
    assert is_khmer("យុទ្ធសាស្ត្រ AI")
    assert not is_khmer("AI strategy")
    assert not is_khmer("123 ?")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("who is in charge of the AI strategy", "nais_lead"),
        ("អ្នកណាដឹកនាំការរៀបចំយុទ្ធសាស្ត្រ", "nais_lead"),
        ("how many companies registered on OBR", "obr_stats"),
        ("សហគ្រាសប៉ុន្មានបានចុះបញ្ជីតាមអនឡាញ", "obr_stats"),
        ("80 percent of services by 2028", "es_target"),
        ("when is the national workshop", "nais_events"),
        ("is my data private", "privacy"),
        ("how can the private sector take part", "nais_participate"),
        ("digital government committee", "es_committees"),
        ("digital government policy 2022-2035", "pol_dgp"),
        ("yuttasas AI chea avei", "nais_what"),
    ],
)
def test_known_questions_rank_first(search: FaqSearch, query: str, expected: str) -> None:
    assert search.search(query, top=1)[0].entry_id == expected


def test_scores_are_best_first_and_bounded(search: FaqSearch) -> None:
    hits = search.search("national AI strategy workshop", top=10)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1.0001 for s in scores)


@pytest.mark.parametrize("query", ["", "   ", "???", "\u200b\u200b", "។"])
def test_empty_queries_find_nothing(search: FaqSearch, query: str) -> None:
    assert search.decide(query).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    "query", ["what's the weather tomorrow", "best football team in europe", "ម្ហូបអាម៉ុកធ្វើយ៉ាងម៉េច"]
)
def test_unrelated_questions_are_not_answered(search: FaqSearch, query: str) -> None:
    assert not search.decide(query).answered


def test_decision_rules() -> None:
    assert decide([]).outcome is Outcome.NOTHING
    assert decide([Hit("a", 0.10)]).outcome is Outcome.NOTHING
    assert decide([Hit("a", 0.60), Hit("b", 0.20)]).outcome is Outcome.ANSWER
    close = decide([Hit("a", 0.40), Hit("b", 0.38), Hit("c", 0.30), Hit("d", 0.29)])
    assert close.outcome is Outcome.SUGGEST
    assert [h.entry_id for h in close.hits] == ["a", "b", "c"]


def test_unseen_words_lower_the_score() -> None:
    index = FaqIndex([EntryDocuments("reg", ("how to register",), "how to register online")])
    plain = index.search("how to register")[0].score
    diluted = index.search("how to register a motorbike")[0].score
    assert diluted < plain


def test_content_check_passes_on_the_real_catalogue() -> None:
    assert check(load_catalog(), Translator()) == []


def test_content_check_names_what_is_wrong() -> None:
    catalog = Catalog(
        (
            Category("strategy", ("nais_what", "nais_what", "Bad-Id", "ghost")),
            Category("nocat", ("nais_lead",)),
        ),
        {"nais_what": ("missing_related",)},
    )
    problems = "\n".join(check(catalog, Translator()))
    assert "duplicate entry id 'nais_what'" in problems
    assert "entry id 'Bad-Id' is not short lowercase ASCII" in problems
    assert "missing faq-ghost-q" in problems
    assert "missing faq-cat-nocat" in problems
    assert "related: unknown entry 'missing_related'" in problems


def test_every_required_topic_exists() -> None:
    required = {
        "nais_what", "nais_lead", "nais_escap", "nais_process", "nais_events", "nais_goal",
        "nais_participate", "nais_status", "es_what", "es_target", "es_committees",
        "es_which_services", "obr_how", "obr_stats", "pol_related", "pol_despf", "pol_dgp",
        "privacy", "contact_human", "bot_languages",
    }  # fmt: skip
    assert required <= set(load_catalog().entry_ids)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )


def test_cli_check_and_search_json_from_stdin() -> None:
    assert run_cli("faq", "check").returncode == 0
    result = run_cli(
        "faq", "search", "--json", "--stdin", "--top", "2",
        stdin="who leads the strategy\nweather in phnom penh\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["who leads the strategy", "weather in phnom penh"]
    assert lines[0]["answered"] is True
    assert lines[0]["results"][0]["id"] == "nais_lead"
    assert len(lines[0]["results"]) == 2
    assert lines[1]["answered"] is False
