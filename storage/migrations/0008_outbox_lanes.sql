-- Each chat is a lane of the outbox with its own pace. A lane's head is its next message
-- (urgent before bulk, then oldest first); the lane is due when both the head's retry time
-- and the chat's pace allow. The sender asks for the lanes due first, through an index,
-- so finding the next message costs O(log n) however many are waiting.
CREATE TABLE outbox_lanes (
    chat_id  INTEGER PRIMARY KEY,
    head_id  INTEGER,
    priority INTEGER NOT NULL DEFAULT 1,
    head_at  REAL,
    ready_at REAL NOT NULL DEFAULT 0,
    -- NULL while the lane is empty (max() of a NULL is NULL).
    due_at   REAL GENERATED ALWAYS AS (max(head_at, ready_at)) VIRTUAL
);
CREATE INDEX outbox_lanes_due ON outbox_lanes (priority, due_at);
CREATE INDEX outbox_lanes_next ON outbox_lanes (due_at);

-- A lane's head: the first pending message of a chat by priority, then id.
CREATE INDEX outbox_lane_order ON outbox (chat_id, priority, id) WHERE status = 'pending';

INSERT INTO outbox_lanes (chat_id, head_id, priority, head_at)
SELECT o.chat_id, o.id, o.priority, o.next_attempt_at FROM outbox AS o
WHERE o.status = 'pending' AND o.id = (
    SELECT h.id FROM outbox AS h WHERE h.chat_id = o.chat_id AND h.status = 'pending'
    ORDER BY h.priority, h.id LIMIT 1
);

-- The lanes follow the outbox through triggers, whoever writes to it.
CREATE TRIGGER outbox_lane_insert AFTER INSERT ON outbox WHEN NEW.status = 'pending'
BEGIN
    INSERT INTO outbox_lanes (chat_id, head_id, priority, head_at)
    SELECT h.chat_id, h.id, h.priority, h.next_attempt_at FROM outbox AS h
    WHERE h.chat_id = NEW.chat_id AND h.status = 'pending' ORDER BY h.priority, h.id LIMIT 1
    ON CONFLICT (chat_id) DO UPDATE SET
        head_id = excluded.head_id, priority = excluded.priority, head_at = excluded.head_at;
END;

CREATE TRIGGER outbox_lane_update
AFTER UPDATE OF status, next_attempt_at, chat_id, priority ON outbox
BEGIN
    UPDATE outbox_lanes SET head_id = NULL, head_at = NULL
    WHERE chat_id IN (OLD.chat_id, NEW.chat_id);
    INSERT INTO outbox_lanes (chat_id, head_id, priority, head_at)
    SELECT h.chat_id, h.id, h.priority, h.next_attempt_at FROM outbox AS h
    WHERE h.chat_id = OLD.chat_id AND h.status = 'pending' ORDER BY h.priority, h.id LIMIT 1
    ON CONFLICT (chat_id) DO UPDATE SET
        head_id = excluded.head_id, priority = excluded.priority, head_at = excluded.head_at;
    INSERT INTO outbox_lanes (chat_id, head_id, priority, head_at)
    SELECT h.chat_id, h.id, h.priority, h.next_attempt_at FROM outbox AS h
    WHERE h.chat_id = NEW.chat_id AND NEW.chat_id != OLD.chat_id AND h.status = 'pending'
    ORDER BY h.priority, h.id LIMIT 1
    ON CONFLICT (chat_id) DO UPDATE SET
        head_id = excluded.head_id, priority = excluded.priority, head_at = excluded.head_at;
END;

CREATE TRIGGER outbox_lane_delete AFTER DELETE ON outbox WHEN OLD.status = 'pending'
BEGIN
    UPDATE outbox_lanes SET head_id = NULL, head_at = NULL WHERE chat_id = OLD.chat_id;
    INSERT INTO outbox_lanes (chat_id, head_id, priority, head_at)
    SELECT h.chat_id, h.id, h.priority, h.next_attempt_at FROM outbox AS h
    WHERE h.chat_id = OLD.chat_id AND h.status = 'pending' ORDER BY h.priority, h.id LIMIT 1
    ON CONFLICT (chat_id) DO UPDATE SET
        head_id = excluded.head_id, priority = excluded.priority, head_at = excluded.head_at;
END;
