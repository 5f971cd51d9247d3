"""FAQ matching: normalisation of Khmer and English, ranking, decisions, content checks, CLI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from khmerspell import khnormal

from bot.faq.catalog import Catalog, Category, check, load_catalog
from bot.faq.features import default_lexicon
from bot.faq.index import EntryDocuments, FaqIndex, Hit
from bot.faq.normalize import _KHMER_RUN, canonical_khmer, is_khmer, normalize
from bot.faq.phrasing_check import check_phrasings
from bot.faq.phrasings import dump, load_phrasings, parse
from bot.faq.search import FaqSearch, Outcome, Policy, decide
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


def test_khmer_is_made_canonical_syllable_by_syllable_as_khnormal_does_it_whole() -> None:
    phrasings = load_phrasings()
    texts = [p for by_entry in phrasings.values() for ps in by_entry.values() for p in ps]
    texts += ["ស្រ្តី", "ស្ត្រី", "\u1785\u17c1\u17b8\u1798", "ក៏\u17d2\u179a", "ញុំ", "ប៊ុយ"]
    runs = [m.group(0) for t in texts for m in _KHMER_RUN.finditer(t)]
    assert len(runs) > 100
    assert [canonical_khmer(r) for r in runs] == [khnormal(r) for r in runs]


def test_the_lexicon_names_one_concept_in_three_ways() -> None:
    lexicon = default_lexicon()

    def concepts(text: str) -> set[str]:
        return {lexicon.concepts[c] for c in lexicon.concept_ids(normalize(text))}

    assert {"strategy", "ai"} <= concepts("យុទ្ធសាស្ត្របញ្ញាសិប្បនិម្មិត")
    assert {"strategy", "ai"} <= concepts("yuthsas AI")
    assert {"strategy", "ai"} <= concepts("the artificial intelligence strategy")
    assert {"how", "want", "question_particle", "me"} <= concepts("knhom jg deng yg mech te")
    assert "ai" not in concepts("email")  # Latin forms match whole words only


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
    policy = Policy(
        suggest_evidence=0.16, answer_score=0.30, answer_margin=0.05, pair_score=0.30,
        pair_margin=0.10, related_share=0.7, reject_share=0.8,
    )  # fmt: skip
    assert decide([], policy).outcome is Outcome.NOTHING
    assert decide([Hit("a", 0.10)], policy).outcome is Outcome.NOTHING
    clear = decide([Hit("a", 0.60), Hit("b", 0.20)], policy)
    assert clear.outcome is Outcome.ANSWER and clear.alternative is None
    # A close runner-up is offered under the answer.
    close_second = decide([Hit("a", 0.60), Hit("b", 0.50), Hit("c", 0.10)], policy)
    assert close_second.outcome is Outcome.ANSWER and close_second.alternative == "b"
    # Two plausible entries well ahead of the rest: answer the first, offer the second.
    pair = decide([Hit("a", 0.42), Hit("b", 0.40), Hit("c", 0.10)], policy)
    assert pair.outcome is Outcome.ANSWER and pair.alternative == "b"
    close = decide([Hit("a", 0.40), Hit("b", 0.38), Hit("c", 0.36), Hit("d", 0.29)], policy)
    assert close.outcome is Outcome.SUGGEST
    assert [h.entry_id for h in close.hits] == ["a", "b", "c"]
    # Looking like the questions the FAQ does not answer: no direct answer.
    rejected = decide([Hit("a", 0.60), Hit("b", 0.20)], policy, rejection=0.50)
    assert rejected.outcome is Outcome.SUGGEST


def test_unseen_words_lower_the_score() -> None:
    index = FaqIndex([EntryDocuments("reg", ("how to register",), "register online")])
    plain = index.search("how to register")[0].score
    diluted = index.search("how to register a motorbike")[0].score
    assert diluted < plain


def test_content_check_passes_on_the_real_catalogue() -> None:
    assert check(load_catalog(), Translator()) == []
    assert check_phrasings(load_catalog(), Translator(), load_phrasings()) == []


def test_phrasing_check_fails_on_a_phrasing_closer_to_another_entry() -> None:
    phrasings = copy.deepcopy(load_phrasings())
    planted = "how many companies have registered on the online business registration platform"
    phrasings["en"]["privacy"].append(planted)
    problems = check_phrasings(load_catalog(), Translator(), phrasings)
    assert problems == [
        next(p for p in problems if p.startswith(f"privacy: {planted!r} is closer to obr_stats"))
    ]


def test_phrasing_check_names_duplicates_scripts_counts_and_unknown_entries() -> None:
    phrasings = copy.deepcopy(load_phrasings())
    phrasings["en"]["bot_languages"].append(phrasings["en"]["nais_what"][0].upper() + " ?")
    phrasings["rom"]["privacy"].append("ទិន្នន័យ")
    phrasings["km"]["ghost"] = ["ខ្មោច"]
    phrasings["rom"]["obr_how"] = phrasings["rom"]["obr_how"][:3]
    problems = "\n".join(check_phrasings(load_catalog(), Translator(), phrasings))
    assert (
        "phrasings/en.toml: bot_languages: " in problems and "duplicates en/nais_what" in problems
    )
    assert "phrasings/rom.toml: privacy: 'ទិន្នន័យ' is not in rom script" in problems
    assert "phrasings/km.toml: unknown entry 'ghost'" in problems
    assert "phrasings/rom.toml: obr_how: 3 phrasings, at least 15 wanted" in problems


def test_phrasings_round_trip_through_the_data_format() -> None:
    data = {"privacy": ['is my "data" safe', "ទិន្នន័យ\\ខ្ញុំ"], "obr_how": []}
    assert parse(dump(data, "a header"), "x") == data


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The issue's own examples: questions no phrasing names.
        ("AIអាចជួយកសិករបានអ្វីខ្លះ", "nais_why"),
        ("បូតនេះរក្សាទុកលេខទូរស័ព្ទខ្ញុំអត់", "privacy"),
        # Registering a company is not registering in this bot.
        ("how do I register my small business online", "obr_how"),
        # Context words must not outweigh the question.
        (
            "Good morning, I work for an NGO in Siem Reap and we are preparing a note for our"
            " partners, so could you tell me which ministry is leading the AI strategy?",
            "nais_lead",
        ),
        # Chat shortcuts in romanized Khmer.
        ("knhom jg chos chmos knong bot yg mech", "part_register"),
        ("yuthsas AI chea avei", "nais_what"),
    ],
)
def test_the_issues_examples_are_answered_by_the_right_entry(
    search: FaqSearch, query: str, expected: str
) -> None:
    decision = search.decide(query)
    assert decision.outcome is Outcome.ANSWER
    assert decision.hits[0].entry_id == expected


@pytest.mark.parametrize("query", ["AI strategy", "national AI strategy", "យុទ្ធសាស្ត្រ AI"])
def test_the_strategys_own_name_alone_is_answered(search: FaqSearch, query: str) -> None:
    # Two words share little with any phrasing, but the classifier is sure: no "nothing found".
    decision = search.decide(query)
    assert decision.outcome is Outcome.ANSWER
    assert decision.hits[0].entry_id == "nais_what"


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
