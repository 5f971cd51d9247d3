-- Housekeeping finds what it may forget through indexes, not by reading every row:
-- handled updates by when they finished, sent messages whose text is still kept.
CREATE INDEX inbox_finished ON inbox (finished_at) WHERE status != 'pending';
CREATE INDEX outbox_kept_text ON outbox (created_at) WHERE status != 'pending' AND payload != '{}';
