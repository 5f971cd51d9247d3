-- Bulk messages (announcements) wait behind what people and moderators are owed.
-- 0 = urgent (replies, cards, notices about one's own submission), 1 = bulk.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
