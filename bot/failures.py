"""What a handler's failure means for its update: tried again later, or finished as it is.

The error handlers (bot/handlers/errors.py) answer the person; the Application then raises
RetryUpdate out of process_update for an error worth retrying, and the processor catches it.
"""

from __future__ import annotations

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut


class RetryUpdate(Exception):
    """The update's handling hit a network error: try the whole update again later."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} hit a network error")
        self.update_id = update_id


def retryable(error: BaseException | None) -> bool:
    """A network error that may pass. BadRequest is a NetworkError in python-telegram-bot, but
    retrying it changes nothing; neither does retrying text that cannot be encoded (PTB reports
    it as a NetworkError too)."""
    return (
        isinstance(error, NetworkError | TimedOut | RetryAfter)
        and not isinstance(error, BadRequest)
        and not _undecodable(error)
    )


def _undecodable(error: BaseException) -> bool:
    return isinstance(error.__cause__, UnicodeError) or "UnicodeEncodeError" in str(error)
