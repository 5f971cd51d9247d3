-- Messages the bot owes someone: stored with the change that caused them, sent later,
-- retried until Telegram takes them. dedup_key makes a replayed update enqueue nothing twice.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key       TEXT NOT NULL UNIQUE,
    chat_id         INTEGER NOT NULL,
    method          TEXT NOT NULL,
    payload         TEXT NOT NULL,
    on_sent         TEXT,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    created_at      REAL NOT NULL,
    sent_at         REAL,
    message_id      INTEGER,
    error           TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Small facts the bot learns while running, such as a group's new id after migration.
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
