-- How often each FAQ answer was given (typed question answered, or opened from a button),
-- per day, for the admins' statistics. No user id.
CREATE TABLE faq_answers_given (
    entry_id TEXT NOT NULL,
    day      TEXT NOT NULL,
    given    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entry_id, day)
) WITHOUT ROWID;
