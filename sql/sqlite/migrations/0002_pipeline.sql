-- The pipeline: which event triggered an email, and who must never be emailed.

ALTER TABLE emails ADD COLUMN trigger_id TEXT NOT NULL DEFAULT '';

CREATE TABLE suppressions (
  email      TEXT PRIMARY KEY COLLATE NOCASE,
  reason     TEXT NOT NULL,   -- unsubscribed, bounced, complained, manual
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
