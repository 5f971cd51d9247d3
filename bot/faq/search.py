"""From a typed question to what the bot does: answer, suggest, or pass it on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.faq.catalog import Catalog, answer_args, entry_text, plain
from bot.faq.index import EntryDocuments, FaqIndex, Hit
from bot.i18n import Translator

# Below this nothing is relevant; above ANSWER_SCORE with a clear lead, answer directly.
SUGGEST_SCORE = 0.16
ANSWER_SCORE = 0.30
# The best entry must lead the second by this much to be answered without asking.
ANSWER_MARGIN = 0.05
SUGGESTIONS = 3


class Outcome(Enum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    hits: list[Hit]

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWER


def decide(hits: list[Hit]) -> Decision:
    if not hits or hits[0].score < SUGGEST_SCORE:
        return Decision(Outcome.NOTHING, hits)
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if hits[0].score >= ANSWER_SCORE and hits[0].score - runner_up >= ANSWER_MARGIN:
        return Decision(Outcome.ANSWER, hits)
    return Decision(Outcome.SUGGEST, [h for h in hits[:SUGGESTIONS] if h.score >= SUGGEST_SCORE])


def entry_documents(catalog: Catalog, i18n: Translator) -> list[EntryDocuments]:
    """Both languages' phrasings of each entry: people mix scripts and languages."""
    args = answer_args(None, None)
    docs = []
    for entry_id in catalog.entry_ids:
        phrasings: list[str] = []
        answers: list[str] = []
        for language in i18n.languages:
            text = entry_text(i18n, language, entry_id, args)
            phrasings += [text.question, *text.alternatives]
            answers.append(plain(text.answer))
        docs.append(EntryDocuments(entry_id, tuple(phrasings), " ".join([*phrasings, *answers])))
    return docs


class FaqSearch:
    def __init__(self, catalog: Catalog, i18n: Translator) -> None:
        self.catalog = catalog
        self.index = FaqIndex(entry_documents(catalog, i18n))

    def search(self, query: str, top: int = 5) -> list[Hit]:
        return self.index.search(query, top=top)

    def decide(self, query: str) -> Decision:
        return decide(self.index.search(query, top=max(SUGGESTIONS, 5)))
