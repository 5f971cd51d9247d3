"""Numbers and dates as each language writes them: NUM() in the locales, event dates in code.

Khmer text writes Khmer digits, groups thousands with a no-break space and uses a decimal
comma (៤២ ០០០, ១៥,៦), the way the static Khmer text does; English writes 42,000 and 15.6.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
GROUP = {"km": "\u00a0", "en": ","}
DECIMAL = {"km": ",", "en": "."}
MONTHS = {
    "km": [
        "មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា",
        "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip


def digits(text: str, language: str) -> str:
    """Khmer digits in Khmer text; anything else unchanged."""
    return text.translate(KHMER_DIGITS) if language == "km" else text


def format_number(value: int | float | Decimal, language: str) -> str:
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    whole, _, fraction = format(abs(number), "f").partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = GROUP.get(language, ",").join([whole, *groups])
    if fraction:
        text += DECIMAL.get(language, ".") + fraction
    return digits(sign + text, language)


def format_date(value: date, language: str) -> str:
    """ "ថ្ងៃទី ៣ ខែមិថុនា ឆ្នាំ ២០២៧" or "3 June 2027", with the time when there is one."""
    text = _day_month_year(str(value.day), value, language)
    if isinstance(value, datetime):
        text += f" {value:%H:%M}"
    return digits(text, language)


def format_date_range(start: date, end: date, language: str) -> str:
    """One day, or "12–20 May 2027" when the month and year are shared."""
    if start == end:
        return format_date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return digits(_day_month_year(f"{start.day}–{end.day}", end, language), language)
    return f"{format_date(start, language)} – {format_date(end, language)}"


def _day_month_year(days: str, value: date, language: str) -> str:
    month = MONTHS.get(language, MONTHS["en"])[value.month - 1]
    if language == "km":
        return f"ថ្ងៃទី {days} ខែ{month} ឆ្នាំ {value.year}"
    return f"{days} {month} {value.year}"


def format_value(value: Any, language: str) -> str:
    """What NUM() prints: numbers and dates in the language's style; digits in other text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value, language)
    if isinstance(value, date):
        return format_date(value, language)
    return digits(str(value), language)


def fluent_functions(language: str) -> dict[str, Callable[[Any], Any]]:
    """The functions every bundle offers: NUM($value) for each number or date filled in."""

    def num(value: Any) -> str:
        return format_value(value, language)

    return {"NUM": num}
