-- People who talked to the bot. Only what the bot needs to answer them:
-- no names, no usernames, no phone numbers (those need consent, see registrations).
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,
    language    TEXT CHECK (language IN ('en', 'km')),
    first_seen  REAL NOT NULL,
    last_seen   REAL NOT NULL,
    blocked_bot INTEGER NOT NULL DEFAULT 0
);

-- Every update Telegram delivers, stored before Telegram is told it was received.
-- The payload is dropped once the update is handled: it can hold what people wrote.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    payload     TEXT,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    received_at REAL NOT NULL,
    finished_at REAL,
    error       TEXT
);
CREATE INDEX inbox_pending ON inbox (status, update_id);

-- ConversationHandler states, so a form survives a restart.
CREATE TABLE conversations (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (name, key)
);
