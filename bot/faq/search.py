"""From a typed question to what the bot does: answer, suggest, or pass it on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from bot.faq.catalog import Catalog, answer_args, entry_text, plain
from bot.faq.index import EntryDocuments, FaqIndex, Hit
from bot.faq.phrasings import Phrasings, for_entry, load_out_of_scope, load_phrasings
from bot.i18n import Translator


@dataclass(frozen=True)
class Policy:
    """When to answer, offer a second entry, suggest, or admit there is nothing.

    Tuned on the development set's tune split (bench/faq_tune.py).
    """

    # Below this similarity the question is about something else.
    suggest_evidence: float = 0.12
    # Answer when the best score reaches this and leads the second by the margin.
    answer_score: float = 0.21
    answer_margin: float = 0.03
    # Two entries both plausible and well ahead of the third: answer one, offer the other
    # (1.0 turns it off: on the tune split it answered wrong too often).
    pair_score: float = 1.0
    pair_margin: float = 0.10
    # A runner-up this close to the best is offered first among the related questions.
    related_share: float = 0.7
    # "Out of scope" scoring this share of the best entry's score: no direct answer.
    reject_share: float = 0.7
    # The classifier and the similarity must agree: the answer's similarity is at least this
    # share of the best similarity among the hits (a lone generic word names several entries).
    agreement: float = 0.85
    # When "out of scope" beats every entry, a list is still offered above this similarity
    # ("strategy" alone), and nothing below it ("the weather tomorrow").
    out_of_scope_evidence: float = 0.25


POLICY = Policy()
SUGGESTIONS = 3


class Outcome(Enum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    hits: list[Hit]
    # With an answer: the other plausible entry, offered first among the related questions.
    alternative: str | None = field(default=None)

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWER


def decide(hits: list[Hit], policy: Policy = POLICY, rejection: float = 0.0) -> Decision:
    """rejection: how much the question looks like the questions the FAQ does not answer."""
    # Little word overlap is enough when the classifier is sure ("AI strategy" alone).
    if not hits or (
        hits[0].evidence < policy.suggest_evidence and hits[0].score < policy.answer_score
    ):
        return Decision(Outcome.NOTHING, hits)
    best = hits[0].score
    suggestions = [h for h in hits[:SUGGESTIONS] if h.evidence >= policy.suggest_evidence]
    if rejection >= best:
        if hits[0].evidence < policy.out_of_scope_evidence:
            return Decision(Outcome.NOTHING, hits)
        return Decision(Outcome.SUGGEST, suggestions)
    agree = hits[0].evidence >= policy.agreement * max(h.evidence for h in hits)
    if rejection >= policy.reject_share * best or not agree:
        return Decision(Outcome.SUGGEST, suggestions)
    second = hits[1].score if len(hits) > 1 else 0.0
    third = hits[2].score if len(hits) > 2 else 0.0
    close = len(hits) > 1 and second >= policy.related_share * best
    runner_up = hits[1].entry_id if close else None
    if best >= policy.answer_score and best - second >= policy.answer_margin:
        return Decision(Outcome.ANSWER, hits, runner_up)
    if best >= policy.pair_score and second - third >= policy.pair_margin:
        return Decision(Outcome.ANSWER, hits, hits[1].entry_id)
    return Decision(Outcome.SUGGEST, suggestions)


def entry_documents(
    catalog: Catalog, i18n: Translator, phrasings: Phrasings | None = None
) -> list[EntryDocuments]:
    """Each entry's questions in every language and its phrasings: people mix languages."""
    phrasings = load_phrasings() if phrasings is None else phrasings
    args = answer_args(None, None)
    docs = []
    for entry_id in catalog.entry_ids:
        texts: list[str] = []
        answers: list[str] = []
        for language in i18n.languages:
            text = entry_text(i18n, language, entry_id, args)
            texts.append(text.question)
            answers.append(plain(text.answer))
        texts += for_entry(phrasings, entry_id)
        docs.append(EntryDocuments(entry_id, tuple(texts), " ".join(answers)))
    return docs


class FaqSearch:
    def __init__(
        self, catalog: Catalog, i18n: Translator, phrasings: Phrasings | None = None
    ) -> None:
        self.catalog = catalog
        self.index = FaqIndex(entry_documents(catalog, i18n, phrasings), load_out_of_scope())

    def search(self, query: str, top: int = 5) -> list[Hit]:
        return self.index.search(query, top=top)

    def decide(self, query: str) -> Decision:
        hits, rejection = self.index.rank(query, top=max(SUGGESTIONS, 5))
        return decide(hits, rejection=rejection)

    def learn(self, entry_id: str, text: str) -> None:
        """A moderator linked this question to the entry: the next one like it is answered."""
        self.index.learn(entry_id, text)
