import os

# python-telegram-bot 22 warns that RetryAfter.retry_after becomes a timedelta; take it now.
os.environ.setdefault("PTB_TIMEDELTA", "1")
