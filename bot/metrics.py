"""Prometheus metrics: one registry for the bot, served by the health listener.

Every figure an operator watches is defined here, so instrumenting a module is one import and
one call, and the names stay consistent.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES_HANDLED = Counter(
    "bot_updates_handled", "Updates the inbox processor finished", registry=REGISTRY
)
UPDATES_FAILED = Counter(
    "bot_updates_failed",
    "Updates whose handling failed, by outcome (retry, poison)",
    ["outcome"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "bot_handler_seconds",
    "Time to handle one update, from dispatch to done",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
INBOX_BACKLOG = Gauge("bot_inbox_backlog", "Updates stored but not yet handled", registry=REGISTRY)
OUTBOX_BACKLOG = Gauge("bot_outbox_backlog", "Messages waiting in the outbox", registry=REGISTRY)
MESSAGES_SENT = Counter(
    "bot_messages_sent", "Messages Telegram accepted, by kind", ["kind"], registry=REGISTRY
)
MESSAGES_REFUSED = Counter(
    "bot_messages_refused",
    "Messages Telegram refused for good, by kind",
    ["kind"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "bot_telegram_429", "Answers 429 (Too Many Requests) from Telegram", registry=REGISTRY
)
FAQ_OUTCOMES = Counter(
    "bot_faq_questions",
    "Typed questions by outcome (answered, suggested, unanswered)",
    ["outcome"],
    registry=REGISTRY,
)
