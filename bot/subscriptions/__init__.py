"""Topics people opt in to and out of; announcements go only to those who chose them."""
