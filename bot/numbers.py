"""Numbers in prose: Khmer digits in Khmer text, as readers expect."""

from __future__ import annotations

_KHMER = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def localized(value: int | float | str, language: str) -> str:
    text = str(value)
    return text.translate(_KHMER) if language == "km" else text
