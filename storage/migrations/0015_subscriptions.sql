-- Topics a person chose to hear about. subscribed = 0 keeps an explicit "no": registered
-- participants who unsubscribed from events get no event reminders either.
-- language is the one they used when choosing, for people who never picked one.
CREATE TABLE subscriptions (
    user_id    INTEGER NOT NULL,
    topic      TEXT NOT NULL CHECK (topic IN ('events', 'strategy', 'eservices')),
    subscribed INTEGER NOT NULL CHECK (subscribed IN (0, 1)),
    language   TEXT CHECK (language IN ('en', 'km')),
    changed_at REAL NOT NULL,
    PRIMARY KEY (user_id, topic)
) WITHOUT ROWID;
CREATE INDEX subscriptions_topic ON subscriptions (topic, subscribed, user_id);
