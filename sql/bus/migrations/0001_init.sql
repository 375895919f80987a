-- The embedded bus (SQS semantics on SQLite), in its own database file so that queue
-- traffic never waits behind the store's writes.

CREATE TABLE subscriptions (
  topic TEXT NOT NULL,
  queue TEXT NOT NULL,
  PRIMARY KEY (topic, queue)
) WITHOUT ROWID;

CREATE TABLE messages (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  queue         TEXT NOT NULL,
  body          TEXT NOT NULL,
  dedup_id      TEXT,
  sent_at       INTEGER NOT NULL,
  visible_at    INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  dead          INTEGER NOT NULL DEFAULT 0   -- 1: in the queue's dead-letter queue
);
CREATE INDEX messages_ready ON messages (queue, dead, visible_at, id);
CREATE INDEX messages_by_age ON messages (sent_at);
CREATE UNIQUE INDEX messages_dedup ON messages (queue, dedup_id) WHERE dedup_id IS NOT NULL;
