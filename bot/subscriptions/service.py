"""Subscribing and unsubscribing: one transaction each, recorded in the audit log."""

from __future__ import annotations

from storage import audit, subscriptions
from storage.db import Database
from storage.subscriptions import TOPICS


async def choose(
    db: Database, user_id: int, topic: str, subscribed: bool, language: str
) -> set[str]:
    """Turn one topic on or off; returns the topics now chosen."""
    await _set(db, user_id, (topic,), subscribed, language, "subscription.toggled")
    return await subscriptions.topics_of(db, user_id)


async def stop(db: Database, user_id: int, topic: str | None, language: str) -> bool:
    """The one-tap unsubscribe under an announcement: that topic, or everything (None).

    True if the person was subscribed to something that is now off.
    """
    before = await subscriptions.topics_of(db, user_id)
    topics = TOPICS if topic is None else (topic,)
    await _set(db, user_id, topics, False, language, "subscription.stopped")
    return bool(before & set(topics))


async def _set(
    db: Database,
    user_id: int,
    topics: tuple[str, ...],
    subscribed: bool,
    language: str,
    action: str,
) -> None:
    async with db.transaction() as conn:
        changed = [
            topic
            for topic in topics
            if await subscriptions.set_in(conn, user_id, topic, subscribed, language)
        ]
        if changed:
            await audit.record_in(
                conn,
                actor_id=user_id,
                actor_role="person",
                action=action,
                subject=audit.person_subject(user_id),
                to_state="on" if subscribed else "off",
                detail={"topics": changed},
            )
