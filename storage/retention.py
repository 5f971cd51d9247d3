"""Unfinished forms are not kept for ever: drafts left alone too long are dropped."""

from __future__ import annotations

import json
import time

import aiosqlite

from storage import consent, drafts, registrations
from storage.db import Database


async def drop_unfinished_forms(
    db: Database,
    older_than_seconds: float,
    *,
    registration_form: str,
    contribution_form: str,
    now: float | None = None,
) -> int:
    """Drop the registration and contribution drafts nobody has touched since the cutoff.

    The *_form arguments name the conversations those drafts belong to: the person's stored
    step in that form goes too, so it does not resume where its answers are gone.
    Returns how many drafts were dropped.
    """
    cutoff = (time.time() if now is None else now) - older_than_seconds
    async with db.transaction() as conn:
        stale_registrations = [
            int(r[0])
            for r in await conn.execute_fetchall(
                "SELECT user_id FROM registration_drafts WHERE updated_at < ?", (cutoff,)
            )
        ]
        stale_contributions = [
            int(r[0])
            for r in await conn.execute_fetchall(
                "SELECT user_id FROM contribution_drafts"
                " WHERE COALESCE(updated_at, created_at) < ?",
                (cutoff,),
            )
        ]
        for user_id in stale_registrations:
            draft = await registrations.delete_draft_in(conn, user_id)
            if draft is not None:
                await consent.release_unused_in(conn, draft.consent_id)
            await _forget_step(conn, registration_form, user_id)
        for user_id in stale_contributions:
            await drafts.delete_draft_in(conn, user_id)
            await _forget_step(conn, contribution_form, user_id)
    return len(stale_registrations) + len(stale_contributions)


async def _forget_step(conn: aiosqlite.Connection, form: str, user_id: int) -> None:
    # Forms run in the private chat: the conversation key is [chat id, user id], both the person.
    await conn.execute(
        "DELETE FROM conversations WHERE name = ? AND key = ?",
        (form, json.dumps([user_id, user_id])),
    )
