"""NUM() and the event dates: Khmer digits and Khmer number style in Khmer, 42,000 in English."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.i18n import Translator
from bot.numerals import format_date, format_date_range, format_number, format_value

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "km", "en"),
    [
        (0, "០", "0"),
        (7, "៧", "7"),
        (999, "៩៩៩", "999"),
        (5000, f"៥{NBSP}០០០", "5,000"),
        (42000, f"៤២{NBSP}០០០", "42,000"),
        (1234567, f"១{NBSP}២៣៤{NBSP}៥៦៧", "1,234,567"),
        (15.6, "១៥,៦", "15.6"),
        (1.0, "១", "1"),
        (Decimal("20.50"), "២០,៥", "20.5"),
        (-3000, f"-៣{NBSP}០០០", "-3,000"),
    ],
)
def test_numbers_in_each_language(value: int | float | Decimal, km: str, en: str) -> None:
    assert format_number(value, "km") == km
    assert format_number(value, "en") == en


def test_dates_in_each_language() -> None:
    assert format_date(date(2027, 6, 3), "km") == "ថ្ងៃទី ៣ ខែមិថុនា ឆ្នាំ ២០២៧"
    assert format_date(date(2027, 6, 3), "en") == "3 June 2027"
    assert format_date(datetime(2027, 12, 1, 9, 5), "km") == "ថ្ងៃទី ១ ខែធ្នូ ឆ្នាំ ២០២៧ ០៩:០៥"
    same_month = (date(2027, 5, 12), date(2027, 5, 20))
    assert format_date_range(*same_month, "km") == "ថ្ងៃទី ១២–២០ ខែឧសភា ឆ្នាំ ២០២៧"
    assert format_date_range(*same_month, "en") == "12–20 May 2027"
    across = (date(2027, 5, 30), date(2027, 6, 2))
    assert format_date_range(*across, "en") == "30 May 2027 – 2 June 2027"
    assert format_date_range(date(2027, 6, 3), date(2027, 6, 3), "en") == "3 June 2027"


def test_text_keeps_its_letters_and_gets_khmer_digits() -> None:
    assert format_value("2026-11-30 14:08 UTC", "km") == "២០២៦-១១-៣០ ១៤:០៨ UTC"
    assert format_value("2026-11-30 14:08 UTC", "en") == "2026-11-30 14:08 UTC"
    assert format_value(True, "km") == "True"


def test_num_in_the_messages_gives_khmer_digits_to_run_time_numbers() -> None:
    i18n = Translator()
    khmer = i18n.get("km", "ctb-rate-limited", limit=5000, minutes=10)
    assert f"៥{NBSP}០០០" in khmer and "១០" in khmer
    assert not any(c.isascii() and c.isdigit() for c in khmer)
    assert "5,000" in i18n.get("en", "ctb-rate-limited", limit=5000, minutes=10)
    size = i18n.get("km", "ctb-file-too-big", size_mb=1.5, limit_mb=20)
    assert "១,៥ MB" in size and "២០ MB" in size
    when = i18n.get("km", "mod-card-received", when="2026-11-30 14:08 UTC")
    assert "២០២៦-១១-៣០ ១៤:០៨" in when


def test_event_dates_and_the_article_link_are_settings_every_message_sees() -> None:
    i18n = Translator()
    assert "(dates to be announced)" in i18n.get("en", "reg-mode-may_consultations")
    assert "(កាលបរិច្ឆេទនឹងប្រកាសជូនជាក្រោយ)" in i18n.get("km", "reg-mode-june_workshop")
    source = i18n.get("en", "faq-nais_events-a")
    assert "<a " not in source and "Charting a Smart and Inclusive Future" in source

    i18n.configure(
        (date(2027, 5, 12), date(2027, 5, 20)),
        (date(2027, 6, 3), date(2027, 6, 3)),
        'https://example.org/a?b=1&c="2"',
    )
    assert i18n.get("en", "reg-mode-may_consultations").endswith("(12–20 May 2027)")
    assert "ថ្ងៃទី ៣ ខែមិថុនា ឆ្នាំ ២០២៧" in i18n.get("km", "reg-mode-june_workshop")
    answer = i18n.get("km", "faq-nais_events-a")
    assert "ថ្ងៃទី ១២–២០ ខែឧសភា ឆ្នាំ ២០២៧" in answer
    assert '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">' in answer
