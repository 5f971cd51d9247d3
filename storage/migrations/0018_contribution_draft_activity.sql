-- When a contribution being put together was last added to, so that DRAFT_RETENTION_DAYS counts
-- from the last time the person worked on it, as registration_drafts.updated_at does.
-- Triggers keep it without every writer having to remember it.
ALTER TABLE contribution_drafts ADD COLUMN updated_at REAL;
UPDATE contribution_drafts SET updated_at = created_at;

CREATE TRIGGER contribution_draft_text_added AFTER INSERT ON contribution_draft_texts
BEGIN
    UPDATE contribution_drafts SET updated_at = (julianday('now') - 2440587.5) * 86400.0
    WHERE user_id = NEW.user_id;
END;

CREATE TRIGGER contribution_draft_file_added AFTER INSERT ON contribution_draft_files
BEGIN
    UPDATE contribution_drafts SET updated_at = (julianday('now') - 2440587.5) * 86400.0
    WHERE user_id = NEW.user_id;
END;

CREATE TRIGGER contribution_draft_topic_chosen AFTER UPDATE OF topic ON contribution_drafts
BEGIN
    UPDATE contribution_drafts SET updated_at = (julianday('now') - 2440587.5) * 86400.0
    WHERE user_id = NEW.user_id;
END;
