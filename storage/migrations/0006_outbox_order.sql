-- The outbox keeps each chat's messages in order: a message waits while an older one to the
-- same chat waits for its retry. This index answers "is an older one waiting?".
CREATE INDEX outbox_chat_pending ON outbox (chat_id, status, id);
