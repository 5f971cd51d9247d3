-- Contributions and questions sent to the team, and what became of each.
CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ref          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('contribution', 'question')),
    -- What made it: a replayed update finds its submission instead of making a second.
    source_key   TEXT NOT NULL UNIQUE,
    user_id      INTEGER,
    language     TEXT NOT NULL,
    topic        TEXT,
    text         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'claimed', 'approved', 'rejected', 'answered')),
    claimed_by   INTEGER,
    decided_by   INTEGER,
    decided_at   REAL,
    reason       TEXT,
    card_chat_id INTEGER,
    card_message_id INTEGER,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL
);
CREATE INDEX submissions_user ON submissions (user_id, created_at);
CREATE INDEX submissions_status ON submissions (status, id);
CREATE INDEX submissions_card ON submissions (card_chat_id, card_message_id);

CREATE TABLE submission_files (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id     INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('document', 'photo', 'voice')),
    file_id           TEXT NOT NULL,
    file_unique_id    TEXT NOT NULL,
    file_name         TEXT,
    mime_type         TEXT,
    file_size         INTEGER,
    media_group_id    TEXT,
    source_chat_id    INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL
);
CREATE INDEX submission_files_submission ON submission_files (submission_id);

-- Answers moderators relayed to the sender.
CREATE TABLE submission_replies (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    source_key    TEXT NOT NULL UNIQUE,
    moderator_id  INTEGER NOT NULL,
    text          TEXT NOT NULL,
    created_at    REAL NOT NULL
);

-- A contribution being put together: kept so that a restart loses nothing.
-- Parts are keyed by the message they came in, so a replayed update adds nothing twice.
CREATE TABLE contribution_drafts (
    user_id    INTEGER PRIMARY KEY,
    topic      TEXT,
    last_album TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE contribution_draft_texts (
    user_id           INTEGER NOT NULL REFERENCES contribution_drafts (user_id) ON DELETE CASCADE,
    source_message_id INTEGER NOT NULL,
    text              TEXT NOT NULL,
    PRIMARY KEY (user_id, source_message_id)
);
CREATE TABLE contribution_draft_files (
    user_id           INTEGER NOT NULL REFERENCES contribution_drafts (user_id) ON DELETE CASCADE,
    source_message_id INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    file_id           TEXT NOT NULL,
    file_unique_id    TEXT NOT NULL,
    file_name         TEXT,
    mime_type         TEXT,
    file_size         INTEGER,
    media_group_id    TEXT,
    source_chat_id    INTEGER NOT NULL,
    PRIMARY KEY (user_id, source_message_id)
);

-- Reference numbers count per kind: C-000001, Q-000001.
CREATE TABLE ref_counters (
    kind TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE bans (
    user_id   INTEGER PRIMARY KEY,
    banned_by INTEGER NOT NULL,
    banned_at REAL NOT NULL,
    reason    TEXT
);

-- Every message a submission put in the moderators' group (card and attachment copies),
-- so that they can be taken down when the sender erases their data.
CREATE TABLE submission_group_messages (
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    is_card       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, message_id)
);
