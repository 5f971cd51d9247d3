-- Consent to a privacy notice: one row each time a person agrees. Nothing personal is
-- stored before a row exists here (drafts and registrations reference it).
-- When the person erases their data the row stays, unlinked (user_id NULL) and withdrawn:
-- it shows under which notice the details had been collected, and when that ended,
-- without saying who it was.
CREATE TABLE consents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER,
    purpose        TEXT NOT NULL,
    notice_version TEXT NOT NULL,
    given_at       REAL NOT NULL,
    withdrawn_at   REAL,
    CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at),
    CHECK (user_id IS NOT NULL OR withdrawn_at IS NOT NULL)
);
CREATE INDEX consents_user ON consents (user_id, purpose);

-- One registration per Telegram user; registering again updates it. The reference shown to
-- people (R-000042) is derived from id. Withdrawn registrations keep only the link to the
-- person (so registering again keeps the reference); erased ones keep nothing personal.
CREATE TABLE registrations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER UNIQUE,
    consent_id   INTEGER REFERENCES consents (id),
    kind         TEXT CHECK (kind IN (
                     'expert', 'company', 'academic', 'partner', 'civil_society', 'government',
                     'other')),
    full_name    TEXT,
    organisation TEXT,
    position     TEXT,
    interests    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(interests)),
    modes        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(modes)),
    email        TEXT,
    phone        TEXT,
    language     TEXT CHECK (language IN ('en', 'km')),
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'verified', 'withdrawn', 'erased')),
    revision     INTEGER NOT NULL DEFAULT 1,
    verified_by  INTEGER,
    verified_at  REAL,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL,
    CHECK (status NOT IN ('confirmed', 'verified') OR (
        user_id IS NOT NULL AND consent_id IS NOT NULL AND kind IS NOT NULL
        AND full_name IS NOT NULL AND email IS NOT NULL)),
    CHECK (status NOT IN ('withdrawn', 'erased') OR (
        kind IS NULL AND full_name IS NULL AND organisation IS NULL AND position IS NULL
        AND interests = '[]' AND modes = '[]' AND email IS NULL AND phone IS NULL
        AND language IS NULL AND verified_by IS NULL)),
    CHECK (status != 'erased' OR user_id IS NULL)
);

-- The answers of a form being filled in, so it survives a restart. Only after consent:
-- the foreign key makes a draft without a consent impossible. /cancel deletes it.
CREATE TABLE registration_drafts (
    user_id    INTEGER PRIMARY KEY,
    consent_id INTEGER NOT NULL REFERENCES consents (id),
    answers    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers)),
    editing    INTEGER NOT NULL DEFAULT 0 CHECK (editing IN (0, 1)),
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL
);

-- The cards posted to the moderators' group for each version of a registration, so they
-- can be edited when it is verified, replaced, withdrawn or erased.
CREATE TABLE registration_cards (
    chat_id         INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    revision        INTEGER NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX registration_cards_registration ON registration_cards (registration_id);

-- Who did what to which record, for every feature (registrations, contributions, ...).
-- subject is '<aggregate>:<id>' (never a person's id); detail is JSON of codes and counts,
-- never names, contacts or what people wrote. actor_id is NULL for the system, and is set
-- to NULL for a person ('person' role) who erases their data; staff actions keep their actor.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         REAL NOT NULL,
    actor_id   INTEGER,
    actor_role TEXT NOT NULL CHECK (actor_role IN ('person', 'moderator', 'admin', 'system')),
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT,
    detail     TEXT CHECK (detail IS NULL OR json_valid(detail))
);
CREATE INDEX audit_log_subject ON audit_log (subject, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
