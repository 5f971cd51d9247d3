"""What each answer of the registration form may be, and how it is tidied before storing.

Every cleaner returns the value to store or raises FieldError with a message key and its
arguments, so the person reads why in their language.
"""

from __future__ import annotations

import re
import unicodedata

NAME_LIMITS = (2, 100)
ORGANISATION_LIMITS = (2, 150)
POSITION_LIMITS = (2, 100)
EMAIL_MAX = 254
EMAIL_LOCAL_MAX = 64
PHONE_INPUT_MAX = 40
# Shown back to the person inside an error message, at most this long.
ECHO_MAX = 60

# Invisible characters some keyboards put between words; they change nothing a reader sees.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    rf"^(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,63}})$"
)

# Cambodian numbers: 0 + 8 or 9 digits at home, +855 + the same without the 0 abroad.
_KH_NATIONAL = re.compile(r"^0([1-9]\d{7,8})$")
_KH_INTERNATIONAL = re.compile(r"^\+855([1-9]\d{7,8})$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{7,14}$")
_PHONE_NOISE = re.compile(r"[\s\-.()/]")


class FieldError(ValueError):
    """An answer that cannot be stored; key names the message that explains why."""

    def __init__(self, key: str, values: dict[str, str | int] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.values = values or {}


def tidy(text: str) -> str:
    """One line, single spaces, no invisible characters."""
    return " ".join(text.translate(_INVISIBLE).split())


def echo(text: str) -> str:
    """What the person typed, shortened for an error message (escape it before sending)."""
    text = tidy(text)
    return text if len(text) <= ECHO_MAX else text[: ECHO_MAX - 1] + "…"


def _bounded(text: str, limits: tuple[int, int]) -> str:
    cleaned = tidy(text)
    low, high = limits
    if len(cleaned) > high:
        raise FieldError("reg-error-too-long", {"length": len(cleaned), "limit": high})
    if len(cleaned) < low:
        raise FieldError("reg-error-too-short", {"minimum": low})
    if any(unicodedata.category(ch) in ("Cc", "Co", "Cs") for ch in cleaned):
        raise FieldError("reg-error-characters")
    if not any(ch.isalpha() for ch in cleaned):
        raise FieldError("reg-error-letters")
    return cleaned


def clean_name(text: str) -> str:
    return _bounded(text, NAME_LIMITS)


def clean_organisation(text: str) -> str:
    return _bounded(text, ORGANISATION_LIMITS)


def clean_position(text: str) -> str:
    return _bounded(text, POSITION_LIMITS)


def clean_email(text: str) -> str:
    """name@example.com; the domain is stored in lower case."""
    candidate = tidy(text).removeprefix("mailto:")
    if len(candidate) > EMAIL_MAX:
        raise FieldError("reg-error-too-long", {"length": len(candidate), "limit": EMAIL_MAX})
    match = _EMAIL.match(candidate)
    if match is None or len(match.group("local")) > EMAIL_LOCAL_MAX:
        raise FieldError("reg-error-email", {"value": echo(text)})
    return f"{match.group('local')}@{match.group('domain').lower()}"


def clean_phone(text: str) -> str:
    """A Cambodian (012 345 678, +855 12 345 678) or international (+44 20 ...) number.

    Stored in international form: +85512345678.
    """
    raw = text.strip().translate(_KHMER_DIGITS)
    if len(raw) > PHONE_INPUT_MAX:
        raise FieldError("reg-error-phone")
    compact = _PHONE_NOISE.sub("", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("855") and compact.isdigit():
        compact = "+" + compact
    compact = compact.replace("+8550", "+855", 1) if compact.startswith("+8550") else compact
    if match := _KH_NATIONAL.match(compact):
        return "+855" + match.group(1)
    if compact.startswith("+855"):
        if _KH_INTERNATIONAL.match(compact):
            return compact
        raise FieldError("reg-error-phone")
    if _INTERNATIONAL.match(compact):
        return compact
    raise FieldError("reg-error-phone")


def clean_shared_phone(phone_number: str) -> str:
    """A number from Telegram's share-contact button: digits, often without the +."""
    digits = phone_number.strip()
    return clean_phone(digits if digits.startswith("+") else "+" + digits)
