"""The admins' tools: statistics with a chart, and CSV exports."""
