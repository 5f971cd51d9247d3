"""The /stats figures as the admin reads them, in their language."""

from __future__ import annotations

from collections.abc import Callable

from bot.numbers import localized
from bot.replies import escape
from storage.stats import Figures

Translate = Callable[..., str]


def _pairs(t: Translate, lang: str, counts: dict[str, int], label: Callable[[str], str]) -> str:
    if not counts:
        return t("stats-none")
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{label(code)} {localized(n, lang)}" for code, n in ordered)


def _duration(t: Translate, lang: str, seconds: float | None) -> str:
    if seconds is None:
        return t("stats-none")
    hours = seconds / 3600
    if hours < 1:
        return t("stats-minutes", n=localized(max(1, round(seconds / 60)), lang))
    if hours < 48:
        return t("stats-hours", n=localized(f"{round(hours, 1):g}", lang))
    return t("stats-days", n=localized(f"{round(hours / 24, 1):g}", lang))


def _label(t: Translate, has: Callable[[str], bool], *prefixes: str) -> Callable[[str], str]:
    """The code's name from the first locale prefix that has one, else the code itself."""

    def label(code: str) -> str:
        for prefix in prefixes:
            if has(f"{prefix}{code}"):
                return t(f"{prefix}{code}")
        return escape(code)

    return label


def figures_text(
    t: Translate,
    has: Callable[[str], bool],
    lang: str,
    figures: Figures,
    faq_question: Callable[[str], str],
) -> str:
    def n(value: int) -> str:
        return localized(value, lang)

    top_answers = "\n".join(
        f"  {n(i)}. {escape(faq_question(entry))} — {n(count)}"
        for i, (entry, count) in enumerate(figures.top_answers, 1)
    ) or "  " + t("stats-none")
    unanswered = "\n".join(
        f"  {n(i)}. {escape(question[:120])} — {n(count)}"
        for i, (question, count) in enumerate(figures.top_unanswered, 1)
    ) or "  " + t("stats-none")
    return (
        t(
            "stats-text",
            people=n(figures.people),
            languages=_pairs(t, lang, figures.by_language, _label(t, has, "lang-name-", "stats-")),
            active7=n(figures.active_7),
            active30=n(figures.active_30),
            blocked=n(figures.blocked),
            kinds=_pairs(t, lang, figures.registrations_by_kind, _label(t, has, "reg-kind-")),
            statuses=_pairs(t, lang, figures.registrations_by_status, _label(t, has, "stats-reg-")),
            submissions=_pairs(
                t, lang, figures.submissions_by_status, _label(t, has, "stats-sub-")
            ),
            topics=_pairs(
                t,
                lang,
                figures.submissions_by_topic,
                _label(t, has, "topic-", "reg-interest-", "stats-"),
            ),
            subscribers=_pairs(t, lang, figures.subscribers_by_topic, _label(t, has, "sub-topic-")),
            median=_duration(t, lang, figures.median_decision_seconds),
            helpful=n(figures.helpful),
            unhelpful=n(figures.unhelpful),
        )
        + f"\n\n{t('stats-top-answers')}\n{top_answers}"
        + f"\n\n{t('stats-top-unanswered')}\n{unanswered}"
    )
