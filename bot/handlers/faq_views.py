"""What each FAQ screen says and which buttons it carries, in the reader's language."""

from __future__ import annotations

from urllib.parse import quote

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import FaqAnswer, FaqAskTeam, FaqCategory, FaqVote, MenuButton
from bot.context import BotContext
from bot.faq.catalog import EntryText, answer_args, entry_text, plain
from bot.faq.index import Hit
from bot.keyboards import button, home_row

DEEP_LINK_PREFIX = "faq_"


def text_of(context: BotContext, entry_id: str, language: str | None = None) -> EntryText:
    settings = context.settings
    args = answer_args(settings.obr_url, settings.contact_email)
    return entry_text(context.bot_data.i18n, language or context.lang, entry_id, args)


def categories(context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [button(context, f"faq-cat-{c.id}", FaqCategory(c.id).pack())]
        for c in context.bot_data.faq.catalog.categories
    ]
    rows.append(home_row(context))
    return context.t("faqui-categories"), InlineKeyboardMarkup(rows)


def category(context: BotContext, category_id: str) -> tuple[str, InlineKeyboardMarkup] | None:
    found = context.bot_data.faq.catalog.category(category_id)
    if found is None:
        return None
    rows = [
        [InlineKeyboardButton(text_of(context, e).question, callback_data=FaqAnswer(e).pack())]
        for e in found.entries
    ]
    rows.append(home_row(context, back=MenuButton("faq").pack()))
    title = f"<b>{context.t(f'faq-cat-{category_id}')}</b>\n\n{context.t('faqui-pick-question')}"
    return title, InlineKeyboardMarkup(rows)


def deep_link(bot_username: str, entry_id: str) -> str:
    return f"https://t.me/{bot_username}?start={DEEP_LINK_PREFIX}{entry_id}"


def answer_body(context: BotContext, entry_id: str, language: str | None = None) -> str:
    text = text_of(context, entry_id, language)
    return f"<b>{text.question}</b>\n\n{text.answer}"


# Rendered answers kept per language; above this many the cache starts again, so a huge
# catalogue with many alternatives cannot grow it without bound.
MAX_CACHED_ANSWERS = 4096


def answer(
    context: BotContext, entry_id: str, *, ask_feedback: bool, alternative: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """alternative: another entry the question may have meant, offered first.

    An answer screen depends only on the entry, the language and these choices (the catalogue,
    translations, settings and the bot's name are fixed once it runs), so it is rendered once.
    """
    cache = context.bot_data.answer_screens
    key = (context.lang, entry_id, ask_feedback, alternative)
    screen = cache.get(key)
    if screen is None:
        if len(cache) >= MAX_CACHED_ANSWERS:
            cache.clear()
        screen = cache[key] = _render_answer(context, entry_id, ask_feedback, alternative)
    return screen


def _render_answer(
    context: BotContext, entry_id: str, ask_feedback: bool, alternative: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    faq = context.bot_data.faq
    rows: list[list[InlineKeyboardButton]] = []
    if ask_feedback:
        rows.append(
            [
                button(context, "faqui-vote-yes", FaqVote(entry_id, helpful=True).pack()),
                button(context, "faqui-vote-no", FaqVote(entry_id, helpful=False).pack()),
            ]
        )
    related_entries = [alternative] if alternative and alternative != entry_id else []
    related_entries += [r for r in faq.catalog.related.get(entry_id, ()) if r != alternative]
    for related in related_entries:
        label = "➡️ " + text_of(context, related).question
        rows.append([InlineKeyboardButton(label, callback_data=FaqAnswer(related).pack())])
    if context.bot.username:
        link = deep_link(context.bot.username, entry_id)
        question = quote(text_of(context, entry_id).question)
        share = f"https://t.me/share/url?url={quote(link, safe='')}&text={question}"
        rows.append([InlineKeyboardButton(context.t("faqui-share"), url=share)])
    home_category = faq.catalog.category_of(entry_id)
    back = FaqCategory(home_category.id).pack() if home_category else MenuButton("faq").pack()
    rows.append(home_row(context, back=back))
    body = answer_body(context, entry_id)
    if ask_feedback:
        body += "\n\n" + context.t("faqui-did-it-help")
    return body, InlineKeyboardMarkup(rows)


def suggestions(context: BotContext, hits: list[Hit]) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            InlineKeyboardButton(
                text_of(context, h.entry_id).question,
                callback_data=FaqAnswer(h.entry_id, suggested=True).pack(),
            )
        ]
        for h in hits
    ]
    rows += hand_over_rows(context)
    rows.append(home_row(context))
    return context.t("faqui-suggest"), InlineKeyboardMarkup(rows)


def nothing_found(context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    rows = hand_over_rows(context)
    rows.append([button(context, "faqui-browse", MenuButton("faq").pack())])
    rows.append(home_row(context))
    key = "faqui-nothing-handover" if context.bot_data.can_hand_over else "faqui-nothing"
    return context.t(
        key, contact_email=context.settings.contact_email or "none"
    ), InlineKeyboardMarkup(rows)


def hand_over_rows(context: BotContext) -> list[list[InlineKeyboardButton]]:
    """The button that sends an unanswered question to the team, once that feature exists."""
    if not context.bot_data.can_hand_over:
        return []
    return [[button(context, "faqui-ask-team", FaqAskTeam().pack())]]


def plain_preview(answer_html: str, limit: int = 100) -> str:
    text = " ".join(plain(answer_html).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
