"""Announcements: written by an admin, previewed, sent in the background through the outbox."""
