-- Announcements written by an admin, sent in the background through the outbox.
-- audience: 'topic:<topic>', 'all' (anyone subscribed to anything), 'kinds:<k,k>'
-- (registered participants of those kinds) or 'mode:<mode>' (who chose that event).
CREATE TABLE announcements (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by          INTEGER NOT NULL,
    admin_chat_id       INTEGER NOT NULL,
    admin_language      TEXT NOT NULL,
    text_km             TEXT,
    text_en             TEXT,
    media_kind          TEXT CHECK (media_kind IN ('photo', 'document')),
    media_message_id    INTEGER,
    audience            TEXT,
    topic               TEXT,
    status              TEXT NOT NULL CHECK (status IN (
                            'draft', 'scheduled', 'sending', 'paused', 'cancelled', 'done')),
    send_at             REAL,
    total               INTEGER NOT NULL DEFAULT 0,
    progress_message_id INTEGER,
    progress_at         REAL,
    result              TEXT CHECK (result IS NULL OR json_valid(result)),
    created_at          REAL NOT NULL,
    started_at          REAL,
    finished_at         REAL
);
CREATE INDEX announcements_status ON announcements (status, send_at);

-- Who an announcement goes to, fixed when sending starts. state: waiting (not yet handed
-- to the outbox), queued (in the outbox, under the key 'ann:<id>:<user_id>'), skipped (had
-- blocked the bot), dropped (cancelled before it was queued).
CREATE TABLE announcement_recipients (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id),
    user_id         INTEGER NOT NULL,
    language        TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (state IN ('waiting', 'queued', 'skipped', 'dropped')),
    PRIMARY KEY (announcement_id, user_id)
) WITHOUT ROWID;
CREATE INDEX announcement_recipients_state ON announcement_recipients (announcement_id, state);
CREATE INDEX announcement_recipients_user ON announcement_recipients (user_id);
