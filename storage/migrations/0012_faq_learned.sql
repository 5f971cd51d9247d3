-- Questions a moderator linked to an FAQ entry: new phrasings the matcher learns from.
-- What was asked, not who asked: no user id and no submission, like faq_unanswered.
-- One row per normalised question; linking it again moves it to the newer entry.
CREATE TABLE faq_learned (
    normalized TEXT PRIMARY KEY,
    phrasing   TEXT NOT NULL,
    entry_id   TEXT NOT NULL,
    language   TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX faq_learned_entry ON faq_learned (entry_id);
