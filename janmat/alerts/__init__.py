"""Standing queries (alert rules), spike detection and notifications: what fires, why, and who is told."""
