-- "Did this help?" answers, for the team's statistics. No user id: the vote key is a
-- hash of the chat and message, only there so that one answer counts one vote.
CREATE TABLE faq_feedback (
    vote_key   TEXT PRIMARY KEY,
    entry_id   TEXT NOT NULL,
    helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    language   TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX faq_feedback_entry ON faq_feedback (entry_id);

-- Questions the FAQ could not answer: normalised text and a count, nobody's id.
CREATE TABLE faq_unanswered (
    question    TEXT PRIMARY KEY,
    language    TEXT NOT NULL,
    asked       INTEGER NOT NULL DEFAULT 1,
    first_asked REAL NOT NULL,
    last_asked  REAL NOT NULL
);
